/**
 * Create throughput: 1 KB Jobs POSTed by 50 keep-alive HTTPS clients, against batchd (the built
 * binary) and against the bare floor (bench/floor.ts), in one invocation. Each server gets a
 * warm-up run, then three measured runs, interleaved (batchd, floor, floor, batchd, …) so drift
 * on the shared machine falls on both. Reports the median run's creates/s and latency.
 *
 *   node --import tsx bench/create.ts [--n 20000] [--concurrency 50] [--warmup n] [--cpu-prof DIR]
 *   (BENCH_CREATE_N sets the default --n)
 */
import { parseArgs } from 'node:util';
import { ClientProcess, type CreateRun } from './lib/clientProcess.js';
import { meterCpu } from './lib/cpu.js';
import { cleanupAll } from './lib/processes.js';
import { fixed, int, isMain, markdownTable, percent } from './lib/report.js';
import { API_SERVER_ONLY, profileFlags, type RunningServer, startBatchd, startFloor } from './lib/servers.js';
import { medianBy } from './lib/stats.js';

export interface CreateOptions {
  n: number;
  concurrency: number;
  warmup: number;
  runs: number;
  /** When set, both servers run with --cpu-prof and write profiles to DIR/batchd and DIR/floor on exit. */
  cpuProfDir?: string;
}

/** One run as the client saw it, plus what /proc says the processes spent. */
export interface CreateMeasured extends CreateRun {
  /** Server CPU time (all threads) per create, in µs: steadier than creates/s on a shared box. */
  serverCpuUs: number;
  clientCpuUs: number;
  /** Average cores other processes on the machine kept busy during the run. */
  otherCores: number;
}

export interface CreateSeries {
  runs: CreateMeasured[];
  median: CreateMeasured;
}

export interface CreateResult {
  options: CreateOptions;
  batchd: CreateSeries;
  floor: CreateSeries;
  /** batchd's median creates/s over the floor's. */
  ratio: number;
}

export const createDefaults = (): CreateOptions => {
  const n = Number(process.env.BENCH_CREATE_N ?? 20_000);
  // A full-size warm-up: a shorter one left batchd's first measured run ~30 % slow.
  return { n, concurrency: 50, warmup: n, runs: 3 };
};

export async function benchCreate(opts: CreateOptions, log = console.error): Promise<CreateResult> {
  const client = ClientProcess.start();
  const [batchd, floor] = await Promise.all([
    startBatchd({ ...profileFlags(opts.cpuProfDir, 'batchd'), args: API_SERVER_ONLY }),
    startFloor(profileFlags(opts.cpuProfDir, 'floor')),
  ]);
  const servers: RunningServer[] = [batchd, floor];
  try {
    const runs = new Map<string, CreateMeasured[]>(servers.map((s) => [s.target.name, []]));
    const one = async (server: RunningServer, n: number, tag: string): Promise<CreateMeasured> => {
      const { target } = server;
      const done = meterCpu({ server: server.child.pid, client: client.pid });
      const run = await client.run({ kind: 'create', target, n, concurrency: opts.concurrency, tag });
      const cpu = done();
      if (run.errors) throw new Error(`${target.name}: ${run.errors} of ${n} creates were not 201`);
      const measured: CreateMeasured = {
        ...run,
        serverCpuUs: ((cpu.byLabel.server ?? 0) / n) * 1e6,
        clientCpuUs: ((cpu.byLabel.client ?? 0) / n) * 1e6,
        otherCores: cpu.otherCores,
      };
      log(
        `create ${target.name.padEnd(6)} ${tag.padEnd(5)} ${int(run.perSecond).padStart(6)}/s` +
          `  p50 ${fixed(run.p50, 2)} ms  p99 ${fixed(run.p99, 2)} ms` +
          `  server ${int(measured.serverCpuUs)} µs/create  other load ${fixed(cpu.otherCores, 2)} cores`,
      );
      return measured;
    };
    for (const s of servers) await one(s, opts.warmup, 'warm');
    for (let r = 1; r <= opts.runs; r++) {
      const order = r % 2 === 1 ? servers : [...servers].reverse();
      for (const s of order) runs.get(s.target.name)?.push(await one(s, opts.n, `run${r}`));
    }
    const pick = (name: string) => {
      const list = runs.get(name) ?? [];
      return { runs: list, median: medianBy(list, (x) => x.perSecond) };
    };
    const b = pick('batchd');
    const f = pick('floor');
    return { options: opts, batchd: b, floor: f, ratio: b.median.perSecond / f.median.perSecond };
  } finally {
    await Promise.all([...servers.map((s) => s.stop()), client.stop()]);
  }
}

/** The result as Markdown rows: one per server plus the ratio. */
export function createTable(res: CreateResult): string {
  const row = (name: string, r: CreateSeries) => [
    name,
    r.runs.map((x) => int(x.perSecond)).join(' / '),
    `**${int(r.median.perSecond)}**`,
    fixed(r.median.p50, 1),
    fixed(r.median.p99, 1),
    int(r.median.serverCpuUs),
    r.runs.map((x) => fixed(x.otherCores, 2)).join(' / '),
  ];
  return markdownTable(
    [
      'server',
      'creates/s, runs 1 / 2 / 3',
      'median creates/s',
      'p50 ms',
      'p99 ms',
      'server CPU µs/create',
      'other load (cores)',
    ],
    [
      row('batchd', res.batchd),
      row('floor (https + sqlite)', res.floor),
      [
        '**batchd / floor**',
        '',
        `**${percent(res.ratio)}**`,
        '',
        '',
        `${fixed(res.batchd.median.serverCpuUs / res.floor.median.serverCpuUs, 2)}×`,
        '',
      ],
    ],
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      n: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const defaults = createDefaults();
  const n = values.n ? Number(values.n) : defaults.n;
  const opts: CreateOptions = {
    ...defaults,
    n,
    warmup: values.warmup ? Number(values.warmup) : n,
    concurrency: values.concurrency ? Number(values.concurrency) : defaults.concurrency,
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
  };
  try {
    const res = await benchCreate(opts);
    console.log(`\nCreate throughput: ${opts.n} × 1 KB Jobs, ${opts.concurrency} keep-alive HTTPS clients\n`);
    console.log(createTable(res));
    console.log(`\ntarget: batchd ≥ 50 % of the floor: ${res.ratio >= 0.5 ? 'met' : 'NOT met'}`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
