import { describe, expect, test } from 'vitest';
import {
  type Correlation,
  EventCorrelator,
  LruCache,
  type RecordedEvent,
  TokenBucket,
} from './correlator.js';

const ev = (reason: string, message: string, name = 'pi'): RecordedEvent => ({
  metadata: { name: `${name}.new`, namespace: 'default' },
  involvedObject: { kind: 'Job', namespace: 'default', name, uid: `uid-${name}`, apiVersion: 'batch/v1' },
  reason,
  message,
  source: { component: 'job-controller' },
  firstTimestamp: 'first',
  lastTimestamp: 'last',
  count: 1,
  type: 'Normal',
  reportingComponent: 'job-controller',
  reportingInstance: '',
});

const summary = (c: Correlation) =>
  c.kind === 'skip'
    ? 'skip'
    : c.kind === 'create'
      ? `create ${c.event.message}`
      : `patch ${c.event.metadata.name} #${c.patch.count} ${c.patch.message}`;

describe('correlation sequences', () => {
  const cases: Array<{
    name: string;
    events: Array<[number, RecordedEvent]>;
    want: string[];
    opts?: object;
  }> = [
    {
      name: 'a repeat is a patch of the first event with the next count and the new lastTimestamp',
      events: [
        [0, ev('A', 'a')],
        [1000, ev('A', 'a')],
      ],
      want: ['create a', 'patch pi.new #2 a'],
    },
    {
      name: 'reaching the limit of distinct messages for a reason starts a combined event, and the next one patches it',
      opts: { aggregateMaxEvents: 3 },
      events: [
        [0, ev('A', 'a1')],
        [0, ev('A', 'a2')],
        [0, ev('A', 'a3')],
        [0, ev('A', 'a4')],
      ],
      want: [
        'create a1',
        'create a2',
        'create (combined from similar events): a3',
        'patch gen-pi-0 #2 (combined from similar events): a4',
      ],
    },
    {
      name: 'once combining, a message still remembered is counted on its own event again',
      opts: { aggregateMaxEvents: 3 },
      events: [
        [0, ev('A', 'a1')],
        [0, ev('A', 'a2')],
        [0, ev('A', 'a3')],
        [0, ev('A', 'a2')],
      ],
      want: ['create a1', 'create a2', 'create (combined from similar events): a3', 'patch pi.new #2 a2'],
    },
    {
      name: 'the spam bucket empties after the burst and refills with time',
      opts: { spamBurst: 2, spamRefillMs: 1000 },
      events: [
        [0, ev('A', 'a')],
        [0, ev('B', 'b')],
        [0, ev('C', 'c')],
        [999, ev('D', 'd')],
        [1000, ev('E', 'e')],
      ],
      want: ['create a', 'create b', 'skip', 'skip', 'create e'],
    },
    {
      name: 'a clock moving backwards adds no spam tokens',
      opts: { spamBurst: 1, spamRefillMs: 1000 },
      events: [
        [5000, ev('A', 'a')],
        [0, ev('B', 'b')],
        [999, ev('C', 'c')],
        [1000, ev('D', 'd')],
      ],
      want: ['create a', 'skip', 'skip', 'create d'],
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      let n = 0;
      const c = new EventCorrelator({ eventName: (o) => `gen-${o}-${n++}`, ...tc.opts });
      expect(tc.events.map(([t, e]) => summary(c.correlate(e, t)))).toEqual(tc.want);
    });
});

test('the LRU cache forgets the least recently used key', () => {
  const lru = new LruCache<number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  lru.get('a');
  lru.set('c', 3);
  expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([1, undefined, 3, 2]);
});

test('a token bucket starts full', () => {
  const b = new TokenBucket(3, 1000, 0);
  expect([b.tryTake(0), b.tryTake(0), b.tryTake(0), b.tryTake(0)]).toEqual([true, true, true, false]);
});
