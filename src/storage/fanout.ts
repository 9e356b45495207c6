import { log } from '../util/log.js';
import type { StoreEvent, Watcher } from './store.js';

const storageLog = log.child({ component: 'storage' });

/** Reads the next page of a watch's history replay; an empty page means the replay is done. */
export type ReplayPager = () => StoreEvent[];

interface Subscription {
  prefix: string;
  /** Live events at or below this revision were covered by the replay (or precede the watch). */
  rev: number;
  onEvents: (events: StoreEvent[]) => void;
  cancelled: boolean;
}

type Delivery =
  | { kind: 'live'; events: StoreEvent[] }
  | { kind: 'replay'; to: Subscription; next: ReplayPager };

/**
 * In-process delivery of committed events to watchers, shared by the SQLite and memory stores.
 *
 * Everything runs synchronously on the writer's call stack, but through one queue: a callback that
 * writes (or starts a watch) only enqueues, so every watcher still sees revisions in order, and a
 * watch's history replay is delivered before any live event newer than it.
 * @example
 * const fanout = new Fanout((err) => log.warn({ err }, 'watch callback threw'));
 * fanout.subscribe('/registry/jobs/', 0, store.rev, () => [], (events) => console.log(events));
 * fanout.publish([{ type: 'put', kv }]); // after the commit
 */
export class Fanout {
  private readonly subs = new Set<Subscription>();
  private readonly queue: Delivery[] = [];
  private draining = false;

  constructor(private readonly onError: (err: unknown) => void = reportWatchError) {}

  /** Hands one commit's events to every matching watcher; call it right after the commit. */
  publish(events: StoreEvent[]): void {
    if (this.subs.size === 0) return;
    this.queue.push({ kind: 'live', events });
    this.drain();
  }

  /**
   * Registers a watcher that has seen everything up to fromRevision. `snapshotRevision` is the
   * store's revision when `next` started reading history: replay covers (fromRevision,
   * snapshotRevision], live events cover the rest.
   */
  subscribe(
    prefix: string,
    fromRevision: number,
    snapshotRevision: number,
    next: ReplayPager,
    onEvents: (events: StoreEvent[]) => void,
  ): Watcher {
    const sub: Subscription = {
      prefix,
      rev: Math.max(fromRevision, snapshotRevision),
      onEvents,
      cancelled: false,
    };
    this.subs.add(sub);
    if (snapshotRevision > fromRevision) this.queue.push({ kind: 'replay', to: sub, next });
    this.drain();
    return {
      cancel: () => {
        sub.cancelled = true;
        this.subs.delete(sub);
      },
    };
  }

  /** Drops every watcher (the store is closing); they receive nothing more. */
  close(): void {
    for (const sub of this.subs) sub.cancelled = true;
    this.subs.clear();
    this.queue.length = 0;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        if (item.kind === 'live') {
          for (const sub of [...this.subs]) this.deliverLive(sub, item.events);
        } else {
          this.replay(item.to, item.next);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private deliverLive(sub: Subscription, events: StoreEvent[]): void {
    if (sub.cancelled) return;
    // Filtering by revision drops events the replay already covered: a watch started from inside a
    // callback reads history that includes commits still waiting in this queue.
    const matching = events.filter((e) => e.kv.modRevision > sub.rev && e.kv.key.startsWith(sub.prefix));
    const last = matching[matching.length - 1];
    if (!last) return;
    sub.rev = last.kv.modRevision;
    this.call(sub, matching);
  }

  private replay(sub: Subscription, next: ReplayPager): void {
    while (!sub.cancelled) {
      let page: StoreEvent[];
      try {
        page = next();
      } catch (err) {
        this.onError(err);
        return;
      }
      if (page.length === 0) return;
      this.call(sub, page);
    }
  }

  private call(sub: Subscription, events: StoreEvent[]): void {
    try {
      sub.onEvents(events);
    } catch (err) {
      // A broken watcher must not fail the write that triggered it (the write is already committed).
      this.onError(err);
    }
  }
}

function reportWatchError(err: unknown): void {
  storageLog.warn({ err }, 'watch callback threw; the write is committed and other watchers were served');
}

/**
 * The exclusive upper bound of the keys under prefix: the prefix with its last character
 * incremented ('' covers every key).
 * @example
 * prefixEnd('/registry/jobs/'); // '/registry/jobs0'
 */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
