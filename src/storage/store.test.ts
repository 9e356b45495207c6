import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { storeConformance } from './conformance.js';
import { MemoryStore } from './memory/store.js';
import { openSqliteStore, type SqliteStore } from './sqlite/store.js';

const dir = mkdtempSync(join(tmpdir(), 'batchd-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// The thrown-callback test would otherwise log a warning per run.
const quiet = { onWatchError: () => {} };

storeConformance('memory', () => new MemoryStore(quiet));

// A small compaction batch makes every compaction in the suite cross batch boundaries.
storeConformance(
  'sqlite',
  () => openSqliteStore(join(dir, `store-${++n}.db`), { ...quiet, compactBatchSize: 7 }),
  {
    reopen: async (s) => {
      await s.close();
      return openSqliteStore(s.file, { ...quiet, compactBatchSize: 7 });
    },
  },
);

describe('SqliteStore', () => {
  /** Counts the rows of the log through a second, read-only connection. */
  const logRows = (file: string): number => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM kv').get()?.n ?? 0;
    } finally {
      db.close();
    }
  };
  const seed = async (s: SqliteStore): Promise<void> => {
    for (const i of range(1, 100)) await s.create(`/p/k${i}`, 'v1');
    for (const i of range(1, 100)) await s.update(`/p/k${i}`, 'v2', i);
    for (const i of range(1, 10)) await s.delete(`/p/k${i}`);
  };

  test('compaction leaves one row per live key: superseded rows and tombstones are gone', async () => {
    const s = openSqliteStore(join(dir, `store-${++n}.db`), { compactBatchSize: 7 });
    await seed(s);
    expect(logRows(s.file)).toBe(210);
    await s.compact(await s.currentRevision());
    expect(logRows(s.file)).toBe(90);
    await s.close();
  });

  test('a compaction cut short by close is finished by the next compact call after reopening', async () => {
    let s = openSqliteStore(join(dir, `store-${++n}.db`), { compactBatchSize: 7 });
    await seed(s);
    const compacting = s.compact(210);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await s.close();
    await compacting;
    expect(logRows(s.file)).toBeGreaterThan(90);
    s = openSqliteStore(s.file, { compactBatchSize: 7 });
    expect(await s.compactedRevision()).toBe(210);
    await s.compact(210);
    expect(logRows(s.file)).toBe(90);
    expect((await s.list('/p/')).kvs.every((kv) => kv.value === 'v2')).toBe(true);
    await s.close();
  });

  test('a database written by an unknown schema version is refused', () => {
    const file = join(dir, `store-${++n}.db`);
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/unknown storage schema version 99/);
  });
});
