import { expect, test } from 'vitest';
import { nextBackoffRecord } from './backoff.js';
import { inSlowStartBatches } from './podControl.js';
import { planSync, statusAfterManage, statusAfterRemovals } from './sync.js';
import { newJob, pods, T0 } from './testdata/builders.js';

const started = { startTime: '2025-12-31T23:59:00Z' };

test('when one of three finalizer removals fails two pods are counted and one stays uncounted', () => {
  const plan = planSync({
    job: newJob({ completions: 5, parallelism: 3, status: started }),
    pods: pods('ok', 3, { phase: 'Succeeded' }),
    now: T0,
  });
  const tracked = statusAfterManage(plan, { deleted: new Set(), failedCreations: 0 });
  expect(tracked?.status.uncountedTerminatedPods?.succeeded).toHaveLength(3);
  const done = statusAfterRemovals(tracked!, new Set(['uid-ok-0', 'uid-ok-1']));
  expect(done.status.succeeded).toBe(2);
  expect(done.status.uncountedTerminatedPods?.succeeded).toEqual(['uid-ok-2']);
  expect(done.finished).toBeUndefined();
});

test('a failed delete leaves the pod active', () => {
  const plan = planSync({
    job: newJob({ completions: 5, parallelism: 2, status: started }),
    pods: pods('run', 3),
    now: T0,
  });
  const tracked = statusAfterManage(plan, { deleted: new Set(), failedCreations: 0 });
  expect(tracked?.status).toMatchObject({ active: 3, terminating: 0 });
});

test('a failed create is not counted active', () => {
  const plan = planSync({
    job: newJob({ completions: 5, parallelism: 2, status: started }),
    pods: pods('run', 1),
    now: T0,
  });
  const tracked = statusAfterManage(plan, { deleted: new Set(), failedCreations: 1 });
  expect(tracked?.status.active).toBe(1);
});

test('a finishing job whose pod deletion failed does not set its condition yet', () => {
  const job = newJob({ backoffLimit: 0, parallelism: 2, completions: 2, status: started });
  const plan = planSync({ job, pods: [...pods('run', 1), ...pods('bad', 1, { phase: 'Failed' })], now: T0 });
  const tracked = statusAfterManage(plan, { deleted: new Set(), failedCreations: 0 });
  expect(tracked?.status.conditions ?? []).toEqual([]);
});

test('slow start stops after the first batch with an error and skips the rest', async () => {
  let accepted = 0;
  const out = await inSlowStartBatches(100, async () => {
    if (accepted >= 10) throw new Error('quota');
    accepted++;
  });
  expect({ ok: out.results.length, failed: out.errors.length, skipped: out.skipped }).toEqual({
    ok: 10,
    failed: 5,
    skipped: 85,
  });
});

test('failures after the latest success are all that a new backoff record keeps', () => {
  const ok = pods('ok', 1, { phase: 'Succeeded', finishedAt: -30 });
  const early = pods('early', 1, { phase: 'Failed', finishedAt: -40 });
  const late = pods('late', 2, { phase: 'Failed', finishedAt: -20 });
  expect(nextBackoffRecord({ failuresAfterLastSuccess: 4 }, ok, [...early, ...late])).toEqual({
    failuresAfterLastSuccess: 2,
    lastFailureTime: T0.getTime() - 20_000,
  });
});
