import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openSqliteStore, type SqliteStore } from './store.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batchd-group-'));
  store = openSqliteStore(join(dir, 'state.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Makes every insert of the value 'boom' fail inside the transaction, as a full disk would. */
function failOnBoom(): void {
  const db = new Database(join(dir, 'state.db'));
  db.exec(`CREATE TRIGGER boom BEFORE INSERT ON kv WHEN NEW.value = 'boom'
           BEGIN SELECT RAISE(ABORT, 'boom'); END`);
  db.close();
}

test('a commit that fails rejects every write issued with it and writes none of them', async () => {
  await store.create('/p/before', '1');
  failOnBoom();
  const events: number[] = [];
  store.watch('/p/', 1, (evs) => events.push(...evs.map((e) => e.kv.modRevision)));
  const results = await Promise.allSettled([store.create('/p/a', '1'), store.create('/p/b', 'boom')]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect(await store.get('/p/a')).toBeUndefined();
  expect(await store.currentRevision()).toBe(1);
  expect(events).toEqual([]);
  // The store goes on: the next write takes the next revision.
  expect(await store.create('/p/a', '2')).toMatchObject({ ok: true, kv: { modRevision: 2 } });
  expect(events).toEqual([2]);
});

test('many writes issued in one turn are committed together and all acknowledged', async () => {
  const n = 500;
  const results = await Promise.all(Array.from({ length: n }, (_, i) => store.create(`/p/${i}`, 'x')));
  expect(results.every((r) => r.ok)).toBe(true);
  await store.close();
  store = openSqliteStore(join(dir, 'state.db'));
  expect(await store.count('/p/')).toBe(n);
  expect(await store.currentRevision()).toBe(n);
});

test('close commits the writes still waiting for the end of the turn', async () => {
  const pending = store.create('/p/a', '1');
  await store.close();
  expect(await pending).toMatchObject({ ok: true });
  store = openSqliteStore(join(dir, 'state.db'));
  expect((await store.get('/p/a'))?.value).toBe('1');
});
