/**
 * `npm run bench`: builds batchd, runs every benchmark (API create and watch, spawn, Jobs end to
 * end, CronJob schedule skew, and the peers etcd and Slurm when installed), prints a table and
 * rewrites bench/RESULTS.md with the machine, the date, the command and the results.
 *
 *   node --import tsx bench/run.ts [--skip-build] [--n 20000] [--warmup N]
 *                                  [--watchers 100] [--events 2000] [--rate 200]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCreate, type CreateResult, createDefaults, createTable } from './create.js';
import {
  type CronJobBenchResult,
  cronJobDefaults,
  cronJobsSummaryRow,
  cronJobsTable,
  cronJobsWritesTable,
  runCronJobBench,
} from './cronjobs.js';
import { type EtcdResult, etcdDefaults, etcdTable, runEtcd } from './etcd.js';
import { benchJobs, type JobsResult, jobsTable } from './jobs.js';
import { type BatchdFigures, peerSummaryRows, peersTable } from './lib/peersSummary.js';
import { BENCH_DIR, cleanupAll, ROOT } from './lib/processes.js';
import { fixed, int, markdownTable, percent } from './lib/report.js';
import { runSlurm, type SlurmResult, slurmDefaults, slurmTable } from './slurm.js';
import { benchSpawn, type SpawnResult, spawnDefaults, spawnTable } from './spawn.js';
import { benchWatch, type WatchResult, watchComplete, watchDefaults, watchTable } from './watch.js';

const CREATE_TARGET = 0.5;
const WATCH_P99_TARGET_MS = 50;
const SPAWN_TARGET = 0.5;
const JOB_PROCESS_TARGET_S = 10;
const JOB_SIMULATED_TARGET_S = 30;

/** The node-agent and Job benchmarks, run after the API ones. */
interface Workloads {
  spawn: SpawnResult;
  processJob: JobsResult;
  simulatedJob: JobsResult;
  cronJobs: CronJobBenchResult;
  etcd: EtcdResult;
  slurm: SlurmResult;
}

function batchdFigures(c: CreateResult, k: Workloads): BatchdFigures {
  return {
    createsPerSecond: c.batchd.median.perSecond,
    floorCreatesPerSecond: c.floor.median.perSecond,
    jobSeconds: k.processJob.batchdSeconds,
    jobCompletions: k.processJob.options.completions,
    jobParallelism: k.processJob.options.parallelism,
  };
}
/** Above this average of foreign CPU use during a run, RESULTS.md flags the run as noisy. */
const NOISY_CORES = 0.25;

interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  batchd: string;
}

function describeMachine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const osRelease = (() => {
    try {
      return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]+)"?$/m)?.[1];
    } catch {
      return undefined;
    }
  })();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'src', 'bin', 'package.json']) !== '';
  return {
    cpu: model,
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    os: `${osRelease ?? 'Linux'}, kernel ${release()}`,
    batchd: `${pkg.version}${commit ? ` at ${commit}` : ''}${dirty ? ' with uncommitted changes in src/' : ''}`,
  };
}

function command(): string {
  const args = process.argv.slice(2).join(' ');
  const direct = `node --import tsx bench/run.ts${args ? ` ${args}` : ''}`;
  return process.env.npm_lifecycle_event === 'bench' ? `npm run bench${args ? ` -- ${args}` : ''}` : direct;
}

function summaryTable(c: CreateResult, w: WatchResult, k: Workloads): string {
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  return markdownTable(
    ['benchmark', 'batchd', 'floor', 'batchd / floor', 'target', 'result'],
    [
      [
        `create, ${int(c.options.n)} × 1 KB Jobs, ${c.options.concurrency} clients (median creates/s)`,
        int(c.batchd.median.perSecond),
        int(c.floor.median.perSecond),
        `**${percent(c.ratio)}**`,
        `≥ ${percent(CREATE_TARGET)} of floor`,
        met(c.ratio >= CREATE_TARGET),
      ],
      [
        'create, server CPU per create (µs, median run)',
        int(c.batchd.median.serverCpuUs),
        int(c.floor.median.serverCpuUs),
        `${fixed(c.batchd.median.serverCpuUs / c.floor.median.serverCpuUs, 2)}×`,
        '',
        '',
      ],
      [
        `watch, ${w.options.watchers} watchers × ${int(w.options.events)} creates at ${w.options.rate}/s (p99 delivery ms)`,
        fixed(w.batchd.fromSend.p99, 1),
        fixed(w.floor.fromSend.p99, 1),
        `**${fixed(w.p99Ratio, 2)}×**`,
        `p99 < ${WATCH_P99_TARGET_MS} ms`,
        met(w.batchd.fromSend.p99 < WATCH_P99_TARGET_MS),
      ],
      [
        'watch, every watcher got every event exactly once',
        `${int(w.batchd.expected - w.batchd.missing)} / ${int(w.batchd.expected)}`,
        `${int(w.floor.expected - w.floor.missing)} / ${int(w.floor.expected)}`,
        '',
        'all',
        met(watchComplete(w)),
      ],
      [
        `spawn, ${int(k.spawn.options.n)} × /bin/true, ${k.spawn.options.concurrency} at a time (containers/s; floor: xargs -P)`,
        int(medianRate(k.spawn.runtime)),
        int(medianRate(k.spawn.xargs)),
        `**${percent(k.spawn.ratio)}**`,
        `≥ ${percent(SPAWN_TARGET)} of xargs`,
        met(k.spawn.ratio >= SPAWN_TARGET),
      ],
      [
        `Indexed Job, ${int(k.processJob.options.completions)} × /bin/true, parallelism ${k.processJob.options.parallelism}, processes (s; floor: xargs -P)`,
        fixed(k.processJob.batchdSeconds, 1),
        fixed(k.processJob.xargsSeconds ?? Number.NaN, 1),
        `${fixed(k.processJob.batchdSeconds / (k.processJob.xargsSeconds ?? Number.NaN), 1)}×`,
        `< ${JOB_PROCESS_TARGET_S} s`,
        met(k.processJob.batchdSeconds < JOB_PROCESS_TARGET_S),
      ],
      [
        `Indexed Job, ${int(k.simulatedJob.options.completions)} completions, parallelism ${k.simulatedJob.options.parallelism}, simulated runtime (s)`,
        fixed(k.simulatedJob.batchdSeconds, 1),
        '',
        '',
        `< ${JOB_SIMULATED_TARGET_S} s`,
        met(k.simulatedJob.batchdSeconds < JOB_SIMULATED_TARGET_S),
      ],
      cronJobsSummaryRow(k.cronJobs),
      ...peerSummaryRows(k.etcd, k.slurm, batchdFigures(c, k)),
    ],
  );
}

const medianRate = (runs: ReadonlyArray<{ perSecond: number }>): number => {
  const sorted = runs.map((r) => r.perSecond).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** A warning when processes outside the benchmark took a noticeable share of the machine. */
function noiseNote(c: CreateResult, w: WatchResult): string {
  const other = [
    ...c.batchd.runs.map((r) => r.otherCores),
    ...c.floor.runs.map((r) => r.otherCores),
    ...w.batchd.otherCores,
    ...w.floor.otherCores,
  ];
  const worst = Math.max(...other);
  if (!(worst > NOISY_CORES)) return '';
  return `
> **Noisy run:** processes outside the benchmark kept up to ${fixed(worst, 2)} of the ${cpus().length} cores
> busy during some measured runs (the "other load" columns). Throughput and latency of those runs are
> pessimistic and the batchd/floor ratios are skewed toward whichever server ran in the quieter
> moments; the server-CPU-per-create columns are the steadier comparison.
`;
}

function resultsMarkdown(
  m: Machine,
  started: Date,
  seconds: number,
  c: CreateResult,
  w: WatchResult,
  k: Workloads,
): string {
  const load = loadavg();
  return `# Benchmark results

Rewritten by \`npm run bench\` (bench/run.ts); edit the generator, not this file.

- **Date:** ${started.toISOString()} (took ${Math.round(seconds)} s)
- **Command:** \`${command()}\`
- **Machine:** ${m.cpu}, ${m.cores} cores, ${fixed(m.memoryGiB, 1)} GiB RAM; ${m.os}; Node ${m.node}
- **batchd:** ${m.batchd} (the built binary, \`node bin/batchd.js serve\`, fresh temp data dir)
- **Load average at the end:** ${load.map((x) => fixed(x, 2)).join(' / ')} (1 / 5 / 15 min)

## Summary

${summaryTable(c, w, k)}
${noiseNote(c, w)}
## Create throughput

${int(c.options.n)} POSTs of a 1,024-byte Job manifest (bench/lib/target.ts: labels, a pod template
with env and resources, \`suspend: true\`, padded with one annotation) to
\`/apis/batch/v1/namespaces/default/jobs\`, ${c.options.concurrency} concurrent keep-alive HTTPS
connections (node:https Agent, maxSockets ${c.options.concurrency}, certificates verified against the
server's CA, bearer token). One warm-up run of ${int(c.options.warmup)} per server, then
${c.options.runs} measured runs per server, interleaved (batchd, floor, floor, batchd, …). The median
run by creates/s is shown with its latency (send → end of the 201 response).

${createTable(c)}

## Watch fan-out

${w.options.watchers} watchers on \`/apis/batch/v1/namespaces/default/jobs?watch=true&resourceVersion=N\`
(N = the collection's resourceVersion just before the run), each on its own TLS connection; then one
writer creates ${int(w.options.events)} Jobs open-loop at ${w.options.rate}/s (create *i* is sent at
t0 + *i*/rate whatever the server does). Warm-up run of ${w.options.warmupEvents} events per server,
then ${w.options.runs} measured runs per server, interleaved; latencies are pooled over every delivery
of the measured runs (${int(w.batchd.expected)} per server).

**Delivery latency = receive time − the time the writer sent that create.** Not the 201: both
servers write the event to watchers inside the commit, before answering the create, so "receive −
201" (shown for reference) leaves out the create's own processing, is negative for part of the
deliveries (5–15 % in trial runs, down to −30 ms) and mostly measures the order in which the client
reads its 101 sockets. The send time covers the whole path an event takes — request parsing, validation, commit, fan-out, TLS, the
watcher's socket — and is what a controller waiting to see its own write experiences. Writer and
watchers live in one client process, so both timestamps come from one monotonic clock.

${watchTable(w)}

## Spawn throughput (node agent's process runtime)

${int(k.spawn.options.n)} × \`/bin/true\`, ${k.spawn.options.concurrency} in flight, each through
ProcessRuntime (state dir, spec.json, per-attempt log file, the fork by the native launcher, the pid
and exit records), counted when its exit is reported; against \`xargs -P${k.spawn.options.concurrency} -n1 /bin/true\`
in the same invocation, runs interleaved. The event-loop delay is sampled while the runtime spawns:
what the API server feels meanwhile.

${spawnTable(k.spawn)}

## A Job end to end

One Indexed Job from the create to its Complete condition, with the Job controller, the node agent
and storage together (bench/jobs.ts; the API polled every 50 ms): on the process runtime against
\`xargs -P\` running the same number of \`/bin/true\` in the same run, and on the simulated runtime
(no processes: the controller, agent and API alone). Reference: tuned Slurm runs the 1,000-task array
in 21 s on this machine kind (reference/performance.md).

${jobsTable([k.processJob, k.simulatedJob])}

## CronJob schedule skew

${int(k.cronJobs.options.cronJobs)} CronJobs on \`* * * * *\` (bench/cronjobs.ts), created through the API, on the
simulated runtime: each Job runs one pod for ${k.cronJobs.options.runSeconds} s, and successful and failed
history limits are ${k.cronJobs.options.historyLimit}, so pruning and the garbage collector run from the second minute. For
each of the ${k.cronJobs.options.minutes} scheduled minutes after the last create: **skew seen** = the time a Job
watch received the ADDED event − the Job's \`batch.kubernetes.io/cronjob-scheduled-timestamp\`
(ms); creationTimestamp skew (whole seconds) as a cross-check; Jobs created of those expected (a
controller more than a minute behind skips the missed minutes, as upstream does); batchd's CPU,
RSS and store writes in the minute; "until the last Job" = seconds to the minute's last Job and the
cores batchd used meanwhile.

${cronJobsTable(k.cronJobs)}

Writes per CronJob per scheduled minute (create / update / delete), from the store's log:

${cronJobsWritesTable(k.cronJobs)}

## Peers (reference/performance.md B1, B3)

etcd 3.4 (Debian's etcd-server) is the storage a cluster would use: a single member on 127.0.0.1 with a
temp data dir, 1 KB puts through its JSON gateway, next to batchd's whole create path. Slurm
(Debian's slurm-wlm, tuned as B1b, in a loopback-only network namespace) runs the same 1,000 ×
\`/bin/true\` array, 50 at a time, as the process Job above. A peer that is not installed (or Slurm
without root) is shown as such: \`apt-get install -y etcd-server slurm-wlm munge\` adds them.

${peersTable(k.etcd, k.slurm, batchdFigures(c, k))}

${etcdTable(k.etcd)}

${slurmTable(k.slurm)}

## Setup

- **Floor** (bench/floor.ts): node:https + better-sqlite3 (WAL, \`synchronous=NORMAL\`, one transaction
  per row) — parse the JSON, assign a revision, insert one row, answer 201 with the object (the B6
  recipe of reference/performance.md, over TLS), plus a bearer-token check and, for the watch
  benchmark, a minimal fan-out: each watch is a chunked response, and each insert is written to all of
  them. Its certificate comes from batchd's own \`ensureCredentials\` (ECDSA P-256, same as batchd).
- **Processes and placement:** each server is its own Node process; all load (the ${c.options.concurrency}
  create clients, the ${w.options.watchers} watchers and the writer) comes from one separate client
  process (bench/client.ts); the orchestrator is idle while a run is measured. Nothing is pinned:
  servers and client share the ${m.cores} vCPUs and the kernel places them, as in B6 of
  reference/performance.md. Both servers stay up during a benchmark; the one not under test is idle.
  Everything listens on 127.0.0.1 only and every process is stopped by process group at the end.
- **CPU columns** come from /proc: "server CPU µs/create" is the server process's user+system time
  (all threads) divided by the creates of the run (median run) — steadier than throughput on a shared
  machine; "other load" is the average number of cores busy with processes outside the benchmark
  (other sessions on this machine, kernel threads) during each run. Runs with other load well above
  0.1 cores are noisy; compare the CPU columns then.
- Numbers are for this box only and swing ±10–20 % run to run (reference/performance.md, Caveats).
- **Profiling:** \`node --import tsx bench/create.ts --cpu-prof DIR\` (or \`bench/watch.ts\`,
  \`bench/jobs.ts\`, \`bench/cronjobs.ts\`) runs the servers with \`--cpu-prof\`; \`node --import tsx bench/profile.ts DIR/batchd/*.cpuprofile\` prints the
  top frames and lines, mapped back to src/ through the build's source maps.
`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'skip-build': { type: 'boolean', default: false },
      n: { type: 'string' },
      warmup: { type: 'string' },
      watchers: { type: 'string' },
      events: { type: 'string' },
      rate: { type: 'string' },
    },
  });
  const started = new Date();
  const t0 = performance.now();
  if (!values['skip-build']) {
    console.error('bench: building batchd (npm run build)');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const cd = createDefaults();
  const n = values.n ? Number(values.n) : cd.n;
  const create = await benchCreate({
    ...cd,
    n,
    warmup: values.warmup ? Number(values.warmup) : n,
  });
  const wd = watchDefaults();
  const watch = await benchWatch({
    ...wd,
    ...(values.watchers ? { watchers: Number(values.watchers) } : {}),
    ...(values.events ? { events: Number(values.events) } : {}),
    ...(values.rate ? { rate: Number(values.rate) } : {}),
  });
  console.error('bench: spawn throughput');
  const spawn = await benchSpawn(spawnDefaults());
  console.error('bench: a 1,000-completion Job on processes');
  const processJob = await benchJobs({ completions: 1000, parallelism: 50, runtime: 'process' });
  console.error('bench: a 10,000-completion Job on the simulated runtime');
  const simulatedJob = await benchJobs({ completions: 10_000, parallelism: 50, runtime: 'simulated' });
  console.error('bench: 5,000 CronJobs every minute on the simulated runtime');
  const cronJobs = await runCronJobBench(cronJobDefaults);
  console.error('bench: etcd puts (the storage alternative)');
  const etcd = await runEtcd(etcdDefaults());
  console.error('bench: a Slurm array (the peer scheduler)');
  const slurm = await runSlurm(slurmDefaults());
  const work: Workloads = { spawn, processJob, simulatedJob, cronJobs, etcd, slurm };
  const seconds = (performance.now() - t0) / 1000;
  const machine = describeMachine();
  console.log(`\n${summaryTable(create, watch, work)}\n\n${createTable(create)}\n\n${watchTable(watch)}\n`);
  writeFileSync(
    join(BENCH_DIR, 'RESULTS.md'),
    resultsMarkdown(machine, started, seconds, create, watch, work),
  );
  console.log(`bench: wrote bench/RESULTS.md (${Math.round(seconds)} s)`);
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
