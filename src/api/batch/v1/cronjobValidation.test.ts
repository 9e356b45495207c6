import { describe, expect, test } from 'vitest';
import { defaultPodTemplateSpec } from '../../core/v1/podDefaults.js';
import type { FieldError } from '../../meta/status.js';
import { validateCronJob, validateCronJobUpdate } from './cronjobValidation.js';
import type { CronJob, CronJobSpec, JobSpec } from './types.js';

function cronJob(
  spec: Partial<CronJobSpec> = {},
  jobSpec: Partial<JobSpec> = {},
  name = 'mycronjob',
): CronJob {
  const template = { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'abc', image: 'image' }] } };
  defaultPodTemplateSpec(template);
  return {
    metadata: { name, namespace: 'default', uid: '1a2b3c' },
    spec: {
      schedule: '* * * * ?',
      concurrencyPolicy: 'Allow',
      jobTemplate: { spec: { template, ...jobSpec } },
      ...spec,
    },
  };
}

const short = (e: FieldError | undefined) => (e ? `${e.field} ${e.type}: ${e.message}` : 'valid');
const NN = 'must be greater than or equal to 0';

const createCases: Array<{ name: string; cj: CronJob; want: string }> = [
  {
    name: 'C1 a schedule that is one word',
    cj: cronJob({ schedule: 'error' }),
    want: 'spec.schedule FieldValueInvalid: Invalid value: "error": expected exactly 5 fields, found 1: [error]',
  },
  {
    name: 'C2 an empty schedule',
    cj: cronJob({ schedule: '' }),
    want: 'spec.schedule FieldValueRequired: Required value',
  },
  {
    name: 'C3 an empty timeZone',
    cj: cronJob({ timeZone: '' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: "": timeZone must be nil or non-empty string',
  },
  {
    name: 'C4 timeZone LOCAL',
    cj: cronJob({ timeZone: 'LOCAL' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: "LOCAL": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
  },
  {
    name: 'C5 a timeZone with a leading space',
    cj: cronJob({ timeZone: ' Europe/Rome' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: " Europe/Rome": unknown time zone  Europe/Rome',
  },
  {
    name: 'C5 a timeZone with a trailing space',
    cj: cronJob({ timeZone: 'Europe/Rome ' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: "Europe/Rome ": unknown time zone Europe/Rome ',
  },
  {
    name: 'C5 a blank timeZone',
    cj: cronJob({ timeZone: ' ' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: " ": unknown time zone  ',
  },
  {
    name: 'C5 an unknown zone',
    cj: cronJob({ timeZone: 'Europe/InvalidRome' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: "Europe/InvalidRome": unknown time zone Europe/InvalidRome',
  },
  { name: 'C6 Europe/Rome is valid', cj: cronJob({ timeZone: 'Europe/Rome' }), want: 'valid' },
  { name: 'C6 America/New_York is valid', cj: cronJob({ timeZone: 'America/New_York' }), want: 'valid' },
  { name: 'C6 Etc/GMT+5 is valid', cj: cronJob({ timeZone: 'Etc/GMT+5' }), want: 'valid' },
  { name: 'C6 UTC is valid', cj: cronJob({ timeZone: 'UTC' }), want: 'valid' },
  {
    name: 'C7 a negative startingDeadlineSeconds',
    cj: cronJob({ startingDeadlineSeconds: -1 }),
    want: `spec.startingDeadlineSeconds FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: 'C8 a negative successfulJobsHistoryLimit',
    cj: cronJob({ successfulJobsHistoryLimit: -1 }),
    want: `spec.successfulJobsHistoryLimit FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: 'C8 a negative failedJobsHistoryLimit',
    cj: cronJob({ failedJobsHistoryLimit: -1 }),
    want: `spec.failedJobsHistoryLimit FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: 'C9 an empty concurrencyPolicy',
    cj: cronJob({ concurrencyPolicy: '' }),
    want: 'spec.concurrencyPolicy FieldValueRequired: Required value',
  },
  {
    name: 'C10 an unknown concurrencyPolicy',
    cj: cronJob({ concurrencyPolicy: 'Sometimes' }),
    want: 'spec.concurrencyPolicy FieldValueNotSupported: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  },
  {
    name: 'C11 a negative job template parallelism',
    cj: cronJob({}, { parallelism: -1 }),
    want: `spec.jobTemplate.spec.parallelism FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: 'C11 negative job template completions',
    cj: cronJob({}, { completions: -1 }),
    want: `spec.jobTemplate.spec.completions FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: 'C11 a negative job template activeDeadlineSeconds',
    cj: cronJob({}, { activeDeadlineSeconds: -1 }),
    want: `spec.jobTemplate.spec.activeDeadlineSeconds FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: 'C11 a negative job template ttl',
    cj: cronJob({}, { ttlSecondsAfterFinished: -1 }),
    want: `spec.jobTemplate.spec.ttlSecondsAfterFinished FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: 'C12 a job template with a selector',
    cj: cronJob({}, { selector: { matchLabels: { a: 'b' } } }),
    want: 'spec.jobTemplate.spec.selector FieldValueInvalid: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
  },
  {
    name: 'C13 a 53-character name on create',
    cj: cronJob({}, {}, 'a'.repeat(53)),
    want: `metadata.name FieldValueInvalid: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
  },
  {
    name: 'C14 a job template with manualSelector',
    cj: cronJob({}, { manualSelector: true }),
    want: 'spec.jobTemplate.spec.manualSelector FieldValueNotSupported: Unsupported value: true: supported values: "nil", "false"',
  },
  {
    name: 'C15 a job template with restartPolicy Always',
    cj: (() => {
      const cj = cronJob();
      const spec = cj.spec?.jobTemplate.spec?.template.spec;
      if (spec) spec.restartPolicy = 'Always';
      return cj;
    })(),
    want: 'spec.jobTemplate.spec.template.spec.restartPolicy FieldValueRequired: Required value: valid values: "OnFailure", "Never"',
  },
  {
    name: 'C16 a TZ= prefix on create',
    cj: cronJob({ schedule: 'TZ=UTC 0 * * * *' }),
    want: 'spec.schedule FieldValueInvalid: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  },
  ...['* * * * ?', '@hourly', '@every 90s', '0 0 31 2 *', '*/15 9-17 * * mon-fri'].map((schedule) => ({
    name: `C22 the schedule ${schedule} is valid`,
    cj: cronJob({ schedule }),
    want: 'valid',
  })),
  ...(
    [
      ['60 * * * *', 'end of range (60) above maximum (59): 60'],
      ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
      ['* * * * 7', 'end of range (7) above maximum (6): 7'],
      ['*/0 * * * *', 'step of range should be a positive number: */0'],
      ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
      ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
      ['@foo', 'unrecognized descriptor: @foo'],
    ] as const
  ).map(([schedule, detail]) => ({
    name: `C23 the schedule ${schedule} is rejected`,
    cj: cronJob({ schedule }),
    want: `spec.schedule FieldValueInvalid: Invalid value: ${JSON.stringify(schedule)}: ${detail}`,
  })),
];

describe('CronJob create validation (catalogue 7.1)', () => {
  for (const tc of createCases) {
    test(tc.name, () => {
      expect(short(validateCronJob(tc.cj)[0])).toBe(tc.want);
    });
  }
});

const legacy = () => cronJob({ schedule: 'TZ=UTC 0 * * * *' });

const updateCases: Array<{ name: string; old: CronJob; next: CronJob; want: string }> = [
  {
    name: 'C13 a 53-character name stays editable',
    old: cronJob({}, {}, 'a'.repeat(53)),
    next: cronJob({ suspend: true }, {}, 'a'.repeat(53)),
    want: 'valid',
  },
  {
    name: 'C17 a legacy TZ= schedule left as it is',
    old: legacy(),
    next: cronJob({ schedule: 'TZ=UTC 0 * * * *', suspend: true }),
    want: 'valid',
  },
  {
    name: 'C17 a legacy TZ= prefix removed',
    old: legacy(),
    next: cronJob({ schedule: '0 * * * *' }),
    want: 'valid',
  },
  {
    name: 'C18 a timeZone added to a legacy TZ= schedule',
    old: legacy(),
    next: cronJob({ schedule: 'TZ=UTC 0 * * * *', timeZone: 'UTC' }),
    want: 'spec.schedule FieldValueInvalid: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule',
  },
  {
    name: 'C19 a TZ= prefix added on update',
    old: cronJob({ schedule: '0 * * * *' }),
    next: cronJob({ schedule: 'TZ=UTC 0 * * * *' }),
    want: 'spec.schedule FieldValueInvalid: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  },
  {
    name: 'C20 an unchanged broken timeZone is not checked again',
    old: cronJob({ timeZone: 'broken' }),
    next: cronJob({ timeZone: 'broken', suspend: true }),
    want: 'valid',
  },
  {
    name: 'C21 a broken timeZone changed to another',
    old: cronJob({ timeZone: 'broken' }),
    next: cronJob({ timeZone: 'still broken' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: "still broken": unknown time zone still broken',
  },
  {
    name: 'C21 a valid timeZone changed to a broken one',
    old: cronJob({ timeZone: 'UTC' }),
    next: cronJob({ timeZone: 'broken' }),
    want: 'spec.timeZone FieldValueInvalid: Invalid value: "broken": unknown time zone broken',
  },
];

describe('CronJob update validation', () => {
  for (const tc of updateCases) {
    test(tc.name, () => {
      expect(short(validateCronJobUpdate(tc.next, tc.old)[0])).toBe(tc.want);
    });
  }
});
