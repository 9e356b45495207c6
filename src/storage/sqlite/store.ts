import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { log } from '../../util/log.js';
import { Fanout, prefixEnd } from '../fanout.js';
import {
  CompactedError,
  type DeleteResult,
  FutureRevisionError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  readRevision,
  type Store,
  type StoreEvent,
  type Watcher,
  type WriteResult,
} from '../store.js';
import { Checkpointer } from './checkpointer.js';

/**
 * kine's log-structured model: every create, update and delete appends one row to `kv`, whose id
 * is the global revision. A tombstone (deleted = 1) carries the key's last value so a delete event
 * has its prev without a join. The unique (name, prev_revision) index makes two writes from the
 * same base collide (the compare-and-swap backstop) and, since prev_revision grows with id within
 * a key, orders each key's history. `current` maps each live key to its latest row, so reads at the
 * current revision touch live rows only, never history. `meta` holds what cannot be derived from
 * the rows: how far compaction has gone.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS kv_name_prev_revision ON kv (name, prev_revision);
CREATE TABLE IF NOT EXISTS current (name TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;
const SCHEMA_VERSION = 1;

// Every column list below aliases to KeyValue's field names, so rows are KeyValues as read.
const KV_COLUMNS = 'k.name AS key, k.value, k.create_revision AS createRevision, k.id AS modRevision';

export interface SqliteStoreOptions {
  /** How long a write waits for a lock held by another connection (default 30 s, as kine). */
  busyTimeoutMs?: number;
  /** Rows examined per compaction transaction; the event loop runs between batches (default 1000). */
  compactBatchSize?: number;
  /** Receives errors thrown by watch callbacks (default: logged as a warning). */
  onWatchError?: (err: unknown) => void;
}

interface LatestRow {
  id: number;
  deleted: number;
}

interface HistoryRow extends KeyValue {
  prevRevision: number;
  deleted: number;
  prevValue: string | null;
}

/** A checkpoint is asked for after about this many WAL pages (SQLite's automatic default). */
const CHECKPOINT_PAGES = 1000;
const PAGES_PER_WRITE = 3;
/** The WAL file is trimmed back to this size when it restarts (bytes). */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** How many recently written keys keep their newest value in memory (a few MiB of objects). */
const RECENT_KEYS = 2048;

interface PendingWrite {
  apply(): WriteResult | DeleteResult;
  result?: WriteResult | DeleteResult;
  resolve(result: WriteResult | DeleteResult): void;
  reject(err: unknown): void;
}

interface CompactRow {
  id: number;
  prevRevision: number;
  deleted: number;
}

/**
 * Opens (creating if needed) a SQLite-backed store in `file`. One process must own the file:
 * revisions are assigned from an in-memory counter and watch events are fanned out in-process.
 * @example
 * const store = openSqliteStore('/var/lib/batchd/state.db');
 * const res = await store.create('/registry/jobs/default/pi', '{"kind":"Job"}');
 * if (res.ok) console.log(res.kv.modRevision);
 * await store.close();
 */
export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(file, opts);
}

/**
 * The default Store. Writes are group-committed: those issued within one turn of the event loop
 * are applied in order in one transaction at the end of the turn (one row in `kv` and one in
 * `current` each), and each promise settles after that commit. A commit costs as much as tens of
 * rows, so a busy server commits far less often; WAL with synchronous=NORMAL makes a commit
 * survive a kill -9 of the process (not a power cut before the next checkpoint). Reads see
 * committed writes only.
 *
 * Watch callbacks run synchronously: live events are delivered right after the commit and before
 * the write's promise settles, and the history replay is delivered from inside watch() before it
 * returns. A callback that throws is reported through `onWatchError` and never fails the write.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly fanout: Fanout;
  private readonly batchSize: number;
  private rev: number;
  private compacted: number;
  /** Compaction has removed the garbage of every row up to here (may trail `compacted` after a crash). */
  private compactCursor: number;
  private compaction: Promise<void> = Promise.resolve();
  private closing = false;

  private readonly stmt: {
    getCurrent: Database.Statement<[string], KeyValue>;
    getAt: Database.Statement<{ key: string; rev: number }, KeyValue & { deleted: number }>;
    latest: Database.Statement<[string], LatestRow>;
    listCurrent: Database.Statement<{ lo: string; hi: string; limit: number }, KeyValue>;
    countCurrent: Database.Statement<{ lo: string; hi: string }, { n: number }>;
    countCurrentAfter: Database.Statement<{ lo: string; hi: string }, { n: number }>;
    listAt: Database.Statement<{ lo: string; hi: string; rev: number; limit: number }, KeyValue>;
    countAtAfter: Database.Statement<{ lo: string; hi: string; rev: number }, { n: number }>;
    insert: Database.Statement<[number, string, number, number, number, string]>;
    insertCurrent: Database.Statement<[string, number]>;
    updateCurrent: Database.Statement<[number, string]>;
    deleteCurrent: Database.Statement<[string]>;
    history: Database.Statement<{ after: number; upTo: number; lo: string; hi: string }, HistoryRow>;
    compactBatch: Database.Statement<{ after: number; upTo: number; limit: number }, CompactRow>;
    deleteRow: Database.Statement<[number]>;
    setMeta: Database.Statement<[string, number]>;
  };

  /**
   * The newest committed value of recently written or read keys: an update reads the object it
   * replaces, which is nearly always one just written, and this saves that read a trip through SQLite.
   */
  private readonly recent = new Map<string, KeyValue>();
  private readonly checkpointer: Checkpointer;
  /** WAL pages written since the last checkpoint request. */
  private walPages = 0;
  /** Writes waiting for the end of this turn's group commit. */
  private pending: PendingWrite[] = [];
  /** Keys written by the transaction being applied. */
  private readonly batchKeys = new Set<string>();
  private readonly commitTx: Database.Transaction<(writes: PendingWrite[]) => void>;
  private readonly compactTx: (rows: CompactRow[], cursor: number) => void;

  constructor(
    readonly file: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.db = new Database(file);
    this.batchSize = opts.compactBatchSize ?? 1000;
    this.fanout = new Fanout(opts.onWatchError);
    this.checkpointer = new Checkpointer(file, (message) =>
      log.child({ component: 'store' }).warn({ file, message }, 'WAL checkpoint failed'),
    );
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 30_000}`);
      // Checkpoints run on the checkpointer's thread, never inside a commit on the event loop.
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
      this.migrate();
    } catch (err) {
      this.db.close();
      throw err;
    }
    const db = this.db;

    this.stmt = {
      getCurrent: db.prepare(`SELECT ${KV_COLUMNS} FROM current c JOIN kv k ON k.id = c.id WHERE c.name = ?`),
      // Within one key, prev_revision grows with id, so this index order is the key's history order.
      getAt: db.prepare(
        `SELECT ${KV_COLUMNS}, k.deleted FROM kv k WHERE k.name = @key AND k.id <= @rev
         ORDER BY k.prev_revision DESC LIMIT 1`,
      ),
      latest: db.prepare('SELECT id, deleted FROM kv WHERE name = ? ORDER BY prev_revision DESC LIMIT 1'),
      listCurrent: db.prepare(
        `SELECT ${KV_COLUMNS} FROM current c JOIN kv k ON k.id = c.id
         WHERE c.name >= @lo AND c.name < @hi ORDER BY c.name LIMIT @limit`,
      ),
      countCurrent: db.prepare('SELECT COUNT(*) AS n FROM current WHERE name >= @lo AND name < @hi'),
      countCurrentAfter: db.prepare('SELECT COUNT(*) AS n FROM current WHERE name > @lo AND name < @hi'),
      // A row is the state of its key at @rev when it is at or before @rev and its successor (the row
      // whose prev_revision is its id, unique per key) is not: one index probe per candidate row.
      listAt: db.prepare(
        `SELECT ${KV_COLUMNS} FROM kv k
         WHERE k.name >= @lo AND k.name < @hi AND k.id <= @rev AND k.deleted = 0
           AND NOT EXISTS (SELECT 1 FROM kv n WHERE n.name = k.name AND n.prev_revision = k.id AND n.id <= @rev)
         ORDER BY k.name LIMIT @limit`,
      ),
      // Keys live at @rev = live keys untouched since @rev, plus keys touched since whose first later
      // row has a live predecessor. Costs one pass over `current` and one over the rows after @rev,
      // instead of a probe per history row, since each page of a paged list asks for it.
      countAtAfter: db.prepare(
        `SELECT (SELECT COUNT(*) FROM current WHERE name > @lo AND name < @hi AND id <= @rev)
              + (SELECT COUNT(*) FROM kv f JOIN kv p ON p.id = f.prev_revision
                 WHERE f.id > @rev AND f.prev_revision <= @rev AND p.deleted = 0
                   AND f.name > @lo AND f.name < @hi) AS n`,
      ),
      insert: db.prepare(
        'INSERT INTO kv (id, name, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertCurrent: db.prepare('INSERT INTO current (name, id) VALUES (?, ?)'),
      updateCurrent: db.prepare('UPDATE current SET id = ? WHERE name = ?'),
      deleteCurrent: db.prepare('DELETE FROM current WHERE name = ?'),
      // Compaction never removes the predecessor of a row newer than the compacted revision, so
      // the join finds the prev of every put a watch can replay.
      history: db.prepare(
        `SELECT ${KV_COLUMNS}, k.prev_revision AS prevRevision, k.deleted, p.value AS prevValue
         FROM kv k LEFT JOIN kv p ON p.id = k.prev_revision AND k.deleted = 0 AND k.create_revision <> k.id
         WHERE k.id > @after AND k.id <= @upTo AND k.name >= @lo AND k.name < @hi
         ORDER BY k.id LIMIT 500`,
      ),
      compactBatch: db.prepare(
        `SELECT id, prev_revision AS prevRevision, deleted FROM kv
         WHERE id > @after AND id <= @upTo ORDER BY id LIMIT @limit`,
      ),
      deleteRow: db.prepare('DELETE FROM kv WHERE id = ?'),
      setMeta: db.prepare(
        'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ),
    };

    const meta = (name: string): number =>
      db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?').get(name)?.value ?? 0;
    this.compacted = meta('compact_rev');
    this.compactCursor = meta('compact_cursor');
    const maxId = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM kv').get()?.id ?? 0;
    // Compaction deletes only rows at or below compact_rev, so the highest revision ever assigned is
    // whichever is larger: no revision is reused after the newest row (a tombstone) is compacted.
    this.rev = Math.max(maxId, this.compacted);

    this.commitTx = db.transaction((writes: PendingWrite[]) => {
      for (const w of writes) w.result = w.apply();
    });

    this.compactTx = db.transaction((rows: CompactRow[], cursor: number) => {
      for (const row of rows) {
        // A row at or below the target supersedes its predecessor; a tombstone there is garbage too.
        if (row.prevRevision > 0) this.stmt.deleteRow.run(row.prevRevision);
        if (row.deleted) this.stmt.deleteRow.run(row.id);
      }
      this.stmt.setMeta.run('compact_cursor', cursor);
    });
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true });
    if (version === SCHEMA_VERSION) return;
    if (version !== 0) throw new Error(`${this.file}: unknown storage schema version ${String(version)}`);
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  private currentOf(key: string): { current?: KeyValue } {
    const kv = this.stmt.getCurrent.get(key);
    return kv ? { current: kv } : {};
  }

  private readRevision(revision: number | undefined): number {
    return readRevision(revision, this.rev, this.compacted);
  }

  async currentRevision(): Promise<number> {
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    const rev = this.readRevision(revision);
    if (rev === this.rev) {
      const hit = this.recent.get(key);
      if (hit) return hit;
      // Outside commit() SQLite holds committed rows only: a read can warm the cache (a namespace
      // checked by every create, an object read before its update).
      const row = this.stmt.getCurrent.get(key);
      if (row) this.remember(row);
      return row;
    }
    const row = this.stmt.getAt.get({ key, rev });
    if (!row || row.deleted) return undefined;
    return {
      key: row.key,
      value: row.value,
      createRevision: row.createRevision,
      modRevision: row.modRevision,
    };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const rev = this.readRevision(opts.revision);
    const hi = prefixEnd(prefix);
    const lo = opts.startKey !== undefined && opts.startKey > prefix ? opts.startKey : prefix;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const atCurrent = rev === this.rev;
    const kvs = atCurrent
      ? this.stmt.listCurrent.all({ lo, hi, limit })
      : this.stmt.listAt.all({ lo, hi, rev, limit });
    const last = kvs[kvs.length - 1];
    let remaining = 0;
    if (last && kvs.length === limit) {
      remaining = atCurrent
        ? (this.stmt.countCurrentAfter.get({ lo: last.key, hi })?.n ?? 0)
        : (this.stmt.countAtAfter.get({ lo: last.key, hi, rev })?.n ?? 0);
    }
    return { kvs, revision: rev, remaining };
  }

  async count(prefix: string): Promise<number> {
    return this.stmt.countCurrent.get({ lo: prefix, hi: prefixEnd(prefix) })?.n ?? 0;
  }

  create(key: string, value: string): Promise<WriteResult> {
    return this.enqueue((): WriteResult => {
      const latest = this.stmt.latest.get(key);
      this.batchKeys.add(key);
      if (latest && !latest.deleted) return { ok: false, ...this.currentOf(key) };
      const rev = this.rev + 1;
      // prev_revision points at the tombstone of an earlier life, so (name, prev_revision) stays unique.
      this.stmt.insert.run(rev, key, rev, latest?.id ?? 0, 0, value);
      this.stmt.insertCurrent.run(key, rev);
      this.rev = rev;
      return { ok: true, kv: { key, value, createRevision: rev, modRevision: rev } };
    });
  }

  update(key: string, value: string, expectedRevision: number): Promise<WriteResult> {
    return this.enqueue((): WriteResult => {
      const prev = this.latestOf(key);
      if (!prev || prev.modRevision !== expectedRevision)
        return { ok: false, ...(prev && { current: prev }) };
      const rev = this.rev + 1;
      this.stmt.insert.run(rev, key, prev.createRevision, prev.modRevision, 0, value);
      this.stmt.updateCurrent.run(rev, key);
      this.rev = rev;
      return { ok: true, kv: { key, value, createRevision: prev.createRevision, modRevision: rev }, prev };
    });
  }

  delete(key: string, expectedRevision?: number): Promise<DeleteResult> {
    return this.enqueue((): DeleteResult => {
      const prev = this.latestOf(key);
      if (!prev || (expectedRevision !== undefined && prev.modRevision !== expectedRevision)) {
        return { ok: false, ...(prev && { current: prev }) };
      }
      const rev = this.rev + 1;
      this.stmt.insert.run(rev, key, prev.createRevision, prev.modRevision, 1, prev.value);
      this.stmt.deleteCurrent.run(key);
      this.rev = rev;
      return { ok: true, revision: rev, prev };
    });
  }

  /**
   * The key's live row as this transaction sees it. `recent` holds committed values only, so a key
   * an earlier write of this batch touched is read from SQLite; the rest come from memory, and a
   * write's prev is then the very key-value its readers were handed (their decodings stay valid).
   */
  private latestOf(key: string): KeyValue | undefined {
    const kv = this.batchKeys.has(key) ? undefined : this.recent.get(key);
    this.batchKeys.add(key);
    return kv ?? this.stmt.getCurrent.get(key);
  }

  private enqueue<R extends WriteResult | DeleteResult>(apply: () => R): Promise<R> {
    if (this.closing) return Promise.reject(new Error(`${this.file}: the store is closed`));
    return new Promise<R>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.commit());
      this.pending.push({ apply, resolve: resolve as PendingWrite['resolve'], reject });
    });
  }

  private remember(kv: KeyValue): void {
    this.recent.delete(kv.key);
    if (this.recent.size >= RECENT_KEYS) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(kv.key, Object.freeze(kv));
  }

  /** Applies the turn's writes in one transaction, then tells watchers, then the writers. */
  private commit(): void {
    const writes = this.pending;
    this.pending = [];
    if (writes.length === 0) return;
    const rev = this.rev;
    try {
      // IMMEDIATE takes the write lock first, so a checkpoint holding it makes this wait (busy_timeout), not fail.
      this.commitTx.immediate(writes);
    } catch (err) {
      this.batchKeys.clear();
      // The transaction rolled back: none of the writes happened.
      this.rev = rev;
      for (const w of writes) w.reject(err);
      return;
    }
    // SQLite's own trigger is 1000 WAL pages; a write adds a few (its row, index and current entries).
    this.walPages += writes.length * PAGES_PER_WRITE;
    if (this.walPages >= CHECKPOINT_PAGES) {
      this.walPages = 0;
      void this.checkpointer.request();
    }
    this.batchKeys.clear();
    const events: StoreEvent[] = [];
    for (const w of writes) {
      const r = w.result;
      if (!r?.ok) continue;
      if ('kv' in r) {
        events.push({ type: 'put', kv: r.kv, ...(r.prev && { prev: r.prev }) });
        this.remember(r.kv);
      } else {
        events.push({ type: 'delete', kv: { ...r.prev, modRevision: r.revision }, prev: r.prev });
        this.recent.delete(r.prev.key);
      }
    }
    if (events.length) this.fanout.publish(events);
    for (const w of writes) w.resolve(w.result!);
  }

  /**
   * Replays history after fromRevision, then follows live commits. Replay and registration happen
   * in one synchronous section, and better-sqlite3 is synchronous, so no commit can fall between.
   */
  watch(prefix: string, fromRevision: number, onEvents: (events: StoreEvent[]) => void): Watcher {
    // Watching from R needs every revision after R: available iff R >= the compacted revision.
    if (fromRevision < this.compacted) throw new CompactedError(fromRevision, this.compacted);
    const upTo = this.rev;
    const hi = prefixEnd(prefix);
    let after = Math.max(0, fromRevision);
    const next = (): StoreEvent[] => {
      const rows = this.stmt.history.all({ after, upTo, lo: prefix, hi });
      const last = rows[rows.length - 1];
      if (last) after = last.modRevision;
      return rows.map(historyEvent);
    };
    return this.fanout.subscribe(prefix, fromRevision, upTo, next, onEvents);
  }

  /**
   * Forgets history up to and including revision, in batches that let the event loop run between
   * them. Reads at or below revision fail with CompactedError as soon as it starts (after any
   * compaction already running), before the first row is deleted.
   */
  compact(revision: number): Promise<void> {
    const run = this.compaction.then(() => this.runCompaction(revision));
    // Later compactions queue behind this one whether or not it fails.
    this.compaction = run.catch(() => {});
    return run;
  }

  private async runCompaction(revision: number): Promise<void> {
    if (this.closing) return;
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
    if (revision > this.compacted) {
      this.stmt.setMeta.run('compact_rev', revision);
      this.compacted = revision;
    }
    // Resumes from the cursor, which also finishes a compaction a crash interrupted.
    const upTo = this.compacted;
    if (this.compactCursor >= upTo) return;
    for (;;) {
      const rows = this.stmt.compactBatch.all({ after: this.compactCursor, upTo, limit: this.batchSize });
      const last = rows[rows.length - 1];
      const cursor = rows.length < this.batchSize || !last ? upTo : last.id;
      this.compactTx(rows, cursor);
      this.compactCursor = cursor;
      if (cursor >= upTo) break;
      await yieldToEventLoop();
      if (this.closing) return;
    }
    // Hands the freed pages back to the database file (off the event loop).
    await this.checkpointer.request();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.commit();
    this.closing = true;
    await this.compaction;
    this.fanout.close();
    await this.checkpointer.close();
    this.db.close();
  }
}

function historyEvent(row: HistoryRow): StoreEvent {
  const kv: KeyValue = {
    key: row.key,
    value: row.value,
    createRevision: row.createRevision,
    modRevision: row.modRevision,
  };
  if (row.deleted) return { type: 'delete', kv, prev: { ...kv, modRevision: row.prevRevision } };
  if (row.prevValue === null) return { type: 'put', kv };
  return { type: 'put', kv, prev: { ...kv, value: row.prevValue, modRevision: row.prevRevision } };
}
