/**
 * The CronJob benchmark's bookkeeping, with no I/O: reading the Job watch stream, the scheduled
 * minutes a run measures, and the schedule skew and creation counts per minute.
 */
import { summarize } from './stats.js';

/** The CronJob controller stamps every Job it creates with the time it was scheduled for. */
export const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const MINUTE_MS = 60_000;

/** One Job the CronJob controller created, as the benchmark's watch saw it. */
export interface JobArrival {
  name: string;
  /** The scheduled time from the annotation, ms since the epoch. */
  scheduledMs: number;
  /** metadata.creationTimestamp, ms since the epoch (whole seconds: metav1.Time). */
  createdMs: number;
  /** When the benchmark read the ADDED event, ms since the epoch (this machine's wall clock). */
  receivedMs: number;
}

export type WatchLine =
  | { kind: 'added'; arrival: JobArrival }
  | { kind: 'deleted' }
  /** An ERROR event (410 Expired, ...): the stream is over. */
  | { kind: 'error'; message: string }
  /** MODIFIED, BOOKMARK, an ADDED Job no CronJob made, or a blank line. */
  | { kind: 'other' };

interface WatchEvent {
  type?: string;
  object?: {
    message?: string;
    metadata?: { name?: string; creationTimestamp?: string; annotations?: Record<string, string> };
  };
}

/**
 * Classifies one line of a watch stream. Only ADDED and ERROR lines are parsed: the many MODIFIED
 * lines (Job status) are told apart by their prefix, so the watcher stays cheap at 5,000 Jobs a minute.
 */
export function readWatchLine(line: string, receivedMs: number): WatchLine {
  if (line.startsWith('{"type":"DELETED"')) return { kind: 'deleted' };
  const added = line.startsWith('{"type":"ADDED"');
  if (!added && !line.startsWith('{"type":"ERROR"')) return { kind: 'other' };
  const event = JSON.parse(line) as WatchEvent;
  if (!added) return { kind: 'error', message: event.object?.message ?? line.slice(0, 200) };
  const meta = event.object?.metadata;
  const scheduledMs = Date.parse(meta?.annotations?.[SCHEDULED_ANNOTATION] ?? '');
  const createdMs = Date.parse(meta?.creationTimestamp ?? '');
  if (!meta?.name || Number.isNaN(scheduledMs) || Number.isNaN(createdMs)) return { kind: 'other' };
  return { kind: 'added', arrival: { name: meta.name, scheduledMs, createdMs, receivedMs } };
}

/**
 * Splits a stream's chunks into whole lines, keeping the tail for the next chunk.
 * @example
 * const lines = new LineSplitter(); lines.push('{"a":1}\n{"b"'); // ['{"a":1}']
 */
export class LineSplitter {
  private partial = '';

  push(chunk: string): string[] {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    return lines.filter((l) => l !== '');
  }
}

/**
 * The first `n` whole minutes strictly after `ms`. A CronJob created at or before `ms` has its
 * creationTimestamp (truncated to the second) before the first of them, so it fires at every one.
 */
export function minutesAfter(ms: number, n: number): number[] {
  const first = (Math.floor(ms / MINUTE_MS) + 1) * MINUTE_MS;
  return Array.from({ length: n }, (_, i) => first + i * MINUTE_MS);
}

/** p50 / p99 / max in seconds, and how many samples. */
export interface SkewSummary {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface MinuteSkew {
  /** The scheduled time, ms since the epoch. */
  scheduledMs: number;
  /** One Job per CronJob. */
  expected: number;
  /** Distinct Jobs seen for this scheduled time. */
  created: number;
  /** Watch receive time − scheduled time, seconds (ms resolution): what a watching client sees. */
  seen: SkewSummary;
  /** creationTimestamp − scheduled time, seconds (whole seconds): what the controller's skew metric sees. */
  stamped: SkewSummary;
}

const toSeconds = (ms: readonly number[]): SkewSummary => summarize(ms.map((x) => x / 1000));

/** The first arrival of each Job name (a Job is ADDED once; a repeat would be a relist). */
export function firstArrivals(arrivals: readonly JobArrival[]): JobArrival[] {
  const seen = new Set<string>();
  return arrivals.filter((a) => {
    if (seen.has(a.name)) return false;
    seen.add(a.name);
    return true;
  });
}

/** Skew and counts for each measured minute; Jobs scheduled for other minutes are left out. */
export function skewByMinute(
  arrivals: readonly JobArrival[],
  minutes: readonly number[],
  expected: number,
): MinuteSkew[] {
  const byMinute = new Map<number, JobArrival[]>(minutes.map((m) => [m, []]));
  for (const a of firstArrivals(arrivals)) byMinute.get(a.scheduledMs)?.push(a);
  return minutes.map((m) => {
    const got = byMinute.get(m) ?? [];
    return {
      scheduledMs: m,
      expected,
      created: got.length,
      seen: toSeconds(got.map((a) => a.receivedMs - m)),
      stamped: toSeconds(got.map((a) => a.createdMs - m)),
    };
  });
}

/** All measured minutes pooled. */
export function pooledSkew(
  arrivals: readonly JobArrival[],
  minutes: readonly number[],
  expected: number,
): MinuteSkew & { minutes: number } {
  const measured = new Set(minutes);
  const got = firstArrivals(arrivals).filter((a) => measured.has(a.scheduledMs));
  return {
    scheduledMs: minutes[0] ?? Number.NaN,
    minutes: minutes.length,
    expected: expected * minutes.length,
    created: got.length,
    seen: toSeconds(got.map((a) => a.receivedMs - a.scheduledMs)),
    stamped: toSeconds(got.map((a) => a.createdMs - a.scheduledMs)),
  };
}
