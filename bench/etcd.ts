/**
 * The storage alternative: a single-member etcd 3.4 (Debian's etcd-server) on 127.0.0.1 with a
 * temp data dir, taking 1 KB puts one at a time and 50 in flight; puts/s sits next to batchd's
 * create rate and the SQLite floor (reference/performance.md B3). The client is etcd's v3 JSON
 * gateway (`POST /v3/kv/put`, base64 key and value) over node:http keep-alive, so no dependency;
 * the gateway proxies to etcd's own gRPC server in-process, which costs etcd some CPU per put that
 * a gRPC client would not (side by side with the etcd3 gRPC client on this machine: the same rate
 * one put at a time, 15–30 % fewer puts/s at 50 in flight). When etcd is not installed the result
 * says so and nothing runs.
 *
 *   node --import tsx bench/etcd.ts [--sequential 2000] [--concurrent 10000] [--inflight 50] [--runs 3]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { meterCpu } from './lib/cpu.js';
import { findExecutable, freePort, median, type Skipped, sleep, waitFor } from './lib/peers.js';
import { cleanupAll, register, stop, tempDir } from './lib/processes.js';
import { fixed, int, isMain, markdownTable } from './lib/report.js';
import { medianBy, summarize } from './lib/stats.js';

export interface EtcdOptions {
  /** Puts issued one after another per run. */
  sequential: number;
  /** Puts per run with `inflight` outstanding at a time. */
  concurrent: number;
  inflight: number;
  runs: number;
  valueBytes: number;
}

export const etcdDefaults = (): EtcdOptions => ({
  sequential: Number(process.env.BENCH_ETCD_SEQUENTIAL ?? 2000),
  concurrent: Number(process.env.BENCH_ETCD_CONCURRENT ?? 10_000),
  inflight: 50,
  runs: 3,
  valueBytes: 1024,
});

export interface PutRun {
  n: number;
  inflight: number;
  seconds: number;
  perSecond: number;
  /** Latency of one put, request sent to response read, ms. */
  p50: number;
  p99: number;
  /** etcd's CPU (all threads) per put, µs. */
  serverCpuUs: number;
  /** Average cores other processes on the machine kept busy during the run. */
  otherCores: number;
}

export interface EtcdRan {
  ran: true;
  options: EtcdOptions;
  /** etcd's own `/version` answer, e.g. 3.4.23. */
  version: string;
  sequential: PutRun[];
  concurrent: PutRun[];
}

export type EtcdResult = EtcdRan | Skipped;

/** One put's request body for the JSON gateway: key and value travel base64-encoded. */
export function putBody(key: string, value: Buffer): string {
  return JSON.stringify({ key: Buffer.from(key).toString('base64'), value: value.toString('base64') });
}

/** etcd's flags for one member on loopback, everything under `dataDir`. */
export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    '--name',
    'bench',
    '--data-dir',
    join(dataDir, 'member-data'),
    '--listen-client-urls',
    client,
    '--advertise-client-urls',
    client,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `bench=${peer}`,
    '--initial-cluster-state',
    'new',
    '--logger',
    'zap',
    '--log-outputs',
    'stderr',
  ];
}

/** A tiny client of etcd's JSON gateway over one keep-alive agent. */
class Gateway {
  private readonly agent: Agent;
  constructor(
    private readonly port: number,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  call(path: string, body: string): Promise<{ code: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: path === '/version' || path === '/health' ? 'GET' : 'POST',
          path,
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error(`${path}: no answer in 10 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async put(body: string): Promise<void> {
    const res = await this.call('/v3/kv/put', body);
    if (res.code !== 200) throw new Error(`put: HTTP ${res.code} ${res.text.slice(0, 200)}`);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Issues `n` puts under `prefix` with `inflight` outstanding; throughput and latency of the lot. */
async function putRun(
  gw: Gateway,
  pid: number | undefined,
  value: Buffer,
  prefix: string,
  n: number,
  inflight: number,
): Promise<PutRun> {
  const lat = new Float64Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await gw.put(putBody(`/bench/${prefix}/${i}`, value));
      lat[i] = performance.now() - t;
    }
  };
  const done = meterCpu({ etcd: pid });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inflight }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = done();
  const { p50, p99 } = summarize(lat);
  return {
    n,
    inflight,
    seconds,
    perSecond: n / seconds,
    p50,
    p99,
    serverCpuUs: ((cpu.byLabel.etcd ?? 0) / n) * 1e6,
    otherCores: cpu.otherCores,
  };
}

/** Starts etcd and resolves once `/health` says true; rejects if it exits or stays unhealthy. */
async function startEtcd(
  etcd: string,
  dir: string,
): Promise<{ child: ChildProcess; port: number; version: string }> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const logFile = join(dir, 'etcd.log');
  const log = openSync(logFile, 'a');
  // Detached (its own process group) so stop() reaches it, and logging to a file so a chatty
  // member never blocks on a pipe nobody reads.
  const child = spawn(etcd, etcdArgs(dir, clientPort, peerPort), {
    cwd: dir,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  register(child);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, sig) => reject(new Error(`etcd exited early (code ${code}, signal ${sig})`))),
  );
  exited.catch(() => {});
  const gw = new Gateway(clientPort, 1);
  try {
    await Promise.race([
      exited,
      waitFor(
        'etcd /health',
        async () => ((await gw.call('/health', '')).text.includes('"true"') ? true : undefined),
        { timeoutMs: 20_000, intervalMs: 100 },
      ),
    ]);
    const answer = JSON.parse((await gw.call('/version', '')).text) as { etcdserver?: string };
    return { child, port: clientPort, version: answer.etcdserver ?? 'unknown' };
  } catch (err) {
    await stop(child);
    throw err;
  } finally {
    gw.close();
  }
}

const logTail = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').slice(-1500);
  } catch {
    return '';
  }
};

/**
 * Runs the etcd put benchmark, or explains why it did not: `{ ran: false, reason }` when etcd is
 * not installed or the member failed (the report prints the reason; nothing throws).
 */
export async function runEtcd(opts: EtcdOptions, log = console.error): Promise<EtcdResult> {
  const etcd = findExecutable('etcd');
  if (etcd === undefined) return { ran: false, reason: 'not installed (Debian package etcd-server)' };
  const dir = tempDir('etcd');
  let server: Awaited<ReturnType<typeof startEtcd>> | undefined;
  try {
    server = await startEtcd(etcd, dir);
    const { child, port, version } = server;
    const seqGw = new Gateway(port, 1);
    const conGw = new Gateway(port, opts.inflight);
    const value = Buffer.alloc(opts.valueBytes, 'x');
    try {
      // Warm-up: the connections, the gateway's gRPC channel, the first WAL segment.
      await putRun(seqGw, child.pid, value, 'warm-seq', Math.min(200, opts.sequential), 1);
      await putRun(conGw, child.pid, value, 'warm-con', Math.min(2000, opts.concurrent), opts.inflight);
      const sequential: PutRun[] = [];
      const concurrent: PutRun[] = [];
      for (let r = 1; r <= opts.runs; r++) {
        const s = await putRun(seqGw, child.pid, value, `seq/${r}`, opts.sequential, 1);
        sequential.push(s);
        const c = await putRun(conGw, child.pid, value, `con/${r}`, opts.concurrent, opts.inflight);
        concurrent.push(c);
        for (const [label, x] of [
          ['sequential', s],
          [`${opts.inflight} in flight`, c],
        ] as const)
          log(
            `etcd ${label.padEnd(12)} run${r} ${int(x.perSecond).padStart(6)} puts/s  p50 ${fixed(x.p50, 2)} ms` +
              `  p99 ${fixed(x.p99, 2)} ms  etcd ${int(x.serverCpuUs)} µs/put  other load ${fixed(x.otherCores, 2)} cores`,
          );
      }
      return { ran: true, options: opts, version, sequential, concurrent };
    } finally {
      seqGw.close();
      conGw.close();
    }
  } catch (err) {
    const tail = logTail(join(dir, 'etcd.log'));
    log(`etcd: ${err instanceof Error ? err.message : String(err)}\n${tail}`);
    return { ran: false, reason: `failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (server) await stop(server.child);
    // Give the kernel a moment to release the data dir's files before removing it.
    await sleep(50);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median sequential and concurrent rates, or NaN when etcd did not run. */
export function etcdMedians(res: EtcdResult): { sequential: number; concurrent: number } {
  if (!res.ran) return { sequential: Number.NaN, concurrent: Number.NaN };
  return {
    sequential: median(res.sequential.map((r) => r.perSecond)),
    concurrent: median(res.concurrent.map((r) => r.perSecond)),
  };
}

/** One row per mode (median run by puts/s), or one line saying why etcd did not run. */
export function etcdTable(res: EtcdResult): string {
  if (!res.ran) return `etcd: ${res.reason}.`;
  const row = (label: string, runs: PutRun[]) => {
    const m = medianBy(runs, (r) => r.perSecond);
    return [
      label,
      int(m.n),
      runs.map((r) => int(r.perSecond)).join(' / '),
      `**${int(m.perSecond)}**`,
      fixed(m.p50, 2),
      fixed(m.p99, 2),
      int(m.serverCpuUs),
      runs.map((r) => fixed(r.otherCores, 2)).join(' / '),
    ];
  };
  return markdownTable(
    [
      `etcd ${res.version}, ${int(res.options.valueBytes)} B values`,
      'puts per run',
      'puts/s, runs 1 / 2 / 3',
      'median puts/s',
      'p50 ms',
      'p99 ms',
      'etcd CPU µs/put',
      'other load (cores)',
    ],
    [
      row('sequential (1 in flight)', res.sequential),
      row(`${res.options.inflight} in flight`, res.concurrent),
    ],
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sequential: { type: 'string' },
      concurrent: { type: 'string' },
      inflight: { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const d = etcdDefaults();
  const opts: EtcdOptions = {
    ...d,
    ...(values.sequential ? { sequential: Number(values.sequential) } : {}),
    ...(values.concurrent ? { concurrent: Number(values.concurrent) } : {}),
    ...(values.inflight ? { inflight: Number(values.inflight) } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
  };
  try {
    const t0 = performance.now();
    const res = await runEtcd(opts);
    console.log(`\n${etcdTable(res)}\n`);
    console.log(`etcd bench took ${fixed((performance.now() - t0) / 1000, 1)} s`);
  } finally {
    await cleanupAll();
  }
}
