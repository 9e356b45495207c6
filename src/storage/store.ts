/**
 * The storage contract, shaped after kine: a revisioned key-value log. One global, strictly
 * increasing revision numbers every write; it is the resourceVersion of the API.
 * A compare-and-swap miss is a result ({ ok: false }), not an exception.
 */

export interface KeyValue {
  key: string;
  /** Opaque bytes; the registry stores JSON text. */
  value: string;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last write to this key. */
  modRevision: number;
}

export type StoreEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  | { type: 'delete'; kv: KeyValue; prev: KeyValue };

export interface ListOptions {
  /** Start listing at this key (inclusive); keys sort as byte strings. */
  startKey?: string;
  /** At most this many items; 0 or absent means no limit. */
  limit?: number;
  /** Read the state as of this revision; absent means the current one. */
  revision?: number;
}

export interface ListResult {
  kvs: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** Keys under the prefix after the last returned one (at the same revision). */
  remaining: number;
}

export type WriteResult = { ok: true; kv: KeyValue; prev?: KeyValue } | { ok: false; current?: KeyValue };
export type DeleteResult = { ok: true; revision: number; prev: KeyValue } | { ok: false; current?: KeyValue };

export interface Watcher {
  cancel(): void;
}

export interface Store {
  currentRevision(): Promise<number>;
  /** The oldest revision watches and consistent reads may start from, minus one. */
  compactedRevision(): Promise<number>;
  get(key: string, revision?: number): Promise<KeyValue | undefined>;
  /** Keys under prefix in key order. Throws CompactedError when opts.revision was compacted. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Fails ({ ok: false }) when the key exists. */
  create(key: string, value: string): Promise<WriteResult>;
  /** Fails when the key is missing or its modRevision is not expectedRevision. */
  update(key: string, value: string, expectedRevision: number): Promise<WriteResult>;
  /** Fails when the key is missing, or when expectedRevision is given and differs. */
  delete(key: string, expectedRevision?: number): Promise<DeleteResult>;
  /**
   * Calls onEvents with every change under prefix strictly after fromRevision, in revision order,
   * first from history, then live. Throws CompactedError when fromRevision is older than history.
   */
  watch(prefix: string, fromRevision: number, onEvents: (events: StoreEvent[]) => void): Watcher;
  /** Forgets history up to and including revision (the latest value of each live key is kept). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (oldest available ${compacted + 1})`);
    this.name = 'CompactedError';
  }
}

export class FutureRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`required revision ${requested} is a future revision (current ${current})`);
    this.name = 'FutureRevisionError';
  }
}

/** The revision a read asks for (undefined or 0: the current one), checked against the retained history. */
export function readRevision(revision: number | undefined, current: number, compacted: number): number {
  if (!revision) return current;
  if (revision <= compacted) throw new CompactedError(revision, compacted);
  if (revision > current) throw new FutureRevisionError(revision, current);
  return revision;
}
