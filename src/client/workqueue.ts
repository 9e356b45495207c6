/**
 * A work queue as client-go's: a key is queued at most once, is never handled by two workers at
 * once, and failures come back with exponential backoff.
 */
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { PriorityGate } from './priority.js';

export interface WorkQueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The gate shared by the controllers: an urgent queue holds it while it has keys, others wait on it. */
  gate?: PriorityGate;
  urgent?: boolean;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  /** Keys added again while being processed: requeued when their worker finishes. */
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();
  private waiters: Array<() => void> = [];
  private shuttingDown = false;

  constructor(
    private readonly clock: Clock,
    private readonly opts: WorkQueueOptions = {},
  ) {}

  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.reportBusy();
    this.waiters.shift()?.();
  }

  /** An urgent queue is busy from its first key queued until nothing is queued or in progress. */
  private reportBusy(): void {
    if (this.opts.urgent) this.opts.gate?.set(this, this.queue.length + this.processing.size > 0);
  }

  /**
   * Adds key after ms. The earliest time asked for wins, as client-go's delaying queue: a burst
   * of later calls (pod events batched by the Job controller) cannot postpone a key forever.
   */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now().getTime() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel();
    this.timers.set(key, {
      at,
      cancel: this.clock.setTimer(ms, () => {
        this.timers.delete(key);
        this.add(key);
      }),
    });
  }

  /** Requeues a failed key with exponential backoff: base 5 ms doubling to 1000 s, as client-go. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const base = this.opts.baseDelayMs ?? 5;
    const max = this.opts.maxDelayMs ?? 1_000_000;
    this.addAfter(key, Math.min(max, base * 2 ** n));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  get length(): number {
    return this.queue.length;
  }

  private async next(): Promise<string | undefined> {
    while (!this.queue.length) {
      if (this.shuttingDown) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const key = this.queue.shift() as string;
    this.queued.delete(key);
    this.processing.add(key);
    return key;
  }

  private done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
    this.reportBusy();
  }

  /** Runs `workers` loops calling handle(key); a throw requeues the key with backoff. */
  run(workers: number, handle: (key: string) => Promise<void>, log: Logger): Promise<void> {
    const worker = async () => {
      for (;;) {
        const key = await this.next();
        if (key === undefined) return;
        // Checked with the key in hand: an idle worker woken by an add must wait too.
        if (!this.opts.urgent) await this.opts.gate?.wait();
        try {
          await handle(key);
          this.forget(key);
        } catch (err) {
          log.warn({ err, key }, 'sync failed; will retry');
          this.addRateLimited(key);
        } finally {
          this.done(key);
        }
        // In-process syncs resolve in microtasks only; without a turn of the event loop here,
        // a busy queue would starve the API server's sockets (TLS handshakes time out).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    return Promise.all(Array.from({ length: workers }, worker)).then(() => undefined);
  }

  shutdown(): void {
    this.shuttingDown = true;
    if (this.opts.urgent) this.opts.gate?.set(this, false);
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const w of this.waiters) w();
    this.waiters = [];
  }
}
