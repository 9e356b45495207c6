/**
 * Line arrival times without reading the container's output on the hot path. A container writes
 * straight into its log file; batchd watches the file (inotify through fs.watch) and, whenever it
 * grew, notes "the bytes up to offset N were written by time T" with T the file's mtime. A line's
 * timestamp is the time of the first note that covers its newline. Notes go to `<log>.idx` so the
 * times survive a batchd restart; bytes written while batchd was down get the file's mtime.
 */
import { type FSWatcher, watch } from 'node:fs';
import { appendFile, readFile, stat } from 'node:fs/promises';
import type { Clock } from '../../util/clock.js';

const WATCH_DELAY_MS = 100;

export class LogIndex {
  /** Offsets (exclusive ends) and their write times in ns, both ascending. */
  private readonly ends: number[] = [];
  private readonly times: bigint[] = [];
  private pending = '';
  private flushing: Promise<void> | undefined;
  private syncing: Promise<void> | undefined;
  private dirty = false;
  private watcher: FSWatcher | undefined;
  private cancelWatchTimer: (() => void) | undefined;
  private readonly changeWaiters = new Set<() => void>();

  private constructor(
    readonly logPath: string,
    /** A reader beside the runtime (`batchd logs`) notes growth in memory only, never in `.idx`. */
    private readonly readOnly = false,
  ) {}

  get indexPath(): string {
    return `${this.logPath}.idx`;
  }

  /** The index of a log, loaded from its `.idx` file when there is one. */
  static async load(logPath: string, opts: { readOnly?: boolean } = {}): Promise<LogIndex> {
    const idx = new LogIndex(logPath, opts.readOnly);
    const text = await readFile(idx.indexPath, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const [end, time] = line.split(' ');
      if (!end || !time) continue;
      const n = Number(end);
      if (n > idx.end()) {
        idx.ends.push(n);
        idx.times.push(BigInt(time));
      }
    }
    return idx;
  }

  /** A fresh index for a new log (nothing to load). */
  static empty(logPath: string): LogIndex {
    return new LogIndex(logPath);
  }

  /** The offset up to which arrival times are known. */
  end(): number {
    return this.ends[this.ends.length - 1] ?? 0;
  }

  /** When the byte at `offset` was written; `fallback` past what is indexed. */
  timeAt(offset: number, fallback: bigint): bigint {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ends[mid] ?? 0) > offset) hi = mid;
      else lo = mid + 1;
    }
    return this.times[lo] ?? fallback;
  }

  /** Notes the file's current size and mtime if it grew; resolves to the indexed size. */
  sync(): Promise<void> {
    if (this.syncing !== undefined) {
      this.dirty = true;
      return this.syncing;
    }
    this.syncing = this.syncOnce().finally(() => {
      this.syncing = undefined;
      if (this.dirty) {
        this.dirty = false;
        void this.sync();
      }
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const st = await stat(this.logPath, { bigint: true }).catch(() => undefined);
    if (!st) return;
    const size = Number(st.size);
    if (size <= this.end()) return;
    this.ends.push(size);
    this.times.push(st.mtimeNs);
    if (!this.readOnly) {
      this.pending += `${size} ${st.mtimeNs}\n`;
      void this.flush();
    }
    for (const wake of this.changeWaiters) wake();
    this.changeWaiters.clear();
  }

  private flush(): Promise<void> {
    if (this.flushing !== undefined) return this.flushing;
    this.flushing = (async () => {
      while (this.pending) {
        const chunk = this.pending;
        this.pending = '';
        await appendFile(this.indexPath, chunk).catch(() => undefined);
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /**
   * Starts noting growth as it happens (while the container runs), after WATCH_DELAY_MS: most
   * containers of a big Job end sooner, and their close() notes the growth once, with the file's
   * mtime, which is then within that delay of each line's own time.
   */
  watch(clock: Clock): void {
    if (this.watcher || this.cancelWatchTimer) return;
    this.cancelWatchTimer = clock.setTimer(WATCH_DELAY_MS, () => {
      this.cancelWatchTimer = undefined;
      this.startWatching();
    });
  }

  private startWatching(): void {
    // What was written before the watch began gets its time now (the file's mtime is still that write's).
    void this.sync();
    try {
      this.watcher = watch(this.logPath, { persistent: false }, () => void this.sync());
      this.watcher.on('error', () => this.unwatch());
    } catch {
      // No inotify (or the file is gone): readers still sync on demand.
    }
  }

  /** Stops watching after a final sync, and writes out what is pending. */
  async close(): Promise<void> {
    this.unwatch();
    await this.sync();
    await this.flush();
    for (const wake of this.changeWaiters) wake();
    this.changeWaiters.clear();
  }

  private unwatch(): void {
    this.cancelWatchTimer?.();
    this.cancelWatchTimer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Resolves at the next noted growth (or close); followers wait on it. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.changeWaiters.add(resolve));
  }
}
