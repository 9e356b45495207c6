import { afterEach, describe, expect, test } from 'vitest';
import {
  CompactedError,
  type DeleteResult,
  FutureRevisionError,
  type KeyValue,
  type ListOptions,
  type Store,
  type StoreEvent,
  type WriteResult,
} from './store.js';

export interface ConformanceOptions<S extends Store> {
  /** Closes the store and opens the same data again; given for stores that persist. */
  reopen?: (store: S) => Promise<S>;
}

const K = '/registry/jobs/default/pi';

/** A write to K, in the tables below. */
type Op = ['create', string] | ['update', string, number] | ['delete'] | ['delete', number];

function run(s: Store, op: Op): Promise<WriteResult | DeleteResult> {
  switch (op[0]) {
    case 'create':
      return s.create(K, op[1]);
    case 'update':
      return s.update(K, op[1], op[2]);
    case 'delete':
      return s.delete(K, op[1]);
  }
}

const kv = (value: string, createRevision: number, modRevision: number, key = K): KeyValue => ({
  key,
  value,
  createRevision,
  modRevision,
});

/** Events in a form every backend agrees on: a delete's own value is not part of the contract. */
function summarize(events: StoreEvent[]): unknown[] {
  return events.map((e) =>
    e.type === 'put'
      ? { type: 'put', kv: e.kv, ...(e.prev && { prev: e.prev }) }
      : { type: 'delete', key: e.kv.key, modRevision: e.kv.modRevision, prev: e.prev },
  );
}

/** Records what a watch delivers: every event in order, and the size of each callback's batch. */
function recorder() {
  const events: StoreEvent[] = [];
  return {
    events,
    revisions: () => events.map((e) => e.kv.modRevision),
    onEvents: (batch: StoreEvent[]) => {
      events.push(...batch);
    },
  };
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Declares the vitest suite every Store implementation must pass: compare-and-swap writes,
 * revisions, reads at past revisions, paging one snapshot, watch replay and live delivery,
 * compaction, and (with `reopen`) persistence.
 * @example
 * storeConformance('memory', () => new MemoryStore());
 * storeConformance('sqlite', () => openSqliteStore(tmpFile()), {
 *   reopen: async (s) => { await s.close(); return openSqliteStore(s.file); },
 * });
 */
export function storeConformance<S extends Store>(
  name: string,
  makeStore: () => S | Promise<S>,
  opts: ConformanceOptions<S> = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let open: S[] = [];
    const fresh = async (): Promise<S> => {
      const s = await makeStore();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of open) await s.close();
      open = [];
    });

    describe('compare-and-swap writes', () => {
      const cases: Array<{
        name: string;
        given: Op[];
        when: Op;
        want: WriteResult | DeleteResult;
        wantGet: KeyValue | undefined;
      }> = [
        {
          name: 'create of a new key succeeds with createRevision = modRevision = the new revision',
          given: [],
          when: ['create', 'v1'],
          want: { ok: true, kv: kv('v1', 1, 1) },
          wantGet: kv('v1', 1, 1),
        },
        {
          name: 'create of an existing key fails and returns the current value',
          given: [['create', 'v1']],
          when: ['create', 'v2'],
          want: { ok: false, current: kv('v1', 1, 1) },
          wantGet: kv('v1', 1, 1),
        },
        {
          name: 'update at the current revision succeeds, keeps createRevision and returns prev',
          given: [['create', 'v1']],
          when: ['update', 'v2', 1],
          want: { ok: true, kv: kv('v2', 1, 2), prev: kv('v1', 1, 1) },
          wantGet: kv('v2', 1, 2),
        },
        {
          name: 'update at a stale revision fails and returns the current value',
          given: [
            ['create', 'v1'],
            ['update', 'v2', 1],
          ],
          when: ['update', 'v3', 1],
          want: { ok: false, current: kv('v2', 1, 2) },
          wantGet: kv('v2', 1, 2),
        },
        {
          name: 'update of a missing key fails with no current value',
          given: [],
          when: ['update', 'v1', 0],
          want: { ok: false },
          wantGet: undefined,
        },
        {
          name: 'update of a deleted key fails',
          given: [['create', 'v1'], ['delete']],
          when: ['update', 'v2', 1],
          want: { ok: false },
          wantGet: undefined,
        },
        {
          name: 'delete without an expected revision removes the key and returns prev',
          given: [['create', 'v1']],
          when: ['delete'],
          want: { ok: true, revision: 2, prev: kv('v1', 1, 1) },
          wantGet: undefined,
        },
        {
          name: 'delete at the current revision succeeds',
          given: [
            ['create', 'v1'],
            ['update', 'v2', 1],
          ],
          when: ['delete', 2],
          want: { ok: true, revision: 3, prev: kv('v2', 1, 2) },
          wantGet: undefined,
        },
        {
          name: 'delete at a stale revision fails and returns the current value',
          given: [
            ['create', 'v1'],
            ['update', 'v2', 1],
          ],
          when: ['delete', 1],
          want: { ok: false, current: kv('v2', 1, 2) },
          wantGet: kv('v2', 1, 2),
        },
        {
          name: 'delete of a missing key fails',
          given: [],
          when: ['delete'],
          want: { ok: false },
          wantGet: undefined,
        },
        {
          name: 'create after a delete starts a new life with a new createRevision',
          given: [['create', 'v1'], ['delete']],
          when: ['create', 'v2'],
          want: { ok: true, kv: kv('v2', 3, 3) },
          wantGet: kv('v2', 3, 3),
        },
      ];
      for (const tc of cases) {
        test(tc.name, async () => {
          const s = await fresh();
          for (const op of tc.given) expect((await run(s, op)).ok).toBe(true);
          const before = await s.currentRevision();
          const got = await run(s, tc.when);
          expect(got).toStrictEqual(tc.want);
          expect(await s.get(K)).toStrictEqual(tc.wantGet);
          // A failed write consumes no revision; a successful one exactly one.
          expect(await s.currentRevision()).toBe(before + (tc.want.ok ? 1 : 0));
        });
      }
    });

    describe('writes issued together', () => {
      test('apply in the order issued, each seeing the ones before it', async () => {
        const s = await fresh();
        const [a, again, b] = await Promise.all([
          s.create('/p/a', '1'),
          s.create('/p/a', '2'),
          s.create('/p/b', '1'),
        ]);
        expect([a.ok, again.ok, b.ok]).toEqual([true, false, true]);
        expect(again).toMatchObject({ current: { value: '1', modRevision: 1 } });
        expect(b).toMatchObject({ kv: { modRevision: 2 } });
      });

      test('an update based on the revision of a write issued with it succeeds, a stale one fails', async () => {
        const s = await fresh();
        await s.create('/p/a', '1');
        const [first, stale, chained] = await Promise.all([
          s.update('/p/a', '2', 1),
          s.update('/p/a', '3', 1),
          s.update('/p/a', '4', 2),
        ]);
        expect([first.ok, stale.ok, chained.ok]).toEqual([true, false, true]);
        expect((await s.get('/p/a'))?.value).toBe('4');
        expect(await s.currentRevision()).toBe(3);
      });

      test('reach watchers in revision order, each exactly once', async () => {
        const s = await fresh();
        const w = recorder();
        s.watch('/p/', 0, w.onEvents);
        await Promise.all(Array.from({ length: 20 }, (_, i) => s.create(`/p/${i}`, '1')));
        await s.delete('/p/3');
        expect(w.revisions()).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      });
    });

    describe('revisions', () => {
      test('every successful write takes the next revision, across keys', async () => {
        const s = await fresh();
        expect(await s.currentRevision()).toBe(0);
        const revs = [
          (await s.create('/a', '1')).ok && (await s.currentRevision()),
          (await s.create('/b', '1')).ok && (await s.currentRevision()),
          (await s.update('/a', '2', 1)).ok && (await s.currentRevision()),
          (await s.delete('/b')).ok && (await s.currentRevision()),
        ];
        expect(revs).toEqual([1, 2, 3, 4]);
      });

      test('a revision is never reused after compaction removes the newest row', async () => {
        const s = await fresh();
        await s.create('/a', '1');
        await s.delete('/a');
        await s.compact(2);
        expect(await s.currentRevision()).toBe(2);
        expect(await s.create('/b', '1')).toMatchObject({ ok: true, kv: { modRevision: 3 } });
      });

      const reopen = opts.reopen;
      if (reopen) {
        const reopened = async (s: S): Promise<S> => {
          const next = await reopen(s);
          open = open.filter((x) => x !== s);
          open.push(next);
          return next;
        };

        test('values and history survive reopening', async () => {
          let s = await fresh();
          await s.create('/a', 'v1');
          await s.update('/a', 'v2', 1);
          s = await reopened(s);
          expect(await s.currentRevision()).toBe(2);
          expect(await s.get('/a')).toStrictEqual(kv('v2', 1, 2, '/a'));
          expect(await s.get('/a', 1)).toStrictEqual(kv('v1', 1, 1, '/a'));
        });

        test('the revision continues after reopening, even when compaction removed the newest row', async () => {
          let s = await fresh();
          await s.create('/a', 'v1');
          await s.update('/a', 'v2', 1);
          await s.delete('/a');
          await s.compact(3);
          s = await reopened(s);
          expect([await s.currentRevision(), await s.compactedRevision()]).toEqual([3, 3]);
          expect(await s.get('/a')).toBeUndefined();
          expect(await s.create('/a', 'v3')).toStrictEqual({ ok: true, kv: kv('v3', 4, 4, '/a') });
        });
      }
    });

    describe('reads at a revision', () => {
      // r1 create a, r2 create b, r3 update a, r4 delete b, r5 create c, r6 create a key outside
      // the prefix, r7 re-create b.
      const history = async (s: Store): Promise<void> => {
        await s.create('/p/a', 'a1');
        await s.create('/p/b', 'b1');
        await s.update('/p/a', 'a2', 1);
        await s.delete('/p/b');
        await s.create('/p/c', 'c1');
        await s.create('/p0', 'outside');
        await s.create('/p/b', 'b2');
      };
      const a1 = kv('a1', 1, 1, '/p/a');
      const a2 = kv('a2', 1, 3, '/p/a');
      const b1 = kv('b1', 2, 2, '/p/b');
      const b2 = kv('b2', 7, 7, '/p/b');
      const c1 = kv('c1', 5, 5, '/p/c');
      const snapshots: Array<{ revision: number; kvs: KeyValue[] }> = [
        { revision: 1, kvs: [a1] },
        { revision: 2, kvs: [a1, b1] },
        { revision: 3, kvs: [a2, b1] },
        { revision: 4, kvs: [a2] },
        { revision: 5, kvs: [a2, c1] },
        { revision: 6, kvs: [a2, c1] },
        { revision: 7, kvs: [a2, b2, c1] },
      ];

      for (const { revision, kvs } of snapshots) {
        test(`list and get at revision ${revision} answer as of that revision`, async () => {
          const s = await fresh();
          await history(s);
          expect(await s.list('/p/', { revision })).toStrictEqual({ kvs, revision, remaining: 0 });
          expect(await s.get('/p/b', revision)).toStrictEqual(kvs.find((x) => x.key === '/p/b'));
        });
      }

      test('no revision, or revision 0, reads the current state', async () => {
        const s = await fresh();
        await history(s);
        const want = { kvs: [a2, b2, c1], revision: 7, remaining: 0 };
        expect(await s.list('/p/')).toStrictEqual(want);
        expect(await s.list('/p/', { revision: 0 })).toStrictEqual(want);
        expect(await s.get('/p/a', 0)).toStrictEqual(a2);
      });

      test('compaction changes no answer at a revision after it, and refuses those at or before it', async () => {
        const s = await fresh();
        await history(s);
        await s.compact(3);
        expect(await s.compactedRevision()).toBe(3);
        for (const { revision, kvs } of snapshots) {
          if (revision <= 3) {
            await expect(s.list('/p/', { revision })).rejects.toBeInstanceOf(CompactedError);
            await expect(s.get('/p/a', revision)).rejects.toBeInstanceOf(CompactedError);
          } else {
            expect((await s.list('/p/', { revision })).kvs).toStrictEqual(kvs);
            expect(await s.get('/p/b', revision)).toStrictEqual(kvs.find((x) => x.key === '/p/b'));
          }
        }
      });

      test('a revision after the current one is refused with FutureRevisionError', async () => {
        const s = await fresh();
        await history(s);
        await expect(s.list('/p/', { revision: 8 })).rejects.toBeInstanceOf(FutureRevisionError);
        await expect(s.get('/p/a', 8)).rejects.toBeInstanceOf(FutureRevisionError);
        await expect(s.compact(8)).rejects.toBeInstanceOf(FutureRevisionError);
      });

      test('keys sort as byte strings and a prefix excludes its neighbours', async () => {
        const s = await fresh();
        for (const key of ['/p/b-1', '/p', '/p/b', '/p0', '/p/B', '/p/a', '/o/z']) await s.create(key, 'x');
        const { kvs } = await s.list('/p/');
        expect(kvs.map((x) => x.key)).toEqual(['/p/B', '/p/a', '/p/b', '/p/b-1']);
        expect((await s.list('')).kvs).toHaveLength(7);
      });
    });

    describe('paging', () => {
      const keys = range(0, 9).map((i) => `/p/k${i}`);
      const seed = async (s: Store): Promise<number> => {
        for (const key of keys) await s.create(key, `${key}=1`);
        return s.currentRevision();
      };
      const cases: Array<{ name: string; opts: ListOptions; want: string[]; remaining: number }> = [
        { name: 'no limit returns every key', opts: {}, want: keys, remaining: 0 },
        { name: 'limit 0 means no limit', opts: { limit: 0 }, want: keys, remaining: 0 },
        {
          name: 'a limit returns the first keys and counts the rest',
          opts: { limit: 3 },
          want: keys.slice(0, 3),
          remaining: 7,
        },
        {
          name: 'a limit equal to the key count leaves none remaining',
          opts: { limit: 10 },
          want: keys,
          remaining: 0,
        },
        { name: 'startKey is inclusive', opts: { startKey: '/p/k5' }, want: keys.slice(5), remaining: 0 },
        {
          name: 'startKey and limit page from the middle',
          opts: { startKey: '/p/k5', limit: 2 },
          want: ['/p/k5', '/p/k6'],
          remaining: 3,
        },
        {
          name: 'a startKey before the prefix starts at the prefix',
          opts: { startKey: '/a' },
          want: keys,
          remaining: 0,
        },
        {
          name: 'a startKey after the prefix returns nothing',
          opts: { startKey: '/q' },
          want: [],
          remaining: 0,
        },
      ];
      for (const tc of cases) {
        test(`at the current revision, ${tc.name}`, async () => {
          const s = await fresh();
          await seed(s);
          const got = await s.list('/p/', tc.opts);
          expect({ keys: got.kvs.map((x) => x.key), remaining: got.remaining }).toEqual({
            keys: tc.want,
            remaining: tc.remaining,
          });
        });
        test(`at a past revision, ${tc.name}`, async () => {
          const s = await fresh();
          const revision = await seed(s);
          // Churn that a read at `revision` must not see.
          await s.delete('/p/k1');
          await s.delete('/p/k7');
          await s.create('/p/k55', 'new');
          await s.update('/p/k5', 'changed', 6);
          await s.create('/p/k7', 'again');
          await s.delete('/p/k55');
          const got = await s.list('/p/', { ...tc.opts, revision });
          expect({ keys: got.kvs.map((x) => x.key), remaining: got.remaining }).toEqual({
            keys: tc.want,
            remaining: tc.remaining,
          });
        });
      }

      test('pages at one revision form a consistent snapshot while writes continue', async () => {
        const s = await fresh();
        await seed(s);
        const first = await s.list('/p/', { limit: 3 });
        const snapshot = first.revision;
        const pages = [first];
        const churn = [
          () => s.delete('/p/k5'),
          () => s.update('/p/k1', 'changed', 2),
          () => s.create('/p/k35', 'new'),
          () => s.update('/p/k8', 'changed', 9),
          () => s.create('/p/k99', 'new'),
        ];
        for (let last = first.kvs.at(-1); last; last = pages.at(-1)?.kvs.at(-1)) {
          await churn.shift()?.();
          // As upstream's continue token does: resume just after the last key returned.
          const page = await s.list('/p/', { startKey: `${last.key}\0`, limit: 3, revision: snapshot });
          if (page.kvs.length === 0) break;
          pages.push(page);
        }
        expect(pages.map((p) => p.remaining)).toEqual([7, 4, 1, 0]);
        expect(pages.every((p) => p.revision === snapshot)).toBe(true);
        expect(pages.flatMap((p) => p.kvs)).toStrictEqual((await s.list('/p/', { revision: snapshot })).kvs);
        expect(pages.flatMap((p) => p.kvs).map((x) => x.value)).toEqual(keys.map((k) => `${k}=1`));
      });
    });

    describe('count', () => {
      test('counts the live keys under a prefix', async () => {
        const s = await fresh();
        for (const key of ['/p/a', '/p/b', '/p/c', '/q/a', '/p0']) await s.create(key, 'x');
        await s.delete('/p/b');
        await s.update('/p/c', 'y', 3);
        const cases: Array<[prefix: string, want: number]> = [
          ['/p/', 2],
          ['/q/', 1],
          ['/r/', 0],
          ['', 4],
        ];
        for (const [prefix, want] of cases) expect([prefix, await s.count(prefix)]).toEqual([prefix, want]);
      });
    });

    describe('watch', () => {
      test('replays history after fromRevision, then delivers live events, with no gap or duplicate', async () => {
        const s = await fresh();
        for (const i of range(1, 5)) await s.create(`/p/k${i}`, 'v1');
        const w = recorder();
        s.watch('/p/', 2, w.onEvents);
        expect(w.revisions()).toEqual([3, 4, 5]);
        for (const i of range(1, 5)) await s.update(`/p/k${i}`, 'v2', i);
        await s.delete('/p/k1');
        expect(w.revisions()).toEqual(range(3, 11));
      });

      test('a watch from the current revision delivers only later events', async () => {
        const s = await fresh();
        await s.create('/p/a', '1');
        const w = recorder();
        s.watch('/p/', await s.currentRevision(), w.onEvents);
        expect(w.events).toEqual([]);
        await s.create('/p/b', '1');
        expect(w.revisions()).toEqual([2]);
      });

      test('a watch from a future revision delivers only events after it', async () => {
        const s = await fresh();
        const w = recorder();
        s.watch('/p/', 2, w.onEvents);
        for (const key of ['/p/a', '/p/b', '/p/c']) await s.create(key, '1');
        expect(w.revisions()).toEqual([3]);
      });

      test('live events are delivered before the write resolves', async () => {
        const s = await fresh();
        const w = recorder();
        s.watch('/p/', 0, w.onEvents);
        // The continuation of the write runs after its promise settles: the event is there by then.
        expect(await s.create('/p/a', '1').then(() => w.revisions())).toEqual([1]);
      });

      test('a watch sees only keys under its prefix', async () => {
        const s = await fresh();
        const w = recorder();
        await s.create('/p/a', '1');
        await s.create('/p0', '1');
        s.watch('/p/', 0, w.onEvents);
        await s.create('/p', '1');
        await s.create('/p/b', '1');
        await s.create('/q/b', '1');
        expect(w.events.map((e) => e.kv.key)).toEqual(['/p/a', '/p/b']);
      });

      const lifecycle = async (s: Store): Promise<void> => {
        await s.create('/p/a', 'v1');
        await s.update('/p/a', 'v2', 1);
        await s.delete('/p/a');
        await s.create('/p/a', 'v3');
      };
      const lifecycleEvents = [
        { type: 'put', kv: kv('v1', 1, 1, '/p/a') },
        { type: 'put', kv: kv('v2', 1, 2, '/p/a'), prev: kv('v1', 1, 1, '/p/a') },
        { type: 'delete', key: '/p/a', modRevision: 3, prev: kv('v2', 1, 2, '/p/a') },
        { type: 'put', kv: kv('v3', 4, 4, '/p/a') },
      ];

      test('live events carry prev on update and delete, and none on create', async () => {
        const s = await fresh();
        const w = recorder();
        s.watch('/p/', 0, w.onEvents);
        await lifecycle(s);
        expect(summarize(w.events)).toStrictEqual(lifecycleEvents);
      });

      test('replayed events carry the same prev values as live ones', async () => {
        const s = await fresh();
        await lifecycle(s);
        const w = recorder();
        s.watch('/p/', 0, w.onEvents);
        expect(summarize(w.events)).toStrictEqual(lifecycleEvents);
      });

      test('a replay after compaction still carries prev for updates after the compacted revision', async () => {
        const s = await fresh();
        await s.create('/p/a', 'v1');
        await s.update('/p/a', 'v2', 1);
        await s.update('/p/a', 'v3', 2);
        await s.delete('/p/a');
        await s.compact(2);
        const w = recorder();
        s.watch('/p/', 2, w.onEvents);
        expect(summarize(w.events)).toStrictEqual([
          { type: 'put', kv: kv('v3', 1, 3, '/p/a'), prev: kv('v2', 1, 2, '/p/a') },
          { type: 'delete', key: '/p/a', modRevision: 4, prev: kv('v3', 1, 3, '/p/a') },
        ]);
      });

      test('a long history is replayed whole and in order', async () => {
        const s = await fresh();
        for (const i of range(1, 1200)) await s.create(`/p/k${i}`, 'x');
        const w = recorder();
        s.watch('/p/', 0, w.onEvents);
        expect(w.revisions()).toEqual(range(1, 1200));
      });

      test('a watch from before the compacted revision throws CompactedError; from it, it works', async () => {
        const s = await fresh();
        for (const key of ['/p/a', '/p/b', '/p/c']) await s.create(key, '1');
        await s.compact(2);
        expect(() => s.watch('/p/', 1, () => {})).toThrow(CompactedError);
        const w = recorder();
        s.watch('/p/', 2, w.onEvents);
        expect(w.revisions()).toEqual([3]);
      });

      test('cancel stops delivery', async () => {
        const s = await fresh();
        const w = recorder();
        const watcher = s.watch('/p/', 0, w.onEvents);
        await s.create('/p/a', '1');
        watcher.cancel();
        await s.create('/p/b', '1');
        expect(w.revisions()).toEqual([1]);
      });

      test('a callback that throws fails neither the write nor other watchers', async () => {
        const s = await fresh();
        s.watch('/p/', 0, () => {
          throw new Error('broken watcher');
        });
        const w = recorder();
        s.watch('/p/', 0, w.onEvents);
        expect(await s.create('/p/a', '1')).toMatchObject({ ok: true });
        expect(w.revisions()).toEqual([1]);
      });

      test('a write from inside a callback reaches every watcher after the event being delivered', async () => {
        const s = await fresh();
        const writer = recorder();
        let nested: Promise<unknown> | undefined;
        s.watch('/p/', 0, (events) => {
          writer.onEvents(events);
          if (events.some((e) => e.kv.key === '/p/a')) nested = s.create('/p/b', '1');
        });
        const other = recorder();
        s.watch('/p/', 0, other.onEvents);
        await s.create('/p/a', '1');
        await nested;
        expect([writer.revisions(), other.revisions()]).toEqual([
          [1, 2],
          [1, 2],
        ]);
      });

      test('a watch started from inside a callback sees each revision exactly once', async () => {
        const s = await fresh();
        const nested = recorder();
        s.watch('/p/', 0, (events) => {
          if (events.some((e) => e.kv.key === '/p/a')) {
            void s.create('/p/b', '1');
            s.watch('/p/', 0, nested.onEvents);
          }
        });
        await s.create('/p/a', '1');
        await s.create('/p/c', '1');
        expect(nested.revisions()).toEqual([1, 2, 3]);
      });
    });

    describe('compaction', () => {
      test('keeps every live key with its latest value and forgets deleted ones', async () => {
        const s = await fresh();
        for (const i of range(1, 20)) await s.create(`/p/k${i}`, 'v1');
        for (const i of range(1, 20)) await s.update(`/p/k${i}`, 'v2', i);
        for (const i of range(1, 20)) if (i % 3 === 0) await s.delete(`/p/k${i}`);
        await s.update('/p/k1', 'v3', 21);
        const before = await s.list('/p/');
        const rev = await s.currentRevision();
        await s.compact(rev);
        expect(await s.compactedRevision()).toBe(rev);
        expect(await s.list('/p/')).toStrictEqual(before);
        expect(await s.get('/p/k1')).toStrictEqual(kv('v3', 1, rev, '/p/k1'));
        expect(await s.get('/p/k3')).toBeUndefined();
        expect(await s.count('/p/')).toBe(14);
        // Deleted keys come back as new lives, updated keys keep updating.
        expect(await s.create('/p/k3', 'again')).toMatchObject({ ok: true, kv: { createRevision: rev + 1 } });
        expect(await s.update('/p/k2', 'v3', 22)).toMatchObject({ ok: true, prev: kv('v2', 2, 22, '/p/k2') });
      });

      test('compacting at or below the compacted revision changes nothing', async () => {
        const s = await fresh();
        for (const key of ['/p/a', '/p/b', '/p/c']) await s.create(key, '1');
        await s.compact(2);
        await s.compact(1);
        await s.compact(2);
        expect(await s.compactedRevision()).toBe(2);
        expect((await s.list('/p/', { revision: 3 })).kvs).toHaveLength(3);
      });

      test('repeated compactions keep answering reads after the last one', async () => {
        const s = await fresh();
        for (const round of range(1, 5)) {
          for (const i of range(1, 10)) {
            const cur = await s.get(`/p/k${i}`);
            if (cur) await s.update(`/p/k${i}`, `r${round}`, cur.modRevision);
            else await s.create(`/p/k${i}`, `r${round}`);
          }
          if (round === 3) await s.delete('/p/k5');
          await s.compact((await s.currentRevision()) - 5);
        }
        const { kvs } = await s.list('/p/');
        expect(kvs.map((x) => x.value)).toEqual(range(1, 10).map(() => 'r5'));
        const w = recorder();
        s.watch('/p/', await s.compactedRevision(), w.onEvents);
        expect(w.events.every((e) => e.type === 'put' && e.prev?.value === 'r4')).toBe(true);
        expect(w.events).toHaveLength(5);
      });

      test('writes and reads continue while a compaction runs', async () => {
        const s = await fresh();
        for (const i of range(1, 300)) await s.create(`/p/k${i}`, 'v1');
        for (const i of range(1, 300)) await s.update(`/p/k${i}`, 'v2', i);
        const compacting = s.compact(await s.currentRevision());
        await s.create('/p/new', 'x');
        expect(await s.count('/p/')).toBe(301);
        await compacting;
        expect((await s.list('/p/')).kvs.map((x) => x.value).filter((v) => v === 'v2')).toHaveLength(300);
      });
    });
  });
}
