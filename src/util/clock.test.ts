import { afterEach, expect, test, vi } from 'vitest';
import { realClock } from './clock.js';

afterEach(() => {
  vi.useRealTimers();
});

const DAY = 24 * 3600 * 1000;

test.each([
  { name: 'a timer within setTimeout range fires when due', ms: 1500 },
  { name: 'a timer beyond setTimeout range (40 days) fires when due, not at once', ms: 40 * DAY },
  { name: 'a timer of 100 days waits in several steps and fires when due', ms: 100 * DAY },
])('$name', ({ ms }) => {
  vi.useFakeTimers();
  let fired = 0;
  realClock.setTimer(ms, () => fired++);
  vi.advanceTimersByTime(ms - 1);
  expect(fired).toBe(0);
  vi.advanceTimersByTime(1);
  expect(fired).toBe(1);
});

test('cancelling a long timer between its steps stops it', () => {
  vi.useFakeTimers();
  let fired = 0;
  const cancel = realClock.setTimer(60 * DAY, () => fired++);
  vi.advanceTimersByTime(30 * DAY);
  cancel();
  vi.advanceTimersByTime(60 * DAY);
  expect(fired).toBe(0);
});
