import { expect, test } from 'vitest';
import { at, cronJob, DELTA, dur } from './testdata/builders.js';
import { onCronJobUpdate, type UpdateAction } from './updateHandler.js';

const base = { lastScheduleTime: at('09:59') };
const cases: Array<{
  name: string;
  old: ReturnType<typeof cronJob>;
  cur: ReturnType<typeof cronJob>;
  want: UpdateAction;
}> = [
  {
    name: 'a schedule changed to every minute requeues at the next minute',
    old: cronJob({ ...base, schedule: '30 * * * *' }),
    cur: cronJob({ ...base, schedule: '*/1 * * * *' }),
    want: { kind: 'after', ms: dur('1s') + DELTA },
  },
  {
    name: 'an interval lengthened to three minutes requeues three minutes after the last run',
    old: cronJob({ ...base, schedule: '@every 1m' }),
    cur: cronJob({ ...base, schedule: '@every 3m' }),
    want: { kind: 'after', ms: dur('2m', '1s') + DELTA },
  },
  {
    name: 'an interval shortened to one minute requeues a minute after the last run',
    old: cronJob({ ...base, schedule: '@every 3m' }),
    cur: cronJob({ ...base, schedule: '@every 1m' }),
    want: { kind: 'after', ms: dur('1s') + DELTA },
  },
  {
    name: 'a changed template label syncs now',
    old: cronJob({ ...base, templateLabels: { a: 'b' } }),
    cur: cronJob({ ...base, templateLabels: { a: 'c' } }),
    want: { kind: 'now' },
  },
  {
    name: 'an edit that keeps the time zone syncs now',
    old: cronJob({ ...base, timeZone: 'Europe/Rome', suspend: false }),
    cur: cronJob({ ...base, timeZone: 'Europe/Rome', suspend: true }),
    want: { kind: 'now' },
  },
  {
    name: 'a schedule that no longer parses warns UnParseableCronJobSchedule',
    old: cronJob({ ...base }),
    cur: cronJob({ ...base, schedule: 'not a schedule' }),
    want: {
      kind: 'unparseable',
      event: {
        type: 'Warning',
        reason: 'UnParseableCronJobSchedule',
        message: 'unparseable schedule for cronjob: not a schedule',
      },
    },
  },
];
for (const tc of cases) {
  test(tc.name, () => expect(onCronJobUpdate(tc.old, tc.cur, at('09:59:59'), 'UTC')).toEqual(tc.want));
}
