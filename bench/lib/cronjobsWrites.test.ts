import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { resourceOfKey, verbOfRow, writesByResource } from './cronjobsWrites.js';

describe('resourceOfKey', () => {
  const cases = [
    {
      name: 'a key of a named group names resource and group',
      key: '/registry/batch/jobs/default/cj-1-29539800',
      want: 'jobs.batch',
    },
    { name: 'a core key names its resource alone', key: '/registry/pods/default/cj-1-x7k2p', want: 'pods' },
    {
      name: 'a dotted group is a group too',
      key: '/registry/events.k8s.io/events/default/e.1',
      want: 'events.events.k8s.io',
    },
    {
      name: 'a cluster-scoped key names its resource',
      key: '/registry/namespaces/default',
      want: 'namespaces',
    },
    {
      name: 'a key outside /registry/ keeps its first segment',
      key: '/compact_rev_key',
      want: 'compact_rev_key',
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(resourceOfKey(tc.key)).toBe(tc.want));
});

describe('verbOfRow', () => {
  const cases = [
    {
      name: 'the row that made the key is a create',
      row: { id: 7, createRevision: 7, deleted: 0 },
      want: 'create',
    },
    { name: 'a later live row is an update', row: { id: 9, createRevision: 7, deleted: 0 }, want: 'update' },
    { name: 'a tombstone is a delete', row: { id: 12, createRevision: 7, deleted: 1 }, want: 'delete' },
  ];
  for (const tc of cases) test(tc.name, () => expect(verbOfRow(tc.row)).toBe(tc.want));
});

describe('writesByResource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cronjobs-writes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('counts only the rows inside the revision window, by resource and verb', () => {
    const path = join(dir, 'state.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE kv (id INTEGER PRIMARY KEY, name TEXT NOT NULL, create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL, deleted INTEGER NOT NULL, value TEXT NOT NULL)`);
    const insert = db.prepare('INSERT INTO kv VALUES (?, ?, ?, ?, ?, ?)');
    insert.run(1, '/registry/batch/cronjobs/default/a', 1, 0, 0, '{}'); // before the window
    insert.run(2, '/registry/batch/jobs/default/a-1', 2, 0, 0, '{}');
    insert.run(3, '/registry/batch/cronjobs/default/a', 1, 1, 0, '{}');
    insert.run(4, '/registry/batch/jobs/default/a-1', 2, 2, 0, '{}');
    insert.run(5, '/registry/batch/jobs/default/a-1', 2, 4, 1, '{}');
    insert.run(6, '/registry/events/default/a.1', 6, 0, 0, '{}'); // after the window
    db.close();
    expect(writesByResource(path, 1, 5)).toEqual({
      'jobs.batch': { create: 1, update: 1, delete: 1 },
      'cronjobs.batch': { create: 0, update: 1, delete: 0 },
    });
  });
});
