/**
 * The load generators run in their own process (bench/client.ts), apart from the servers, and
 * take orders over IPC: one request, one reply, matched by id. Replies carry typed arrays, so the
 * channel uses Node's structured-clone ("advanced") serialization.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, ROOT, register, stop } from './processes.js';
import type { Target } from './target.js';

export interface CreateOrder {
  kind: 'create';
  target: Target;
  /** Number of creates; names are `${tag}-${i}`. */
  n: number;
  concurrency: number;
  tag: string;
}

export interface CreateRun {
  target: string;
  n: number;
  seconds: number;
  perSecond: number;
  /** Request latency, send to end of the 201 response, in ms. */
  p50: number;
  p99: number;
  /** Responses other than 201 (counted, not retried). */
  errors: number;
}

export interface WatchOrder {
  kind: 'watch';
  target: Target;
  watchers: number;
  events: number;
  /** Creates per second, open loop: the writer keeps its schedule whatever the server does. */
  rate: number;
  tag: string;
  /** How long to wait for stragglers after the last create answered. */
  drainMs: number;
}

export interface WatchRun {
  target: string;
  watchers: number;
  events: number;
  rate: number;
  /** Seconds from the first send to the last 201. */
  writeSeconds: number;
  /** Per delivery: receive time − the writer's send time of that create, in ms. */
  fromSend: Float64Array;
  /** Per delivery: receive time − the time the writer got the 201 (negative = the event came first). */
  from201: Float64Array;
  /** Deliveries expected (watchers × events) that never arrived. */
  missing: number;
  duplicates: number;
  /** Watchers that received every event exactly once. */
  completeWatchers: number;
  /** Lines that were not ADDED events of this run (MODIFIED from a controller, bookmarks, …). */
  otherEvents: number;
  /** Create responses other than 201. */
  writeErrors: number;
}

export type Order = CreateOrder | WatchOrder;
export type Reply<O extends Order> = O extends CreateOrder ? CreateRun : WatchRun;

export type Request = { id: number; order: Order };
export type Response =
  | { id: number; ok: true; result: CreateRun | WatchRun }
  | { id: number; ok: false; error: string };

/** The orchestrator's handle on one client process. */
export class ClientProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: CreateRun | WatchRun) => void; reject: (e: Error) => void }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (msg: Response) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`client: ${msg.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const p of this.pending.values())
        p.reject(new Error(`client exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  static start(): ClientProcess {
    const child = fork(join(BENCH_DIR, 'client.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      detached: true,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    register(child);
    return new ClientProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  run<O extends Order>(order: O): Promise<Reply<O>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: CreateRun | WatchRun) => void, reject });
      const req: Request = { id, order };
      this.child.send(req);
    });
  }

  stop(): Promise<void> {
    return stop(this.child);
  }
}
