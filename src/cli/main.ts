/** The batchd command line. */
import { relative } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadLocation } from '../cron/timezone.js';
import { BATCHD_VERSION, KUBE_MAJOR, KUBE_MINOR } from '../version.js';
import { LogsError, runLogs, streamSink } from './logs.js';
import { type RunOptions, runBatch } from './run.js';
import { parseTimeout } from './runOutcome.js';
import { flushed } from './runOutput.js';
import { CONTROLLERS, type RuntimeKind, type ServeOptions, serve, UserError } from './serve.js';

interface ServeFlags {
  dataDir: string;
  port: number;
  host: string;
  nodeName?: string;
  maxPods: number;
  runtime: RuntimeKind;
  sandbox: boolean;
  logRetention: number;
  logMaxSize: number;
  jobWorkers: number;
  jobBackoffScale: number;
  runtimeConfig: Record<string, boolean>;
  cronjobTimeZone?: string;
  controllers: string[];
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('a port is a number from 0 to 65535.');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('a whole number of at least 1.');
  return n;
}

function runtimeKind(value: string): RuntimeKind {
  if (value !== 'process' && value !== 'simulated')
    throw new InvalidArgumentError('one of: process, simulated.');
  return value;
}

function scale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number above 0, such as 0.01.');
  return n;
}

/** The optional API versions: upstream's `--runtime-config group/version=true|false[,...]`. */
const OPTIONAL_VERSIONS = ['batch/v1beta1'];

function runtimeConfig(value: string, prior: Record<string, boolean>): Record<string, boolean> {
  const out = { ...prior };
  for (const part of value.split(',').filter(Boolean)) {
    const [gv = '', on = 'true'] = part.split('=');
    if (!OPTIONAL_VERSIONS.includes(gv))
      throw new InvalidArgumentError(`only ${OPTIONAL_VERSIONS.join(', ')} can be turned on or off.`);
    if (on !== 'true' && on !== 'false') throw new InvalidArgumentError(`${gv}: true or false.`);
    out[gv] = on === 'true';
  }
  return out;
}

function zone(value: string): string {
  try {
    loadLocation(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

function controllers(value: string): string[] {
  const list = value.split(',').filter(Boolean);
  for (const c of list) {
    const name = c.replace(/^-/, '');
    if (name !== '*' && !CONTROLLERS.includes(name))
      throw new InvalidArgumentError(
        `unknown controller ${JSON.stringify(name)}: * or ${CONTROLLERS.join(', ')}.`,
      );
  }
  return list;
}

/** `90s`, `30m`, `24h`, `7d` → milliseconds. */
function duration(value: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(value);
  if (!m) throw new InvalidArgumentError('a duration such as 90s, 30m, 24h or 7d.');
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** `500Mi`, `2Gi`, or bytes. */
function size(value: string): number {
  const m = /^(\d+)(Ki|Mi|Gi)?$/.exec(value);
  if (!m) throw new InvalidArgumentError('a size such as 500Mi or 2Gi.');
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] as 'Ki' | 'Mi' | 'Gi'] ?? 1;
  return Number(m[1]) * unit;
}

interface LogsFlags {
  dataDir: string;
  namespace: string;
  container?: string;
  previous: boolean;
  tail: number;
  timestamps: boolean;
  allAttempts: boolean;
}

interface RunFlags {
  dataDir?: string;
  namespace?: string;
  timeout?: { ms: number; text: string };
  port?: number;
  host: string;
  runtime: RuntimeKind;
  sandbox: boolean;
  maxPods: number;
  jobBackoffScale: number;
  cronjobTimeZone?: string;
}

/** `90s`, `5m`, `1h30m` or whole seconds. */
function timeout(value: string): { ms: number; text: string } {
  try {
    return parseTimeout(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** kubectl's `--tail`: a line count, or -1 for all. */
function tailLines(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < -1) throw new InvalidArgumentError('a number of lines, or -1 for all.');
  return n;
}

export async function main(argv: string[]): Promise<void> {
  /** The options of how pods run, shared by serve and run. */
  const workloadOptions = (cmd: Command): Command =>
    cmd
      .option(
        '--runtime <kind>',
        'how containers run: process, or simulated (no processes)',
        runtimeKind,
        'process',
      )
      .option('--sandbox', 'run containers in a bubblewrap sandbox (process runtime)', false)
      .option('--max-pods <n>', 'how many pods may run at once on this node', positive, 110)
      .option(
        '--job-backoff-scale <factor>',
        "multiplies the Job controller's pod-recreation backoff (10 s doubling to 10 min), e.g. 0.01 for tests",
        scale,
        1,
      )
      .option(
        '--cronjob-time-zone <zone>',
        "the time zone of CronJob schedules without spec.timeZone (default: this machine's)",
        zone,
      );

  const program = new Command('batchd')
    .description('Kubernetes batch/v1 Jobs and CronJobs on one machine, with no cluster')
    .showHelpAfterError();

  workloadOptions(
    program
      .command('serve')
      .description('run the API server, controllers and node agent')
      .option('--data-dir <dir>', 'where state, certificates and the kubeconfig live', './.batchd')
      .option('--port <n>', 'HTTPS port (0 picks a free one)', port, 6443)
      .option('--host <addr>', 'address to listen on', '127.0.0.1')
      .option('--node-name <name>', "the name of this machine's Node (default: the host name)"),
  )
    .option('--log-retention <duration>', 'how long logs of deleted pods are kept', duration, 86_400_000)
    .option('--log-max-size <size>', 'how much log of deleted pods is kept in all', size, 1024 ** 3)
    .option('--job-workers <n>', 'how many Jobs are synced at once', positive, 5)
    .option(
      '--controllers <list>',
      `which controllers run: * for all, name to add one, -name to leave one out (${CONTROLLERS.join(', ')})`,
      controllers,
      ['*'],
    )
    .option(
      '--runtime-config <gv=bool,...>',
      'turn optional API versions on or off: batch/v1beta1=false serves only batch/v1 CronJobs',
      runtimeConfig,
      {},
    )
    .action(async (flags: ServeFlags) => {
      const opts: ServeOptions = {
        dataDir: flags.dataDir,
        port: flags.port,
        host: flags.host,
        maxPods: flags.maxPods,
        runtime: flags.runtime,
        sandbox: flags.sandbox,
        logRetentionMs: flags.logRetention,
        logMaxBytes: flags.logMaxSize,
        jobWorkers: flags.jobWorkers,
        jobBackoffScale: flags.jobBackoffScale,
        batchV1beta1: flags.runtimeConfig['batch/v1beta1'] ?? true,
        controllers: flags.controllers,
        ...(flags.cronjobTimeZone ? { cronJobTimeZone: flags.cronjobTimeZone } : {}),
        ...(flags.nodeName ? { nodeName: flags.nodeName } : {}),
      };
      let running: Awaited<ReturnType<typeof serve>>;
      try {
        running = await serve(opts);
      } catch (err) {
        if (err instanceof UserError) {
          console.error(`batchd: ${err.message}`);
          process.exit(1);
        }
        throw err;
      }
      const rel = relative(process.cwd(), running.kubeconfig);
      const shown = rel && !rel.startsWith('..') ? rel : running.kubeconfig;
      console.log(`batchd ${BATCHD_VERSION} serving ${running.url} — export KUBECONFIG=${shown}`);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(`batchd: error during ${signal} shutdown: ${String(err)}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });

  workloadOptions(
    program
      .command('run')
      .description(
        'run the Jobs and CronJobs of these manifests in an embedded batchd, streaming their logs, and exit with their outcome',
      )
      .argument(
        '<file...>',
        'manifest files (YAML or JSON, several documents or a List), directories, or - for stdin',
      )
      .option('-n, --namespace <ns>', 'the namespace of objects whose manifest names none (default: default)')
      .option('--timeout <duration>', 'give up after this long (90s, 5m, 1h30m, or seconds): exit 1', timeout)
      .option('--data-dir <dir>', 'keep the state here (default: a temporary directory, removed at exit)')
      .option(
        '--port <n>',
        'also serve HTTPS here (0 picks a free one) and write a kubeconfig, for kubectl',
        port,
      )
      .option('--host <addr>', 'address to listen on with --port', '127.0.0.1'),
  ).action(async (files: string[], flags: RunFlags) => {
    const opts: RunOptions = {
      files,
      namespace: flags.namespace ?? 'default',
      namespaceGiven: flags.namespace !== undefined,
      host: flags.host,
      runtime: flags.runtime,
      sandbox: flags.sandbox,
      maxPods: flags.maxPods,
      jobBackoffScale: flags.jobBackoffScale,
      ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.timeout ? { timeout: flags.timeout } : {}),
      ...(flags.cronjobTimeZone ? { cronJobTimeZone: flags.cronjobTimeZone } : {}),
    };
    const code = await runBatch(opts, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
    });
    // Pod logs still in the pipe would be lost by an immediate exit.
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });

  program
    .command('logs')
    .description(
      "print a pod's or a Job's container logs from the data dir, also after the pods were deleted",
    )
    .argument('<target>', 'POD, pod/POD or job/JOB')
    .option('--data-dir <dir>', 'the data dir batchd serve uses', './.batchd')
    .option('-n, --namespace <ns>', 'the namespace of the pod or Job', 'default')
    .option('-c, --container <name>', 'only this container (default: every container)')
    .addOption(
      new Option('-p, --previous', 'the attempt before the latest, as kubectl logs --previous')
        .default(false)
        .conflicts('allAttempts'),
    )
    .option('--all-attempts', 'every kept attempt (restart) of each container, oldest first', false)
    .option('--tail <n>', "the last lines of each container's log; -1 prints all", tailLines, -1)
    .option('--timestamps', 'prefix each line with the time it was written', false)
    .action(async (target: string, flags: LogsFlags) => {
      try {
        await runLogs(
          {
            dataDir: flags.dataDir,
            namespace: flags.namespace,
            target,
            previous: flags.previous,
            allAttempts: flags.allAttempts,
            tail: flags.tail,
            timestamps: flags.timestamps,
            ...(flags.container !== undefined ? { container: flags.container } : {}),
          },
          streamSink(process.stdout),
        );
      } catch (err) {
        if (err instanceof LogsError) {
          console.error(`batchd: ${err.message}`);
          process.exit(1);
        }
        // A reader that went away (`| head`) is not an error.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
        throw err;
      }
    });

  program
    .command('version')
    .description('print the batchd version and the Kubernetes API version it serves')
    .action(() => {
      console.log(`batchd ${BATCHD_VERSION} (Kubernetes API v${KUBE_MAJOR}.${KUBE_MINOR})`);
    });

  await program.parseAsync(argv);
}
