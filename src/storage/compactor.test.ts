import { describe, expect, test, vi } from 'vitest';
import { type Clock, FakeClock } from '../util/clock.js';
import { type CompactorOptions, startCompactor } from './compactor.js';
import { MemoryStore } from './memory/store.js';

const MIN = 60_000;

/** Lets the compactor's async tick (revision reads, compact) run to completion. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Step {
  writes: number;
  /** Moves the wall clock only, as when the system time is set; timers are monotonic and keep their pace. */
  jumpMs?: number;
}

/**
 * Starts a compactor on a fresh store, then for each step writes that many revisions and lets
 * one interval pass. Returns the revisions it compacted to, in order.
 */
async function simulate(opts: CompactorOptions, steps: Step[]) {
  const store = new MemoryStore();
  const timers = new FakeClock();
  let offset = 0;
  const clock: Clock = {
    now: () => new Date(timers.now().getTime() + offset),
    setTimer: (ms, fn) => timers.setTimer(ms, fn),
    after: (ms) => timers.after(ms),
  };
  const compact = vi.spyOn(store, 'compact');
  const stop = startCompactor(store, clock, opts);
  await settle();
  let n = 0;
  for (const { writes, jumpMs = 0 } of steps) {
    for (let i = 0; i < writes; i++) await store.create(`/k/${n++}`, 'x');
    offset += jumpMs;
    timers.step(opts.intervalMs ?? MIN);
    await settle();
  }
  stop();
  return compact.mock.calls.map(([rev]) => rev);
}

const minutes = (count: number, writes: number) => Array.from({ length: count }, () => ({ writes }));

describe('startCompactor', () => {
  const cases: Array<{
    name: string;
    opts: CompactorOptions;
    steps: Step[];
    want: number[];
  }> = [
    {
      name: 'compacts nothing until retainMs has passed',
      opts: { minRetainRevisions: 0 },
      steps: minutes(5, 10),
      want: [],
    },
    {
      name: 'compacts to the revision that was current retainMs ago',
      opts: { minRetainRevisions: 0 },
      // Ticks at minutes 1..7 see revisions 10..70; at minute 6 the revision of minute 1 is 5 min old.
      steps: minutes(7, 10),
      want: [10, 20],
    },
    {
      name: 'never compacts within the newest minRetainRevisions revisions',
      opts: { minRetainRevisions: 55 },
      steps: minutes(7, 10),
      want: [5, 15],
    },
    {
      name: 'with the default minRetainRevisions a small store is never compacted',
      opts: {},
      steps: minutes(10, 10),
      want: [],
    },
    {
      name: 'does not compact again when nothing was written',
      opts: { minRetainRevisions: 0 },
      steps: [...minutes(2, 10), ...minutes(8, 0)],
      want: [10, 20],
    },
    {
      name: 'honours a custom interval and retention',
      opts: { intervalMs: 10_000, retainMs: 30_000, minRetainRevisions: 0 },
      steps: minutes(5, 1),
      want: [1, 2],
    },
    {
      name: 'a clock that jumps backwards restarts the retention window',
      opts: { minRetainRevisions: 0 },
      // Minute 6 compacts to 10. Then the clock goes back an hour at the tick that sees revision 70:
      // the samples from before the jump are dropped, and 70 is compacted 5 minutes later.
      steps: [...minutes(6, 10), { writes: 10, jumpMs: -60 * MIN }, ...minutes(6, 1)],
      want: [10, 70, 71],
    },
    {
      name: 'a clock that jumps forward does not compact history younger than retainMs of ticks',
      opts: { minRetainRevisions: 0 },
      // An hour's jump makes every sample look old; the tick count still holds them for 5 intervals.
      steps: [...minutes(2, 10), { writes: 10, jumpMs: 60 * MIN }, ...minutes(4, 10)],
      want: [10, 20],
    },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      expect(await simulate(tc.opts, tc.steps)).toEqual(tc.want);
    });
  }

  test('stop cancels the timer', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const stop = startCompactor(store, clock);
    await settle();
    expect(clock.pendingTimers()).toBe(1);
    stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  test('a failed compaction is reported and the next interval tries again', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const errors: unknown[] = [];
    vi.spyOn(store, 'compact').mockRejectedValue(new Error('disk full'));
    const stop = startCompactor(store, clock, { minRetainRevisions: 0, onError: (err) => errors.push(err) });
    await settle();
    for (let m = 1; m <= 7; m++) {
      await store.create(`/k/${m}`, 'x');
      clock.step(MIN);
      await settle();
    }
    stop();
    expect(errors).toHaveLength(2);
    expect(store.compact).toHaveBeenCalledTimes(2);
  });
});
