import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { FakeClock } from '../util/clock.js';
import { PriorityGate } from './priority.js';
import { WorkQueue } from './workqueue.js';

const quiet = pino({ level: 'silent' });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A queue whose handler records the keys and holds each until released. */
function recordingQueue(gate: PriorityGate, urgent: boolean) {
  const queue = new WorkQueue(new FakeClock(), { gate, urgent });
  const handled: string[] = [];
  const holds = new Map<string, () => void>();
  const running = queue.run(
    1,
    (key) =>
      new Promise<void>((resolve) => {
        handled.push(key);
        holds.set(key, resolve);
      }),
    quiet,
  );
  const release = async (key: string) => {
    await expect.poll(() => holds.has(key)).toBe(true);
    holds.get(key)?.();
    holds.delete(key);
    await turn();
  };
  return { queue, handled, release, running };
}

describe('PriorityGate', () => {
  test('nothing waits while no urgent queue has keys', () => {
    expect(new PriorityGate().wait()).toBeUndefined();
  });

  test('other queues take no new key while an urgent one has keys queued or in progress', async () => {
    const gate = new PriorityGate();
    const urgent = recordingQueue(gate, true);
    const other = recordingQueue(gate, false);
    urgent.queue.add('cronjob-a');
    urgent.queue.add('cronjob-b');
    other.queue.add('pod-1');
    await turn();
    await urgent.release('cronjob-a');
    expect(other.handled).toEqual([]);
    await urgent.release('cronjob-b');
    await expect.poll(() => other.handled).toEqual(['pod-1']);
    await other.release('pod-1');
    urgent.queue.shutdown();
    other.queue.shutdown();
    await Promise.all([urgent.running, other.running]);
  });

  test('a key the other queue is already handling finishes while urgent work waits', async () => {
    const gate = new PriorityGate();
    const urgent = recordingQueue(gate, true);
    const other = recordingQueue(gate, false);
    other.queue.add('pod-1');
    await expect.poll(() => other.handled).toEqual(['pod-1']);
    urgent.queue.add('cronjob-a');
    other.queue.add('pod-2');
    await other.release('pod-1');
    expect(other.handled).toEqual(['pod-1']);
    await urgent.release('cronjob-a');
    await expect.poll(() => other.handled).toEqual(['pod-1', 'pod-2']);
    await other.release('pod-2');
    urgent.queue.shutdown();
    other.queue.shutdown();
    await Promise.all([urgent.running, other.running]);
  });
});
