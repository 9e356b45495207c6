/** The events the CronJob controller records, with upstream's reasons and messages. */
import type { EventType } from '../events/types.js';

/** The `source.component` of the CronJob controller's events. */
export const CRONJOB_CONTROLLER_COMPONENT = 'cronjob-controller';

export interface EventSpec {
  type: EventType;
  reason: string;
  message: string;
}

const normal = (reason: string, message: string): EventSpec => ({ type: 'Normal', reason, message });
const warning = (reason: string, message: string): EventSpec => ({ type: 'Warning', reason, message });

const DOCS = 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/';

export const cronJobEvents = {
  unexpectedJob: (job: string) =>
    warning('UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job}`),
  sawCompletedJob: (job: string, condition: string) =>
    normal('SawCompletedJob', `Saw completed job: ${job}, condition: ${condition}`),
  missingJob: (job: string) => normal('MissingJob', `Active job went missing: ${job}`),
  unknownTimeZone: (quotedZone: string, err: string) =>
    warning('UnknownTimeZone', `invalid timeZone: ${quotedZone}: ${err}`),
  unsupportedSchedule: (quotedSchedule: string) =>
    warning(
      'UnsupportedSchedule',
      `CRON_TZ or TZ used in schedule ${quotedSchedule} is not officially supported, see ${DOCS} for more details`,
    ),
  unparseableSchedule: (quotedSchedule: string, err: string) =>
    warning('UnparseableSchedule', `unparseable schedule: ${quotedSchedule} : ${err}`),
  /** From the informer's update handler (note the capital P, as upstream spells it there). */
  unparseableCronJobSchedule: (schedule: string) =>
    warning('UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${schedule}`),
  invalidSchedule: (schedule: string, err: string) =>
    warning('InvalidSchedule', `invalid schedule: ${schedule} : ${err}`),
  tooManyMissedTimes: () =>
    warning(
      'TooManyMissedTimes',
      'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    ),
  missSchedule: (rfc1123z: string) =>
    warning('MissSchedule', `Missed scheduled time to start a job: ${rfc1123z}`),
  jobAlreadyActive: () =>
    normal(
      'JobAlreadyActive',
      'Not starting job because prior execution is running and concurrency policy is Forbid',
    ),
  failedGet: (err: string) => warning('FailedGet', `Get job: ${err}`),
  failedDelete: (err: string) => warning('FailedDelete', `Deleted job: ${err}`),
  successfulDelete: (job: string) => normal('SuccessfulDelete', `Deleted job ${job}`),
  failedCreate: (err: string) => warning('FailedCreate', `Error creating job: ${err}`),
  successfulCreate: (job: string) => normal('SuccessfulCreate', `Created job ${job}`),
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z of a UTC time: `Thu, 19 May 2016 10:00:00 +0000`. */
export function formatRFC1123Z(t: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[t.getUTCDay()]}, ${p(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ` +
    `${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0000`
  );
}
