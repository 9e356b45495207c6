import { describe, expect, test } from 'vitest';
import { parseSchedule } from '../../cron/schedule.js';
import {
  formatSchedule,
  type MissedSchedules,
  mostRecentScheduleTime,
  nextScheduleTime,
  nextScheduleTimeDuration,
} from './schedule.js';
import { at, cronJob, DELTA, dur } from './testdata/builders.js';

const THU_1030 = at('10:30');
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : d);

describe('mostRecentScheduleTime', () => {
  const cases: Array<{
    name: string;
    schedule: string;
    created: Date;
    last?: Date;
    sds?: number;
    useDeadline?: boolean;
    now: Date;
    want: { mostRecent: Date | null; missed?: MissedSchedules; error?: boolean; earliest?: Date };
  }> = [
    {
      name: 'nothing is due half a minute after creation',
      schedule: '0 * * * *',
      created: at('10:00'),
      now: at('10:00:30'),
      want: { mostRecent: null, missed: 'none' },
    },
    {
      name: 'the first activation after creation is due with no misses',
      schedule: '0 * * * *',
      created: at('10:00'),
      now: at('11:01'),
      want: { mostRecent: at('11:00'), missed: 'none' },
    },
    {
      name: 'after four skipped hours the newest hour is due and a few were missed',
      schedule: '0 * * * *',
      created: at('10:00:10'),
      now: at('15:01'),
      want: { mostRecent: at('15:00'), missed: 'few' },
    },
    {
      name: 'an irregular weekday schedule finds Friday 10:30 from Thursday 10:30',
      schedule: '30 6-16/4 * * 1-5',
      created: at('10:00'),
      last: THU_1030,
      now: at('2016-05-20T10:31'),
      want: { mostRecent: at('2016-05-20T10:30'), missed: 'few' },
    },
    {
      name: 'the gap estimate skips Friday 12:30 of a 10,11,12 schedule, as upstream does',
      schedule: '30 10,11,12 * * 1-5',
      created: at('10:00'),
      last: THU_1030,
      now: at('2016-05-20T16:30'),
      want: { mostRecent: null, missed: 'few' },
    },
    {
      name: 'over a weekend the irregular schedule lands on Monday 10:30',
      schedule: '30 6-16/4 * * 1-5',
      created: at('10:00'),
      last: THU_1030,
      now: at('2016-05-23T10:31'),
      want: { mostRecent: at('2016-05-23T10:30'), missed: 'few' },
    },
    {
      name: 'an irregular schedule that never ran counts from its creation',
      schedule: '30 6-16/4 * * 1-5',
      created: at('10:00'),
      now: at('2016-05-20T10:31'),
      want: { mostRecent: at('2016-05-20T10:30'), missed: 'few' },
    },
    {
      name: 'an hourly @every a week behind has many misses and keeps its minute',
      schedule: '@every 1h',
      created: at('09:01'),
      last: at('10:01'),
      now: at('2016-05-26T10:00'),
      want: { mostRecent: at('2016-05-26T09:01'), missed: 'many' },
    },
    {
      name: 'February 31st is an invalid schedule',
      schedule: '59 23 31 2 *',
      created: at('10:00:10'),
      now: at('11:00'),
      want: { mostRecent: null, error: true },
    },
    {
      name: 'a deadline that is not used leaves the earliest time at the last schedule',
      schedule: '*/5 * * * *',
      created: at('10:00'),
      last: at('10:30'),
      sds: 60,
      useDeadline: false,
      now: at('10:31'),
      want: { mostRecent: null, earliest: at('10:30') },
    },
    {
      name: 'a deadline that is used raises the earliest time to now minus the deadline',
      schedule: '*/5 * * * *',
      created: at('10:00'),
      last: at('10:30'),
      sds: 60,
      useDeadline: true,
      now: at('10:32'),
      want: { mostRecent: null, earliest: at('10:31') },
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const cj = cronJob({
        schedule: tc.schedule,
        created: tc.created,
        ...(tc.last ? { lastScheduleTime: tc.last } : {}),
        ...(tc.sds !== undefined ? { sds: tc.sds } : {}),
      });
      const r = mostRecentScheduleTime(
        cj,
        tc.now,
        parseSchedule(tc.schedule),
        'UTC',
        tc.useDeadline ?? false,
      );
      expect(iso(r.mostRecent)).toBe(iso(tc.want.mostRecent));
      if (tc.want.missed) expect(r.missed).toBe(tc.want.missed);
      expect(r.error !== undefined).toBe(tc.want.error ?? false);
      if (tc.want.earliest) expect(iso(r.earliest)).toBe(iso(tc.want.earliest));
    });
  }
});

describe('nextScheduleTimeDuration', () => {
  const cases: Array<{
    name: string;
    schedule: string;
    created?: Date;
    last?: Date;
    now: Date;
    want: number;
  }> = [
    {
      name: 'an irregular schedule that just ran waits until its 14:30 slot',
      schedule: '30 6-16/4 * * 1-5',
      created: at('10:00'),
      last: THU_1030,
      now: at('2016-05-20T10:31'),
      want: dur('3h', '59m') + DELTA,
    },
    {
      name: 'a schedule whose estimate found nothing waits from now to Monday 10:30',
      schedule: '30 10,11,12 * * 1-5',
      created: at('10:00'),
      last: THU_1030,
      now: at('2016-05-20T16:30'),
      want: dur('66h') + DELTA,
    },
    {
      name: 'a weekly schedule nineteen days behind waits for next Thursday noon',
      schedule: '0 12 * * 4',
      last: at('12:00'),
      now: at('2016-06-07T11:30'),
      want: dur('48h', '30m') + DELTA,
    },
    {
      name: 'a Friday schedule that never ran waits from Thursday 16:00 to Friday noon',
      schedule: '0 12 * * 5',
      created: at('10:00'),
      now: at('16:00'),
      want: dur('20h') + DELTA,
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const cj = cronJob({
        schedule: tc.schedule,
        ...(tc.created ? { created: tc.created } : {}),
        ...(tc.last ? { lastScheduleTime: tc.last } : {}),
      });
      expect(nextScheduleTimeDuration(cj, tc.now, parseSchedule(tc.schedule), 'UTC')).toBe(tc.want);
    });
  }

  test('a schedule that never fires again gives no requeue', () => {
    const cj = cronJob({ schedule: '59 23 31 2 *' });
    expect(nextScheduleTimeDuration(cj, at('11:00'), parseSchedule('59 23 31 2 *'), 'UTC')).toBeUndefined();
  });
});

describe('nextScheduleTime', () => {
  const hourly = parseSchedule('0 * * * *');
  const cases: Array<{
    name: string;
    created?: Date;
    last?: Date;
    sds?: number;
    now: Date;
    want: Date | null;
  }> = [
    {
      name: 'nothing is due three minutes after creation',
      created: at('09:50'),
      now: at('09:53'),
      want: null,
    },
    {
      name: 'the hour is due two seconds after it',
      created: at('09:50'),
      now: at('10:00:02'),
      want: at('10:00'),
    },
    { name: 'nothing is due right after the last run', last: at('10:00'), now: at('10:02'), want: null },
    { name: 'the next hour is due after it passes', last: at('10:00'), now: at('11:05'), want: at('11:00') },
    {
      name: 'of two missed hours only the newest is due',
      last: at('09:00'),
      now: at('11:05'),
      want: at('11:00'),
    },
    {
      name: 'ten days later something is due without a deadline',
      last: at('10:00'),
      now: at('2016-05-29T10:30'),
      want: at('2016-05-29T10:00'),
    },
    {
      name: 'ten days later something is due within a two-hour deadline',
      last: at('10:00'),
      sds: 7200,
      now: at('2016-05-29T10:30'),
      want: at('2016-05-29T10:00'),
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const cj = cronJob({
        schedule: '0 * * * *',
        ...(tc.created ? { created: tc.created } : {}),
        ...(tc.last ? { lastScheduleTime: tc.last } : {}),
        ...(tc.sds !== undefined ? { sds: tc.sds } : {}),
      });
      expect(iso(nextScheduleTime(cj, tc.now, hourly, 'UTC').scheduledTime)).toBe(iso(tc.want));
    });
  }
});

describe('formatSchedule', () => {
  const cases: Array<{
    name: string;
    schedule: string;
    timeZone?: string;
    want: ReturnType<typeof formatSchedule>;
  }> = [
    {
      name: 'a plain schedule is used as written',
      schedule: '0 * * * *',
      want: { spec: '0 * * * *', unsupported: false },
    },
    {
      name: 'a time zone becomes a TZ prefix',
      schedule: '0 * * * *',
      timeZone: 'Europe/Rome',
      want: { spec: 'TZ=Europe/Rome 0 * * * *', unsupported: false },
    },
    {
      name: 'a TZ in the schedule wins over the time zone and is flagged',
      schedule: 'TZ=UTC 0 * * * *',
      timeZone: 'Europe/Rome',
      want: { spec: 'TZ=UTC 0 * * * *', unsupported: true },
    },
    {
      name: 'an unknown time zone is left out',
      schedule: '0 * * * *',
      timeZone: 'bad timezone',
      want: { spec: '0 * * * *', unsupported: false },
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const cj = cronJob({ schedule: tc.schedule, ...(tc.timeZone ? { timeZone: tc.timeZone } : {}) });
      expect(formatSchedule(cj)).toEqual(tc.want);
    });
  }
});
