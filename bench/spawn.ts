/**
 * Spawn throughput of the process runtime: N `/bin/true` containers, 50 in flight, each started
 * through ProcessRuntime (state dir, spec.json, log file, the launcher's fork, the pid and exit records) and counted
 * when its exit is reported; against `xargs -P50 -n1 /bin/true` in the same invocation (a floor:
 * one fork and exec per item from a tiny process). Runs are interleaved (xargs, runtime, runtime,
 * xargs, …) so drift on the shared machine falls on both. While the runtime spawns, the event
 * loop's delay is sampled (perf_hooks.monitorEventLoopDelay): what the API server would feel.
 *
 *   node --import tsx bench/spawn.ts [--n 1000] [--concurrency 50] [--runs 3]
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ProcessRuntime } from '../src/node/runtime/process.js';
import type { ContainerRecord } from '../src/node/runtime/types.js';
import { realClock } from '../src/util/clock.js';
import { cleanupAll, tempDir } from './lib/processes.js';
import { fixed, int, isMain, markdownTable, percent } from './lib/report.js';
import { medianBy } from './lib/stats.js';

export interface SpawnOptions {
  n: number;
  concurrency: number;
  runs: number;
}

export interface SpawnRun {
  perSecond: number;
  /** Event-loop delay while spawning, ms (runtime runs only). */
  lagP50?: number;
  lagP99?: number;
  lagMax?: number;
  /** batchd-side CPU (user+system of this process) per container, µs (runtime runs only). */
  cpuUs?: number;
}

export interface SpawnResult {
  options: SpawnOptions;
  xargs: SpawnRun[];
  runtime: SpawnRun[];
  ratio: number;
}

export const spawnDefaults = (): SpawnOptions => ({
  n: Number(process.env.BENCH_SPAWN_N ?? 1000),
  concurrency: 50,
  runs: 3,
});

function runXargs(n: number, concurrency: number): Promise<SpawnRun> {
  const input = `${Array.from({ length: n }, (_, i) => i).join('\n')}\n`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = execFile('xargs', [`-P${concurrency}`, '-n1', '/bin/true'], (err) => {
      if (err) reject(err);
      else resolve({ perSecond: n / ((performance.now() - t0) / 1000) });
    });
    child.stdin?.end(input);
  });
}

async function runRuntime(n: number, concurrency: number, tag: string): Promise<SpawnRun> {
  const rt = new ProcessRuntime(tempDir(`spawn-${tag}`), realClock, pino({ level: 'silent' }));
  const waiting = new Map<string, (r: ContainerRecord) => void>();
  let reported = 0;
  rt.onExit((r) => {
    reported++;
    waiting.get(r.spec.id)?.(r);
    waiting.delete(r.spec.id);
  });
  const lag = monitorEventLoopDelay({ resolution: 5 });
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const attempt = next++;
      const id = `bench/true/${attempt}`;
      const exited = new Promise<ContainerRecord>((resolve) => waiting.set(id, resolve));
      const state = await rt.start({
        id,
        podUid: 'bench',
        namespace: 'default',
        podName: 'spawn',
        containerName: 'true',
        attempt,
        image: 'busybox',
        argv: ['/bin/true'],
        env: {},
      });
      const record = state.state === 'exited' ? { state } : await exited;
      if (record.state.state !== 'exited' || record.state.exitCode !== 0)
        throw new Error(`${id}: ${JSON.stringify(record.state)}`);
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  lag.enable();
  await Promise.all(Array.from({ length: concurrency }, worker));
  lag.disable();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await rt.close();
  if (reported !== n) throw new Error(`runtime reported ${reported} exits for ${n} containers`);
  return {
    perSecond: n / seconds,
    lagP50: lag.percentile(50) / 1e6,
    lagP99: lag.percentile(99) / 1e6,
    lagMax: lag.max / 1e6,
    cpuUs: (cpu.user + cpu.system) / n,
  };
}

export async function benchSpawn(opts: SpawnOptions, log = console.error): Promise<SpawnResult> {
  const xargs: SpawnRun[] = [];
  const runtime: SpawnRun[] = [];
  // A short warm-up of both: page cache, the launcher binary, the JIT.
  await runXargs(Math.min(100, opts.n), opts.concurrency);
  await runRuntime(Math.min(100, opts.n), opts.concurrency, 'warm');
  for (let r = 1; r <= opts.runs; r++) {
    const order = r % 2 === 1 ? (['xargs', 'runtime'] as const) : (['runtime', 'xargs'] as const);
    for (const which of order) {
      if (which === 'xargs') {
        const run = await runXargs(opts.n, opts.concurrency);
        xargs.push(run);
        log(`spawn xargs   run${r} ${int(run.perSecond).padStart(6)}/s`);
      } else {
        const run = await runRuntime(opts.n, opts.concurrency, `run${r}`);
        runtime.push(run);
        log(
          `spawn runtime run${r} ${int(run.perSecond).padStart(6)}/s  loop delay p99 ${fixed(run.lagP99 ?? Number.NaN, 1)} ms` +
            `  ${int(run.cpuUs ?? Number.NaN)} µs CPU/container`,
        );
      }
    }
  }
  const ratio =
    medianBy(runtime, (x) => x.perSecond).perSecond / medianBy(xargs, (x) => x.perSecond).perSecond;
  return { options: opts, xargs, runtime, ratio };
}

export function spawnTable(res: SpawnResult): string {
  const x = medianBy(res.xargs, (r) => r.perSecond);
  const rt = medianBy(res.runtime, (r) => r.perSecond);
  const runs = (list: SpawnRun[]) => list.map((r) => int(r.perSecond)).join(' / ');
  return markdownTable(
    [
      'method',
      'containers/s per run',
      'median /s',
      'event-loop delay p50 / p99 / max ms',
      'batchd CPU µs/container',
    ],
    [
      [
        `xargs -P${res.options.concurrency} -n1 /bin/true`,
        runs(res.xargs),
        `**${int(x.perSecond)}**`,
        '',
        '',
      ],
      [
        'ProcessRuntime (launcher + log + records)',
        runs(res.runtime),
        `**${int(rt.perSecond)}**`,
        `${fixed(rt.lagP50 ?? Number.NaN, 1)} / ${fixed(rt.lagP99 ?? Number.NaN, 1)} / ${fixed(rt.lagMax ?? Number.NaN, 1)}`,
        int(rt.cpuUs ?? Number.NaN),
      ],
      ['**runtime / xargs**', '', `**${percent(res.ratio)}**`, '', ''],
    ],
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { n: { type: 'string' }, concurrency: { type: 'string' }, runs: { type: 'string' } },
  });
  const d = spawnDefaults();
  const opts: SpawnOptions = {
    n: values.n ? Number(values.n) : d.n,
    concurrency: values.concurrency ? Number(values.concurrency) : d.concurrency,
    runs: values.runs ? Number(values.runs) : d.runs,
  };
  try {
    const res = await benchSpawn(opts);
    console.log(
      `\nSpawn throughput: ${int(opts.n)} × /bin/true, ${opts.concurrency} at a time, ${cpus().length} cores\n`,
    );
    console.log(spawnTable(res));
    console.log(`\ntarget: runtime ≥ 50 % of xargs: ${res.ratio >= 0.5 ? 'met' : 'NOT met'}`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
