import type { Clock } from '../util/clock.js';
import { log } from '../util/log.js';
import type { Store } from './store.js';

export interface CompactorOptions {
  /** How often to compact (default 1 min). */
  intervalMs?: number;
  /** Keep at least this much history, in time (default 5 min, like kube-apiserver's etcd compaction). */
  retainMs?: number;
  /** Keep at least this many of the newest revisions, whatever their age (default 1000, like kine). */
  minRetainRevisions?: number;
  /** Receives a failed compaction's error; the compactor keeps running (default: logged). */
  onError?: (err: unknown) => void;
}

interface Sample {
  at: number;
  tick: number;
  rev: number;
}

/**
 * Compacts the store every interval to the revision that was current retainMs ago, so watches
 * and paged lists younger than that never see 410 Expired; but never within the newest
 * minRetainRevisions revisions. Time comes only from the clock; returns a function that stops it.
 * @example
 * const stop = startCompactor(store, realClock, { retainMs: 5 * 60_000 });
 * // on shutdown:
 * stop();
 * await store.close();
 */
export function startCompactor(store: Store, clock: Clock, opts: CompactorOptions = {}): () => void {
  const intervalMs = opts.intervalMs ?? 60_000;
  const retainMs = opts.retainMs ?? 5 * 60_000;
  const minRetainRevisions = opts.minRetainRevisions ?? 1000;
  const onError =
    opts.onError ??
    ((err: unknown) => log.child({ component: 'compactor' }).error({ err }, 'compaction failed'));
  // The revision current at each tick: "what was current retainMs ago" is the newest sample that
  // is retainMs old both by the clock and by the number of ticks since. Ticks come from a
  // monotonic timer, so a wall clock jumping forward cannot compact young history; one jumping
  // backwards only delays compaction.
  const minTicks = Math.ceil(retainMs / intervalMs);
  let samples: Sample[] = [];
  let ticks = 0;
  let stopped = false;
  let cancelTimer = (): void => {};

  const tick = async (): Promise<void> => {
    const now = clock.now().getTime();
    const rev = await store.currentRevision();
    const tick = ticks++;
    // Samples stamped after now (the clock went backwards) would not come due for as long as it
    // jumped; the new sample covers their revisions with a later time, which is conservative.
    samples = samples.filter((s) => s.at <= now);
    samples.push({ at: now, tick, rev });
    let target = 0;
    for (const s of samples)
      if (s.at <= now - retainMs && tick - s.tick >= minTicks) target = Math.max(target, s.rev);
    target = Math.min(target, rev - minRetainRevisions);
    // A sample at or below the target can never name a later, higher target.
    samples = samples.filter((s) => s.rev > target);
    if (target > (await store.compactedRevision())) await store.compact(target);
  };

  const run = async (): Promise<void> => {
    try {
      await tick();
    } catch (err) {
      onError(err);
    }
    // Re-armed only after the compaction finished, so two never overlap.
    if (!stopped) cancelTimer = clock.setTimer(intervalMs, () => void run());
  };

  // The first sample starts the retention window, so a fresh process cannot compact for retainMs.
  void run();
  return () => {
    stopped = true;
    cancelTimer();
  };
}
