/** CronJob validation on create and update, with upstream's paths and messages. */
import { parseSchedule } from '../../../cron/schedule.js';
import { loadLocation } from '../../../cron/timezone.js';
import { type FieldError, invalidValue, notSupported, required } from '../../meta/status.js';
import { nonNegative, validateJobSpecCommon } from './jobValidation.js';
import type { CronJob, CronJobSpec, JobSpec } from './types.js';

/** A CronJob's jobs are named `<cronjob>-<minutes since epoch>` (11 more characters), and a Job name must fit 63. */
const MAX_CRONJOB_NAME_LENGTH = 52;
const POLICIES = ['Allow', 'Forbid', 'Replace'];
/** IANA naming rules for a zone name part, with digits and `+` tolerated for legacy names. */
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

export function validateCronJob(cj: CronJob): FieldError[] {
  const errs = validateCronJobSpec(cj.spec ?? emptySpec(), undefined, 'spec');
  const name = cj.metadata.name ?? '';
  if (name.length > MAX_CRONJOB_NAME_LENGTH) {
    errs.push(
      invalidValue('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`),
    );
  }
  return errs;
}

/** Old CronJobs with long names stay editable: the length rule is for creation only. */
export function validateCronJobUpdate(cj: CronJob, old: CronJob): FieldError[] {
  return validateCronJobSpec(cj.spec ?? emptySpec(), old.spec ?? emptySpec(), 'spec');
}

const emptySpec = (): CronJobSpec => ({ schedule: '', jobTemplate: {} });

function validateCronJobSpec(spec: CronJobSpec, old: CronJobSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = spec.schedule ?? '';
  if (schedule === '') errs.push(required(`${path}.schedule`));
  else {
    // Legacy objects may keep a TZ= prefix they were created with, but nobody may add one.
    const allowTZ = old !== undefined && (old.schedule ?? '').includes('TZ');
    errs.push(...validateSchedule(schedule, allowTZ, spec.timeZone, `${path}.schedule`));
  }
  errs.push(...nonNegative(spec.startingDeadlineSeconds, `${path}.startingDeadlineSeconds`));
  if (old === undefined || old.timeZone !== spec.timeZone)
    errs.push(...validateTimeZone(spec.timeZone, `${path}.timeZone`));
  const policy = spec.concurrencyPolicy ?? '';
  if (policy === '') errs.push(required(`${path}.concurrencyPolicy`));
  else if (!POLICIES.includes(policy)) errs.push(notSupported(`${path}.concurrencyPolicy`, policy, POLICIES));
  errs.push(
    ...validateJobTemplateSpec(spec.jobTemplate?.spec ?? { template: {} }, `${path}.jobTemplate.spec`),
  );
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, `${path}.successfulJobsHistoryLimit`));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, `${path}.failedJobsHistoryLimit`));
  return errs;
}

function validateSchedule(schedule: string, allowTZ: boolean, timeZone: string | undefined, path: string) {
  const errs: FieldError[] = [];
  try {
    parseSchedule(schedule);
  } catch (err) {
    errs.push(invalidValue(path, schedule, (err as Error).message));
  }
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined) {
    errs.push(invalidValue(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(
      invalidValue(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
    );
  }
  return errs;
}

function validateTimeZone(tz: string | undefined, path: string): FieldError[] {
  if (tz === undefined) return [];
  if (tz === '') return [invalidValue(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !ZONE_PART.test(part)) {
      return [invalidValue(path, tz, `unknown time zone ${tz}`)];
    }
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') {
    errs.push(
      invalidValue(
        path,
        tz,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  }
  try {
    loadLocation(tz);
  } catch (err) {
    errs.push(invalidValue(path, tz, (err as Error).message));
  }
  return errs;
}

/** A CronJob's job template: the Job spec rules, with the selector left to the server. */
function validateJobTemplateSpec(spec: JobSpec, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  if (spec.selector)
    errs.push(invalidValue(`${path}.selector`, spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(notSupported(`${path}.manualSelector`, true, ['nil', 'false']));
  return errs;
}
