/**
 * What the controller is waiting to see in its informers (upstream's ControllerExpectations):
 * pods it created or deleted but has not yet observed, and finalizer removals in flight. Until
 * they are seen the cache is stale, so the sync must not create, delete or finish.
 */
import type { Clock } from '../../util/clock.js';

/** Expectations older than this count as met, so a lost watch event cannot wedge a Job. */
export const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Record {
  add: number;
  del: number;
  at: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  /** Met when nothing is recorded, all was observed, or the record expired. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now().getTime() - r.at > this.ttlMs;
  }

  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, del: 0, at: this.clock.now().getTime() });
  }

  expectDeletions(key: string, n: number): void {
    this.records.set(key, { add: 0, del: n, at: this.clock.now().getTime() });
  }

  creationObserved(key: string, n = 1): void {
    const r = this.records.get(key);
    if (r) r.add -= n;
  }

  deletionObserved(key: string, n = 1): void {
    const r = this.records.get(key);
    if (r) r.del -= n;
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}

/** Pod UIDs per Job whose finalizer removal was sent but not yet seen in the informer. */
export class FinalizerRemovalExpectations {
  private readonly uids = new Map<string, Set<string>>();

  expect(key: string, uids: Iterable<string>): void {
    let set = this.uids.get(key);
    if (!set) this.uids.set(key, (set = new Set()));
    for (const uid of uids) set.add(uid);
  }

  observed(key: string, uid: string): void {
    const set = this.uids.get(key);
    set?.delete(uid);
    if (set && !set.size) this.uids.delete(key);
  }

  get(key: string): ReadonlySet<string> {
    return this.uids.get(key) ?? new Set();
  }

  delete(key: string): void {
    this.uids.delete(key);
  }
}
