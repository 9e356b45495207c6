import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { StoreEvent } from '../store.js';
import { openSqliteStore, type SqliteStore } from './store.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batchd-recent-'));
  store = openSqliteStore(join(dir, 'state.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an update names as prev the very key-value a read handed out, so its decodings carry over', async () => {
  await store.create('/p/a', '1');
  const read = await store.get('/p/a');
  const res = await store.update('/p/a', '2', read!.modRevision);
  expect(res.ok && res.prev).toBe(read);
});

test('two updates of one key in one commit: the second sees the first, not the older value', async () => {
  await store.create('/p/a', '1');
  const events: StoreEvent[] = [];
  store.watch('/p/', await store.currentRevision(), (evs) => events.push(...evs));
  const [first, second] = await Promise.all([store.update('/p/a', '2', 1), store.update('/p/a', '3', 2)]);
  expect(first).toMatchObject({ ok: true, kv: { value: '2', modRevision: 2 } });
  expect(second).toMatchObject({ ok: true, kv: { value: '3', modRevision: 3 }, prev: { value: '2' } });
  expect(events.map((e) => e.prev?.value)).toEqual(['1', '2']);
});

test('a stale update in the same commit as a delete fails, and the key reads as gone', async () => {
  await store.create('/p/a', '1');
  const [deleted, stale] = await Promise.all([store.delete('/p/a', 1), store.update('/p/a', '2', 1)]);
  expect(deleted.ok).toBe(true);
  expect(stale.ok).toBe(false);
  expect(await store.get('/p/a')).toBeUndefined();
});
