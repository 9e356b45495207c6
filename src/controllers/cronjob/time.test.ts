/**
 * A CronJob over hours and days: syncs follow their own requeues on a FakeClock, Jobs finish a
 * second after they are created. Daylight-saving changes, a clock that moves backwards, and a
 * batchd that was down for three hours.
 */
import { describe, expect, test } from 'vitest';
import type { CronJob, Job } from '../../api/batch/v1/types.js';
import { FakeClock } from '../../util/clock.js';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from './jobTemplate.js';
import { newCronJobMetrics } from './metrics.js';
import { reconcileCronJob } from './reconcile.js';
import { formatTime } from './sync.js';
import {
  at,
  type CronJobOptions,
  cronJob,
  FakeJobControl,
  FakeMetrics,
  FakeRecorder,
} from './testdata/builders.js';

class Simulation {
  readonly clock: FakeClock;
  readonly control: FakeJobControl;
  readonly recorder = new FakeRecorder();
  private readonly metrics = newCronJobMetrics(new FakeMetrics());
  cj: CronJob;

  constructor(
    opts: CronJobOptions,
    start: Date,
    private readonly localZone = 'UTC',
  ) {
    this.clock = new FakeClock(start);
    this.control = new FakeJobControl(this.clock);
    this.cj = cronJob({ created: start, ...opts });
  }

  /** One sync at the clock's time; returns its requeue. */
  async sync(): Promise<number | undefined> {
    const r = await reconcileCronJob(
      {
        control: this.control,
        recorder: this.recorder,
        metrics: this.metrics,
        now: this.clock.now(),
        localZone: this.localZone,
      },
      this.cj,
      this.finishedJobs(),
    );
    this.cj = r.cronJob;
    return r.requeueAfterMs;
  }

  /** Follows the requeues until the next one would pass `end`. */
  async runUntil(end: Date): Promise<void> {
    for (;;) {
      const ms = await this.sync();
      if (ms === undefined || this.clock.now().getTime() + ms > end.getTime()) return;
      this.clock.step(ms);
    }
  }

  /** Each created Job's scheduled-timestamp annotation, in creation order. */
  get scheduled(): string[] {
    return this.control.created.map(
      (j) => j.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] ?? '',
    );
  }

  private finishedJobs(): Job[] {
    const jobs = [...this.control.jobs.values()];
    for (const j of jobs) {
      const done = formatTime(new Date(Date.parse(j.metadata.creationTimestamp ?? '') + 1000));
      const cond = (type: string) => ({ type, status: 'True', lastTransitionTime: done });
      j.status = {
        startTime: j.metadata.creationTimestamp ?? '',
        completionTime: done,
        conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
      };
    }
    return jobs;
  }
}

const utc = (s: string) => new Date(s);

describe('time zones across daylight-saving changes', () => {
  const cases: Array<{
    name: string;
    opts: CronJobOptions;
    localZone?: string;
    from: string;
    until: string;
    want: string[];
  }> = [
    {
      name: 'in America/New_York 02:30 does not exist on the spring-forward day and is skipped',
      opts: { schedule: '30 2 * * *', timeZone: 'America/New_York' },
      from: '2026-03-06T12:00:00Z',
      until: '2026-03-10T12:00:00Z',
      want: ['2026-03-07T02:30:00-05:00', '2026-03-09T02:30:00-04:00', '2026-03-10T02:30:00-04:00'],
    },
    {
      name: 'in America/New_York an hourly schedule has no 02:00 on the spring-forward day',
      opts: { schedule: '0 * * * *', timeZone: 'America/New_York' },
      from: '2026-03-08T05:30:00Z',
      until: '2026-03-08T08:30:00Z',
      want: ['2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00', '2026-03-08T04:00:00-04:00'],
    },
    {
      name: 'in America/New_York 01:30 happens twice on the fall-back day and runs twice',
      opts: { schedule: '30 1 * * *', timeZone: 'America/New_York' },
      from: '2026-10-30T12:00:00Z',
      until: '2026-11-02T12:00:00Z',
      want: [
        '2026-10-31T01:30:00-04:00',
        '2026-11-01T01:30:00-04:00',
        '2026-11-01T01:30:00-05:00',
        '2026-11-02T01:30:00-05:00',
      ],
    },
    {
      name: 'without spec.timeZone the local zone runs the schedule and the annotation is in UTC',
      opts: { schedule: '30 2 * * *' },
      localZone: 'America/New_York',
      from: '2026-03-06T12:00:00Z',
      until: '2026-03-09T12:00:00Z',
      want: ['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z'],
    },
    {
      name: 'a spec.timeZone wins over the local zone',
      opts: { schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' },
      localZone: 'America/New_York',
      from: '2026-03-06T12:00:00Z',
      until: '2026-03-07T12:00:00Z',
      want: ['2026-03-07T09:00:00+09:00'],
    },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const sim = new Simulation(tc.opts, utc(tc.from), tc.localZone);
      await sim.runUntil(utc(tc.until));
      expect(sim.scheduled).toEqual(tc.want);
    });
  }
});

describe('a clock that moves backwards', () => {
  test('never runs the same scheduled time twice', async () => {
    const sim = new Simulation({ schedule: '0 * * * *' }, at('09:59'));
    await sim.runUntil(at('10:30'));
    expect(sim.scheduled).toEqual(['2016-05-19T10:00:00Z']);
    sim.clock.set(at('09:30'));
    const wait = await sim.sync();
    // It waits for the hour after the last run, from the earlier time it now reads.
    expect(wait).toBe(at('11:00').getTime() + 100 - at('09:30').getTime());
    sim.clock.set(at('10:00:00.1'));
    await sim.sync();
    expect(sim.scheduled).toEqual(['2016-05-19T10:00:00Z']);
    await sim.runUntil(at('11:30'));
    expect(sim.scheduled).toEqual(['2016-05-19T10:00:00Z', '2016-05-19T11:00:00Z']);
  });

  test('a step back of a few seconds right after a run creates nothing more', async () => {
    const sim = new Simulation({ schedule: '*/1 * * * *' }, at('09:59:30'));
    await sim.runUntil(at('10:00:30'));
    sim.clock.step(-20_000);
    await sim.sync();
    sim.clock.step(-20_000);
    await sim.sync();
    expect(sim.control.created.map((j) => j.metadata.name)).toEqual(['mycronjob-24394200']);
  });
});

describe('batchd down for three hours', () => {
  const cases: Array<{ name: string; opts: CronJobOptions; back: Date; want: string[]; events: string[] }> = [
    {
      name: 'a five-minute schedule runs only the most recent missed slot',
      opts: { schedule: '*/5 * * * *' },
      back: at('13:00:30'),
      want: ['2016-05-19T13:00:00Z'],
      events: ['Normal SuccessfulCreate'],
    },
    {
      name: 'a one-minute deadline still runs the slot that is within it',
      opts: { schedule: '*/5 * * * *', sds: 60 },
      back: at('13:00:30'),
      want: ['2016-05-19T13:00:00Z'],
      events: ['Normal SuccessfulCreate'],
    },
    {
      name: 'a one-minute deadline lets the slot go when batchd is back two minutes after it',
      opts: { schedule: '*/5 * * * *', sds: 60 },
      back: at('13:02'),
      want: [],
      events: [],
    },
    {
      name: 'an every-minute schedule warns TooManyMissedTimes and runs only the newest minute',
      opts: { schedule: '*/1 * * * *' },
      back: at('13:00:30'),
      want: ['2016-05-19T13:00:00Z'],
      events: ['Warning TooManyMissedTimes', 'Normal SuccessfulCreate'],
    },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const sim = new Simulation(tc.opts, at('09:59:30'));
      await sim.runUntil(at('10:00:30'));
      const before = sim.control.created.length;
      const eventsBefore = sim.recorder.summary.length;
      sim.clock.set(tc.back);
      await sim.sync();
      expect(sim.scheduled.slice(before)).toEqual(tc.want);
      expect(
        sim.recorder.summary.slice(eventsBefore).filter((e) => !/Delete|SawCompletedJob/.test(e)),
      ).toEqual(tc.events);
    });
  }

  test('after the missed slot the schedule carries on as usual', async () => {
    const sim = new Simulation({ schedule: '*/5 * * * *', sds: 60 }, at('09:59:30'));
    await sim.runUntil(at('10:00:30'));
    sim.clock.set(at('13:02'));
    await sim.runUntil(at('13:12'));
    expect(sim.scheduled).toEqual(['2016-05-19T10:00:00Z', '2016-05-19T13:05:00Z', '2016-05-19T13:10:00Z']);
  });
});
