/**
 * Watch fan-out: 100 watchers on the jobs collection (one TLS connection each), then one writer
 * creates M Jobs at a steady, open-loop rate. Every watcher timestamps every ADDED event; the
 * delivery latency is receive time − the time the writer *sent* that create.
 *
 * Why the send time and not the 201: batchd (like the floor) writes an event to its watchers
 * inside the commit, before it answers the create, so "receive − 201" leaves out the create's own
 * processing, is negative for part of the deliveries (5–15 % in trial runs, down to −30 ms) and
 * mostly measures the order in which the client reads its 101 sockets. Send time covers the whole
 * path an event takes (request parsing, validation, commit, fan-out, TLS, the watcher's socket)
 * and is what a controller waiting on its own write sees. Both are reported; send time is the
 * headline.
 * Watchers and writer share one client process (one clock), apart from the servers.
 *
 *   node --import tsx bench/watch.ts [--watchers 100] [--events 2000] [--rate 200] [--runs 3]
 *   (BENCH_WATCH_EVENTS sets the default --events)
 */
import { parseArgs } from 'node:util';
import { ClientProcess, type WatchRun } from './lib/clientProcess.js';
import { meterCpu } from './lib/cpu.js';
import { cleanupAll } from './lib/processes.js';
import { fixed, int, isMain, markdownTable } from './lib/report.js';
import { API_SERVER_ONLY, profileFlags, type RunningServer, startBatchd, startFloor } from './lib/servers.js';
import { concat, summarize } from './lib/stats.js';

export interface WatchOptions {
  watchers: number;
  events: number;
  /** Creates per second. */
  rate: number;
  runs: number;
  /** Events in the warm-up run of each server (not counted). */
  warmupEvents: number;
  /** When set, both servers run with --cpu-prof and write profiles to DIR/batchd and DIR/floor on exit. */
  cpuProfDir?: string;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface WatchSeries {
  /** Receive − send, over every delivery of every measured run. */
  fromSend: Latency;
  /** Receive − 201, over every delivery (negative: the event beat the response). */
  from201: Latency;
  /** p99 (receive − send) of each run. */
  runP99: number[];
  /** Deliveries expected, missing and duplicated over all measured runs. */
  expected: number;
  missing: number;
  duplicates: number;
  /** Runs in which every watcher got every event exactly once. */
  completeRuns: number;
  writeErrors: number;
  /** Server CPU per create (fan-out to every watcher included), µs. */
  serverCpuUs: number;
  otherCores: number[];
}

export interface WatchResult {
  options: WatchOptions;
  batchd: WatchSeries;
  floor: WatchSeries;
  /** batchd's p99 over the floor's. */
  p99Ratio: number;
}

export const watchDefaults = (): WatchOptions => ({
  watchers: 100,
  events: Number(process.env.BENCH_WATCH_EVENTS ?? 2000),
  rate: 200,
  runs: 3,
  warmupEvents: 200,
});

export async function benchWatch(opts: WatchOptions, log = console.error): Promise<WatchResult> {
  const client = ClientProcess.start();
  const [batchd, floor] = await Promise.all([
    startBatchd({ ...profileFlags(opts.cpuProfDir, 'batchd'), args: API_SERVER_ONLY }),
    startFloor(profileFlags(opts.cpuProfDir, 'floor')),
  ]);
  const servers: RunningServer[] = [batchd, floor];
  try {
    type Measured = { run: WatchRun; serverCpuUs: number; otherCores: number };
    const runs = new Map<string, Measured[]>(servers.map((s) => [s.target.name, []]));
    const one = async (server: RunningServer, events: number, tag: string): Promise<Measured> => {
      const done = meterCpu({ server: server.child.pid, client: client.pid });
      const run = await client.run({
        kind: 'watch',
        target: server.target,
        watchers: opts.watchers,
        events,
        rate: opts.rate,
        tag,
        drainMs: 10_000,
      });
      const cpu = done();
      const s = summarize(run.fromSend);
      log(
        `watch  ${server.target.name.padEnd(6)} ${tag.padEnd(5)} p50 ${fixed(s.p50, 2)} ms  p99 ${fixed(s.p99, 2)} ms` +
          `  max ${fixed(s.max, 1)} ms  writer ${int(events / run.writeSeconds)}/s` +
          `  complete watchers ${run.completeWatchers}/${run.watchers}` +
          `  missing ${run.missing}  cores: server ${fixed((cpu.byLabel.server ?? 0) / cpu.seconds, 2)}` +
          ` client ${fixed((cpu.byLabel.client ?? 0) / cpu.seconds, 2)} other ${fixed(cpu.otherCores, 2)}`,
      );
      return { run, serverCpuUs: ((cpu.byLabel.server ?? 0) / events) * 1e6, otherCores: cpu.otherCores };
    };
    for (const s of servers) await one(s, opts.warmupEvents, 'warm');
    for (let r = 1; r <= opts.runs; r++) {
      const order = r % 2 === 1 ? servers : [...servers].reverse();
      for (const s of order) runs.get(s.target.name)?.push(await one(s, opts.events, `run${r}`));
    }
    const series = (name: string): WatchSeries => {
      const list = runs.get(name) ?? [];
      const cpu = list.map((m) => m.serverCpuUs).sort((a, b) => a - b);
      return {
        fromSend: summarize(concat(list.map((m) => m.run.fromSend))),
        from201: summarize(concat(list.map((m) => m.run.from201))),
        runP99: list.map((m) => summarize(m.run.fromSend).p99),
        expected: list.reduce((n, m) => n + m.run.watchers * m.run.events, 0),
        missing: list.reduce((n, m) => n + m.run.missing, 0),
        duplicates: list.reduce((n, m) => n + m.run.duplicates, 0),
        completeRuns: list.filter((m) => m.run.completeWatchers === m.run.watchers && m.run.duplicates === 0)
          .length,
        writeErrors: list.reduce((n, m) => n + m.run.writeErrors, 0),
        serverCpuUs: cpu[Math.floor((cpu.length - 1) / 2)] ?? Number.NaN,
        otherCores: list.map((m) => m.otherCores),
      };
    };
    const b = series('batchd');
    const f = series('floor');
    return { options: opts, batchd: b, floor: f, p99Ratio: b.fromSend.p99 / f.fromSend.p99 };
  } finally {
    await Promise.all([...servers.map((s) => s.stop()), client.stop()]);
  }
}

export function watchTable(res: WatchResult): string {
  const row = (name: string, s: WatchSeries) => [
    name,
    fixed(s.fromSend.p50, 2),
    `**${fixed(s.fromSend.p99, 2)}**`,
    fixed(s.fromSend.max, 1),
    s.runP99.map((x) => fixed(x, 1)).join(' / '),
    `${fixed(s.from201.p50, 2)} / ${fixed(s.from201.p99, 2)}`,
    `${int(s.expected - s.missing)} / ${int(s.expected)}${s.duplicates ? ` (${s.duplicates} dup)` : ''}`,
    int(s.serverCpuUs),
    s.otherCores.map((x) => fixed(x, 2)).join(' / '),
  ];
  return markdownTable(
    [
      'server',
      'p50 ms',
      'p99 ms',
      'max ms',
      'p99 per run',
      'after 201: p50 / p99 ms',
      'delivered / expected',
      'server CPU µs/create',
      'other load (cores)',
    ],
    [
      row('batchd', res.batchd),
      row('floor (https + sqlite + fan-out)', res.floor),
      [
        '**batchd / floor**',
        fixed(res.batchd.fromSend.p50 / res.floor.fromSend.p50, 2) + '×',
        `**${fixed(res.p99Ratio, 2)}×**`,
        '',
        '',
        '',
        '',
        `${fixed(res.batchd.serverCpuUs / res.floor.serverCpuUs, 2)}×`,
        '',
      ],
    ],
  );
}

/** Every watcher got every event exactly once, in every measured run, on both servers. */
export const watchComplete = (res: WatchResult): boolean =>
  [res.batchd, res.floor].every((s) => s.completeRuns === res.options.runs && s.missing === 0);

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      watchers: { type: 'string' },
      events: { type: 'string' },
      rate: { type: 'string' },
      runs: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const d = watchDefaults();
  const opts: WatchOptions = {
    ...d,
    ...(values.watchers ? { watchers: Number(values.watchers) } : {}),
    ...(values.events ? { events: Number(values.events) } : {}),
    ...(values.rate ? { rate: Number(values.rate) } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
  };
  try {
    const res = await benchWatch(opts);
    console.log(
      `\nWatch fan-out: ${opts.watchers} watchers, ${opts.events} creates at ${opts.rate}/s, ${opts.runs} runs\n`,
    );
    console.log(watchTable(res));
    console.log(`\nevery watcher got every event: ${watchComplete(res) ? 'yes' : 'NO'}`);
    console.log(`target: batchd p99 < 50 ms: ${res.batchd.fromSend.p99 < 50 ? 'met' : 'NOT met'}`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
