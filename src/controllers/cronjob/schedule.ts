/**
 * The CronJob controller's time arithmetic (upstream's cronjob utils): which scheduled time is
 * due, how many were missed, and when to look again. Pure: the caller passes `now` and the zone
 * that stands in for kube-controller-manager's local zone.
 */
import type { CronJob } from '../../api/batch/v1/types.js';
import { loadLocation } from '../../cron/timezone.js';

/** What a parsed schedule offers: the first activation strictly after a time, or null for none. */
export interface NextSchedule {
  next(after: Date, zone?: string): Date | null;
}

/** Requeues land this long after the next activation, so a slightly early timer still finds it due. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** More unmet activations than this is "many": a warning, though the newest still runs. */
const MANY_MISSED = 100;

export type MissedSchedules = 'none' | 'few' | 'many';

/** A schedule whose activations are less than a second apart: how impossible dates (Feb 31) surface. */
export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';
  constructor() {
    super('time difference between two schedules is less than 1 second');
  }
}

export interface MostRecent {
  /** lastScheduleTime, else creationTimestamp (raised to now − startingDeadlineSeconds when asked). */
  earliest: Date;
  /** The newest activation at or before now, or null. */
  mostRecent: Date | null;
  missed: MissedSchedules;
  error?: InvalidScheduleError;
}

/**
 * The schedule string the controller parses: a `TZ`/`CRON_TZ` in the schedule wins as written
 * (legacy objects; `unsupported` tells the caller to warn), else `spec.timeZone` becomes a prefix.
 */
export function formatSchedule(cj: CronJob): { spec: string; unsupported: boolean } {
  const schedule = cj.spec?.schedule ?? '';
  if (schedule.includes('TZ')) return { spec: schedule, unsupported: true };
  const tz = cj.spec?.timeZone;
  if (tz !== undefined && tz !== null) {
    try {
      loadLocation(tz);
    } catch {
      return { spec: schedule, unsupported: false };
    }
    return { spec: `TZ=${tz} ${schedule}`, unsupported: false };
  }
  return { spec: schedule, unsupported: false };
}

const time = (s: string | null | undefined): Date | undefined => (s ? new Date(s) : undefined);

/**
 * Upstream's mostRecentScheduleTime, approximation included: it estimates the number of misses
 * from the gap between the first two activations and only scans the last two gaps before now, so
 * an irregular schedule can report no time although one was missed (reproduced on purpose).
 */
export function mostRecentScheduleTime(
  cj: CronJob,
  now: Date,
  schedule: NextSchedule,
  zone: string,
  useDeadline: boolean,
): MostRecent {
  let earliest = time(cj.status?.lastScheduleTime) ?? time(cj.metadata.creationTimestamp) ?? new Date(0);
  const sds = cj.spec?.startingDeadlineSeconds;
  if (useDeadline && sds !== undefined && sds !== null) {
    const deadline = new Date(now.getTime() - sds * 1000);
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = schedule.next(earliest, zone);
  // robfig answers Go's zero time when nothing matches within five years; the gap check below
  // then fails, which is how upstream reports such a schedule.
  if (t1 && now < t1) return { earliest, mostRecent: null, missed: 'none' };
  const t2 = t1 && schedule.next(t1, zone);
  if (t1 && t2 && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const gap = t1 && t2 ? Math.round((t2.getTime() - t1.getTime()) / 1000) : 0;
  if (!t1 || gap < 1)
    return { earliest, mostRecent: null, missed: 'none', error: new InvalidScheduleError() };
  const elapsed = Math.trunc((now.getTime() - t1.getTime()) / 1000);
  const missedCount = Math.floor(elapsed / gap) + 1;
  // Start one gap before the estimated last slot and let the schedule walk to now.
  let t = schedule.next(new Date(t1.getTime() + (missedCount - 2) * gap * 1000), zone);
  let mostRecent: Date | null = null;
  while (t && t <= now) {
    mostRecent = t;
    t = schedule.next(t, zone);
  }
  return { earliest, mostRecent, missed: missedCount > MANY_MISSED ? 'many' : 'few' };
}

export interface NextScheduleTime {
  /** The activation to run now, or null when none is due. */
  scheduledTime: Date | null;
  /** More than 100 activations were missed (the newest still runs). */
  tooMany: boolean;
  error?: InvalidScheduleError;
}

/** The unmet activation to start now, never older than startingDeadlineSeconds (upstream's nextScheduleTime). */
export function nextScheduleTime(
  cj: CronJob,
  now: Date,
  schedule: NextSchedule,
  zone: string,
): NextScheduleTime {
  const r = mostRecentScheduleTime(cj, now, schedule, zone, true);
  const base = { ...(r.error ? { error: r.error } : {}) };
  if (!r.mostRecent || r.mostRecent > now) return { scheduledTime: null, tooMany: false, ...base };
  return { scheduledTime: r.mostRecent, tooMany: r.missed === 'many', ...base };
}

/**
 * How long until the next activation, plus {@link NEXT_SCHEDULE_DELTA_MS} (upstream's
 * nextScheduleTimeDuration). undefined when the schedule never fires again, where upstream would
 * compute a duration from Go's zero time.
 */
export function nextScheduleTimeDuration(
  cj: CronJob,
  now: Date,
  schedule: NextSchedule,
  zone: string,
): number | undefined {
  const r = mostRecentScheduleTime(cj, now, schedule, zone, false);
  let base: Date;
  if (r.error) base = now;
  else if (r.mostRecent) base = r.mostRecent;
  else base = r.missed === 'none' ? r.earliest : now;
  const next = schedule.next(base, zone);
  return next ? next.getTime() + NEXT_SCHEDULE_DELTA_MS - now.getTime() : undefined;
}
