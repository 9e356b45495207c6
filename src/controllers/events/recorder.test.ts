import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { newTestApi } from '../../../test/fakes/api.js';
import { type Event, events } from '../../api/core/v1/event.js';
import { ApiError } from '../../api/meta/status.js';
import type { KubeObject } from '../../api/meta/types.js';
import type { Client, ResourceClient } from '../../client/client.js';
import { FakeClock } from '../../util/clock.js';
import { EventBroadcaster, goSprintf } from './recorder.js';
import type { EventRecorder } from './types.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const quiet = pino({ level: 'silent' });

const job = (name = 'pi', namespace = 'default'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: '42' },
});
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'uid-node' } };

interface Env {
  recorder: EventRecorder;
  clock: FakeClock;
}

async function run(steps: (env: Env) => void | Promise<void>) {
  const clock = new FakeClock(T0);
  const { client } = await newTestApi(clock);
  const broadcaster = new EventBroadcaster({ client, clock, log: quiet });
  await steps({ recorder: broadcaster.newRecorder({ component: 'job-controller' }), clock });
  await broadcaster.flush();
  const list = await client.resource(events).list();
  // In the order they were first written: names end in the hex time, so sort on firstTimestamp then name.
  return list.items.sort(
    (a, b) =>
      (a.firstTimestamp ?? '').localeCompare(b.firstTimestamp ?? '') ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

const cases: Array<{
  name: string;
  steps: (env: Env) => void | Promise<void>;
  want: (evs: Event[]) => void;
}> = [
  {
    name: 'the first event about a job is created with upstream fields',
    steps: ({ recorder }) => recorder.event(job(), 'Normal', 'SuccessfulCreate', 'Created pod: pi-abcde'),
    want: (evs) => {
      expect(evs).toHaveLength(1);
      const ev = evs[0]!;
      expect(ev.metadata.name).toBe(`pi.${(BigInt(T0.getTime()) * 1_000_000n).toString(16)}`);
      expect(ev).toMatchObject({
        metadata: { namespace: 'default' },
        involvedObject: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          namespace: 'default',
          name: 'pi',
          uid: 'uid-pi',
          resourceVersion: '42',
        },
        reason: 'SuccessfulCreate',
        message: 'Created pod: pi-abcde',
        source: { component: 'job-controller' },
        firstTimestamp: '2026-01-01T00:00:00Z',
        lastTimestamp: '2026-01-01T00:00:00Z',
        count: 1,
        type: 'Normal',
        reportingComponent: 'job-controller',
        reportingInstance: '',
      });
    },
  },
  {
    name: 'an identical event a minute later increments the count of the first instead of creating another',
    steps: async ({ recorder, clock }) => {
      recorder.event(job(), 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      clock.step(60_000);
      recorder.event(job(), 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      clock.step(60_000);
      recorder.event(job(), 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    },
    want: (evs) => {
      expect(evs).toHaveLength(1);
      expect(evs[0]).toMatchObject({
        count: 3,
        firstTimestamp: '2026-01-01T00:00:00Z',
        lastTimestamp: '2026-01-01T00:02:00Z',
      });
    },
  },
  {
    name: 'the same reason with another message is a separate event',
    steps: ({ recorder }) => {
      recorder.event(job(), 'Normal', 'SuccessfulCreate', 'Created pod: pi-1');
      recorder.event(job(), 'Normal', 'SuccessfulCreate', 'Created pod: pi-2');
    },
    want: (evs) =>
      expect(evs.map((e) => [e.message, e.count])).toEqual([
        ['Created pod: pi-1', 1],
        ['Created pod: pi-2', 1],
      ]),
  },
  {
    name: 'eleven similar events within ten minutes leave nine events and one combined event counted twice',
    steps: ({ recorder, clock }) => {
      for (let i = 1; i <= 11; i++) {
        recorder.eventf(job(), 'Normal', 'SuccessfulCreate', 'Created pod: %v', `pi-${i}`);
        clock.step(1000);
      }
    },
    want: (evs) => {
      expect(evs).toHaveLength(10);
      expect(evs.slice(0, 9).map((e) => e.message)).toEqual(
        Array.from({ length: 9 }, (_, i) => `Created pod: pi-${i + 1}`),
      );
      expect(evs[9]).toMatchObject({
        message: '(combined from similar events): Created pod: pi-11',
        count: 2,
        reason: 'SuccessfulCreate',
        firstTimestamp: '2026-01-01T00:00:09Z',
        lastTimestamp: '2026-01-01T00:00:10Z',
        source: { component: 'job-controller' },
      });
    },
  },
  {
    name: 'similar events more than ten minutes apart are not combined',
    steps: ({ recorder, clock }) => {
      for (let i = 1; i <= 11; i++) {
        recorder.eventf(job(), 'Normal', 'SuccessfulCreate', 'Created pod: %v', `pi-${i}`);
        clock.step(601_000);
      }
    },
    want: (evs) => {
      expect(evs).toHaveLength(11);
      expect(evs.some((e) => e.message?.startsWith('(combined'))).toBe(false);
    },
  },
  {
    name: 'the spam filter lets 25 events about one object through, then one more every five minutes',
    steps: ({ recorder, clock }) => {
      for (let i = 1; i <= 30; i++) recorder.event(job(), 'Normal', `Reason${i}`, 'm');
      clock.step(299_000);
      recorder.event(job(), 'Normal', 'Late1', 'm'); // no token back yet
      clock.step(1_000);
      recorder.event(job(), 'Normal', 'Late2', 'm'); // five minutes on: one token
      recorder.event(job(), 'Normal', 'Late3', 'm');
    },
    want: (evs) => {
      expect(evs).toHaveLength(26);
      expect(evs.at(-1)?.reason).toBe('Late2');
    },
  },
  {
    name: 'the spam filter is per object: another job still has its burst',
    steps: ({ recorder }) => {
      for (let i = 1; i <= 30; i++) recorder.event(job('a'), 'Normal', `Reason${i}`, 'm');
      recorder.event(job('b'), 'Normal', 'Reason1', 'm');
    },
    want: (evs) => {
      expect(evs.filter((e) => e.involvedObject?.name === 'a')).toHaveLength(25);
      expect(evs.filter((e) => e.involvedObject?.name === 'b')).toHaveLength(1);
    },
  },
  {
    name: 'a repeat dropped by the spam filter still counts: the next one written carries every occurrence',
    steps: ({ recorder, clock }) => {
      for (let i = 1; i <= 25; i++) recorder.event(job(), 'Normal', `Reason${i}`, 'm');
      recorder.event(job(), 'Normal', 'Reason1', 'm'); // dropped, but counted
      clock.step(300_000);
      recorder.event(job(), 'Normal', 'Reason1', 'm');
    },
    want: (evs) => expect(evs.find((e) => e.reason === 'Reason1')?.count).toBe(3),
  },
  {
    name: 'an event about a node goes to the default namespace without an involved namespace',
    steps: ({ recorder }) =>
      recorder.event(node, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady'),
    want: (evs) => {
      expect(evs).toHaveLength(1);
      expect(evs[0]?.metadata.namespace).toBe('default');
      expect(evs[0]?.involvedObject).toEqual({
        apiVersion: 'v1',
        kind: 'Node',
        name: 'node-1',
        uid: 'uid-node',
      });
    },
  },
  {
    name: 'events recorded at the same instant get distinct names',
    steps: ({ recorder }) => {
      recorder.event(job(), 'Normal', 'A', 'a');
      recorder.event(job(), 'Normal', 'B', 'b');
    },
    want: (evs) => {
      expect(evs).toHaveLength(2);
      expect(new Set(evs.map((e) => e.metadata.name)).size).toBe(2);
    },
  },
  {
    name: 'an event about an object in a missing namespace is dropped and later events are still written',
    steps: ({ recorder }) => {
      recorder.event(job('x', 'no-such-namespace'), 'Normal', 'A', 'a');
      recorder.event(job(), 'Normal', 'B', 'b');
    },
    want: (evs) => expect(evs.map((e) => e.reason)).toEqual(['B']),
  },
  {
    name: 'an object whose name would make an invalid event name gets a UUID-named event',
    steps: ({ recorder }) => recorder.event(job('a'.repeat(250)), 'Normal', 'A', 'a'),
    want: (evs) => expect(evs[0]?.metadata.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/),
  },
];

describe('the event recorder on an in-process API', () => {
  for (const tc of cases) test(tc.name, async () => tc.want(await run(tc.steps)));

  test('a repeat of an event deleted meanwhile is created again, with its count', async () => {
    const clock = new FakeClock(T0);
    const { client } = await newTestApi(clock);
    const broadcaster = new EventBroadcaster({ client, clock, log: quiet });
    const recorder = broadcaster.newRecorder({ component: 'kubelet', host: 'node-1' });
    recorder.event(job(), 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    const api = client.resource(events, 'default');
    const [first] = (await api.list()).items;
    await api.delete(first?.metadata.name ?? '');
    clock.step(10_000);
    recorder.event(job(), 'Warning', 'BackOff', 'Back-off restarting failed container');
    await broadcaster.flush();
    const [again] = (await api.list()).items;
    expect(again).toMatchObject({
      metadata: { name: first?.metadata.name },
      count: 2,
      source: { component: 'kubelet', host: 'node-1' },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
      lastTimestamp: '2026-01-01T00:00:10Z',
    });
  });
});

describe('failures never reach the caller', () => {
  const failing = (how: 'throw' | 'reject'): Client => ({
    resource: <T extends KubeObject>() => {
      const fail = () => {
        if (how === 'throw') throw new Error('boom');
        return Promise.reject(
          new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500 }),
        );
      };
      return { create: fail, patch: fail } as unknown as ResourceClient<T>;
    },
  });
  for (const how of ['throw', 'reject'] as const)
    test(`a client that ${how}s on every write leaves event() silent and flush() resolved`, async () => {
      const clock = new FakeClock(T0);
      const broadcaster = new EventBroadcaster({ client: failing(how), clock, log: quiet });
      const recorder = broadcaster.newRecorder({ component: 'job-controller' });
      expect(() => {
        recorder.event(job(), 'Normal', 'A', 'a');
        recorder.event(job(), 'Normal', 'A', 'a');
        recorder.eventf(job(), 'Warning', 'B', '%d pods', 3);
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        recorder.eventf(job(), 'Warning', 'C', 'odd %v %v', cyclic, 10n);
      }).not.toThrow();
      await expect(broadcaster.flush()).resolves.toBeUndefined();
    });

  test('writes beyond the queue bound are dropped while the writer is stuck', async () => {
    const clock = new FakeClock(T0);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let created = 0;
    const client: Client = {
      resource: <T extends KubeObject>() =>
        ({
          create: async (o: T) => {
            await gate;
            created++;
            return o;
          },
        }) as unknown as ResourceClient<T>,
    };
    const broadcaster = new EventBroadcaster({ client, clock, log: quiet, maxQueued: 2 });
    const recorder = broadcaster.newRecorder({ component: 'job-controller' });
    recorder.event(job(), 'Normal', 'R0', 'm');
    await Promise.resolve(); // the writer takes R0 and waits on the gate
    await Promise.resolve();
    for (let i = 1; i <= 5; i++) recorder.event(job(), 'Normal', `R${i}`, 'm');
    release();
    await broadcaster.flush();
    expect(created).toBe(3);
  });

  test('with a write limit, writes wait for tokens and what waits beyond the queue is dropped', async () => {
    const clock = new FakeClock(T0);
    const { client, created } = reasonsClient();
    const broadcaster = new EventBroadcaster({
      client,
      clock,
      log: quiet,
      maxQueued: 3,
      writeLimit: { qps: 2, burst: 2 },
    });
    const recorder = broadcaster.newRecorder({ component: 'kubelet' });
    for (let i = 0; i < 8; i++) recorder.event(job(`j${i}`), 'Normal', `R${i}`, 'm');
    for (let i = 0; i < 5; i++) await Promise.resolve();
    // Three fit in the queue (R3..R7 are dropped); the burst of two goes at once.
    expect(created).toEqual(['R0', 'R1']);
    clock.step(499);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(created).toEqual(['R0', 'R1']);
    clock.step(1);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(created).toEqual(['R0', 'R1', 'R2']);
    clock.step(1000);
    await broadcaster.flush();
    expect(created).toEqual(['R0', 'R1', 'R2']);
  });

  test('shutdown writes what waits for tokens at once', async () => {
    const clock = new FakeClock(T0);
    const { client, created } = reasonsClient();
    const broadcaster = new EventBroadcaster({ client, clock, log: quiet, writeLimit: { qps: 1, burst: 1 } });
    const recorder = broadcaster.newRecorder({ component: 'kubelet' });
    for (let i = 0; i < 4; i++) recorder.event(job(`j${i}`), 'Normal', `R${i}`, 'm');
    await broadcaster.shutdown();
    expect(created).toEqual(['R0', 'R1', 'R2', 'R3']);
  });

  test('after shutdown, events are ignored', async () => {
    const clock = new FakeClock(T0);
    const { client } = await newTestApi(clock);
    const broadcaster = new EventBroadcaster({ client, clock, log: quiet });
    const recorder = broadcaster.newRecorder({ component: 'job-controller' });
    recorder.event(job(), 'Normal', 'Before', 'm');
    await broadcaster.shutdown();
    recorder.event(job(), 'Normal', 'After', 'm');
    await broadcaster.flush();
    expect((await client.resource(events).list()).items.map((e) => e.reason)).toEqual(['Before']);
  });
});

/** A client whose creates only note the event's reason. */
function reasonsClient(): { client: Client; created: string[] } {
  const created: string[] = [];
  const client: Client = {
    resource: <T extends KubeObject>() =>
      ({
        create: async (o: T & { reason?: string }) => {
          created.push(o.reason ?? '');
          return o;
        },
      }) as unknown as ResourceClient<T>,
  };
  return { client, created };
}

describe('Go formatting of event messages', () => {
  const cases: Array<{ name: string; format: string; args: unknown[]; want: string }> = [
    {
      name: '%v prints a string as is',
      format: 'Created pod: %v',
      args: ['pi-1'],
      want: 'Created pod: pi-1',
    },
    {
      name: '%v prints an error by its message',
      format: 'Error creating: %v',
      args: [new Error('quota')],
      want: 'Error creating: quota',
    },
    { name: '%d prints an integer', format: '%d of %d', args: [1, 2], want: '1 of 2' },
    { name: '%q quotes a string', format: 'name %q', args: ['a"b'], want: 'name "a\\"b"' },
    { name: '%% is a percent sign', format: '100%% done', args: [], want: '100% done' },
    {
      name: 'a missing argument is marked as Go marks it',
      format: '%s and %s',
      args: ['a'],
      want: 'a and %!s(MISSING)',
    },
    {
      name: 'an extra argument is marked as Go marks it',
      format: 'done',
      args: [3],
      want: 'done%!(EXTRA int=3)',
    },
    { name: '%d of a string is a bad verb', format: '%d', args: ['x'], want: '%!d(string=x)' },
  ];
  for (const tc of cases) test(tc.name, () => expect(goSprintf(tc.format, tc.args)).toBe(tc.want));
});
