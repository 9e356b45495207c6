import { expect, test } from 'vitest';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, jobFromTemplate, jobName } from './jobTemplate.js';
import { CJ_UID, cronJob, T } from './testdata/builders.js';

test('the Job is named for the minutes since the epoch of its scheduled time', () => {
  expect(jobName(cronJob(), T)).toBe('mycronjob-24394200');
});

const cases: Array<{ name: string; timeZone?: string; annotations: Record<string, string>; want: string }> = [
  {
    name: 'without a time zone the scheduled timestamp is in UTC',
    annotations: { x: 'y' },
    want: '2016-05-19T10:00:00Z',
  },
  {
    name: 'with UTC the scheduled timestamp ends in Z',
    timeZone: 'UTC',
    annotations: { x: 'y' },
    want: '2016-05-19T10:00:00Z',
  },
  {
    name: 'with Europe/Rome the scheduled timestamp carries +02:00',
    timeZone: 'Europe/Rome',
    annotations: { x: 'y', z: 'w' },
    want: '2016-05-19T12:00:00+02:00',
  },
];
for (const tc of cases) {
  test(tc.name, () => {
    const cj = cronJob({
      templateLabels: { a: 'b' },
      templateAnnotations: tc.annotations,
      ...(tc.timeZone ? { timeZone: tc.timeZone } : {}),
    });
    const job = jobFromTemplate(cj, T);
    expect(job.metadata.name?.startsWith('mycronjob-')).toBe(true);
    expect(job.metadata.labels).toEqual({ a: 'b' });
    expect(Object.keys(job.metadata.annotations ?? {})).toHaveLength(Object.keys(tc.annotations).length + 1);
    expect(job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]).toBe(tc.want);
    expect(job.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'mycronjob',
        uid: CJ_UID,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });
}

test('the Job spec is a copy of the template, not a shared object', () => {
  const cj = cronJob();
  const job = jobFromTemplate(cj, T);
  expect(job.spec).toEqual(cj.spec?.jobTemplate.spec);
  expect(job.spec).not.toBe(cj.spec?.jobTemplate.spec);
});
