/**
 * Log lines kept in memory and served with the pods/log options: sinceTime, tailLines,
 * timestamps (RFC 3339 with nanoseconds, as the kubelet prefixes them) and limitBytes.
 */
import type { LogOptions } from '../runtime/types.js';

export interface LogLine {
  time: Date;
  /** The line with its trailing newline. */
  text: string;
}

/** `2026-01-01T00:00:01.000000000Z`: the kubelet's timestamp prefix. */
export function logTimestamp(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000000Z`;
}

/** The lines to send now, after sinceTime and tailLines, with timestamps when asked. */
export function selectLines(lines: readonly LogLine[], opts: LogOptions): string[] {
  let picked = opts.sinceTime ? lines.filter((l) => l.time >= (opts.sinceTime as Date)) : lines;
  if (opts.tailLines !== undefined) picked = opts.tailLines > 0 ? picked.slice(-opts.tailLines) : [];
  return picked.map((l) => render(l, opts));
}

export const render = (l: LogLine, opts: LogOptions): string =>
  opts.timestamps ? `${logTimestamp(l.time)} ${l.text}` : l.text;

/** Cuts what is sent at limitBytes; returns the part that fits and how many bytes remain. */
export function limit(
  text: string,
  remaining: number | undefined,
): { chunk: Buffer; remaining: number | undefined } {
  const buf = Buffer.from(text);
  if (remaining === undefined) return { chunk: buf, remaining };
  const chunk = buf.subarray(0, Math.max(0, remaining));
  return { chunk, remaining: remaining - chunk.length };
}
