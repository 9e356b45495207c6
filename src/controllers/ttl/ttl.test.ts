import { expect, test } from 'vitest';
import type { Job } from '../../api/batch/v1/types.js';
import { FinishTimeError, jobFinishTime, processTTL, type TtlDecision } from './ttl.js';

const T = new Date('2026-01-01T10:00:00Z');
const iso = (ms: number) => `${new Date(T.getTime() + ms).toISOString().slice(0, 19)}Z`;

function job(o: {
  ttl?: number;
  finished?: 'Complete' | 'Failed';
  /** Seconds after T when the terminal condition was set. */
  finishedAt?: number;
  noTransitionTime?: boolean;
  deleting?: boolean;
}): Job {
  const at = iso((o.finishedAt ?? 0) * 1000);
  const cond = (type: string) => ({
    type,
    status: 'True',
    ...(o.noTransitionTime ? {} : { lastTransitionTime: at }),
  });
  return {
    metadata: { name: 'pi', namespace: 'default', ...(o.deleting ? { deletionTimestamp: at } : {}) },
    spec: { template: {}, ...(o.ttl !== undefined ? { ttlSecondsAfterFinished: o.ttl } : {}) },
    status: o.finished
      ? {
          conditions: [
            cond(o.finished === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget'),
            cond(o.finished),
          ],
          ...(o.finished === 'Complete' ? { completionTime: iso(5000) } : {}),
        }
      : {},
  };
}

const cases: Array<{ name: string; job: Job; nowAfter: number; want: TtlDecision }> = [
  { name: 'a running Job is ignored', job: job({ ttl: 10 }), nowAfter: 100, want: { kind: 'ignore' } },
  {
    name: 'a finished Job without a TTL is ignored',
    job: job({ finished: 'Complete' }),
    nowAfter: 100,
    want: { kind: 'ignore' },
  },
  {
    name: 'a Job already being deleted is ignored',
    job: job({ ttl: 0, finished: 'Complete', deleting: true }),
    nowAfter: 100,
    want: { kind: 'ignore' },
  },
  {
    name: 'a completed Job waits out the rest of its TTL',
    job: job({ ttl: 100, finished: 'Complete' }),
    nowAfter: 40,
    want: { kind: 'wait', afterMs: 60_000 },
  },
  {
    name: 'a failed Job expires TTL seconds after it failed',
    job: job({ ttl: 100, finished: 'Failed' }),
    nowAfter: 100,
    want: { kind: 'expired', expireAt: new Date(T.getTime() + 100_000) },
  },
  {
    name: 'a TTL of zero expires as soon as the Job finishes',
    job: job({ ttl: 0, finished: 'Complete' }),
    nowAfter: 0,
    want: { kind: 'expired', expireAt: T },
  },
  {
    name: 'a finish time in the future only delays the deletion',
    job: job({ ttl: 10, finished: 'Complete', finishedAt: 3600 }),
    nowAfter: 0,
    want: { kind: 'wait', afterMs: 3_610_000 },
  },
  {
    name: 'a terminal condition without a time falls back to completionTime',
    job: job({ ttl: 10, finished: 'Complete', noTransitionTime: true }),
    nowAfter: 0,
    want: { kind: 'wait', afterMs: 15_000 },
  },
];
for (const tc of cases) {
  test(tc.name, () =>
    expect(processTTL(tc.job, new Date(T.getTime() + tc.nowAfter * 1000))).toEqual(tc.want),
  );
}

test('a failed Job with no time on its condition cannot be timed', () => {
  expect(() => jobFinishTime(job({ ttl: 10, finished: 'Failed', noTransitionTime: true }))).toThrow(
    FinishTimeError,
  );
});
