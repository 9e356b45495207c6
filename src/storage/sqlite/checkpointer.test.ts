import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Checkpointer } from './checkpointer.js';
import { openSqliteStore } from './store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batchd-checkpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a checkpoint on the worker copies the WAL into the database file', async () => {
  const file = join(dir, 'state.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000));
  const errors: string[] = [];
  const checkpointer = new Checkpointer(file, (m) => errors.push(m));
  await checkpointer.request();
  await checkpointer.close();
  // The database file alone (no WAL beside the copy) now holds every row.
  const copy = join(dir, 'copy.db');
  copyFileSync(file, copy);
  const alone = new Database(copy, { readonly: true });
  expect(alone.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 200 });
  alone.close();
  db.close();
  expect(errors).toEqual([]);
});

test('requests while one runs are folded into one more, and all resolve', async () => {
  const file = join(dir, 'state.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const checkpointer = new Checkpointer(file, () => {});
  await Promise.all([checkpointer.request(), checkpointer.request(), checkpointer.request()]);
  await checkpointer.close();
  db.close();
});

test('the store keeps its WAL bounded under many writes, and every write survives a reopen', async () => {
  const file = join(dir, 'state.db');
  const store = openSqliteStore(file);
  const value = 'v'.repeat(4000);
  for (let batch = 0; batch < 120; batch++) {
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.create(`/k/${batch}/${i}`, value)));
    await sleep(10); // a server's writes come in turns, with time between them
  }
  // 12,000 writes of 4 KB: some 48 MB went through the WAL; checkpoints let it start over. How far
  // it grows between two depends on timing, up to the 4,096 frames (~16 MB) that force a RESTART.
  expect(statSync(`${file}-wal`).size).toBeLessThan(24 * 1024 * 1024);
  await store.close();
  const again = openSqliteStore(file);
  expect(await again.count('/k/')).toBe(12000);
  await again.close();
});
