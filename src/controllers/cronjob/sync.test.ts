/**
 * The §7.2 scenarios of the CronJob controller: one sync (history cleanup, the decision, the
 * Replace deletions and the create) against a fake API, at a fixed time.
 */
import { describe, expect, test } from 'vitest';
import type { CronJob, Job } from '../../api/batch/v1/types.js';
import { type ApiError, forbiddenRequest } from '../../api/meta/status.js';
import { FakeClock } from '../../util/clock.js';
import { jobName } from './jobTemplate.js';
import { newCronJobMetrics } from './metrics.js';
import { reconcileCronJob } from './reconcile.js';
import { formatTime } from './sync.js';
import {
  at,
  type CronJobOptions,
  cronJob,
  DELTA,
  dur,
  FakeJobControl,
  FakeMetrics,
  FakeRecorder,
  job,
  NS,
  T,
} from './testdata/builders.js';

interface Want {
  created?: string[];
  deleted?: string[];
  /** Names in status.active after the sync. */
  active?: string[];
  lastScheduleTime?: Date | null;
  lastSuccessfulTime?: Date | null;
  /** `Type Reason`, in order; none when left out. */
  events?: string[];
  requeueAfterMs: number | undefined;
  statusWritten?: boolean;
  error?: boolean;
}

interface Scenario {
  name: string;
  cj: CronJob;
  /** In the informer's cache and in the API. */
  jobs?: Job[];
  /** In the API only (the cache has not seen them). */
  apiJobs?: Job[];
  /** The API's copy of the CronJob (default: the cached one). */
  fresh?: CronJob;
  createError?: Error;
  getError?: Error;
  deleteError?: Error;
  now: Date;
  localZone?: string;
  want: Want;
}

const nameAt = (s: Date) => jobName(cronJob(), s);

async function run(sc: Scenario) {
  const clock = new FakeClock(sc.now);
  const control = new FakeJobControl(clock);
  for (const j of [...(sc.jobs ?? []), ...(sc.apiJobs ?? [])]) control.jobs.set(j.metadata.name ?? '', j);
  control.cronJob = sc.fresh ?? sc.cj;
  control.createError = sc.createError;
  control.getError = sc.getError;
  control.deleteError = sc.deleteError;
  const recorder = new FakeRecorder();
  const metrics = new FakeMetrics();
  const r = await reconcileCronJob(
    { control, recorder, metrics: newCronJobMetrics(metrics), now: sc.now, localZone: sc.localZone ?? 'UTC' },
    sc.cj,
    sc.jobs ?? [],
  );
  return { r, control, recorder, metrics };
}

function summarize({ r, control, recorder }: Awaited<ReturnType<typeof run>>) {
  const s = r.cronJob.status ?? {};
  return {
    created: control.created.map((j) => j.metadata.name),
    deleted: control.deleted,
    active: (s.active ?? []).map((a) => a.name),
    lastScheduleTime: s.lastScheduleTime ?? null,
    lastSuccessfulTime: s.lastSuccessfulTime ?? null,
    events: recorder.summary,
    requeueAfterMs: r.requeueAfterMs,
    statusWritten: r.statusWritten,
    error: r.error !== undefined,
  };
}

function expected(w: Want) {
  const t = (d: Date | null | undefined) => (d === undefined ? undefined : d && formatTime(d));
  const out: Record<string, unknown> = {
    created: w.created ?? [],
    deleted: w.deleted ?? [],
    events: w.events ?? [],
    requeueAfterMs: w.requeueAfterMs,
    error: w.error ?? false,
  };
  if (w.active) out.active = w.active;
  if (w.lastScheduleTime !== undefined) out.lastScheduleTime = t(w.lastScheduleTime);
  if (w.lastSuccessfulTime !== undefined) out.lastSuccessfulTime = t(w.lastSuccessfulTime);
  if (w.statusWritten !== undefined) out.statusWritten = w.statusWritten;
  return out;
}

const POLICIES = ['Allow', 'Forbid', 'Replace'] as const;
/** The same scenario under each concurrency policy. */
const eachPolicy = (make: (p: (typeof POLICIES)[number]) => Scenario): Scenario[] =>
  POLICIES.map((p) => {
    const sc = make(p);
    return { ...sc, name: `${sc.name} (concurrencyPolicy ${p})` };
  });

// "Ran before": created 08:59, last scheduled 09:01, that Job finished at 09:01:10.
const PRIOR = job({ scheduled: at('09:01'), finished: 'Complete' });
const ranBefore = (o: CronJobOptions = {}) =>
  cronJob({ created: at('08:59'), lastScheduleTime: at('09:01'), ...o });
// "Active": the same, with the 09:01 Job still running and listed in status.active.
const RUNNING = job({ scheduled: at('09:01') });
const withActive = (o: CronJobOptions = {}) => ranBefore({ active: [RUNNING], ...o });
const JOB_10 = nameAt(T);
const LONG = 1_000_000;
const WEEK_LATER = at('2016-05-26T10:00');

const scenarios: Scenario[] = [
  ...eachPolicy((policy) => ({
    name: 'a CronJob that never ran does nothing a minute before its first hour',
    cj: cronJob({ policy }),
    now: at('09:59'),
    want: { requeueAfterMs: dur('1m') + DELTA, statusWritten: false },
  })),
  {
    name: 'a CronJob in America/New_York that never ran waits a minute for the hour',
    cj: cronJob({ timeZone: 'America/New_York' }),
    now: at('09:59'),
    want: { requeueAfterMs: dur('1m') + DELTA, statusWritten: false },
  },
  ...eachPolicy((policy) => ({
    name: 'a CronJob that never ran creates the 10:00 Job at 10:01',
    cj: cronJob({ policy }),
    now: at('10:01'),
    want: {
      created: [JOB_10],
      active: [JOB_10],
      lastScheduleTime: T,
      events: ['Normal SuccessfulCreate'],
      requeueAfterMs: dur('59m') + DELTA,
      statusWritten: true,
    },
  })),
  {
    name: 'a legacy schedule with TZ= warns UnsupportedSchedule on every sync and still runs',
    cj: cronJob({ schedule: 'TZ=UTC 0 * * * ?', timeZone: 'UTC' }),
    now: at('10:01'),
    want: {
      created: [JOB_10],
      events: ['Warning UnsupportedSchedule', 'Normal SuccessfulCreate'],
      requeueAfterMs: dur('59m') + DELTA,
    },
  },
  {
    name: 'a suspended CronJob creates nothing and is not requeued',
    cj: cronJob({ suspend: true }),
    now: at('10:01'),
    want: { requeueAfterMs: undefined, statusWritten: false },
  },
  {
    name: 'a 10 s starting deadline twelve minutes late skips the hour quietly',
    cj: cronJob({ sds: 10 }),
    now: at('10:12'),
    want: { requeueAfterMs: dur('48m') + DELTA, statusWritten: false },
  },
  {
    name: 'a long starting deadline still creates the Job a minute late',
    cj: cronJob({ sds: LONG }),
    now: at('10:01'),
    want: { created: [JOB_10], events: ['Normal SuccessfulCreate'], requeueAfterMs: dur('59m') + DELTA },
  },
  {
    name: 'an unparseable schedule warns UnparseableSchedule and is not requeued',
    cj: cronJob({ schedule: 'obvious error schedule' }),
    now: at('09:59'),
    want: { events: ['Warning UnparseableSchedule'], requeueAfterMs: undefined },
  },
  {
    name: 'an unknown time zone warns UnknownTimeZone and is not requeued',
    cj: cronJob({ timeZone: 'bad timezone' }),
    now: at('09:59'),
    want: { events: ['Warning UnknownTimeZone'], requeueAfterMs: undefined },
  },
  ...eachPolicy((policy) => ({
    name: 'a finished earlier run sets lastSuccessfulTime before the hour',
    cj: ranBefore({ policy }),
    jobs: [PRIOR],
    now: at('09:59'),
    want: {
      lastSuccessfulTime: at('09:01:10'),
      statusWritten: true,
      requeueAfterMs: dur('1m') + DELTA,
    },
  })),
  ...eachPolicy((policy) => ({
    name: 'after a finished earlier run the 10:00 Job is created at 10:01',
    cj: ranBefore({ policy }),
    jobs: [PRIOR],
    now: at('10:01'),
    want: {
      created: [JOB_10],
      active: [JOB_10],
      lastScheduleTime: T,
      lastSuccessfulTime: at('09:01:10'),
      events: ['Normal SuccessfulCreate'],
      requeueAfterMs: dur('59m') + DELTA,
    },
  })),
  {
    name: 'a suspended CronJob still records lastSuccessfulTime but creates nothing',
    cj: ranBefore({ suspend: true }),
    jobs: [PRIOR],
    now: at('10:01'),
    want: { lastSuccessfulTime: at('09:01:10'), statusWritten: true, requeueAfterMs: undefined },
  },
  {
    name: 'after a finished run a 10 s deadline at 10:01 creates nothing',
    cj: ranBefore({ sds: 10 }),
    jobs: [PRIOR],
    now: at('10:01'),
    want: { lastScheduleTime: at('09:01'), requeueAfterMs: dur('59m') + DELTA },
  },
  {
    name: 'a Job of ours that already exists but is not listed is recorded without SuccessfulCreate',
    cj: ranBefore(),
    jobs: [PRIOR],
    apiJobs: [job({ scheduled: T, created: at('10:00:30') })],
    now: at('10:01'),
    want: {
      active: [JOB_10],
      lastScheduleTime: T,
      statusWritten: true,
      requeueAfterMs: dur('59m') + DELTA,
    },
  },
  {
    name: 'a Job of that name owned by someone else is left alone and nothing is requeued',
    cj: ranBefore(),
    jobs: [PRIOR],
    apiJobs: [job({ scheduled: T, ownerUid: 'someone-else' })],
    now: at('10:01'),
    want: { active: [], lastScheduleTime: at('09:01'), requeueAfterMs: undefined },
  },
  ...eachPolicy((policy) => ({
    name: 'a running Job before the hour is kept in status.active',
    cj: withActive({ policy }),
    jobs: [RUNNING],
    now: at('09:59'),
    want: { active: [RUNNING.metadata.name ?? ''], statusWritten: false, requeueAfterMs: dur('1m') + DELTA },
  })),
  {
    name: 'Allow starts a second Job next to the running one',
    cj: withActive({ policy: 'Allow' }),
    jobs: [RUNNING],
    now: at('10:01'),
    want: {
      created: [JOB_10],
      active: [RUNNING.metadata.name ?? '', JOB_10],
      events: ['Normal SuccessfulCreate'],
      requeueAfterMs: dur('59m') + DELTA,
    },
  },
  {
    name: 'Forbid with a running Job records JobAlreadyActive and leaves lastScheduleTime alone',
    cj: withActive({ policy: 'Forbid' }),
    jobs: [RUNNING],
    now: at('10:01'),
    want: {
      active: [RUNNING.metadata.name ?? ''],
      lastScheduleTime: at('09:01'),
      events: ['Normal JobAlreadyActive'],
      statusWritten: false,
      requeueAfterMs: dur('59m') + DELTA,
    },
  },
  {
    name: 'Replace deletes the running Job and creates the new one',
    cj: withActive({ policy: 'Replace' }),
    jobs: [RUNNING],
    now: at('10:01'),
    want: {
      deleted: [RUNNING.metadata.name ?? ''],
      created: [JOB_10],
      active: [JOB_10],
      events: ['Normal SuccessfulDelete', 'Normal SuccessfulCreate'],
      requeueAfterMs: dur('59m') + DELTA,
    },
  },
  {
    name: 'Replace that cannot read the running Job warns FailedGet, creates nothing and fails',
    cj: withActive({ policy: 'Replace' }),
    jobs: [RUNNING],
    getError: new Error('etcd went away'),
    now: at('10:01'),
    want: { events: ['Warning FailedGet'], requeueAfterMs: undefined, error: true, statusWritten: false },
  },
  {
    name: 'Replace that cannot delete the running Job warns FailedDelete, creates nothing and fails',
    cj: withActive({ policy: 'Replace' }),
    jobs: [RUNNING],
    deleteError: new Error('etcd went away'),
    now: at('10:01'),
    want: { events: ['Warning FailedDelete'], requeueAfterMs: undefined, error: true },
  },
  {
    name: 'a suspended CronJob keeps its running Job and is not requeued',
    cj: withActive({ suspend: true }),
    jobs: [RUNNING],
    now: at('10:01'),
    want: { active: [RUNNING.metadata.name ?? ''], requeueAfterMs: undefined },
  },
  {
    name: 'a running Job and a 10 s deadline at 10:01 create nothing',
    cj: withActive({ sds: 10 }),
    jobs: [RUNNING],
    now: at('10:01'),
    want: { active: [RUNNING.metadata.name ?? ''], requeueAfterMs: dur('59m') + DELTA },
  },
  {
    name: 'a week of missed hours warns TooManyMissedTimes and runs only the newest',
    cj: ranBefore(),
    jobs: [PRIOR],
    now: WEEK_LATER,
    want: {
      created: ['mycronjob-24404280'],
      events: ['Warning TooManyMissedTimes', 'Normal SuccessfulCreate'],
      requeueAfterMs: dur('1h') + DELTA,
    },
  },
  {
    name: 'a week of missed hours with a long deadline also warns and runs the newest',
    cj: ranBefore({ sds: LONG }),
    jobs: [PRIOR],
    now: WEEK_LATER,
    want: {
      created: ['mycronjob-24404280'],
      events: ['Warning TooManyMissedTimes', 'Normal SuccessfulCreate'],
      requeueAfterMs: dur('1h') + DELTA,
    },
  },
  ...[7200, 10].flatMap((sds) =>
    eachPolicy((policy) => ({
      name: `a week of missed hours with a ${sds} s deadline runs the newest without a warning`,
      cj: ranBefore({ sds, policy }),
      jobs: [PRIOR],
      now: WEEK_LATER,
      want: {
        created: ['mycronjob-24404280'],
        events: ['Normal SuccessfulCreate'],
        requeueAfterMs: dur('1h') + DELTA,
      },
    })),
  ),
  {
    name: 'a finished Job from the future (the clock went back) starts nothing before the hour',
    cj: ranBefore(),
    jobs: [job({ scheduled: at('10:01'), finished: 'Complete' })],
    now: at('09:59'),
    want: { requeueAfterMs: dur('1m') + DELTA, lastSuccessfulTime: at('10:01:10') },
  },
  {
    name: 'an active Job the cache has not seen yet is found by a GET and not created again',
    cj: cronJob({ created: at('08:59'), lastScheduleTime: at('09:00'), active: [job({ scheduled: T })] }),
    apiJobs: [job({ scheduled: T, created: at('10:00:00.1') })],
    now: at('10:01:00.1'),
    want: { active: [JOB_10], statusWritten: false, requeueAfterMs: dur('59m') },
  },
  {
    name: 'a running Job missing from the cached status is found in the fresh CronJob',
    cj: cronJob({ created: at('08:59'), lastScheduleTime: at('09:00') }),
    jobs: [job({ scheduled: T, created: at('10:00:00.1') })],
    fresh: cronJob({ created: at('08:59'), lastScheduleTime: T, active: [job({ scheduled: T })] }),
    now: at('10:01:00.1'),
    want: { active: [JOB_10], statusWritten: false, requeueAfterMs: dur('59m') },
  },
  {
    name: 'a running Job nobody lists warns UnexpectedJob and is not adopted',
    cj: cronJob(),
    jobs: [job({ scheduled: at('09:00'), name: 'mycronjob-manual' })],
    now: at('09:59:30'),
    want: { active: [], events: ['Warning UnexpectedJob'], requeueAfterMs: dur('30s') + DELTA },
  },
  {
    name: 'an active Job that is gone from the API is dropped with MissingJob',
    cj: withActive(),
    now: at('09:59'),
    want: {
      active: [],
      events: ['Normal MissingJob'],
      statusWritten: true,
      requeueAfterMs: dur('1m') + DELTA,
    },
  },
  {
    name: 'an active Job that completed leaves status.active and sets lastSuccessfulTime in the same sync',
    cj: withActive(),
    jobs: [PRIOR],
    now: at('09:59'),
    want: {
      active: [],
      lastSuccessfulTime: at('09:01:10'),
      events: ['Normal SawCompletedJob'],
      statusWritten: true,
      requeueAfterMs: dur('1m') + DELTA,
    },
  },
  {
    name: '@every 1h created at 09:59 waits until 10:59',
    cj: cronJob({ schedule: '@every 1h' }),
    now: at('10:00'),
    want: { requeueAfterMs: dur('59m') + DELTA },
  },
  {
    name: '@every 1h created at 08:59 runs at 09:59',
    cj: cronJob({ schedule: '@every 1h', created: at('08:59') }),
    now: at('09:59'),
    want: {
      created: [nameAt(at('09:59'))],
      events: ['Normal SuccessfulCreate'],
      requeueAfterMs: dur('1h') + DELTA,
    },
  },
  {
    name: '@every 1h eleven seconds late with a 10 s deadline skips the slot',
    cj: cronJob({ schedule: '@every 1h', created: at('08:59'), sds: 10 }),
    now: at('09:59:11'),
    want: { requeueAfterMs: dur('59m', '49s') + DELTA },
  },
  {
    name: '@every 1h nine seconds late with a long deadline runs the slot',
    cj: cronJob({ schedule: '@every 1h', created: at('08:59'), sds: LONG }),
    now: at('09:59:09'),
    want: {
      created: [nameAt(at('09:59'))],
      events: ['Normal SuccessfulCreate'],
      requeueAfterMs: dur('59m', '51s') + DELTA,
    },
  },
  {
    name: '@every 1h that ran at 09:59 waits at 10:00',
    cj: cronJob({ schedule: '@every 1h', created: at('08:59'), lastScheduleTime: at('09:59') }),
    jobs: [job({ scheduled: at('09:59'), finished: 'Complete' })],
    now: at('10:00'),
    want: { requeueAfterMs: dur('59m') + DELTA },
  },
  {
    name: '@every 1h that ran at 09:59 runs the 10:59 slot at 11:00',
    cj: cronJob({ schedule: '@every 1h', created: at('08:59'), lastScheduleTime: at('09:59') }),
    jobs: [job({ scheduled: at('09:59'), finished: 'Complete' })],
    now: at('11:00'),
    want: {
      created: [nameAt(at('10:59'))],
      events: ['Normal SuccessfulCreate'],
      requeueAfterMs: dur('59m') + DELTA,
    },
  },
  {
    name: '@every 1h with Allow runs the 09:59 slot next to the running 08:59 Job',
    cj: cronJob({
      schedule: '@every 1h',
      created: at('08:00'),
      lastScheduleTime: at('08:59'),
      active: [job({ scheduled: at('08:59') })],
    }),
    jobs: [job({ scheduled: at('08:59') })],
    now: at('10:01'),
    want: {
      created: [nameAt(at('09:59'))],
      active: [nameAt(at('08:59')), nameAt(at('09:59'))],
      events: ['Normal SuccessfulCreate'],
      requeueAfterMs: dur('58m') + DELTA,
    },
  },
  {
    name: '@every 1h a week behind warns TooManyMissedTimes and runs the 09:01 slot',
    cj: cronJob({ schedule: '@every 1h', created: at('09:01'), lastScheduleTime: at('10:01') }),
    jobs: [job({ scheduled: at('10:01'), finished: 'Complete' })],
    now: WEEK_LATER,
    want: {
      created: [nameAt(at('2016-05-26T09:01'))],
      events: ['Warning TooManyMissedTimes', 'Normal SuccessfulCreate'],
      requeueAfterMs: dur('1m') + DELTA,
    },
  },
  {
    name: 'a create in a terminating namespace fails quietly without a status write',
    cj: cronJob(),
    createError: terminating(),
    now: at('10:01'),
    want: { requeueAfterMs: undefined, error: true, statusWritten: false },
  },
  {
    name: 'a CronJob being deleted only tidies status.active and creates nothing',
    cj: withActive({ deleting: true }),
    jobs: [PRIOR],
    now: at('10:01'),
    want: { active: [], events: ['Normal SawCompletedJob'], statusWritten: true, requeueAfterMs: undefined },
  },
  {
    name: 'history beyond the limit is deleted even though the create then fails',
    cj: ranBefore({ successfulLimit: 1, lastScheduleTime: at('09:59') }),
    jobs: [
      job({ scheduled: at('08:59'), finished: 'Complete' }),
      job({ scheduled: at('09:59'), finished: 'Complete' }),
    ],
    createError: forbiddenRequest('exceeded quota: jobs'),
    now: at('10:01'),
    want: {
      deleted: [nameAt(at('08:59'))],
      events: ['Normal SuccessfulDelete', 'Warning FailedCreate'],
      statusWritten: true,
      error: true,
      requeueAfterMs: undefined,
    },
  },
  {
    name: 'history within the limit is kept',
    cj: ranBefore({ successfulLimit: 2 }),
    jobs: [PRIOR],
    now: at('09:59'),
    want: { deleted: [], requeueAfterMs: dur('1m') + DELTA },
  },
  {
    name: 'limits of zero delete every finished Job, succeeded and failed',
    cj: ranBefore({ successfulLimit: 0, failedLimit: 0 }),
    jobs: [PRIOR, job({ scheduled: at('08:01'), finished: 'Failed' })],
    now: at('09:59'),
    want: {
      deleted: [PRIOR.metadata.name ?? '', nameAt(at('08:01'))],
      events: ['Normal SuccessfulDelete', 'Normal SuccessfulDelete'],
      requeueAfterMs: dur('1m') + DELTA,
    },
  },
  {
    name: 'a history deletion that fails warns FailedDelete and the sync goes on',
    cj: ranBefore({ successfulLimit: 0 }),
    jobs: [PRIOR],
    deleteError: new Error('etcd went away'),
    now: at('09:59'),
    want: { deleted: [], events: ['Warning FailedDelete'], requeueAfterMs: dur('1m') + DELTA },
  },
  {
    name: 'an impossible date warns InvalidSchedule and is not requeued',
    cj: cronJob({ schedule: '59 23 31 2 *' }),
    now: at('11:00'),
    want: { events: ['Warning InvalidSchedule'], requeueAfterMs: undefined },
  },
];

function terminating(): ApiError {
  const err = forbiddenRequest(
    `unable to create new content in namespace ${NS} because it is being terminated`,
  );
  err.status.details = { causes: [{ reason: 'NamespaceTerminating', field: 'metadata.namespace' }] };
  return err;
}

describe('syncing a CronJob', () => {
  for (const sc of scenarios) {
    test(sc.name, async () => {
      expect(summarize(await run(sc))).toMatchObject(expected(sc.want));
    });
  }
});

describe('what a sync writes', () => {
  test('the created Job carries the template, the owner and the scheduled-timestamp annotation', async () => {
    const { control } = await run({
      name: '',
      cj: cronJob({ templateLabels: { a: 'b' }, templateAnnotations: { x: 'y' } }),
      now: at('10:01'),
      want: { requeueAfterMs: 0 },
    });
    const created = control.created[0];
    expect(created?.metadata).toMatchObject({
      name: JOB_10,
      namespace: NS,
      labels: { a: 'b' },
      annotations: { x: 'y', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2016-05-19T10:00:00Z' },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'mycronjob',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
  });

  test('status.active gets a full Job reference', async () => {
    const { r } = await run({ name: '', cj: cronJob(), now: at('10:01'), want: { requeueAfterMs: 0 } });
    expect(r.cronJob.status?.active).toEqual([
      {
        kind: 'Job',
        namespace: NS,
        name: JOB_10,
        uid: `uid-${JOB_10}`,
        apiVersion: 'batch/v1',
        resourceVersion: '100',
      },
    ]);
  });

  test('the creation skew is observed in seconds after the scheduled time', async () => {
    const { metrics } = await run({ name: '', cj: cronJob(), now: at('10:01'), want: { requeueAfterMs: 0 } });
    expect(metrics.observations.get('cronjob_controller_job_creation_skew_duration_seconds')).toEqual([60]);
  });

  test('an AlreadyExists create observes no skew', async () => {
    const { metrics } = await run({
      name: '',
      cj: cronJob(),
      apiJobs: [job({ scheduled: T })],
      now: at('10:01'),
      want: { requeueAfterMs: 0 },
    });
    expect(metrics.observations.get('cronjob_controller_job_creation_skew_duration_seconds')).toEqual([]);
  });

  test('event messages follow upstream', async () => {
    const { recorder } = await run({
      name: '',
      cj: withActive({ policy: 'Replace', timeZone: 'UTC', schedule: 'TZ=UTC 0 * * * ?' }),
      jobs: [RUNNING],
      now: at('10:01'),
      want: { requeueAfterMs: 0 },
    });
    expect(recorder.events.map((e) => e.message)).toEqual([
      'CRON_TZ or TZ used in schedule "TZ=UTC 0 * * * ?" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
      `Deleted job ${RUNNING.metadata.name}`,
      `Created job ${JOB_10}`,
    ]);
    const { recorder: r2 } = await run({
      name: '',
      cj: cronJob({ timeZone: 'bad timezone' }),
      now: at('10:01'),
      want: { requeueAfterMs: 0 },
    });
    expect(r2.events[0]?.message).toBe('invalid timeZone: "bad timezone": unknown time zone bad timezone');
  });

  test('a failed status write is returned as the error', async () => {
    const clock = new FakeClock(at('10:01'));
    const control = new FakeJobControl(clock);
    control.updateCronJobStatus = async () => {
      throw new Error('conflict');
    };
    const r = await reconcileCronJob(
      {
        control,
        recorder: new FakeRecorder(),
        metrics: newCronJobMetrics(new FakeMetrics()),
        now: at('10:01'),
        localZone: 'UTC',
      },
      cronJob(),
      [],
    );
    expect(r).toMatchObject({ statusWritten: false, error: new Error('conflict') });
    expect(r.requeueAfterMs).toBeUndefined();
  });
});
