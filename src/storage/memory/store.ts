import { Fanout } from '../fanout.js';
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

/** One write in the log, as in the SQLite store: a tombstone keeps the key's last value. */
interface Row {
  kv: KeyValue;
  prevRevision: number;
  deleted: boolean;
}

export interface MemoryStoreOptions {
  /** Receives errors thrown by watch callbacks (default: logged as a warning). */
  onWatchError?: (err: unknown) => void;
}

/**
 * The Store contract held in memory, for fast unit tests of the registry and controllers. It
 * keeps the same log model as the SQLite store (history per key, tombstones, compaction) and
 * favours obviousness over speed: lists scan every key.
 *
 * As in SqliteStore, watch callbacks run synchronously from inside create/update/delete (and the
 * replay from inside watch()).
 * @example
 * const store = new MemoryStore();
 * await store.create('/registry/jobs/default/pi', '{}');
 * const { kvs } = await store.list('/registry/jobs/');
 */
export class MemoryStore implements Store {
  private rev = 0;
  private compacted = 0;
  /** Each key's rows, oldest first. */
  private readonly rows = new Map<string, Row[]>();
  private readonly fanout: Fanout;

  constructor(opts: MemoryStoreOptions = {}) {
    this.fanout = new Fanout(opts.onWatchError);
  }

  private latest(key: string): Row | undefined {
    const rows = this.rows.get(key);
    return rows?.[rows.length - 1];
  }

  private live(key: string): KeyValue | undefined {
    const row = this.latest(key);
    return row && !row.deleted ? { ...row.kv } : undefined;
  }

  private at(key: string, rev: number): KeyValue | undefined {
    const rows = this.rows.get(key) ?? [];
    const row = rows.findLast((r) => r.kv.modRevision <= rev);
    return row && !row.deleted ? { ...row.kv } : undefined;
  }

  private append(key: string, row: Row): void {
    const rows = this.rows.get(key);
    if (rows) rows.push(row);
    else this.rows.set(key, [row]);
    this.rev = row.kv.modRevision;
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
    return this.at(key, this.readRevision(revision));
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const rev = this.readRevision(opts.revision);
    const start = opts.startKey ?? '';
    const all: KeyValue[] = [];
    for (const key of [...this.rows.keys()].sort()) {
      if (!key.startsWith(prefix) || key < start) continue;
      const kv = this.at(key, rev);
      if (kv) all.push(kv);
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : all.length;
    return { kvs: all.slice(0, limit), revision: rev, remaining: Math.max(0, all.length - limit) };
  }

  async count(prefix: string): Promise<number> {
    return (await this.list(prefix)).kvs.length;
  }

  async create(key: string, value: string): Promise<WriteResult> {
    const current = this.live(key);
    if (current) return { ok: false, current };
    const rev = this.rev + 1;
    const kv = { key, value, createRevision: rev, modRevision: rev };
    this.append(key, { kv, prevRevision: this.latest(key)?.kv.modRevision ?? 0, deleted: false });
    this.fanout.publish([{ type: 'put', kv: { ...kv } }]);
    return { ok: true, kv: { ...kv } };
  }

  async update(key: string, value: string, expectedRevision: number): Promise<WriteResult> {
    const prev = this.live(key);
    if (!prev || prev.modRevision !== expectedRevision) return { ok: false, ...(prev && { current: prev }) };
    const kv = { key, value, createRevision: prev.createRevision, modRevision: this.rev + 1 };
    this.append(key, { kv, prevRevision: prev.modRevision, deleted: false });
    this.fanout.publish([{ type: 'put', kv: { ...kv }, prev: { ...prev } }]);
    return { ok: true, kv: { ...kv }, prev };
  }

  async delete(key: string, expectedRevision?: number): Promise<DeleteResult> {
    const prev = this.live(key);
    if (!prev || (expectedRevision !== undefined && prev.modRevision !== expectedRevision)) {
      return { ok: false, ...(prev && { current: prev }) };
    }
    const kv = { ...prev, modRevision: this.rev + 1 };
    this.append(key, { kv, prevRevision: prev.modRevision, deleted: true });
    this.fanout.publish([{ type: 'delete', kv: { ...kv }, prev: { ...prev } }]);
    return { ok: true, revision: kv.modRevision, prev };
  }

  watch(prefix: string, fromRevision: number, onEvents: (events: StoreEvent[]) => void): Watcher {
    if (fromRevision < this.compacted) throw new CompactedError(fromRevision, this.compacted);
    const history: StoreEvent[] = [];
    for (const [key, rows] of this.rows) {
      if (!key.startsWith(prefix)) continue;
      rows.forEach((row, i) => {
        if (row.kv.modRevision > fromRevision) history.push(rowEvent(row, rows[i - 1]));
      });
    }
    history.sort((a, b) => a.kv.modRevision - b.kv.modRevision);
    let done = false;
    const next = (): StoreEvent[] => {
      if (done) return [];
      done = true;
      return history;
    };
    return this.fanout.subscribe(prefix, fromRevision, this.rev, next, onEvents);
  }

  async compact(revision: number): Promise<void> {
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
    if (revision <= this.compacted) return;
    this.compacted = revision;
    for (const [key, rows] of this.rows) {
      // Keep a row unless its successor is also compacted away, and drop compacted tombstones.
      const kept = rows.filter((row, i) => {
        if (row.kv.modRevision > revision) return true;
        if (row.deleted) return false;
        const next = rows[i + 1];
        return !next || next.kv.modRevision > revision;
      });
      if (kept.length === 0) this.rows.delete(key);
      else this.rows.set(key, kept);
    }
  }

  async close(): Promise<void> {
    this.fanout.close();
  }
}

function rowEvent(row: Row, before: Row | undefined): StoreEvent {
  const kv = { ...row.kv };
  if (row.deleted) return { type: 'delete', kv, prev: { ...kv, modRevision: row.prevRevision } };
  // A create after a tombstone starts a new life: it has no prev.
  if (!before || before.deleted || row.kv.createRevision === row.kv.modRevision) return { type: 'put', kv };
  return { type: 'put', kv, prev: { ...before.kv } };
}
