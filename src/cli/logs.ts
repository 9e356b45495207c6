/**
 * `batchd logs`: container logs read straight from the files the process runtime keeps in the data
 * dir, so a deleted pod's logs (a failed Job's, once its pods are gone) can still be read for as
 * long as `--log-retention` and `--log-max-size` keep them. No API server is needed, running or not.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LABEL_JOB_NAME, LEGACY_LABEL_JOB_NAME } from '../api/batch/v1/types.js';
import { MAX_GENERATED_NAME_LENGTH } from '../controllers/job/constants.js';
import { generateNameWithIndex } from '../controllers/job/podTemplate.js';
import { type LogFile, listLogs, logsRoot, readPodLabels } from '../node/runtime/logFiles.js';
import { LogIndex } from '../node/runtime/logIndex.js';
import { readLogFile } from '../node/runtime/logs.js';
import { dateToNs } from '../node/runtime/logTime.js';
import { realClock } from '../util/clock.js';

/** A request the kept logs cannot answer; printed as one line, exit code 1. */
export class LogsError extends Error {}

export interface LogsOptions {
  readonly dataDir: string;
  readonly namespace: string;
  /** `POD`, `pod/POD` or `job/JOB`, as kubectl logs takes them. */
  readonly target: string;
  readonly container?: string;
  /** The attempt before the latest one, as `kubectl logs --previous`. */
  readonly previous?: boolean;
  /** Every kept attempt, oldest first. */
  readonly allAttempts?: boolean;
  /** The last lines of each container's log (over all printed attempts); negative prints all. */
  readonly tail?: number;
  readonly timestamps?: boolean;
}

export interface LogsTarget {
  readonly kind: 'pod' | 'job';
  readonly name: string;
}

const POD_WORDS = new Set(['pod', 'pods', 'po']);
const JOB_WORDS = new Set(['job', 'jobs', 'job.batch', 'jobs.batch']);

/** Reads `POD`, `pod/NAME` or `job/NAME` (kubectl's resource words and short names). */
export function parseTarget(arg: string): LogsTarget {
  const slash = arg.indexOf('/');
  const word = slash === -1 ? 'pod' : arg.slice(0, slash).toLowerCase();
  const name = slash === -1 ? arg : arg.slice(slash + 1);
  if (!name || name.includes('/'))
    throw new LogsError(`cannot read ${JSON.stringify(arg)}: give POD, pod/POD or job/JOB`);
  if (POD_WORDS.has(word)) return { kind: 'pod', name };
  if (JOB_WORDS.has(word)) return { kind: 'job', name };
  throw new LogsError(
    `logs are kept for pods and jobs, not ${JSON.stringify(word)}: give POD, pod/POD or job/JOB`,
  );
}

/** One pod as its kept logs show it: uid, recorded labels (if any), and every attempt's file. */
export interface KeptPod {
  readonly namespace: string;
  readonly podName: string;
  readonly podUid: string;
  /** Undefined when the runtime recorded none (then the Job is told by the pod's name). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly files: readonly LogFile[];
}

/** The log files grouped by pod, each pod's files in the order listLogs gave them. */
export function groupByPod(files: readonly LogFile[]): KeptPod[] {
  const pods = new Map<string, { namespace: string; podName: string; podUid: string; files: LogFile[] }>();
  for (const f of files) {
    const key = `${f.namespace}/${f.podName}/${f.podUid}`;
    const pod = pods.get(key) ?? { namespace: f.namespace, podName: f.podName, podUid: f.podUid, files: [] };
    pod.files.push(f);
    pods.set(key, pod);
  }
  return [...pods.values()];
}

const GENERATED_SUFFIX = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/**
 * Whether a pod name is one the Job controller generates for jobName: `<job>-<5 chars>`, or
 * `<job>-<index>-<5 chars>` for Indexed Jobs, with the job name cut as the registry cuts it.
 */
export function generatedForJob(jobName: string, podName: string): boolean {
  const suffix = podName.slice(-5);
  if (podName.length <= 5 || !GENERATED_SUFFIX.test(suffix)) return false;
  const base = podName.slice(0, -5);
  if (base === `${jobName}-`.slice(0, MAX_GENERATED_NAME_LENGTH)) return true;
  const indexed = /-(\d+)-$/.exec(base);
  return indexed !== null && base === generateNameWithIndex(jobName, Number(indexed[1]));
}

/** The Job label when the pod's labels were recorded; otherwise the name pattern decides. */
export function belongsToJob(jobName: string, pod: KeptPod): boolean {
  if (pod.labels) return (pod.labels[LABEL_JOB_NAME] ?? pod.labels[LEGACY_LABEL_JOB_NAME]) === jobName;
  return generatedForJob(jobName, pod.podName);
}

/** One container of one pod and the attempts of it to print, oldest first. */
export interface LogStream {
  readonly podName: string;
  readonly containerName: string;
  readonly files: readonly LogFile[];
}

const firstWrite = (files: readonly LogFile[]): number =>
  Math.min(...files.map((f) => f.modifiedAt.getTime()));

const lastWrite = (files: readonly LogFile[]): number =>
  Math.max(...files.map((f) => f.modifiedAt.getTime()));

type Selection = Pick<LogsOptions, 'namespace' | 'container' | 'previous' | 'allAttempts'>;

/**
 * Which files to print for a target, as streams in the order they ran (pods, then containers, by
 * their first log write, which puts init containers first). Throws LogsError when nothing matches.
 */
export function selectStreams(pods: readonly KeptPod[], target: LogsTarget, sel: Selection): LogStream[] {
  const inNamespace = pods.filter((p) => p.namespace === sel.namespace);
  const where = `in namespace ${JSON.stringify(sel.namespace)}`;
  let chosen: KeptPod[];
  if (target.kind === 'pod') {
    // A name reused by a newer pod: the newest is the one kubectl would have shown.
    const named = inNamespace.filter((p) => p.podName === target.name);
    const newest = named.sort((a, b) => lastWrite(b.files) - lastWrite(a.files))[0];
    if (!newest) throw new LogsError(`no logs kept for pod ${JSON.stringify(target.name)} ${where}`);
    chosen = [newest];
  } else {
    chosen = inNamespace.filter((p) => belongsToJob(target.name, p));
    if (chosen.length === 0)
      throw new LogsError(`no logs kept for job ${JSON.stringify(target.name)} ${where}`);
    chosen.sort((a, b) => firstWrite(a.files) - firstWrite(b.files));
  }

  const streams: LogStream[] = [];
  const containersSeen = new Set<string>();
  let withPrevious = 0;
  for (const pod of chosen) {
    const byContainer = new Map<string, LogFile[]>();
    for (const f of pod.files) {
      containersSeen.add(f.containerName);
      if (sel.container !== undefined && f.containerName !== sel.container) continue;
      byContainer.set(f.containerName, [...(byContainer.get(f.containerName) ?? []), f]);
    }
    const containers = [...byContainer.entries()].sort(([, a], [, b]) => firstWrite(a) - firstWrite(b));
    for (const [containerName, files] of containers) {
      const attempts = [...files].sort((a, b) => a.attempt - b.attempt);
      const picked = sel.allAttempts
        ? attempts
        : attempts.slice(sel.previous ? -2 : -1, sel.previous ? -1 : undefined);
      if (sel.previous && picked.length > 0) withPrevious++;
      if (picked.length > 0) streams.push({ podName: pod.podName, containerName, files: picked });
    }
  }
  const subject =
    target.kind === 'pod'
      ? `pod ${JSON.stringify(target.name)}`
      : `the pods of job ${JSON.stringify(target.name)}`;
  if (sel.container !== undefined && !containersSeen.has(sel.container))
    throw new LogsError(
      `container ${JSON.stringify(sel.container)} not found in the kept logs of ${subject} (containers: ${[...containersSeen].sort().join(', ')})`,
    );
  if (sel.previous && withPrevious === 0)
    throw new LogsError(`no previous terminated container kept for ${subject}`);
  return streams;
}

/** The kept logs under a data dir, grouped by pod with the labels the runtime recorded. */
export async function keptPods(dataDir: string): Promise<KeptPod[]> {
  const stateDir = join(dataDir, 'runtime');
  const pods = groupByPod(await listLogs(stateDir));
  return Promise.all(
    pods.map(async (p) => {
      const labels = await readPodLabels(stateDir, p);
      return labels ? { ...p, labels } : p;
    }),
  );
}

/** Where printed lines go: process.stdout, or a collector in tests. */
export interface LogSink {
  write(chunk: Buffer): Promise<void>;
}

const NL = 0x0a;

/** Prefixes every line of a chunk of whole lines (the last may be unfinished). */
function prefixLines(chunk: Buffer, prefix: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < chunk.length) {
    const nl = chunk.indexOf(NL, start);
    const end = nl === -1 ? chunk.length : nl + 1;
    parts.push(prefix, chunk.subarray(start, end));
    start = end;
  }
  return Buffer.concat(parts);
}

async function* fileChunks(
  path: string,
  tail: number | undefined,
  timestamps: boolean,
): AsyncGenerator<Buffer> {
  const index = await LogIndex.load(path, { readOnly: true });
  const now = () => dateToNs(realClock.now());
  yield* readLogFile(
    { path, index, now },
    { ...(tail !== undefined ? { tailLines: tail } : {}), ...(timestamps ? { timestamps } : {}) },
  );
}

/** The last `tail` lines over a stream's attempts: each attempt's own tail, then the newest of those. */
async function tailOfStream(files: readonly LogFile[], tail: number, timestamps: boolean): Promise<Buffer[]> {
  const lines: Buffer[] = [];
  for (const f of files) {
    const parts: Buffer[] = [];
    for await (const chunk of fileChunks(f.path, tail, timestamps)) parts.push(chunk);
    lines.push(...splitLines(Buffer.concat(parts)));
  }
  return tail === 0 ? [] : lines.slice(-tail);
}

function splitLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(NL, start);
    const end = nl === -1 ? buf.length : nl + 1;
    out.push(buf.subarray(start, end));
    start = end;
  }
  return out;
}

/**
 * Prints the streams one after the other; with more than one, each line carries kubectl's
 * `--prefix` (`[pod/NAME/CONTAINER] `). An unfinished last line is ended before more output follows.
 */
export async function printStreams(
  streams: readonly LogStream[],
  opts: Pick<LogsOptions, 'tail' | 'timestamps'>,
  sink: LogSink,
): Promise<void> {
  const prefixed = streams.length > 1;
  const timestamps = opts.timestamps === true;
  const tail = opts.tail !== undefined && opts.tail >= 0 ? opts.tail : undefined;
  let open = false;
  const emit = async (chunk: Buffer, prefix: Buffer | undefined) => {
    if (chunk.length === 0) return;
    if (open) await sink.write(Buffer.from('\n'));
    await sink.write(prefix ? prefixLines(chunk, prefix) : chunk);
    open = chunk[chunk.length - 1] !== NL;
  };
  for (const s of streams) {
    const prefix = prefixed ? Buffer.from(`[pod/${s.podName}/${s.containerName}] `) : undefined;
    if (tail !== undefined) {
      for (const line of await tailOfStream(s.files, tail, timestamps)) await emit(line, prefix);
      continue;
    }
    for (const f of s.files)
      for await (const chunk of fileChunks(f.path, undefined, timestamps)) await emit(chunk, prefix);
  }
}

/** `batchd logs`: finds the target's kept logs under the data dir and prints them. */
export async function runLogs(opts: LogsOptions, sink: LogSink): Promise<void> {
  const target = parseTarget(opts.target);
  // A mistyped --data-dir would otherwise read as "no logs kept" for every name.
  if (!existsSync(logsRoot(join(opts.dataDir, 'runtime'))))
    throw new LogsError(
      `no container logs under ${opts.dataDir}: give the --data-dir that batchd serve uses`,
    );
  const streams = selectStreams(await keptPods(opts.dataDir), target, opts);
  await printStreams(streams, opts, sink);
}

/** A sink onto a writable stream (stdout), one chunk at a time. */
export function streamSink(out: NodeJS.WritableStream): LogSink {
  return {
    write: (chunk) =>
      // The callback runs once the chunk is handed on, which is the backpressure we need.
      new Promise((resolve, reject) => {
        out.write(chunk, (err) => (err ? reject(err) : resolve()));
      }),
  };
}
