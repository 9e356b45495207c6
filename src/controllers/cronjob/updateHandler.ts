/**
 * What the CronJob informer's update handler does with a change (upstream's updateCronJob): a new
 * schedule or zone requeues at its next activation, anything else syncs now.
 */
import type { CronJob } from '../../api/batch/v1/types.js';
import { parseSchedule } from '../../cron/schedule.js';
import { cronJobEvents, type EventSpec } from './events.js';
import { formatSchedule, nextScheduleTimeDuration } from './schedule.js';

export type UpdateAction =
  | { kind: 'now' }
  | { kind: 'after'; ms: number }
  /** The new schedule does not parse: warn, and leave the CronJob alone until it changes again. */
  | { kind: 'unparseable'; event: EventSpec }
  /** The new schedule never fires again. */
  | { kind: 'never' };

export function onCronJobUpdate(old: CronJob, cur: CronJob, now: Date, localZone: string): UpdateAction {
  if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) {
    return { kind: 'now' };
  }
  let sched: ReturnType<typeof parseSchedule>;
  try {
    sched = parseSchedule(formatSchedule(cur).spec);
  } catch {
    return { kind: 'unparseable', event: cronJobEvents.unparseableCronJobSchedule(cur.spec?.schedule ?? '') };
  }
  const ms = nextScheduleTimeDuration(cur, now, sched, localZone);
  return ms === undefined ? { kind: 'never' } : { kind: 'after', ms };
}
