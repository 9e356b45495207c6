import type { CronJob, CronJobSpec, Job, JobCondition, JobSpec } from 'kubernetes-types/batch/v1.js';
import { expect, test } from 'vitest';
import { cronJobPrinter, jobPrinter } from './batch.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
/** Overrides may set a field to undefined to mean "absent", as it is on the wire. */
type Loose<T> = { [K in keyof T]?: T[K] | undefined };

const cond = (type: string, status = 'True'): JobCondition => ({ type, status });

function job(over: { spec?: Loose<JobSpec>; status?: Job['status']; deleting?: boolean } = {}): Job {
  return <Job>{
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'pi',
      creationTimestamp: ago(600),
      ...(over.deleting ? { deletionTimestamp: ago(5) } : {}),
    },
    spec: {
      completions: 1,
      parallelism: 1,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } },
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            { name: 'pi', image: 'perl:5.34' },
            { name: 'log', image: 'busybox' },
          ],
        },
      },
      ...over.spec,
    },
    ...(over.status ? { status: over.status } : {}),
  };
}

/** Job cells by column name, so a case states only what it is about. */
function jobCells(j: Job): Record<string, unknown> {
  const cells = jobPrinter.row(j, NOW);
  return Object.fromEntries(jobPrinter.columns.map((c, i) => [c.name, cells[i]]));
}

const jobCases: Array<{ name: string; job: Job; want: Record<string, unknown> }> = [
  // STATUS precedence
  { name: 'a job without conditions is Running', job: job(), want: { Status: 'Running' } },
  {
    name: 'Complete wins over everything, even a deletion',
    job: job({ status: { conditions: [cond('Failed'), cond('Complete')] }, deleting: true }),
    want: { Status: 'Complete' },
  },
  {
    name: 'Failed wins over a deletion',
    job: job({ status: { conditions: [cond('Suspended'), cond('Failed')] }, deleting: true }),
    want: { Status: 'Failed' },
  },
  {
    name: 'a job being deleted is Terminating before Suspended',
    job: job({ status: { conditions: [cond('Suspended')] }, deleting: true }),
    want: { Status: 'Terminating' },
  },
  {
    name: 'Suspended wins over FailureTarget',
    job: job({ status: { conditions: [cond('FailureTarget'), cond('Suspended')] } }),
    want: { Status: 'Suspended' },
  },
  {
    name: 'FailureTarget shows while the pods are being terminated',
    job: job({ status: { conditions: [cond('FailureTarget')] } }),
    want: { Status: 'FailureTarget' },
  },
  {
    name: 'a condition that is False does not count',
    job: job({ status: { conditions: [cond('Complete', 'False'), cond('Suspended', 'False')] } }),
    want: { Status: 'Running' },
  },
  {
    name: 'only the first condition of a type counts',
    job: job({ status: { conditions: [cond('Complete', 'False'), cond('Complete', 'True')] } }),
    want: { Status: 'Running' },
  },
  {
    name: 'SuccessCriteriaMet alone still reads Running in 1.32',
    job: job({ status: { conditions: [cond('SuccessCriteriaMet')] } }),
    want: { Status: 'Running' },
  },
  // COMPLETIONS forms
  {
    name: 'completions print as succeeded over completions',
    job: job({ spec: { completions: 5, parallelism: 2 }, status: { succeeded: 3 } }),
    want: { Completions: '3/5' },
  },
  {
    name: 'a work queue with parallelism prints 1 of the parallelism',
    job: job({ spec: { completions: undefined, parallelism: 3 }, status: { succeeded: 1 } }),
    want: { Completions: '1/1 of 3' },
  },
  {
    name: 'a work queue without parallelism prints over 1',
    job: job({ spec: { completions: undefined, parallelism: 1 } }),
    want: { Completions: '0/1' },
  },
  {
    name: 'a missing parallelism counts as not parallel',
    job: job({ spec: { completions: undefined, parallelism: undefined } }),
    want: { Completions: '0/1' },
  },
  // DURATION
  { name: 'a job that has not started has no duration', job: job(), want: { Duration: '' } },
  {
    name: 'a running job counts up to now',
    job: job({ status: { startTime: ago(95) } }),
    want: { Duration: '95s' },
  },
  {
    name: 'a complete job shows start to completion',
    job: job({
      status: { startTime: ago(500), completionTime: ago(200), conditions: [cond('Complete')] },
    }),
    want: { Duration: '5m', Status: 'Complete' },
  },
  {
    name: 'a failed job has no completion time, so its duration keeps growing',
    job: job({ status: { startTime: ago(3 * 3600 + 60), conditions: [cond('Failed')] } }),
    want: { Duration: '3h1m', Status: 'Failed' },
  },
  // AGE and wide
  {
    name: 'age, containers, images and the selector',
    job: job(),
    want: {
      Name: 'pi',
      Age: '10m',
      Containers: 'pi,log',
      Images: 'perl:5.34,busybox',
      Selector: 'batch.kubernetes.io/controller-uid=abc',
    },
  },
  {
    name: 'a job without a selector prints <none>',
    job: job({ spec: { selector: undefined } }),
    want: { Selector: '<none>' },
  },
];

for (const tc of jobCases) test(`job: ${tc.name}`, () => expect(jobCells(tc.job)).toMatchObject(tc.want));

function cronJob(over: { spec?: Loose<CronJobSpec>; status?: CronJob['status'] } = {}): CronJob {
  return <CronJob>{
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', creationTimestamp: ago(3 * 86400) },
    spec: {
      schedule: '*/5 * * * *',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }] } } } },
      ...over.spec,
    },
    ...(over.status ? { status: over.status } : {}),
  };
}

function cronCells(cj: CronJob): Record<string, unknown> {
  const cells = cronJobPrinter.row(cj, NOW);
  return Object.fromEntries(cronJobPrinter.columns.map((c, i) => [c.name, cells[i]]));
}

const ref = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', name, namespace: 'default' });

const cronCases: Array<{ name: string; cj: CronJob; want: Record<string, unknown> }> = [
  {
    name: 'a fresh cron job',
    cj: cronJob(),
    want: {
      Name: 'hello',
      Schedule: '*/5 * * * *',
      Timezone: '<none>',
      Suspend: 'False',
      Active: 0,
      'Last Schedule': '<none>',
      Age: '3d',
      Containers: 'hello',
      Images: 'busybox',
      Selector: '<none>',
    },
  },
  { name: 'a suspended cron job', cj: cronJob({ spec: { suspend: true } }), want: { Suspend: 'True' } },
  {
    name: 'suspend left unset prints <unset>',
    cj: cronJob({ spec: { suspend: undefined } }),
    want: { Suspend: '<unset>' },
  },
  {
    name: 'a time zone prints as given',
    cj: cronJob({ spec: { timeZone: 'Europe/Paris' } }),
    want: { Timezone: 'Europe/Paris' },
  },
  {
    name: 'active jobs are counted and the last schedule is an age',
    cj: cronJob({ status: { active: [ref('hello-1'), ref('hello-2')], lastScheduleTime: ago(125) } }),
    want: { Active: 2, 'Last Schedule': '2m5s' },
  },
];

for (const tc of cronCases)
  test(`cronjob: ${tc.name}`, () =>
    expect(cronCells(tc.cj)).toEqual({ ...cronCells(cronJob()), ...tc.want }));

test('job columns are upstream names, types and priorities', () => {
  expect(jobPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
    ['Name', 'string', 'name', 0],
    ['Status', 'string', '', 0],
    ['Completions', 'string', '', 0],
    ['Duration', 'string', '', 0],
    ['Age', 'string', '', 0],
    ['Containers', 'string', '', 1],
    ['Images', 'string', '', 1],
    ['Selector', 'string', '', 1],
  ]);
});

test('cron job columns are upstream names, types and priorities', () => {
  expect(cronJobPrinter.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
    ['Name', 'string', 0],
    ['Schedule', 'string', 0],
    ['Timezone', 'string', 0],
    ['Suspend', 'boolean', 0],
    ['Active', 'integer', 0],
    ['Last Schedule', 'string', 0],
    ['Age', 'string', 0],
    ['Containers', 'string', 1],
    ['Images', 'string', 1],
    ['Selector', 'string', 1],
  ]);
});
