/**
 * The load-generating process: forked by the benchmarks (lib/clientProcess.ts), never run by hand.
 * It keeps one keep-alive Agent per server, so connections opened by the warm-up run are the ones
 * the measured runs use, as they would be for a long-lived client.
 */
import type { ClientRequest } from 'node:http';
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { CreateOrder, CreateRun, Request, Response, WatchOrder, WatchRun } from './lib/clientProcess.js';
import { JOBS_PATH, jobBody, type Target } from './lib/target.js';

const REQUEST_TIMEOUT_MS = 30_000;
const agents = new Map<string, Agent>();

function agentFor(target: Target, maxSockets: number): Agent {
  const key = `${target.url} ${maxSockets}`;
  let agent = agents.get(key);
  if (!agent) {
    // Verified against the server's CA: the TLS cost is the real one, with no shortcut.
    agent = new Agent({ keepAlive: true, maxSockets, ca: target.ca });
    agents.set(key, agent);
  }
  return agent;
}

/** POSTs one Job; resolves with the status code once the whole response is read. */
function post(target: Target, agent: Agent, body: string): Promise<number> {
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: JOBS_PATH,
        agent,
        headers: {
          authorization: `Bearer ${target.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A server that stops answering fails the run instead of hanging it.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.end(body);
  });
}

async function runCreate(order: CreateOrder): Promise<CreateRun> {
  const agent = agentFor(order.target, order.concurrency);
  // Bodies are built before the clock starts, so the client spends its time on the requests.
  const bodies = Array.from({ length: order.n }, (_, i) => jobBody(`${order.tag}-${i}`));
  const latencies = new Float64Array(order.n);
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < order.n; i = next++) {
      const start = performance.now();
      const status = await post(order.target, agent, bodies[i] ?? '');
      latencies[i] = performance.now() - start;
      if (status !== 201) errors++;
    }
  };
  await Promise.all(Array.from({ length: order.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort();
  const at = (q: number) => latencies[Math.min(order.n - 1, Math.ceil(q * order.n) - 1)] ?? Number.NaN;
  return {
    target: order.target.name,
    n: order.n,
    seconds,
    perSecond: order.n / seconds,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

/** The collection's current resourceVersion, so watchers see only this run's creates. */
function currentResourceVersion(target: Target, agent: Agent): Promise<string> {
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${JOBS_PATH}?limit=1`,
        agent,
        headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (s: string) => (text += s));
        res.on('end', () => {
          const rv = (JSON.parse(text) as { metadata?: { resourceVersion?: string } }).metadata
            ?.resourceVersion;
          if (res.statusCode !== 200 || !rv)
            reject(new Error(`list: ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(rv);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function runWatch(order: WatchOrder): Promise<WatchRun> {
  const { target, watchers: W, events: M } = order;
  const url = new URL(target.url);
  const writer = agentFor(target, 50);
  const rv = await currentResourceVersion(target, writer);

  // received[w * M + i]: when watcher w got the event of create i (NaN = not yet).
  const received = new Float64Array(W * M).fill(Number.NaN);
  const sentAt = new Float64Array(M).fill(Number.NaN);
  const answeredAt = new Float64Array(M).fill(Number.NaN);
  let duplicates = 0;
  let otherEvents = 0;
  let delivered = 0;
  let onProgress = () => {};
  const nameRe = new RegExp(`"name":"${order.tag}-(\\d+)"`);

  const streams: ClientRequest[] = [];
  const opened = Promise.all(
    Array.from(
      { length: W },
      (_, w) =>
        new Promise<void>((resolve, reject) => {
          // agent: false gives every watcher its own TLS connection, as separate clients would have.
          const req = request(
            {
              host: url.hostname,
              port: url.port,
              path: `${JOBS_PATH}?watch=true&resourceVersion=${rv}`,
              agent: false,
              ca: target.ca,
              headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' },
            },
            (res) => {
              if (res.statusCode !== 200) {
                reject(new Error(`watch ${w}: HTTP ${res.statusCode}`));
                res.resume();
                return;
              }
              let partial = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                const now = performance.now();
                const lines = (partial + chunk).split('\n');
                partial = lines.pop() ?? '';
                for (const line of lines) {
                  const m = line.startsWith('{"type":"ADDED"') ? nameRe.exec(line) : null;
                  const i = m ? Number(m[1]) : -1;
                  if (i < 0 || i >= M) {
                    if (line) otherEvents++;
                    continue;
                  }
                  const slot = w * M + i;
                  if (!Number.isNaN(received[slot])) {
                    duplicates++;
                    continue;
                  }
                  received[slot] = now;
                  delivered++;
                }
                onProgress();
              });
              res.on('error', () => {});
              resolve();
            },
          );
          streams.push(req);
          req.on('error', (err) => reject(err));
          req.end();
        }),
    ),
  );
  try {
    await opened;
  } catch (err) {
    for (const s of streams) s.destroy();
    throw err;
  }

  // The writer: create i is due at t0 + i / rate, whatever happened to the ones before it.
  let writeErrors = 0;
  let answered = 0;
  const allAnswered = new Promise<void>((resolve) => {
    const t0 = performance.now();
    let next = 0;
    const tick = () => {
      const due = Math.min(M, Math.floor(((performance.now() - t0) * order.rate) / 1000) + 1);
      for (; next < due; next++) {
        const i = next;
        const body = jobBody(`${order.tag}-${i}`);
        sentAt[i] = performance.now();
        post(target, writer, body).then(
          (status) => {
            answeredAt[i] = performance.now();
            if (status !== 201) writeErrors++;
            if (++answered === M) resolve();
          },
          () => {
            writeErrors++;
            if (++answered === M) resolve();
          },
        );
      }
      if (next < M) setTimeout(tick, 1);
    };
    tick();
  });
  await allAnswered;
  const writeSeconds = (Math.max(...answeredAt.filter((t) => !Number.isNaN(t))) - (sentAt[0] ?? 0)) / 1000;

  // Every watcher must get every event; wait for stragglers, but not forever.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, order.drainMs);
    onProgress = () => {
      if (delivered === W * M) {
        clearTimeout(timer);
        resolve();
      }
    };
    onProgress();
  });
  for (const s of streams) s.destroy();

  const fromSend: number[] = [];
  const from201: number[] = [];
  let completeWatchers = 0;
  for (let w = 0; w < W; w++) {
    let got = 0;
    for (let i = 0; i < M; i++) {
      const t = received[w * M + i] ?? Number.NaN;
      if (Number.isNaN(t)) continue;
      got++;
      fromSend.push(t - (sentAt[i] ?? Number.NaN));
      from201.push(t - (answeredAt[i] ?? Number.NaN));
    }
    if (got === M) completeWatchers++;
  }
  return {
    target: target.name,
    watchers: W,
    events: M,
    rate: order.rate,
    writeSeconds,
    fromSend: Float64Array.from(fromSend),
    from201: Float64Array.from(from201.filter((x) => !Number.isNaN(x))),
    missing: W * M - delivered,
    duplicates,
    completeWatchers,
    otherEvents,
    writeErrors,
  };
}

process.on('message', (msg: Request) => {
  const work = msg.order.kind === 'create' ? runCreate(msg.order) : runWatch(msg.order);
  work.then(
    (result) => process.send?.({ id: msg.id, ok: true, result } satisfies Response),
    (err: unknown) =>
      process.send?.({
        id: msg.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      } satisfies Response),
  );
});
// The orchestrator is gone (finished or killed): nothing left to do.
process.on('disconnect', () => process.exit(0));
