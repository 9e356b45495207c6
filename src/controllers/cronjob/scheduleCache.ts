/**
 * Parsed schedules by their text, each remembering its recent answers. At a minute boundary
 * thousands of CronJobs on one schedule, with the same lastScheduleTime, ask the same questions:
 * the walk through the calendar runs once. Time zone rules are fixed for the process's life.
 */
import { parseSchedule } from '../../cron/schedule.js';
import type { NextSchedule } from './schedule.js';

const MAX_SCHEDULES = 1000;
const MAX_ANSWERS = 256;

class RememberingSchedule implements NextSchedule {
  private readonly answers = new Map<string, number | null>();

  constructor(private readonly inner: NextSchedule) {}

  next(after: Date, zone = 'UTC'): Date | null {
    const key = `${after.getTime()} ${zone}`;
    let ms = this.answers.get(key);
    if (ms === undefined) {
      ms = this.inner.next(after, zone)?.getTime() ?? null;
      if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
      this.answers.set(key, ms);
    }
    return ms === null ? null : new Date(ms);
  }
}

const schedules = new Map<string, RememberingSchedule | Error>();

/** parseSchedule's result (or its error, thrown again) for a schedule text seen before. */
export function parseScheduleCached(spec: string): NextSchedule {
  let s = schedules.get(spec);
  if (s === undefined) {
    try {
      s = new RememberingSchedule(parseSchedule(spec));
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      s = err;
    }
    if (schedules.size >= MAX_SCHEDULES) schedules.clear();
    schedules.set(spec, s);
  }
  if (s instanceof Error) throw s;
  return s;
}
