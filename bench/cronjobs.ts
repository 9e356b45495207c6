/**
 * CronJob schedule skew (issue 8): C CronJobs on `* * * * *` against the built binary on the
 * simulated runtime, created through the API; then, for N scheduled minutes, how late each
 * minute's Jobs appear on a Job watch (receive time − the scheduled-timestamp annotation), how
 * many of the C expected Jobs were created, and batchd's CPU and RSS per minute. Each Job's pod
 * runs `--run-seconds`, and `--history` finished Jobs are kept, so the Job controller, the node
 * agent, history pruning and the garbage collector all run alongside, as in real use.
 *
 *   node --import tsx bench/cronjobs.ts [--cronjobs 5000] [--minutes 2] [--history 1]
 *        [--run-seconds 1] [--max-pods N] [--concurrency 20] [--cpu-prof DIR] [--json]
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { meterCpu, processCpuSeconds } from './lib/cpu.js';
import {
  type JobArrival,
  LineSplitter,
  type MinuteSkew,
  minutesAfter,
  pooledSkew,
  readWatchLine,
  skewByMinute,
} from './lib/cronjobsSkew.js';
import { type WriteCounts, writesByResource } from './lib/cronjobsWrites.js';
import { cleanupAll, stop } from './lib/processes.js';
import { fixed, int, isMain, markdownTable } from './lib/report.js';
import { profileFlags, startBatchd } from './lib/servers.js';
import type { Target } from './lib/target.js';

export interface CronJobBenchOptions {
  cronJobs: number;
  /** Scheduled minutes measured after the last CronJob is created. */
  minutes: number;
  /** successfulJobsHistoryLimit (and failedJobsHistoryLimit): below 3, pruning starts in minute 2. */
  historyLimit: number;
  /** How long each Job's simulated pod runs. */
  runSeconds: number;
  /** The node's --max-pods; enough by default for every CronJob's pod to run at once. */
  maxPods: number;
  /** Concurrent keep-alive connections creating the CronJobs. */
  concurrency: number;
  /** Write batchd's CPU profile under this directory. */
  cpuProf?: string;
}

/** The target: 99 % of Jobs within 2 s of their scheduled time. */
export const CRONJOB_P99_TARGET_S = 2;

export const cronJobDefaults: CronJobBenchOptions = {
  cronJobs: 5000,
  minutes: 2,
  historyLimit: 1,
  runSeconds: 1,
  maxPods: 10_000,
  concurrency: 20,
};

/** What batchd spent in one scheduled minute, [scheduled time, +60 s). */
export interface MinuteUsage {
  /** User + system CPU seconds of the batchd process. */
  cpuSeconds: number;
  /** Average cores busy with anything outside the benchmark (other sessions on the machine). */
  otherCores: number;
  /** CPU seconds the benchmark's own watcher took (it shares the machine with batchd). */
  watcherCpuSeconds: number;
  rssMaxMiB: number;
  rssEndMiB: number;
  /** Store revisions written in the minute (every resource: Jobs, pods, events, CronJob status). */
  writes: number;
  /** The store's revision at the start and the end of the minute. */
  revisions: [number, number];
  /** batchd's cumulative CPU seconds at each second of the minute (index 0: the scheduled time). */
  cpuBySecond: number[];
}

export interface CronJobMinute extends MinuteSkew {
  usage: MinuteUsage;
  /** Jobs deleted in the minute: history pruning at work. */
  jobsDeleted: number;
  /** The minute's writes by resource and verb, from the store's log. */
  writesByResource: Record<string, WriteCounts>;
  /**
   * From the scheduled time to the last of its Jobs (whole seconds), and the cores batchd used
   * meanwhile: near 1 it was busy on its one thread, well below 1 it was waiting for a CPU.
   */
  burst: { seconds: number; batchdCores: number };
}

export interface CronJobBenchResult {
  options: CronJobBenchOptions;
  /** Seconds to create the CronJobs, and their rate. */
  createSeconds: number;
  createErrors: number;
  minutes: CronJobMinute[];
  /** Every measured minute pooled. */
  total: MinuteSkew;
  /** batchd's RSS when the CronJobs were all created, before the first scheduled minute. */
  rssIdleMiB: number;
}

const MINUTE_MS = 60_000;
const NAMESPACE_PATH = '/apis/batch/v1/namespaces/default';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** One request on a keep-alive agent; resolves with the status code and body once read. */
function call(
  target: Target,
  agent: Agent,
  method: string,
  path: string,
  body?: string,
): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.url}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${target.token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
    req.end(body);
  });
}

/** A CronJob every minute whose Job runs one simulated pod for `runSeconds`. */
export function cronJobManifest(name: string, opts: CronJobBenchOptions): string {
  const labels = { app: 'cronbench' };
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, labels },
    spec: {
      schedule: '* * * * *',
      successfulJobsHistoryLimit: opts.historyLimit,
      failedJobsHistoryLimit: opts.historyLimit,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels, annotations: { 'sim.batchd.io/run-seconds': String(opts.runSeconds) } },
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'tick', image: 'busybox:1.36', command: ['sh', '-c', 'date'] }],
            },
          },
        },
      },
    },
  });
}

async function createCronJobs(
  target: Target,
  agent: Agent,
  opts: CronJobBenchOptions,
): Promise<{ seconds: number; errors: number; firstError?: string }> {
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < opts.cronJobs; i = next++) {
      const res = await call(
        target,
        agent,
        'POST',
        `${NAMESPACE_PATH}/cronjobs`,
        cronJobManifest(`cj-${i}`, opts),
      );
      if (res.code !== 201) {
        errors++;
        firstError ??= `${res.code} ${res.text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { seconds: (performance.now() - t0) / 1000, errors, ...(firstError ? { firstError } : {}) };
}

interface JobWatch {
  arrivals: JobArrival[];
  /** Wall-clock times of DELETED events. */
  deletions: number[];
  /** Set once the stream ended or failed: the run's numbers are incomplete. */
  failure: () => string | undefined;
  close(): void;
}

/** Watches the namespace's Jobs from `rv` on its own connection, timestamping each ADDED event. */
function watchJobs(target: Target, rv: string): Promise<JobWatch> {
  const arrivals: JobArrival[] = [];
  const deletions: number[] = [];
  let failure: string | undefined;
  let closing = false;
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.url}${NAMESPACE_PATH}/jobs?watch=true&resourceVersion=${rv}`,
      {
        agent: false,
        ca: target.ca,
        headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch jobs: HTTP ${res.statusCode}`));
          return;
        }
        const lines = new LineSplitter();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = Date.now();
          for (const line of lines.push(chunk)) {
            const event = readWatchLine(line, now);
            if (event.kind === 'added') arrivals.push(event.arrival);
            else if (event.kind === 'deleted') deletions.push(now);
            else if (event.kind === 'error') failure ??= `watch ERROR event: ${event.message}`;
          }
        });
        res.on('end', () => {
          if (!closing) failure ??= 'the watch ended early';
        });
        res.on('error', (err) => {
          if (!closing) failure ??= `watch: ${err.message}`;
        });
        resolve({
          arrivals,
          deletions,
          failure: () => failure,
          close: () => {
            closing = true;
            req.destroy();
          },
        });
      },
    );
    req.on('error', (err) => {
      if (!closing) failure ??= `watch: ${err.message}`;
      reject(err);
    });
    req.end();
  });
}

/** Resident set size of a process in MiB (VmRSS); NaN once it is gone. */
function rssMiB(pid: number): number {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** CPU, RSS and writes over one minute from `startMs` (wall clock), RSS sampled every second. */
async function meterMinute(
  pid: number,
  startMs: number,
  revision: () => Promise<number>,
): Promise<MinuteUsage> {
  await sleep(startMs - Date.now());
  const done = meterCpu({ batchd: pid });
  const cpu0 = processCpuSeconds(pid);
  const cpuBySecond = [0];
  const rev0 = await revision();
  let rssMax = rssMiB(pid);
  for (let t = startMs + 1000; t <= startMs + MINUTE_MS; t += 1000) {
    await sleep(t - Date.now());
    cpuBySecond.push(processCpuSeconds(pid) - cpu0);
    rssMax = Math.max(rssMax, rssMiB(pid));
  }
  const usage = done();
  const rev1 = await revision();
  return {
    writes: rev1 - rev0,
    revisions: [rev0, rev1],
    cpuBySecond,
    cpuSeconds: usage.byLabel.batchd ?? Number.NaN,
    otherCores: usage.otherCores,
    watcherCpuSeconds: usage.byLabel.orchestrator ?? Number.NaN,
    rssMaxMiB: rssMax,
    rssEndMiB: rssMiB(pid),
  };
}

async function collectionResourceVersion(target: Target, agent: Agent): Promise<string> {
  const res = await call(target, agent, 'GET', `${NAMESPACE_PATH}/jobs?limit=1`);
  const rv = res.code === 200 ? (JSON.parse(res.text) as { metadata?: { resourceVersion?: string } }) : {};
  if (!rv.metadata?.resourceVersion) throw new Error(`list jobs: ${res.code} ${res.text.slice(0, 200)}`);
  return rv.metadata.resourceVersion;
}

/** Seconds left in the current minute below which the creates wait for the next one. */
const CREATE_MARGIN_MS = 30_000;

export async function runCronJobBench(opts: CronJobBenchOptions): Promise<CronJobBenchResult> {
  const server = await startBatchd({
    args: ['--runtime', 'simulated', '--max-pods', String(opts.maxPods)],
    ...profileFlags(opts.cpuProf, 'batchd'),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency, ca: server.target.ca });
  const pid = server.child.pid ?? 0;
  let watch: JobWatch | undefined;
  try {
    watch = await watchJobs(server.target, await collectionResourceVersion(server.target, agent));
    // Creating right before a minute boundary would make that minute fire for part of the CronJobs
    // while the rest are still being created; start just after a boundary instead.
    const untilBoundary = MINUTE_MS - (Date.now() % MINUTE_MS);
    if (untilBoundary < CREATE_MARGIN_MS) await sleep(untilBoundary + 200);
    const created = await createCronJobs(server.target, agent, opts);
    if (created.errors > 0)
      throw new Error(`${created.errors} CronJob creates failed; the first: ${created.firstError}`);
    const minutes = minutesAfter(Date.now(), opts.minutes);
    const rssIdleMiB = rssMiB(pid);
    console.error(
      `bench: ${int(opts.cronJobs)} CronJobs created in ${fixed(created.seconds, 1)} s; measuring ${minutes
        .map((m) => new Date(m).toISOString().slice(11, 16))
        .join(', ')} UTC`,
    );
    const usages: MinuteUsage[] = [];
    for (const m of minutes) {
      const revision = async () => Number(await collectionResourceVersion(server.target, agent));
      usages.push(await meterMinute(pid, m, revision));
      const got = skewByMinute(watch.arrivals, [m], opts.cronJobs)[0];
      console.error(
        `bench: ${new Date(m).toISOString().slice(11, 16)}: ${int(got?.created ?? 0)} Jobs, p99 skew ${fixed(got?.seen.p99 ?? Number.NaN, 2)} s`,
      );
    }
    const failure = watch.failure();
    if (failure) throw new Error(failure);
    const skews = skewByMinute(watch.arrivals, minutes, opts.cronJobs);
    const deletions = watch.deletions;
    return {
      options: opts,
      createSeconds: created.seconds,
      createErrors: created.errors,
      rssIdleMiB,
      total: pooledSkew(watch.arrivals, minutes, opts.cronJobs),
      minutes: skews.map((s, i) => {
        const usage = usages[i] as MinuteUsage;
        return {
          ...s,
          usage,
          jobsDeleted: deletions.filter((t) => t >= s.scheduledMs && t < s.scheduledMs + MINUTE_MS).length,
          writesByResource: writesByResource(join(server.dataDir, 'state.db'), ...usage.revisions),
          burst: burstOf(s, usage),
        };
      }),
    };
  } finally {
    watch?.close();
    agent.destroy();
    // With a backlog of syncs and events, and a profile of minutes to write, batchd needs longer
    // than the usual 5 s to exit; killed sooner, it writes no profile.
    await stop(server.child, opts.cpuProf ? 180_000 : 5000);
  }
}

/** The seconds the minute's Jobs took to appear, and batchd's average cores over them. */
function burstOf(s: MinuteSkew, u: MinuteUsage): CronJobMinute['burst'] {
  const seconds = Math.min(u.cpuBySecond.length - 1, Math.max(1, Math.ceil(s.seen.max)));
  if (!Number.isFinite(seconds)) return { seconds: Number.NaN, batchdCores: Number.NaN };
  return { seconds, batchdCores: (u.cpuBySecond[seconds] ?? Number.NaN) / seconds };
}

const hhmm = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 16) : '');

/** One row per scheduled minute, and the pooled skew. */
export function cronJobsTable(r: CronJobBenchResult): string {
  const row = (
    label: string,
    s: MinuteSkew,
    u?: MinuteUsage,
    deleted?: number,
    burst?: CronJobMinute['burst'],
  ): string[] => [
    label,
    `${int(s.created)} / ${int(s.expected)}`,
    `${fixed(s.seen.p50, 2)} / ${fixed(s.seen.p99, 2)} / ${fixed(s.seen.max, 2)}`,
    `${fixed(s.stamped.p50, 0)} / ${fixed(s.stamped.p99, 0)} / ${fixed(s.stamped.max, 0)}`,
    u ? fixed(u.cpuSeconds, 1) : '',
    burst ? `${burst.seconds} s at ${fixed(burst.batchdCores, 2)}` : '',
    u ? int(u.writes) : '',
    u ? `${int(u.rssMaxMiB)} / ${int(u.rssEndMiB)}` : '',
    deleted === undefined ? '' : int(deleted),
    u ? fixed(u.otherCores, 2) : '',
  ];
  return markdownTable(
    [
      'scheduled (UTC)',
      'Jobs created / expected',
      'skew seen p50 / p99 / max s',
      'creationTimestamp skew p50 / p99 / max s',
      'batchd CPU s',
      'until the last Job: s at batchd cores',
      'API writes',
      'RSS max / end MiB',
      'Jobs pruned',
      'other load (cores)',
    ],
    [
      ...r.minutes.map((m) => row(hhmm(m.scheduledMs), m, m.usage, m.jobsDeleted, m.burst)),
      row('**all minutes**', r.total),
    ],
  );
}

/** Writes per CronJob and scheduled minute, by resource and verb (create / update / delete). */
export function cronJobsWritesTable(r: CronJobBenchResult): string {
  const resources = [...new Set(r.minutes.flatMap((m) => Object.keys(m.writesByResource)))].sort();
  const per = (n: number) => fixed(n / r.options.cronJobs, 2);
  const cell = (c: WriteCounts | undefined) =>
    c ? `${per(c.create)} / ${per(c.update)} / ${per(c.delete)}` : '';
  const sum = (m: CronJobMinute) =>
    Object.values(m.writesByResource).reduce((n, c) => n + c.create + c.update + c.delete, 0);
  return markdownTable(
    ['resource', ...r.minutes.map((m) => `${hhmm(m.scheduledMs)} create / update / delete`)],
    [
      ...resources.map((res) => [res, ...r.minutes.map((m) => cell(m.writesByResource[res]))]),
      ['**all writes**', ...r.minutes.map((m) => per(sum(m)))],
    ],
  );
}

/** The line for RESULTS.md's summary table (benchmark, batchd, floor, ratio, target, result). */
export function cronJobsSummaryRow(r: CronJobBenchResult): string[] {
  const met = r.total.seen.p99 < CRONJOB_P99_TARGET_S && r.total.created === r.total.expected;
  return [
    `CronJobs, ${int(r.options.cronJobs)} × \`* * * * *\`, simulated runtime, ${r.options.minutes} min (p99 schedule skew s; Jobs created / expected)`,
    `${fixed(r.total.seen.p99, 2)}; ${int(r.total.created)} / ${int(r.total.expected)}`,
    '',
    '',
    `p99 < ${CRONJOB_P99_TARGET_S} s, all created`,
    met ? 'met' : '**not met**',
  ];
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      cronjobs: { type: 'string' },
      minutes: { type: 'string' },
      history: { type: 'string' },
      'run-seconds': { type: 'string' },
      'max-pods': { type: 'string' },
      concurrency: { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const d = cronJobDefaults;
  const opts: CronJobBenchOptions = {
    cronJobs: Number(values.cronjobs ?? d.cronJobs),
    minutes: Number(values.minutes ?? d.minutes),
    historyLimit: Number(values.history ?? d.historyLimit),
    runSeconds: Number(values['run-seconds'] ?? d.runSeconds),
    maxPods: Number(values['max-pods'] ?? Math.max(d.maxPods, 2 * Number(values.cronjobs ?? d.cronJobs))),
    concurrency: Number(values.concurrency ?? d.concurrency),
    ...(values['cpu-prof'] ? { cpuProf: values['cpu-prof'] } : {}),
  };
  try {
    const result = await runCronJobBench(opts);
    console.log(
      values.json
        ? JSON.stringify(result, null, 2)
        : `${cronJobsTable(result)}\n\nWrites per CronJob per minute:\n\n${cronJobsWritesTable(result)}`,
    );
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
