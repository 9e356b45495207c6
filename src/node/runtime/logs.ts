/**
 * Reading one container attempt's log as `GET pods/{name}/log` does: tailLines picks the start,
 * sinceTime drops older lines, timestamps prefixes each line with its arrival time, limitBytes
 * caps the bytes sent (prefixes included), and follow keeps reading until the container exits.
 * Order as the kubelet's ReadLogs: tail first, then since, then the byte limit.
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { LogIndex } from './logIndex.js';
import { dateToNs, formatLogTime } from './logTime.js';
import type { LogOptions } from './types.js';

export interface LogSource {
  readonly path: string;
  readonly index: LogIndex;
  /** Set while the container runs: resolves once it has exited and its log is final. */
  readonly exited?: Promise<unknown>;
  /** Now in ns, for lines past what the index covers. */
  readonly now: () => bigint;
}

const CHUNK = 64 * 1024;
const NL = 0x0a;

/** The offset where the last `lines` lines of the first `size` bytes start. */
export async function tailStart(fh: FileHandle, size: number, lines: number): Promise<number> {
  if (lines <= 0) return size;
  let found = 0;
  let end = size;
  // A trailing newline ends the last line; it does not start an empty one.
  let skipLast = true;
  const buf = Buffer.allocUnsafe(CHUNK);
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] !== NL) {
        skipLast = false;
        continue;
      }
      if (skipLast && start + i === size - 1) {
        skipLast = false;
        continue;
      }
      if (++found === lines) return start + i + 1;
    }
    end = start;
  }
  return 0;
}

/** The log as chunks of whole lines (a final partial line is sent once nothing more can come). */
export async function* readLogFile(
  src: LogSource,
  opts: LogOptions,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(src.path, 'r');
  } catch {
    return;
  }
  let exited = src.exited === undefined;
  void src.exited?.then(() => {
    exited = true;
  });
  const follow = opts.follow === true;
  const since = opts.sinceTime ? dateToNs(opts.sinceTime) : undefined;
  let budget = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  try {
    await src.index.sync();
    let pos = opts.tailLines === undefined ? 0 : await tailStart(fh, src.index.end(), opts.tailLines);
    let carry: Buffer = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(CHUNK);

    /** Formats complete lines of `data` (which starts at file offset `at`); returns the unfinished rest. */
    const emit = (data: Buffer, at: number, final: boolean): { out: Buffer[]; rest: Buffer } => {
      const out: Buffer[] = [];
      let lineStart = 0;
      const push = (line: Buffer, lastByte: number) => {
        if (budget <= 0) return;
        const ts = src.index.timeAt(lastByte, src.now());
        if (since !== undefined && ts < since) return;
        const piece = opts.timestamps ? Buffer.concat([Buffer.from(`${formatLogTime(ts)} `), line]) : line;
        const cut = piece.length > budget ? piece.subarray(0, budget) : piece;
        budget -= cut.length;
        out.push(cut);
      };
      for (let i = data.indexOf(NL); i !== -1; i = data.indexOf(NL, lineStart)) {
        push(data.subarray(lineStart, i + 1), at + i);
        lineStart = i + 1;
      }
      const rest = data.subarray(lineStart);
      if (final && rest.length > 0) {
        push(rest, at + data.length - 1);
        return { out, rest: Buffer.alloc(0) };
      }
      return { out, rest: Buffer.from(rest) };
    };

    for (;;) {
      const wasExited = exited;
      const end = src.index.end();
      while (pos < end && budget > 0) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, end - pos), pos);
        if (bytesRead === 0) break;
        const data = carry.length
          ? Buffer.concat([carry, buf.subarray(0, bytesRead)])
          : buf.subarray(0, bytesRead);
        const at = pos - carry.length;
        pos += bytesRead;
        const { out, rest } = emit(data, at, false);
        carry = rest;
        if (out.length) yield Buffer.concat(out);
      }
      const more = follow && !wasExited && budget > 0 && !signal?.aborted;
      if (!more) {
        if (carry.length && budget > 0) {
          const { out } = emit(carry, pos - carry.length, true);
          if (out.length) yield Buffer.concat(out);
        }
        return;
      }
      await waitForMore(src, signal);
      await src.index.sync();
    }
  } finally {
    await fh.close();
  }
}

/** Until the log grows, the container exits, or the reader goes away. */
function waitForMore(src: LogSource, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal?.removeEventListener('abort', done);
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
    void src.index.changed().then(done);
    void src.exited?.then(done);
  });
}
