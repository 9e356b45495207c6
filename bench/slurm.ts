/**
 * The peer scheduler: Slurm (Debian's slurm-wlm, with munge) on this one machine, running the B1
 * recipe of reference/performance.md, tuned variant: a 1,000-task array of `/bin/true`, 50 at a
 * time, timed from `sbatch` until `squeue` no longer lists any task — the bar for batchd's
 * 1,000-completion Indexed Job. Needs root and the packages; otherwise the result says why and
 * nothing runs.
 *
 * Everything lives in one temp dir (munge key and socket, slurm.conf, state, spool, logs). munged
 * runs on the host (it only has a Unix socket); slurmctld, slurmd and every Slurm command run
 * inside a private network namespace held open by `unshare --net sleep`, entered with nsenter, so
 * slurmctld's listener exists only where there is nothing but `lo`. The daemons detach, so they
 * are stopped through their pid files (and anything left in the namespace by its pid), on success,
 * failure and exit. Every step has a timeout and the whole benchmark a deadline.
 *
 *   node --import tsx bench/slurm.ts [--tasks 1000] [--throttle 50] [--runs 3] [--default-params] [--keep]
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { meterCpu } from './lib/cpu.js';
import {
  findAll,
  killPidNow,
  median,
  netNamespace,
  readPidFile,
  type Skipped,
  sleep,
  stopPid,
  sweepNamespace,
  sweepNamespaceNow,
  WaitTimeout,
  waitFor,
} from './lib/peers.js';
import { cleanupAll, register, stop } from './lib/processes.js';
import { fixed, int, isMain, markdownTable } from './lib/report.js';

export interface SlurmOptions {
  tasks: number;
  /** At most this many tasks at once (the array's `%N`). */
  throttle: number;
  runs: number;
  /** The B1b scheduler parameters (no batch delay, deeper queue, short MinJobAge); B1a otherwise. */
  tuned: boolean;
  /** Hard deadline for the whole benchmark, setup included: a run still going then is cancelled. */
  deadlineS: number;
  /** Leave the temp dir (logs, state) in place for a look afterwards; the daemons still stop. */
  keep?: boolean;
}

export const slurmDefaults = (): SlurmOptions => ({
  tasks: 1000,
  throttle: 50,
  runs: 3,
  tuned: true,
  deadlineS: Number(process.env.BENCH_SLURM_DEADLINE_S ?? 160),
});

export interface SlurmRun {
  /** Submit to the last task gone from squeue; for a cut run, the time it had when cancelled. */
  seconds: number;
  /** False when the deadline cancelled the run. */
  complete: boolean;
  /** Average cores busy on the whole machine during the run (Slurm's daemons and tasks included). */
  busyCores: number;
  /**
   * Tasks slurmctld requeued because their launch RPC timed out (a machine too busy to answer in
   * MessageTimeout); a requeued task waits out Slurm's requeue delay, so such a run is slow or cut.
   */
  requeued: number;
}

export interface SlurmRan {
  ran: true;
  options: SlurmOptions;
  /** `sbatch --version`, e.g. "slurm-wlm 22.05.8". */
  version: string;
  runs: SlurmRun[];
  /** Seconds from nothing to an idle node (munge key, daemons, first registration). */
  setupSeconds: number;
}

export type SlurmResult = SlurmRan | Skipped;

const TOOLS = [
  'munged',
  'mungekey',
  'slurmctld',
  'slurmd',
  'sbatch',
  'squeue',
  'sinfo',
  'scancel',
  'unshare',
  'nsenter',
  'ip',
] as const;

/**
 * slurm.conf for one node on loopback with every path under `dir`: the B1 recipe. 64 virtual
 * CPUs (`config_overrides`) let 50 one-CPU tasks run at once on a 2-core machine.
 */
export function slurmConf(p: { dir: string; host: string; tuned: boolean; maxArraySize: number }): string {
  const lines = [
    'ClusterName=bench',
    `SlurmctldHost=${p.host}(127.0.0.1)`,
    'SlurmUser=root',
    'SlurmctldPort=6817',
    'SlurmdPort=6818',
    'CommunicationParameters=NoInAddrAny',
    'AuthType=auth/munge',
    'CryptoType=crypto/munge',
    `AuthInfo=socket=${join(p.dir, 'munge', 'munge.socket')}`,
    `StateSaveLocation=${join(p.dir, 'state')}`,
    `SlurmdSpoolDir=${join(p.dir, 'spool')}`,
    `SlurmctldPidFile=${join(p.dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(p.dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(p.dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${join(p.dir, 'log', 'slurmd.log')}`,
    'SlurmctldDebug=info',
    'SlurmdDebug=info',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'MpiDefault=none',
    'SwitchType=switch/none',
    'ReturnToService=2',
    'SchedulerType=sched/backfill',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_CPU',
    'SlurmdParameters=config_overrides',
    `MaxArraySize=${p.maxArraySize}`,
    'MaxJobCount=10000',
    `NodeName=${p.host} NodeAddr=127.0.0.1 CPUs=64 RealMemory=1000 State=UNKNOWN`,
    `PartitionName=debug Nodes=${p.host} Default=YES MaxTime=INFINITE State=UP`,
  ];
  // Slurm's defaults start a wave of tasks every batch_sched_delay (3 s); the tuned set schedules
  // as soon as a task ends and purges finished records after 2 s.
  if (p.tuned)
    lines.push(
      'SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,default_queue_depth=1000',
      'MinJobAge=2',
    );
  return `${lines.join('\n')}\n`;
}

/** The array spec for `tasks` tasks at most `throttle` at once: `0-999%50`. */
export const arraySpec = (tasks: number, throttle: number): string =>
  `0-${tasks - 1}${throttle > 0 ? `%${throttle}` : ''}`;

/** How many times slurmctld's log says it requeued a task of array job `jobId`. */
export function countRequeues(log: string, jobId: string): number {
  const marker = `Requeuing JobId=${jobId}_`;
  let n = 0;
  for (let at = log.indexOf(marker); at !== -1; at = log.indexOf(marker, at + marker.length)) n++;
  return n;
}

/** The job id in `sbatch --parsable` output (`123` or `123;cluster`), or undefined. */
export function parseJobId(stdout: string): string | undefined {
  const id = stdout.trim().split(';')[0] ?? '';
  return /^\d+$/.test(id) ? id : undefined;
}

/**
 * Whether a `squeue -h -r -j ID` answer means every task of the array is gone: an empty list, or
 * the controller no longer knowing the id (purged after MinJobAge). Any other failure (the
 * controller busy, a timeout) is "not yet", never "done".
 */
export function arrayGone(q: { code: number | null; stdout: string; stderr: string }): boolean {
  if (q.code === 0) return q.stdout.trim() === '';
  return /invalid job id/i.test(q.stderr);
}

interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (never longer than `timeoutMs`); a non-zero exit is a result. */
function run(file: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<Exec> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', env: env ?? process.env, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`${file} ${args.join(' ')}: ${err.message}`, { cause: err }));
          return;
        }
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

const mustRun = async (file: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv) => {
  const r = await run(file, args, timeoutMs, env);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
  return r;
};

/** What a benchmark run has started, so one function can tear it all down. */
interface Started {
  dir: string;
  holder?: ChildProcess;
  ns?: string;
}

const DAEMONS = [
  ['slurmd', 'slurmd.pid'],
  ['slurmctld', 'slurmctld.pid'],
] as const;
const MUNGED_PID = join('munge', 'munged.pid');

/** Stops Slurm's daemons by pid file, then anything left in the namespace, then munged. */
async function teardown(s: Started): Promise<void> {
  for (const [name, file] of DAEMONS) {
    const pid = readPidFile(join(s.dir, file));
    if (pid !== undefined) await stopPid(pid, name, 5000);
  }
  // What the daemons leave (a slurmstepd still starting, slurmscriptd) goes down with them.
  if (s.ns !== undefined) await sweepNamespace(s.ns, s.holder?.pid);
  if (s.holder) await stop(s.holder);
  const munged = readPidFile(join(s.dir, MUNGED_PID));
  if (munged !== undefined) await stopPid(munged, 'munged', 5000);
}

/** The synchronous version for process exit (Ctrl-C in the middle of a run). */
function teardownNow(s: Started): void {
  for (const [name, file] of DAEMONS) {
    const pid = readPidFile(join(s.dir, file));
    if (pid !== undefined) killPidNow(pid, name);
  }
  if (s.ns !== undefined) sweepNamespaceNow(s.ns);
  const munged = readPidFile(join(s.dir, MUNGED_PID));
  if (munged !== undefined) killPidNow(munged, 'munged');
}

type Tools = Record<(typeof TOOLS)[number], string>;

/** The tools' absolute paths, or why the benchmark cannot run here. */
function locate(): { tools: Tools } | { reason: string } {
  const found = findAll(TOOLS);
  if ('missing' in found)
    return { reason: `not installed (missing ${found.missing.join(', ')}; Debian packages slurm-wlm munge)` };
  if (process.getuid?.() !== 0)
    return { reason: 'not root (slurmd and a private network namespace need root)' };
  return { tools: found.found as Tools };
}

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Runs the Slurm array benchmark, or explains why it did not (`{ ran: false, reason }`: not
 * installed, not root, or a daemon that would not start). Never throws and never outlives
 * `opts.deadlineS` by more than the teardown.
 */
export async function runSlurm(opts: SlurmOptions, log = console.error): Promise<SlurmResult> {
  const where = locate();
  if ('reason' in where) return { ran: false, reason: where.reason };
  const { tools } = where;
  const t0 = performance.now();
  const deadline = t0 + opts.deadlineS * 1000;
  const left = () => deadline - performance.now();
  const s: Started = { dir: mkdtempSync(join(tmpdir(), 'batchd-bench-slurm-')) };
  const onExit = () => {
    teardownNow(s);
    rmSync(s.dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  try {
    const { dir } = s;
    for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, sub), { recursive: true });
    chmodSync(join(dir, 'munge'), 0o700);
    const key = join(dir, 'munge', 'munge.key');
    await mustRun(tools.mungekey, ['--create', `--keyfile=${key}`], 10_000);
    // --force: munged refuses to run as root otherwise; every file it needs is ours.
    await mustRun(
      tools.munged,
      [
        '--force',
        `--socket=${join(dir, 'munge', 'munge.socket')}`,
        `--key-file=${key}`,
        `--pid-file=${join(dir, MUNGED_PID)}`,
        `--log-file=${join(dir, 'munge', 'munged.log')}`,
        `--seed-file=${join(dir, 'munge', 'munged.seed')}`,
      ],
      10_000,
    );
    const host = hostname().split('.')[0] ?? 'localhost';
    const conf = join(dir, 'slurm.conf');
    const ctldLog = join(dir, 'log', 'slurmctld.log');
    writeFileSync(
      conf,
      slurmConf({ dir, host, tuned: opts.tuned, maxArraySize: Math.max(1001, opts.tasks + 1) }),
    );
    const env = { ...process.env, SLURM_CONF: conf };

    // The namespace lives as long as its holder; sleep a little past the deadline, no longer.
    const holder = spawn(tools.unshare, ['--net', '--', 'sleep', String(Math.ceil(opts.deadlineS) + 60)], {
      detached: true,
      stdio: 'ignore',
    });
    register(holder);
    s.holder = holder;
    const self = netNamespace('self');
    s.ns = await waitFor(
      'unshare --net',
      () => {
        const ns = holder.pid === undefined ? undefined : netNamespace(holder.pid);
        return ns !== undefined && ns !== self ? ns : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    const inNs = (args: string[], timeoutMs: number) =>
      run(tools.nsenter, [`--net=/proc/${holder.pid}/ns/net`, '--', ...args], timeoutMs, env);
    const mustInNs = async (args: string[], timeoutMs: number) => {
      const r = await inNs(args, timeoutMs);
      if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
      return r;
    };
    await mustInNs([tools.ip, 'link', 'set', 'lo', 'up'], 5000);
    // glibc's AI_ADDRCONFIG ignores loopback-only hosts; a second address lets Slurm resolve names.
    await mustInNs([tools.ip, 'addr', 'add', '127.0.0.2/8', 'dev', 'lo'], 5000);
    await mustInNs([tools.slurmctld, '-f', conf], 20_000);
    await mustInNs([tools.slurmd, '-f', conf], 20_000);
    await waitFor(
      'the Slurm node to be idle',
      async () =>
        (await inNs([tools.sinfo, '-h', '-o', '%t'], 5000)).stdout.includes('idle') ? true : undefined,
      { timeoutMs: Math.min(30_000, left()), intervalMs: 200 },
    );
    const setupSeconds = (performance.now() - t0) / 1000;
    const version = (await run(tools.sbatch, ['--version'], 5000, env)).stdout.trim();
    log(`slurm: ${version} idle after ${fixed(setupSeconds, 1)} s`);

    const runs: SlurmRun[] = [];
    for (let r = 1; r <= opts.runs; r++) {
      // A run that cannot fit in what is left (judged by the last one) would only be cut: stop here.
      const last = runs.at(-1);
      if (last && left() < Math.max(10_000, last.seconds * 1000)) break;
      const done = meterCpu({});
      const start = performance.now();
      const sb = await mustInNs(
        [
          tools.sbatch,
          '--parsable',
          `--array=${arraySpec(opts.tasks, opts.throttle)}`,
          '-o',
          '/dev/null',
          '-e',
          '/dev/null',
          '--wrap=/bin/true',
        ],
        15_000,
      );
      const jid = parseJobId(sb.stdout);
      if (jid === undefined) throw new Error(`sbatch answered ${JSON.stringify(sb.stdout)}`);
      let complete = true;
      try {
        await waitFor(
          `array job ${jid}`,
          async () =>
            arrayGone(await inNs([tools.squeue, '-h', '-r', '-j', jid], 10_000)) ? true : undefined,
          { timeoutMs: Math.max(0, left()), intervalMs: 200 },
        );
      } catch (err) {
        if (!(err instanceof WaitTimeout)) throw err;
        complete = false;
        await inNs([tools.scancel, jid], 10_000);
      }
      const seconds = (performance.now() - start) / 1000;
      const cpu = done();
      const requeued = countRequeues(readText(ctldLog), jid);
      // meterCpu's "other" is everything but this process: Slurm's daemons and tasks included.
      runs.push({ seconds, complete, busyCores: cpu.otherCores, requeued });
      log(
        `slurm array ${arraySpec(opts.tasks, opts.throttle)} run${r} ${complete ? '' : 'cut at '}${fixed(seconds, 2)} s` +
          `  (${complete ? `${int(opts.tasks / seconds)} tasks/s, ` : ''}machine busy ${fixed(cpu.otherCores, 2)} cores` +
          `${requeued ? `, ${requeued} tasks requeued after a launch timeout` : ''})`,
      );
      if (!complete) break;
      // As the recipe: let MinJobAge purge the finished records before the next array.
      if (r < opts.runs) await sleep(Math.min(3000, Math.max(0, left())));
    }
    return { ran: true, options: opts, version, runs, setupSeconds };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`slurm: ${message}\n${readText(join(s.dir, 'log', 'slurmctld.log')).slice(-1500)}`);
    return { ran: false, reason: `failed: ${message}` };
  } finally {
    await teardown(s);
    process.off('exit', onExit);
    if (opts.keep) log(`slurm: kept ${s.dir}`);
    else rmSync(s.dir, { recursive: true, force: true });
  }
}

/** The median complete run's seconds; NaN when Slurm did not run or no run finished. */
export function slurmMedianSeconds(res: SlurmResult): number {
  if (!res.ran) return Number.NaN;
  return median(res.runs.filter((r) => r.complete).map((r) => r.seconds));
}

/** One row for the array, or one line saying why Slurm did not run. */
export function slurmTable(res: SlurmResult): string {
  if (!res.ran) return `Slurm: ${res.reason}.`;
  const o = res.options;
  const secs = slurmMedianSeconds(res);
  return markdownTable(
    [
      'peer',
      'workload',
      's, runs 1 / 2 / 3',
      'median s',
      'tasks/s',
      'machine busy (cores)',
      'tasks requeued',
      'setup s',
    ],
    [
      [
        `${res.version}, ${o.tuned ? 'tuned' : 'default'} scheduler`,
        `${int(o.tasks)} × /bin/true, array ${arraySpec(o.tasks, o.throttle)}`,
        res.runs
          .map((r) => (r.complete ? fixed(r.seconds, 2) : `> ${fixed(r.seconds, 0)} (cut)`))
          .join(' / '),
        `**${fixed(secs, 2)}**`,
        int(o.tasks / secs),
        res.runs.map((r) => fixed(r.busyCores, 2)).join(' / '),
        res.runs.map((r) => String(r.requeued)).join(' / '),
        fixed(res.setupSeconds, 1),
      ],
    ],
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string' },
      throttle: { type: 'string' },
      runs: { type: 'string' },
      'default-params': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const d = slurmDefaults();
  const opts: SlurmOptions = {
    ...d,
    ...(values.tasks ? { tasks: Number(values.tasks) } : {}),
    ...(values.throttle ? { throttle: Number(values.throttle) } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    tuned: !values['default-params'],
    ...(values.keep ? { keep: true } : {}),
  };
  try {
    const t0 = performance.now();
    const res = await runSlurm(opts);
    console.log(`\n${slurmTable(res)}\n`);
    console.log(`slurm bench took ${fixed((performance.now() - t0) / 1000, 1)} s`);
  } finally {
    await cleanupAll();
  }
}
