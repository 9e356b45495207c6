/**
 * `batchd run FILE...`: batchd embedded in this process for one batch of work. It creates the
 * manifests' objects (validated all together first), streams every container's log, shows the
 * Jobs' progress, and exits when the outcome is known: 0 all complete, 1 a failure or --timeout,
 * 2 bad input, 130/143 on SIGINT/SIGTERM. Containers never outlive it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { namespaces } from '../api/core/v1/namespace.js';
import { ApiError, badRequest } from '../api/meta/status.js';
import type { KubeObject } from '../api/meta/types.js';
import { newScheme } from '../api/resources.js';
import { fieldValidator, NO_PROBLEMS } from '../apiserver/fieldValidation.js';
import type { Registries } from '../apiserver/registries.js';
import { cannotHandle } from '../apiserver/writes.js';
import type { ContainerSpec } from '../node/runtime/types.js';
import type { Logger } from '../util/log.js';
import { BATCHD_VERSION } from '../version.js';
import { formatProblems, type InputProblem, serverProblem } from './runErrors.js';
import { readAll, readManifests } from './runManifests.js';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_SIGINT, EXIT_SIGTERM } from './runOutcome.js';
import { LinePrefixer, logPrefix, type OutStream, RunOutput } from './runOutput.js';
import { type Creation, isNamespace, missingNamespaces, planCreations } from './runPlan.js';
import { OneShotRuntime } from './runRuntime.js';
import { Watch } from './runWatch.js';
import { type Batchd, type BatchdOptions, startBatchd, UserError } from './serve.js';

export interface RunOptions extends Omit<BatchdOptions, 'dataDir' | 'listen' | 'log' | 'wrapRuntime'> {
  /** Files, directories, or `-` for stdin. */
  files: readonly string[];
  namespace: string;
  /** --namespace was given (a manifest naming another namespace is then an error). */
  namespaceGiven: boolean;
  /** Keep state here; default: a temporary directory removed at exit. */
  dataDir?: string;
  /** Also serve HTTPS here (0 picks a free port) and write a kubeconfig. */
  port?: number;
  host?: string;
  timeout?: { ms: number; text: string };
}

export interface RunIO {
  stdin: NodeJS.ReadableStream;
  stdout: OutStream;
  stderr: OutStream;
}

/** The field manager of the run's creates, as kubectl records `kubectl-create`. */
const FIELD_MANAGER = 'batchd-run';
/** Containers still running at exit get SIGTERM, then SIGKILL this much later. */
const STOP_GRACE_SECONDS = 2;
/** How long the exit waits for followers to print what finished containers wrote. */
const LOG_DRAIN_MS = 5000;

/** Runs the batch; resolves with the process's exit code once everything has stopped. */
export async function runBatch(opts: RunOptions, io: RunIO): Promise<number> {
  const read = await readManifests(opts.files, { readStdin: () => readAll(io.stdin) });
  if (read.errors.length) {
    io.stderr.write(formatProblems(read.errors.map((message) => ({ kind: 'client', message }))));
    return EXIT_BAD_INPUT;
  }
  const plan = planCreations(read.manifests, newScheme({ batchV1beta1: opts.batchV1beta1 !== false }), opts);
  if (plan.problems.length) {
    io.stderr.write(formatProblems(plan.problems));
    return EXIT_BAD_INPUT;
  }
  const signals = interrupts();
  try {
    return await runPlanned(opts, plan.creations, new RunOutput(io.stdout, io.stderr), signals.received);
  } finally {
    signals.dispose();
  }
}

async function runPlanned(
  opts: RunOptions,
  creations: readonly Creation[],
  out: RunOutput,
  signal: Promise<number>,
): Promise<number> {
  const tempDir = opts.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'batchd-run-')) : undefined;
  let batchd: Batchd | undefined;
  let watch: Watch | undefined;
  let interrupted: number | undefined;
  const log = runLogger();
  void signal.then((code) => {
    interrupted = code;
  });
  // batchd's own timers are unref'd (serve's socket keeps it alive); without a port or a running
  // process, Node would otherwise exit mid-run with nothing decided.
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    try {
      batchd = await startBatchd({
        ...opts,
        dataDir: opts.dataDir ?? tempDir ?? '',
        ...(opts.port !== undefined ? { listen: { port: opts.port, host: opts.host ?? '127.0.0.1' } } : {}),
        log,
        wrapRuntime: (inner) =>
          new OneShotRuntime(inner, {
            logs: containerLogs(out),
            stopGraceSeconds: STOP_GRACE_SECONDS,
            drainMs: LOG_DRAIN_MS,
          }),
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      out.message(`batchd: ${err.message}`);
      return EXIT_FAILED;
    }
    if (batchd.url)
      out.message(`batchd ${BATCHD_VERSION} serving ${batchd.url} — export KUBECONFIG=${batchd.kubeconfig}`);
    if (interrupted !== undefined) return interrupted;
    const created = await createAll(batchd.api.registries, creations, out);
    if ('problems' in created) {
      out.message(formatProblems(created.problems).trimEnd());
      return EXIT_BAD_INPUT;
    }
    if (interrupted !== undefined) return interrupted;
    watch = new Watch(batchd.api.registries, log, created.objects, opts.namespace, out);
    const outcome = await watch.outcome(opts.timeout, signal);
    watch.stop();
    // Containers are stopped and their last lines printed before the final word.
    await batchd.stop();
    out.close();
    if (outcome.message) out.message(outcome.message);
    return outcome.code;
  } finally {
    watch?.stop();
    await batchd?.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    clearInterval(keepAlive);
  }
}

/**
 * SIGINT and SIGTERM end the run cleanly with 130 or 143; a second one while stopping exits at
 * once (containers may then be left running).
 */
function interrupts(): { received: Promise<number>; dispose(): void } {
  let first: number | undefined;
  let resolve: (code: number) => void = () => {};
  const received = new Promise<number>((r) => {
    resolve = r;
  });
  const handler = (code: number) => () => {
    if (first !== undefined) process.exit(first);
    first = code;
    resolve(code);
  };
  const onInt = handler(EXIT_SIGINT);
  const onTerm = handler(EXIT_SIGTERM);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    received,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** Logs at warn and above, on stderr: stdout carries the containers' output. */
function runLogger(): Logger {
  return pino(
    { level: process.env.BATCHD_LOG_LEVEL ?? 'warn', base: null },
    pino.destination({ dest: 2, sync: true }),
  ) as unknown as Logger;
}

/** Each container attempt's lines, prefixed, onto stdout. */
function containerLogs(out: RunOutput) {
  const prefixers = new Map<string, LinePrefixer>();
  const prefixer = (spec: ContainerSpec) => {
    let p = prefixers.get(spec.id);
    if (!p) prefixers.set(spec.id, (p = new LinePrefixer(logPrefix(spec.podName, spec.containerName))));
    return p;
  };
  return {
    chunk: (spec: ContainerSpec, chunk: Buffer) => out.log(prefixer(spec).push(chunk)),
    end: async (spec: ContainerSpec) => {
      const rest = prefixers.get(spec.id)?.flush();
      prefixers.delete(spec.id);
      if (rest) await out.log(rest);
    },
  };
}

/** One create as `kubectl create` sends it: strict field validation, the server's defaults and checks. */
async function createOne(
  registries: Registries,
  c: Creation,
  dryRun: boolean,
): Promise<{ object: KubeObject; warnings: string[] }> {
  const warnings: string[] = [];
  const object = await registries.for(c.type).create(c.namespace, structuredClone(c.object), {
    dryRun,
    fieldManager: FIELD_MANAGER,
    onUnknownFields: fieldValidator(
      'Strict',
      NO_PROBLEMS,
      (message) => badRequest(`${cannotHandle(c.type)}: ${message}`),
      warnings,
    ),
  });
  if (!dryRun) warnings.push(...(c.type.strategy.warningsOnCreate?.(object) ?? []));
  return { object, warnings };
}

/** Runs one phase over the creations, collecting every API error rather than stopping at the first. */
async function phase(
  registries: Registries,
  list: readonly Creation[],
  dryRun: boolean,
  out: RunOutput,
): Promise<{ objects: Array<{ c: Creation; object: KubeObject }>; problems: InputProblem[] }> {
  const objects: Array<{ c: Creation; object: KubeObject }> = [];
  const problems: InputProblem[] = [];
  for (const c of list) {
    try {
      const { object, warnings } = await createOne(registries, c, dryRun);
      for (const w of warnings) out.message(`Warning: ${w}`);
      objects.push({ c, object });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      problems.push(serverProblem(err.status, c.source));
    }
  }
  return { objects, problems };
}

/**
 * All or nothing: namespaces are made first (the others' dry runs need them), then every other
 * object is created with dryRun and, only when all pass, for real.
 */
async function createAll(
  registries: Registries,
  creations: readonly Creation[],
  out: RunOutput,
): Promise<{ objects: Array<{ c: Creation; object: KubeObject }> } | { problems: InputProblem[] }> {
  const nsCreations = creations.filter(isNamespace);
  const rest = creations.filter((c) => !isNamespace(c));
  const nsCheck = await phase(registries, nsCreations, true, out);
  if (nsCheck.problems.length) return { problems: nsCheck.problems };
  const nsMade = await phase(registries, nsCreations, false, out);
  if (nsMade.problems.length) return { problems: nsMade.problems };
  for (const name of missingNamespaces(creations)) {
    try {
      await registries
        .for(namespaces)
        .create(undefined, { metadata: { name } }, { fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
    }
  }
  const check = await phase(registries, rest, true, out);
  if (check.problems.length) return { problems: check.problems };
  const made = await phase(registries, rest, false, out);
  if (made.problems.length) return { problems: made.problems };
  return { objects: [...nsMade.objects, ...made.objects] };
}
