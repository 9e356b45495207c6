/**
 * Time is injected: controllers, the node agent and the store read time only through a Clock,
 * so tests drive schedules with a FakeClock instead of sleeping.
 */
export interface Clock {
  now(): Date;
  /** Runs fn after ms milliseconds; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
  /** Resolves after ms milliseconds. */
  after(ms: number): Promise<void>;
}

/** Node cuts a longer timeout to 1 ms (TimeoutOverflowWarning); longer timers wait in steps of this. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const realClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    const due = Date.now() + ms;
    let t: NodeJS.Timeout;
    const arm = (wait: number) => {
      t = setTimeout(
        () => {
          const left = due - Date.now();
          if (left > 0) arm(left);
          else fn();
        },
        Math.min(wait, MAX_TIMEOUT_MS),
      );
      t.unref?.();
    };
    if (ms > MAX_TIMEOUT_MS) arm(ms);
    else {
      t = setTimeout(fn, ms);
      t.unref?.();
    }
    return () => clearTimeout(t);
  },
  after: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `step` fires due timers synchronously, in time order.
 * @example
 * const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
 * clock.setTimer(1000, () => console.log('tick'));
 * clock.step(1000); // prints "tick"
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.t = start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  after(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  /** Moves time forward (or backwards, with a negative ms) and fires every timer now due. */
  step(ms: number): void {
    this.set(new Date(this.t + ms));
  }

  set(to: Date): void {
    this.t = to.getTime();
    for (;;) {
      const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) return;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
