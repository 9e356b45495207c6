/**
 * What batchd wrote during a scheduled minute, by resource and verb, read from its SQLite log
 * (kine's model: every create, update and delete is one row whose id is the revision). Read-only,
 * through a second connection, which WAL mode allows while the server runs.
 */
import Database from 'better-sqlite3';

export interface WriteCounts {
  create: number;
  update: number;
  delete: number;
}

/**
 * The resource a store key belongs to, as `resource.group` (`/registry/batch/jobs/default/a-1` →
 * `jobs.batch`, `/registry/pods/default/p` → `pods`). The registry puts a named group's segment
 * first; batchd serves core, `batch` and dotted groups only, which tells the two shapes apart.
 */
export function resourceOfKey(key: string): string {
  const parts = key.split('/');
  if (parts[1] !== 'registry') return parts[1] || key;
  const first = parts[2] ?? '';
  const isGroup = (first === 'batch' || first.includes('.')) && parts.length > 4;
  return (isGroup ? `${parts[3]}.${first}` : first) || key;
}

/** A row of the log: a delete is a tombstone, a create is a row whose revision made the key. */
export function verbOfRow(row: { id: number; createRevision: number; deleted: number }): keyof WriteCounts {
  if (row.deleted) return 'delete';
  return row.createRevision === row.id ? 'create' : 'update';
}

/** Adds one row to a per-resource tally. */
export function tally(
  counts: Record<string, WriteCounts>,
  row: { name: string; id: number; createRevision: number; deleted: number },
): void {
  const c = (counts[resourceOfKey(row.name)] ??= { create: 0, update: 0, delete: 0 });
  c[verbOfRow(row)]++;
}

/**
 * Writes with revisions in (fromRev, toRev], by resource. The compactor keeps five minutes of
 * history, so a window read right after it closes is complete.
 * @example
 * writesByResource(join(dataDir, 'state.db'), 1200, 9800).jobs; // { create: 500, update: 2100, delete: 500 }
 */
export function writesByResource(
  dbPath: string,
  fromRev: number,
  toRev: number,
): Record<string, WriteCounts> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT name, id, create_revision AS createRevision, deleted FROM kv WHERE id > ? AND id <= ?')
      .iterate(fromRev, toRev) as IterableIterator<{
      name: string;
      id: number;
      createRevision: number;
      deleted: number;
    }>;
    const counts: Record<string, WriteCounts> = {};
    for (const row of rows) tally(counts, row);
    return counts;
  } finally {
    db.close();
  }
}
