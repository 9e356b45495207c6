import { describe, expect, test } from 'vitest';
import { defaultCronJob, defaultJob } from './defaults.js';
import type { CronJob, Job, JobSpec } from './types.js';

const container = { name: 'c', image: 'busybox' };
const job = (spec: Partial<JobSpec>, labels?: Record<string, string>): Job => ({
  metadata: { name: 'j', ...(labels ? { labels } : {}) },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ ...container }] } }, ...spec },
});

const defaulted = (j: Job) => {
  defaultJob(j);
  return j;
};

describe('Job defaulting (reference 1.1)', () => {
  const cases: Array<{ name: string; job: Job; want: Partial<JobSpec> }> = [
    {
      name: 'an empty spec gets one completion, parallelism 1, backoffLimit 6 and the NonIndexed mode',
      job: job({}),
      want: {
        completions: 1,
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        manualSelector: false,
        podReplacementPolicy: 'TerminatingOrFailed',
      },
    },
    {
      name: 'completions alone keeps them and sets parallelism 1',
      job: job({ completions: 5 }),
      want: { completions: 5, parallelism: 1 },
    },
    {
      name: 'parallelism alone leaves completions unset (a work-queue job)',
      job: job({ parallelism: 3 }),
      want: { parallelism: 3 },
    },
    {
      name: 'backoffLimitPerIndex makes the job-wide backoffLimit the largest int32',
      job: job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 }),
      want: { backoffLimit: 2147483647 },
    },
    { name: 'an explicit backoffLimit stays', job: job({ backoffLimit: 0 }), want: { backoffLimit: 0 } },
    {
      name: 'a pod failure policy makes podReplacementPolicy Failed and pod condition statuses True',
      job: job({
        podFailurePolicy: {
          rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' } as never] }],
        },
      }),
      want: {
        podReplacementPolicy: 'Failed',
        podFailurePolicy: {
          rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
        },
      },
    },
    {
      name: 'suspend and manualSelector given are kept',
      job: job({ suspend: true, manualSelector: true }),
      want: { suspend: true, manualSelector: true },
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const spec = defaulted(tc.job).spec;
      expect(spec).toMatchObject(tc.want);
    });
  }

  test('a work-queue job (parallelism only) keeps completions unset', () => {
    expect(defaulted(job({ parallelism: 3 })).spec?.completions).toBeUndefined();
  });

  test('the pod template gets the core/v1 defaults', () => {
    const spec = defaulted(job({})).spec?.template.spec;
    expect(spec).toMatchObject({
      restartPolicy: 'Never',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
    });
    expect(spec?.containers[0]).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
    });
  });

  test.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['registry.local:5000/busybox', 'Always'],
    ['busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ])('image %s gets imagePullPolicy %s', (image, policy) => {
    const j = job({});
    const c = j.spec?.template.spec?.containers[0];
    if (c) c.image = image;
    expect(defaulted(j).spec?.template.spec?.containers[0]?.imagePullPolicy).toBe(policy);
  });

  test('a job without labels takes its template labels; one with labels keeps its own', () => {
    const bare = job({});
    if (bare.spec?.template) bare.spec.template.metadata = { labels: { app: 'x' } };
    expect(defaulted(bare).metadata.labels).toEqual({ app: 'x' });
    const own = job({}, { team: 'y' });
    if (own.spec?.template) own.spec.template.metadata = { labels: { app: 'x' } };
    expect(defaulted(own).metadata.labels).toEqual({ team: 'y' });
  });

  test('defaulting twice changes nothing more (it runs on every read)', () => {
    const once = defaulted(job({ completions: 2 }));
    expect(defaulted(structuredClone(once))).toEqual(once);
  });
});

describe('CronJob defaulting (reference 2)', () => {
  test('policy, suspend and history limits; the job template gets only pod defaults', () => {
    const cj: CronJob = {
      metadata: { name: 'c' },
      spec: {
        schedule: '@hourly',
        jobTemplate: { spec: { template: { spec: { containers: [{ ...container }] } } } },
      },
    };
    defaultCronJob(cj);
    expect(cj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    const jobSpec = cj.spec?.jobTemplate.spec;
    expect(jobSpec?.completions).toBeUndefined();
    expect(jobSpec?.backoffLimit).toBeUndefined();
    expect(jobSpec?.template.spec?.dnsPolicy).toBe('ClusterFirst');
  });
});
