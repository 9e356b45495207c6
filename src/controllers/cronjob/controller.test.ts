/** The CronJob controller against the real registries on a memory store, driven by a FakeClock. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { eventually, newTestApi } from '../../../test/fakes/api.js';
import { cronjobs } from '../../api/batch/v1/cronjob.js';
import { jobs } from '../../api/batch/v1/job.js';
import type { CronJob } from '../../api/batch/v1/types.js';
import type { Client } from '../../client/client.js';
import { FakeClock } from '../../util/clock.js';
import { log } from '../../util/log.js';
import { CronJobController } from './controller.js';
import { formatTime } from './sync.js';
import { FakeMetrics, FakeRecorder } from './testdata/builders.js';

const START = new Date('2026-01-01T00:00:30Z');
/** Minutes since the epoch of START's next minutes: the Job name suffixes. */
const minute = (n: number) => Math.floor(START.getTime() / 60_000) + n;

describe('the CronJob controller', () => {
  let clock: FakeClock;
  let client: Client;
  let recorder: FakeRecorder;
  let controller: CronJobController;

  beforeEach(async () => {
    clock = new FakeClock(START);
    client = (await newTestApi(clock)).client;
    recorder = new FakeRecorder();
    controller = new CronJobController({
      client,
      clock,
      log: log.child({ test: 'cronjob' }),
      recorder,
      metrics: new FakeMetrics(),
      localZone: 'UTC',
    });
    await controller.start(2);
  });
  afterEach(() => controller.stop());

  const cronJobClient = () => client.resource(cronjobs, 'default');
  const jobClient = () => client.resource(jobs, 'default');
  const jobNames = async () => (await jobClient().list()).items.map((j) => j.metadata.name).sort();

  async function createCronJob(
    name: string,
    spec: Partial<NonNullable<CronJob['spec']>> = {},
  ): Promise<void> {
    const suspended = spec.suspend === true;
    await cronJobClient().create({
      metadata: { name },
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
          },
        },
        ...spec,
      },
    });
    // The first sync has run once it has asked the clock to wake it at the next minute.
    if (!suspended) await eventually(() => expect(clock.pendingTimers()).toBeGreaterThan(0));
  }

  /** Moves the clock to `n` minutes after START's minute (plus the controller's 100 ms). */
  async function toMinute(n: number): Promise<void> {
    clock.set(new Date(minute(n) * 60_000 + 100));
  }

  /** What the Job controller would write when the Job's pods succeeded. */
  async function finish(name: string, type: 'Complete' | 'Failed' = 'Complete'): Promise<void> {
    const job = await jobClient().get(name);
    const now = formatTime(clock.now());
    const cond = (t: string) => ({ type: t, status: 'True', lastTransitionTime: now });
    job.status = {
      startTime: job.metadata.creationTimestamp ?? now,
      ...(type === 'Complete'
        ? { completionTime: now, succeeded: 1, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] }
        : { failed: 1, conditions: [cond('FailureTarget'), cond('Failed')] }),
    };
    await jobClient().updateStatus(job);
  }

  test('an every-minute CronJob creates its Job once the clock passes the minute', async () => {
    await createCronJob('tick');
    expect(await jobNames()).toEqual([]);
    await toMinute(1);
    await eventually(async () => expect(await jobNames()).toEqual([`tick-${minute(1)}`]));
    const job = await jobClient().get(`tick-${minute(1)}`);
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      formatTime(new Date(minute(1) * 60_000)),
    );
    await eventually(async () => {
      const cj = await cronJobClient().get('tick');
      expect(cj.status?.active?.map((a) => a.name)).toEqual([`tick-${minute(1)}`]);
      expect(cj.status?.lastScheduleTime).toBe(formatTime(new Date(minute(1) * 60_000)));
    });
    expect(recorder.summary).toContain('Normal SuccessfulCreate');
  });

  test('Forbid skips a minute while the Job runs and starts the skipped slot once it finishes', async () => {
    await createCronJob('forbid', { concurrencyPolicy: 'Forbid' });
    await toMinute(1);
    await eventually(async () => expect(await jobNames()).toEqual([`forbid-${minute(1)}`]));
    await eventually(async () =>
      expect((await cronJobClient().get('forbid')).status?.active).toHaveLength(1),
    );
    await toMinute(2);
    await eventually(() => expect(recorder.summary).toContain('Normal JobAlreadyActive'));
    expect(await jobNames()).toEqual([`forbid-${minute(1)}`]);
    clock.step(20_000);
    await finish(`forbid-${minute(1)}`);
    await eventually(async () =>
      expect(await jobNames()).toEqual([`forbid-${minute(1)}`, `forbid-${minute(2)}`]),
    );
    expect(recorder.summary).toContain('Normal SawCompletedJob');
  });

  test('Replace deletes the running Job and creates the next one', async () => {
    await createCronJob('replace', { concurrencyPolicy: 'Replace' });
    await toMinute(1);
    await eventually(async () => expect(await jobNames()).toEqual([`replace-${minute(1)}`]));
    await eventually(async () =>
      expect((await cronJobClient().get('replace')).status?.active).toHaveLength(1),
    );
    await toMinute(2);
    await eventually(async () => expect(await jobNames()).toEqual([`replace-${minute(2)}`]));
    await eventually(async () =>
      expect((await cronJobClient().get('replace')).status?.active?.map((a) => a.name)).toEqual([
        `replace-${minute(2)}`,
      ]),
    );
    expect(recorder.summary).toEqual(
      expect.arrayContaining(['Normal SuccessfulDelete', 'Normal SuccessfulCreate']),
    );
  });

  test('finished Jobs beyond the history limits are pruned, oldest first', async () => {
    await createCronJob('history', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    for (let n = 1; n <= 3; n++) {
      await toMinute(n);
      await eventually(async () => expect(await jobNames()).toContain(`history-${minute(n)}`));
      await eventually(async () =>
        expect((await cronJobClient().get('history')).status?.active).toHaveLength(1),
      );
      clock.step(10_000);
      await finish(`history-${minute(n)}`, n === 2 ? 'Failed' : 'Complete');
      await eventually(async () =>
        expect((await cronJobClient().get('history')).status?.active ?? []).toHaveLength(0),
      );
    }
    // Minute 1 succeeded and was pushed out by minute 3; minute 2 is the one failed Job kept.
    await eventually(async () =>
      expect(await jobNames()).toEqual([`history-${minute(2)}`, `history-${minute(3)}`]),
    );
    const cj = await cronJobClient().get('history');
    expect(cj.status?.lastSuccessfulTime).toBeDefined();
  });

  test('a suspended CronJob creates nothing until it is resumed', async () => {
    await createCronJob('paused', { suspend: true });
    await toMinute(1);
    await toMinute(2);
    expect(await jobNames()).toEqual([]);
    const cj = await cronJobClient().get('paused');
    await cronJobClient().update({
      ...cj,
      spec: { ...(cj.spec as NonNullable<CronJob['spec']>), suspend: false },
    });
    await eventually(async () => expect(await jobNames()).toEqual([`paused-${minute(2)}`]));
  });

  test('a deleted active Job is dropped from status.active with MissingJob', async () => {
    await createCronJob('gone');
    await toMinute(1);
    await eventually(async () => expect((await cronJobClient().get('gone')).status?.active).toHaveLength(1));
    await jobClient().delete(`gone-${minute(1)}`, { propagationPolicy: 'Background' });
    await eventually(async () =>
      expect((await cronJobClient().get('gone')).status?.active ?? []).toHaveLength(0),
    );
    expect(recorder.summary).toContain('Normal MissingJob');
  });

  test('a restarted controller after three hours down runs only the newest missed minute', async () => {
    await createCronJob('sleepy');
    await toMinute(1);
    await eventually(async () => expect(await jobNames()).toEqual([`sleepy-${minute(1)}`]));
    await eventually(async () =>
      expect((await cronJobClient().get('sleepy')).status?.active).toHaveLength(1),
    );
    clock.step(10_000);
    await finish(`sleepy-${minute(1)}`);
    await eventually(async () =>
      expect((await cronJobClient().get('sleepy')).status?.active ?? []).toHaveLength(0),
    );
    controller.stop();
    clock.set(new Date(minute(181) * 60_000 + 30_000));
    controller = new CronJobController({
      client,
      clock,
      log: log.child({ test: 'cronjob' }),
      recorder,
      metrics: new FakeMetrics(),
      localZone: 'UTC',
    });
    await controller.start(2);
    await eventually(async () =>
      expect(await jobNames()).toEqual([`sleepy-${minute(1)}`, `sleepy-${minute(181)}`]),
    );
    expect(recorder.summary).toContain('Warning TooManyMissedTimes');
  });
});
