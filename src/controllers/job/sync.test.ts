import { expect, test } from 'vitest';
import type { Job } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/pod.js';
import type { BackoffRecord } from './backoff.js';
import {
  JOB_COMPLETION_INDEX,
  JOB_INDEX_FAILURE_COUNT,
  JOB_INDEX_IGNORED_FAILURE_COUNT,
} from './constants.js';
import { type SyncResult, syncJob } from './sync.js';
import { at, indexed, newJob, newPod, pods, T0 } from './testdata/builders.js';

/** One sync, read back as the few numbers and names a scenario asserts. */
function summarize(r: SyncResult) {
  const s = r.status;
  return {
    skipped: r.skipped,
    creations: r.creations.length,
    createdIndexes: r.creations.flatMap((p) => {
      const ix = p.metadata.annotations?.[JOB_COMPLETION_INDEX];
      return ix === undefined ? [] : [Number(ix)];
    }),
    deletions: r.deletions.length,
    removals: r.finalizerRemovals.length,
    active: s.active,
    ready: s.ready,
    terminating: s.terminating,
    succeeded: s.succeeded ?? 0,
    failed: s.failed ?? 0,
    completedIndexes: s.completedIndexes,
    failedIndexes: s.failedIndexes,
    conditions: (s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`),
    events: r.events.map((e) => e.reason),
    requeueAfterMs: r.requeueAfterMs,
    startTime: s.startTime,
    completionTime: s.completionTime,
    uncounted:
      (s.uncountedTerminatedPods?.succeeded?.length ?? 0) + (s.uncountedTerminatedPods?.failed?.length ?? 0),
  };
}

type Summary = ReturnType<typeof summarize>;
type Want = { [K in keyof Summary]?: Summary[K] | undefined };

interface Case {
  name: string;
  job: Job;
  pods?: Pod[];
  satisfied?: boolean;
  backoff?: BackoffRecord;
  want: Want;
  check?: (r: SyncResult) => void;
}

const running = (n: number, o = {}) => pods('run', n, { phase: 'Running', ...o });
const succeeded = (n: number, o = {}) => pods('ok', n, { phase: 'Succeeded', ...o });
const failedPods = (n: number, o = {}) => pods('bad', n, { phase: 'Failed', ...o });
const terminating = (n: number, o = {}) => pods('term', n, { phase: 'Running', deleting: true, ...o });
const started = { startTime: at(-50) };
const cond = (type: string, status: 'True' | 'False', reason: string, message = '') => ({
  type,
  status,
  reason,
  message,
  lastProbeTime: at(-10),
  lastTransitionTime: at(-10),
});
const failJobOnExit = (values: number[], operator: 'In' | 'NotIn' = 'In', containerName?: string) => ({
  rules: [
    { action: 'FailJob', onExitCodes: { operator, values, ...(containerName ? { containerName } : {}) } },
  ],
});
const messageOf = (type: string) => (r: SyncResult) =>
  r.status.conditions?.find((c) => c.type === type)?.message;

// §6.1 single-sync scenarios: counting, creating and deleting.
const counting: Case[] = [
  {
    name: 'a new job with parallelism 2 creates two pods and sets startTime',
    job: newJob({ parallelism: 2, completions: 5 }),
    want: {
      creations: 2,
      active: 2,
      ready: 0,
      startTime: at(0),
      events: ['SuccessfulCreate', 'SuccessfulCreate'],
    },
  },
  {
    name: 'a work-queue job with one active pod creates one more',
    job: newJob({ parallelism: 2, completions: null, status: started }),
    pods: running(1),
    want: { creations: 1, active: 2 },
  },
  {
    name: 'a succeeded pod is counted once its finalizer is removed and is replaced',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: [...running(1), ...succeeded(1)],
    want: { creations: 1, active: 2, succeeded: 1, removals: 1, uncounted: 0 },
  },
  {
    name: 'one pod too many is deleted finalizer first and shows as terminating',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: running(3),
    want: { deletions: 1, active: 2, terminating: 1, events: ['SuccessfulDelete'], failed: 0 },
    check: (r) => expect(r.deletions[0]?.removeFinalizerFirst).toBe(true),
  },
  {
    name: 'ten active pods for parallelism 2 lose eight',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: running(10),
    want: { deletions: 8, active: 2 },
  },
  {
    name: 'fewer remaining completions than parallelism deletes the excess and creates nothing',
    job: newJob({ parallelism: 3, completions: 4, status: started }),
    pods: [...running(3), ...succeeded(2)],
    want: { deletions: 1, creations: 0, active: 2, succeeded: 2 },
  },
  {
    name: 'with every pod ready a ready one is deleted and ready drops with it',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: running(3, { ready: true }),
    want: { deletions: 1, active: 2, ready: 2 },
  },
  {
    name: 'a pod that is not ready is deleted before ready ones',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: [...pods('r', 2, { ready: true }), newPod('slow', { ready: false })],
    want: { deletions: 1, active: 2, ready: 2 },
    check: (r) => expect(r.deletions[0]?.pod.metadata.name).toBe('slow'),
  },
  {
    name: 'a newly failed pod that finished long ago is counted and replaced at once',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: [...running(1), ...failedPods(1, { finishedAt: -60 })],
    want: { failed: 1, removals: 1, creations: 1, active: 2 },
  },
  {
    name: 'a failure that just happened delays the replacement by ten seconds',
    job: newJob({ status: started }),
    backoff: { failuresAfterLastSuccess: 1, lastFailureTime: T0.getTime() },
    want: { creations: 0, requeueAfterMs: 10_000, active: 0 },
  },
  {
    name: 'no failures since the last success means no backoff',
    job: newJob({ status: started }),
    backoff: { failuresAfterLastSuccess: 0 },
    want: { creations: 1 },
  },
  {
    name: 'a success after a failure resets the backoff',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: [...running(1), ...succeeded(1, { finishedAt: -5 }), ...failedPods(1, { finishedAt: -8 })],
    backoff: { failuresAfterLastSuccess: 3, lastFailureTime: Date.parse(at(-8)) },
    want: { creations: 1, succeeded: 1, failed: 1 },
    check: (r) => expect(r.backoff).toEqual({ failuresAfterLastSuccess: 0 }),
  },
  {
    name: 'a failed pod already counted (no finalizer) is not counted again nor replaced',
    job: newJob({ status: { ...started, failed: 1 } }),
    pods: [...running(1), ...failedPods(1, { finalizer: false })],
    want: { creations: 0, failed: 1, removals: 0, active: 1 },
  },
  {
    name: 'five succeeded pods complete the job in one sync with CompletionsReached',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: succeeded(5),
    want: {
      removals: 5,
      succeeded: 5,
      active: 0,
      conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'],
      completionTime: at(0),
      events: ['Completed'],
    },
    check: (r) => expect(messageOf('Complete')(r)).toBe('Reached expected number of succeeded pods'),
  },
  {
    name: 'a work-queue job with one success and one pod running creates nothing and waits',
    job: newJob({ parallelism: 2, completions: null, status: started }),
    pods: [...running(1), ...succeeded(1)],
    want: { creations: 0, active: 1, succeeded: 1, conditions: [] },
  },
  {
    name: 'a work-queue job completes once a pod succeeded and none runs',
    job: newJob({ parallelism: 2, completions: null, status: started }),
    pods: succeeded(2),
    want: {
      succeeded: 2,
      conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'],
    },
  },
  {
    name: 'a work-queue job completes despite a failure beside the success',
    job: newJob({ parallelism: 2, completions: null, status: started }),
    pods: [...succeeded(1), ...failedPods(1)],
    want: {
      succeeded: 1,
      failed: 1,
      conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'],
    },
  },
  {
    name: 'two running and two succeeded of five need nothing created or deleted',
    job: newJob({ parallelism: 2, completions: 5, status: started }),
    pods: [...running(2), ...succeeded(2)],
    want: { creations: 0, deletions: 0, succeeded: 2, active: 2 },
  },
  {
    name: 'a job being deleted creates nothing and releases every finalizer',
    job: newJob({ parallelism: 2, completions: 5, deleting: true, status: started }),
    pods: [newPod('pending', { phase: 'Pending' }), ...running(1), ...succeeded(1)],
    want: { creations: 0, deletions: 0, removals: 3, active: 2, succeeded: 1 },
  },
  {
    name: 'a failure with backoffLimit 0 marks the job FailureTarget then Failed with BackoffLimitExceeded',
    job: newJob({ parallelism: 2, completions: 5, backoffLimit: 0, status: started }),
    pods: failedPods(1),
    want: {
      failed: 1,
      conditions: ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded'],
      events: ['BackoffLimitExceeded'],
      completionTime: undefined,
    },
    check: (r) => expect(messageOf('Failed')(r)).toBe('Job has reached the specified backoff limit'),
  },
  {
    name: 'with a creation still expected the failure is counted but no condition is set',
    job: newJob({ parallelism: 2, completions: 5, backoffLimit: 0, status: started }),
    pods: failedPods(1),
    satisfied: false,
    want: { failed: 1, conditions: [], creations: 0 },
  },
  {
    name: 'a failing job deletes its running pods, keeps FailureTarget while they terminate and counts them failed',
    job: newJob({ parallelism: 2, completions: 3, backoffLimit: 0, status: started }),
    pods: [...running(2, { ready: true }), ...failedPods(1)],
    want: {
      deletions: 2,
      active: 0,
      ready: 0,
      terminating: 2,
      failed: 3,
      conditions: ['FailureTarget=True:BackoffLimitExceeded'],
    },
    check: (r) => expect(r.deletions.every((d) => !d.removeFinalizerFirst)).toBe(true),
  },
  {
    name: 'with podReplacementPolicy Failed terminating pods hold back replacements',
    job: newJob({ podReplacementPolicy: 'Failed', status: started }),
    pods: [...running(2), ...terminating(4)],
    want: { deletions: 1, creations: 0, active: 1, terminating: 5 },
  },
  {
    name: 'a pod failure policy with no rules tracks terminating pods the same way',
    job: newJob({ podFailurePolicy: { rules: [] }, status: started }),
    pods: [...running(2), ...terminating(4)],
    want: { deletions: 1, creations: 0, active: 1, terminating: 5, failed: 0 },
  },
  {
    name: 'suspending a running job deletes its pods uncounted and sets Suspended',
    job: newJob({ parallelism: 2, completions: 4, suspend: true, status: started }),
    pods: running(2),
    want: {
      deletions: 2,
      active: 0,
      terminating: 2,
      failed: 0,
      conditions: ['Suspended=True:JobSuspended'],
      events: ['SuccessfulDelete', 'SuccessfulDelete', 'Suspended'],
      startTime: at(-50),
    },
  },
  {
    name: 'a suspended job with a deletion still expected waits',
    job: newJob({ parallelism: 2, completions: 4, suspend: true, status: started }),
    pods: running(3),
    satisfied: false,
    want: { deletions: 0, active: 3, conditions: [] },
  },
  {
    name: 'resuming flips Suspended to False, resets startTime and creates pods',
    job: newJob({
      parallelism: 2,
      completions: 4,
      status: {
        startTime: at(-50),
        conditions: [cond('Suspended', 'True', 'JobSuspended', 'Job suspended')],
      },
    }),
    want: {
      creations: 2,
      conditions: ['Suspended=False:JobResumed'],
      events: ['Resumed', 'SuccessfulCreate', 'SuccessfulCreate'].sort(),
      startTime: at(0),
    },
  },
  {
    name: 'a suspended job being deleted removes finalizers but neither deletes nor sets Suspended',
    job: newJob({ parallelism: 2, completions: 4, suspend: true, deleting: true, status: started }),
    pods: running(2),
    want: { deletions: 0, removals: 2, active: 2, conditions: [] },
  },
  {
    name: 'a FailureTarget=False condition written by a user is ignored and kept',
    job: newJob({ status: { ...started, conditions: [cond('FailureTarget', 'False', 'Custom')] } }),
    pods: running(1),
    want: { conditions: ['FailureTarget=False:Custom'], active: 1, deletions: 0 },
  },
  {
    name: 'a SuccessCriteriaMet=False condition is ignored too',
    job: newJob({ status: { ...started, conditions: [cond('SuccessCriteriaMet', 'False', 'Custom')] } }),
    pods: running(1),
    want: { conditions: ['SuccessCriteriaMet=False:Custom'], active: 1 },
  },
  {
    name: 'an earlier FailureTarget with nothing running becomes Failed with the same reason',
    job: newJob({
      status: { ...started, failed: 1, conditions: [cond('FailureTarget', 'True', 'X', 'because')] },
    }),
    want: { creations: 0, conditions: ['FailureTarget=True:X', 'Failed=True:X'], events: ['X'] },
  },
  {
    name: 'after SuccessCriteriaMet failures are no longer judged and remaining pods are deleted',
    job: newJob({
      parallelism: 2,
      completions: 1,
      backoffLimit: 0,
      status: {
        ...started,
        succeeded: 1,
        conditions: [cond('SuccessCriteriaMet', 'True', 'CompletionsReached')],
      },
    }),
    pods: [...running(1), ...failedPods(1)],
    want: { deletions: 1, terminating: 1, conditions: ['SuccessCriteriaMet=True:CompletionsReached'] },
  },
  {
    name: 'a job with an unknown completion mode is skipped with a warning',
    job: newJob({ completionMode: 'Foo' }),
    want: { skipped: 'unknownCompletionMode', events: ['UnknownCompletionMode'], creations: 0 },
  },
  {
    name: 'a job managed by another controller is left alone',
    job: newJob({ managedBy: 'example.com/x' }),
    pods: succeeded(1),
    want: { skipped: 'managedByOther', events: [], creations: 0, removals: 0, active: undefined },
  },
  {
    name: 'a job naming the built-in controller in managedBy runs normally',
    job: newJob({ managedBy: 'kubernetes.io/job-controller' }),
    want: { creations: 1 },
  },
  {
    name: 'a finished job is not synced again',
    job: newJob({ status: { ...started, conditions: [cond('Complete', 'True', 'CompletionsReached')] } }),
    pods: succeeded(1),
    want: { skipped: 'finished', removals: 0 },
  },
];

// §6.2 Indexed Jobs.
const indexedCases: Case[] = [
  {
    name: 'a new indexed job creates the lowest indexes',
    job: newJob({ indexed: true, parallelism: 2, completions: 5 }),
    want: { createdIndexes: [0, 1], active: 2, completedIndexes: '' },
  },
  {
    name: 'an indexed job whose every index succeeded completes, a failure beside counted',
    job: newJob({ indexed: true, parallelism: 2, completions: 3, status: started }),
    pods: indexed([0, 'Succeeded'], [1, 'Failed'], [1, 'Succeeded'], [2, 'Succeeded']),
    want: {
      succeeded: 3,
      failed: 1,
      completedIndexes: '0-2',
      removals: 4,
      conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'],
    },
  },
  {
    name: 'an indexed job over its backoff limit counts the running pod it stops as failed',
    job: newJob({ indexed: true, parallelism: 2, completions: 3, backoffLimit: 0, status: started }),
    pods: indexed([0, 'Succeeded'], [1, 'Failed'], [2, 'Running']),
    want: {
      succeeded: 1,
      failed: 2,
      completedIndexes: '0',
      deletions: 1,
      terminating: 1,
      conditions: ['FailureTarget=True:BackoffLimitExceeded'],
    },
  },
  {
    name: 'two succeeded pods of one index count once and the next index is created',
    job: newJob({ indexed: true, parallelism: 2, completions: 3, status: started }),
    pods: indexed([0, 'Succeeded'], [1, 'Succeeded'], [1, 'Succeeded']),
    want: { succeeded: 2, completedIndexes: '0,1', createdIndexes: [2] },
  },
  {
    name: 'holes between succeeded and running indexes are filled lowest first',
    job: newJob({ indexed: true, parallelism: 8, completions: 20, status: started }),
    pods: indexed(
      [0, 'Running'],
      [3, 'Pending'],
      [2, 'Succeeded'],
      [4, 'Succeeded'],
      [5, 'Succeeded'],
      [7, 'Succeeded'],
      [8, 'Succeeded'],
      [9, 'Succeeded'],
    ),
    want: { completedIndexes: '2,4,5,7-9', createdIndexes: [1, 6, 10, 11, 12, 13], active: 8 },
  },
  {
    name: 'failed indexes are created again',
    job: newJob({ indexed: true, parallelism: 3, completions: 4, status: started }),
    pods: indexed([0, 'Failed'], [1, 'Pending'], [2, 'Failed']),
    want: { failed: 2, createdIndexes: [0, 2], active: 3 },
  },
  {
    name: 'active pods without a valid index are deleted and finished ones are not counted',
    job: newJob({ indexed: true, parallelism: 2, completions: 5, status: started }),
    pods: indexed(
      ['invalid', 'Running'],
      ['invalid', 'Pending'],
      ['-2', 'Running'],
      ['invalid', 'Succeeded'],
      ['invalid', 'Failed'],
      [0, 'Succeeded'],
      [1, 'Running'],
      [2, 'Running'],
    ),
    want: { deletions: 3, active: 2, succeeded: 1, failed: 0, completedIndexes: '0' },
  },
  {
    name: 'an invalid index and a duplicate index are deleted even without excess',
    job: newJob({ indexed: true, parallelism: 5, completions: 5, status: started }),
    pods: indexed(['invalid', 'Running'], [0, 'Succeeded'], [1, 'Running'], [2, 'Running'], [2, 'Pending']),
    want: { deletions: 2, creations: 0 },
    check: (r) => expect(r.deletions.map((d) => d.pod.status?.phase).sort()).toEqual(['Pending', 'Running']),
  },
  {
    name: 'active pods past completions are deleted and finished ones past it ignored',
    job: newJob({ indexed: true, parallelism: 2, completions: 5, status: started }),
    pods: indexed([0, 'Succeeded'], [5, 'Running'], [6, 'Succeeded'], [7, 'Pending'], [8, 'Failed']),
    want: { deletions: 2, creations: 0, succeeded: 1, completedIndexes: '0', failed: 0 },
  },
  {
    name: 'with podReplacementPolicy Failed a terminating pod counts against the shortfall and is not failed',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 5,
      podReplacementPolicy: 'Failed',
      status: started,
    }),
    pods: terminating(1),
    want: { createdIndexes: [0], active: 1, terminating: 1, failed: 0 },
  },
  {
    name: 'with TerminatingOrFailed a terminating pod is failed at once and its index recreated',
    job: newJob({ indexed: true, parallelism: 2, completions: 5, status: started }),
    pods: terminating(1, { index: 0 }),
    want: { createdIndexes: [0, 1], terminating: 1, failed: 1, removals: 1 },
  },
  {
    name: 'completed indexes beyond scaled-down completions are dropped',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 2,
      status: { ...started, completedIndexes: '1-3', succeeded: 3 },
    }),
    want: { succeeded: 1, completedIndexes: '1', createdIndexes: [0] },
  },
];

const exitPolicy = (action: string, values: number[]) => ({
  rules: [{ action, onExitCodes: { operator: 'In', values } }],
});

// §6.3 failure policy, backoff, deadlines.
const failures: Case[] = [
  {
    name: 'OnFailure restarts reaching the backoff limit fail the job and count the killed pod',
    job: newJob({ restartPolicy: 'OnFailure', backoffLimit: 2, status: started }),
    pods: running(1, { restarts: 2 }),
    want: {
      conditions: ['FailureTarget=True:BackoffLimitExceeded'],
      deletions: 1,
      failed: 1,
      terminating: 1,
    },
  },
  {
    name: 'with backoffLimit 0 any OnFailure restart fails the job',
    job: newJob({ restartPolicy: 'OnFailure', backoffLimit: 0, status: started }),
    pods: running(1, { restarts: 1 }),
    want: { conditions: ['FailureTarget=True:BackoffLimitExceeded'] },
  },
  {
    name: 'restarts summing below the limit across pods do not fail the job',
    job: newJob({
      restartPolicy: 'OnFailure',
      backoffLimit: 6,
      parallelism: 2,
      completions: 2,
      status: started,
    }),
    pods: [newPod('a', { restarts: 2 }), newPod('b', { restarts: 3 })],
    want: { conditions: [], active: 2 },
  },
  {
    name: 'restarts summing to the limit across pods fail the job',
    job: newJob({
      restartPolicy: 'OnFailure',
      backoffLimit: 6,
      parallelism: 2,
      completions: 2,
      status: started,
    }),
    pods: [newPod('a', { restarts: 3 }), newPod('b', { restarts: 3 })],
    want: { conditions: ['FailureTarget=True:BackoffLimitExceeded'] },
  },
  {
    name: 'restarts of a succeeded pod are forgotten',
    job: newJob({
      restartPolicy: 'OnFailure',
      backoffLimit: 1,
      parallelism: 2,
      completions: 2,
      status: started,
    }),
    pods: [newPod('done', { phase: 'Succeeded', restarts: 3 }), newPod('b')],
    want: { conditions: [], succeeded: 1 },
  },
  {
    name: 'with backoffLimit 1 a first failure is replaced',
    job: newJob({ backoffLimit: 1, status: started }),
    pods: failedPods(1),
    want: { failed: 1, creations: 1, conditions: [] },
  },
  {
    name: 'with backoffLimit 1 a second failure fails the job',
    job: newJob({ backoffLimit: 1, status: { ...started, failed: 1 } }),
    pods: failedPods(1),
    want: {
      failed: 2,
      creations: 0,
      active: 0,
      ready: 0,
      terminating: 0,
      conditions: ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded'],
    },
  },
  {
    name: 'the third consecutive failure waits forty seconds',
    job: newJob({ status: started }),
    backoff: { failuresAfterLastSuccess: 3, lastFailureTime: T0.getTime() },
    want: { creations: 0, requeueAfterMs: 40_000 },
  },
  {
    name: 'the eighth consecutive failure waits the ten-minute cap',
    job: newJob({ status: started }),
    backoff: { failuresAfterLastSuccess: 8, lastFailureTime: T0.getTime() },
    want: { creations: 0, requeueAfterMs: 600_000 },
  },
  {
    name: 'a FailJob exit code rule fails the job at once and stops the running pods',
    job: newJob({ parallelism: 3, completions: 3, podFailurePolicy: failJobOnExit([1]), status: started }),
    pods: [...running(2), newPod('x', { phase: 'Failed', exitCode: 1 })],
    want: {
      conditions: ['FailureTarget=True:PodFailurePolicy'],
      deletions: 2,
      terminating: 2,
      events: ['SuccessfulDelete', 'SuccessfulDelete'],
    },
    check: (r) =>
      expect(messageOf('FailureTarget')(r)).toBe(
        'Container main for pod ns/x failed with exit code 1 matching FailJob rule at index 0',
      ),
  },
  {
    name: 'a FailJob rule with nothing left running fails the job with a PodFailurePolicy event',
    job: newJob({ podFailurePolicy: failJobOnExit([1]), status: started }),
    pods: [newPod('x', { phase: 'Failed', exitCode: 1 })],
    want: {
      conditions: ['FailureTarget=True:PodFailurePolicy', 'Failed=True:PodFailurePolicy'],
      events: ['PodFailurePolicy'],
    },
  },
  {
    name: 'an Ignore rule replaces the pod without counting it',
    job: newJob({ podFailurePolicy: exitPolicy('Ignore', [42]), status: started }),
    pods: [newPod('x', { phase: 'Failed', exitCode: 42 })],
    want: { failed: 0, creations: 1, removals: 1 },
    check: (r) => expect(r.podFailurePolicyActions).toEqual({ Ignore: 1 }),
  },
  {
    name: 'a NotIn rule does not match an exit code it lists and the failure counts',
    job: newJob({ podFailurePolicy: failJobOnExit([0, 1], 'NotIn'), status: started }),
    pods: [newPod('x', { phase: 'Failed', exitCode: 1 })],
    want: { failed: 1, conditions: [], creations: 1 },
  },
  {
    name: 'a rule for another container does not match',
    job: newJob({ podFailurePolicy: failJobOnExit([3], 'In', 'sidecar'), status: started }),
    pods: [newPod('x', { phase: 'Failed', exitCode: 3 })],
    want: { failed: 1, conditions: [] },
  },
  {
    name: 'init container exit codes are matched after regular containers',
    job: newJob({ podFailurePolicy: failJobOnExit([5]), status: started }),
    pods: [newPod('x', { phase: 'Failed', exitCode: 0, initExitCode: 5 })],
    want: { conditions: ['FailureTarget=True:PodFailurePolicy', 'Failed=True:PodFailurePolicy'] },
    check: (r) =>
      expect(messageOf('Failed')(r)).toBe(
        'Container init for pod ns/x failed with exit code 5 matching FailJob rule at index 0',
      ),
  },
  {
    name: 'an Ignore rule on DisruptionTarget does not count an evicted pod and replaces it',
    job: newJob({
      podFailurePolicy: {
        rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
      },
      status: started,
    }),
    pods: [
      newPod('x', {
        phase: 'Failed',
        exitCode: 137,
        conditions: [{ type: 'DisruptionTarget', status: 'True' }],
      }),
    ],
    want: { failed: 0, creations: 1 },
  },
  {
    name: 'a Count rule counts the failure as usual',
    job: newJob({ podFailurePolicy: exitPolicy('Count', [1]), status: started }),
    pods: [newPod('x', { phase: 'Failed', exitCode: 1 })],
    want: { failed: 1, creations: 1 },
    check: (r) => expect(r.podFailurePolicyActions).toEqual({ Count: 1 }),
  },
  {
    name: 'with a pod failure policy a deleted running pod is neither counted nor replaced',
    job: newJob({ podFailurePolicy: exitPolicy('Ignore', [42]), status: started }),
    pods: terminating(1),
    want: { failed: 0, creations: 0, terminating: 1, removals: 0 },
  },
  {
    name: 'a passed active deadline stops the running pods with DeadlineExceeded',
    job: newJob({ activeDeadlineSeconds: 1, status: { startTime: at(-2) } }),
    pods: running(1, { ready: true }),
    want: {
      conditions: ['FailureTarget=True:DeadlineExceeded'],
      deletions: 1,
      active: 0,
      ready: 0,
      terminating: 1,
    },
  },
  {
    name: 'once its pods are gone a job past its deadline is Failed with DeadlineExceeded',
    job: newJob({
      activeDeadlineSeconds: 1,
      status: {
        startTime: at(-2),
        failed: 1,
        conditions: [
          cond('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'),
        ],
      },
    }),
    want: {
      conditions: ['FailureTarget=True:DeadlineExceeded', 'Failed=True:DeadlineExceeded'],
      events: ['DeadlineExceeded'],
    },
    check: (r) => expect(messageOf('Failed')(r)).toBe('Job was active longer than specified deadline'),
  },
  {
    name: 'a resumed job counts its deadline from the resume',
    job: newJob({
      activeDeadlineSeconds: 10,
      status: {
        startTime: at(-100),
        conditions: [cond('Suspended', 'True', 'JobSuspended', 'Job suspended')],
      },
    }),
    want: {
      conditions: ['Suspended=False:JobResumed'],
      startTime: at(0),
      requeueAfterMs: 10_000,
      creations: 1,
    },
  },
  {
    name: 'a suspended job does not run down its deadline',
    job: newJob({ activeDeadlineSeconds: 10, suspend: true, status: { startTime: at(-100) } }),
    want: { conditions: ['Suspended=True:JobSuspended'], requeueAfterMs: undefined },
  },
  {
    name: 'a running job with a deadline is synced again when it passes',
    job: newJob({ activeDeadlineSeconds: 10, status: { startTime: at(-5) } }),
    pods: running(1),
    want: { requeueAfterMs: 5_000, conditions: [] },
  },
  {
    name: 'the backoff limit is checked before the deadline',
    job: newJob({ backoffLimit: 0, activeDeadlineSeconds: 1, status: { startTime: at(-5) } }),
    pods: failedPods(1),
    want: { conditions: ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded'] },
  },
];

// §6.4 per-index backoff and success policy.
const perIndex = (o: object = {}) =>
  newJob({
    indexed: true,
    backoffLimitPerIndex: 1,
    backoffLimit: 2 ** 31 - 1,
    status: { ...started, failedIndexes: '' },
    ...o,
  });

const perIndexCases: Case[] = [
  {
    name: 'indexes that used up their retries are failed and the job fails with FailedIndexes once all ran',
    job: perIndex({ parallelism: 2, completions: 4, status: { ...started, failed: 2, failedIndexes: '' } }),
    pods: indexed(
      [0, 'Succeeded'],
      [2, 'Succeeded'],
      [1, 'Failed', { failureCount: 1 }],
      [3, 'Failed', { failureCount: 1 }],
    ),
    want: {
      failedIndexes: '1,3',
      completedIndexes: '0,2',
      failed: 4,
      succeeded: 2,
      conditions: ['FailureTarget=True:FailedIndexes', 'Failed=True:FailedIndexes'],
    },
    check: (r) => expect(messageOf('Failed')(r)).toBe('Job has failed indexes'),
  },
  {
    name: 'more failed indexes than maxFailedIndexes fail the job before other indexes start',
    job: perIndex({ parallelism: 1, completions: 4, backoffLimitPerIndex: 0, maxFailedIndexes: 0 }),
    pods: indexed([0, 'Failed']),
    want: {
      failedIndexes: '0',
      failed: 1,
      creations: 0,
      conditions: ['FailureTarget=True:MaxFailedIndexesExceeded', 'Failed=True:MaxFailedIndexesExceeded'],
    },
  },
  {
    name: 'a failed index with retries left keeps its pod until the replacement inherits the failure count',
    job: perIndex({ parallelism: 2, completions: 2 }),
    pods: indexed([0, 'Failed', { failureCount: 0 }], [1, 'Failed', { failureCount: 0 }]),
    want: { createdIndexes: [0, 1], failed: 0, removals: 0, failedIndexes: '' },
    check: (r) =>
      expect(r.creations.map((p) => p.metadata.annotations?.[JOB_INDEX_FAILURE_COUNT])).toEqual(['1', '1']),
  },
  {
    name: 'once the replacement runs the old failed pod is counted',
    job: perIndex({ parallelism: 1, completions: 1 }),
    pods: indexed([0, 'Failed', { failureCount: 0 }], [0, 'Running', { failureCount: 1 }]),
    want: { failed: 1, removals: 1, creations: 0, active: 1 },
  },
  {
    name: 'a FailIndex rule fails its index without retry',
    job: perIndex({
      parallelism: 2,
      completions: 2,
      podFailurePolicy: exitPolicy('FailIndex', [1]),
      podReplacementPolicy: 'Failed',
    }),
    pods: indexed([0, 'Succeeded'], [1, 'Failed', { exitCode: 1, failureCount: 0 }]),
    want: {
      failedIndexes: '1',
      completedIndexes: '0',
      failed: 1,
      succeeded: 1,
      conditions: ['FailureTarget=True:FailedIndexes', 'Failed=True:FailedIndexes'],
    },
  },
  {
    name: 'a retried index waits out its own backoff',
    job: perIndex({ parallelism: 1, completions: 1 }),
    pods: indexed([0, 'Failed', { failureCount: 0, finishedAt: 0 }]),
    want: { creations: 0, requeueAfterMs: 10_000, removals: 0 },
  },
  {
    name: 'an ignored failure bumps the replacement’s ignored count, not its failure count',
    job: perIndex({
      parallelism: 1,
      completions: 1,
      podFailurePolicy: exitPolicy('Ignore', [42]),
      podReplacementPolicy: 'Failed',
    }),
    pods: indexed([0, 'Failed', { exitCode: 42, failureCount: 0 }]),
    want: { createdIndexes: [0], failed: 0 },
    check: (r) => {
      const a = r.creations[0]?.metadata.annotations ?? {};
      expect([a[JOB_INDEX_FAILURE_COUNT], a[JOB_INDEX_IGNORED_FAILURE_COUNT]]).toEqual(['0', '1']);
    },
  },
  {
    name: 'a succeededCount rule met by every index completes with SuccessPolicy',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 2,
      successPolicy: { rules: [{ succeededCount: 2 }] },
      status: started,
    }),
    pods: indexed([0, 'Succeeded'], [1, 'Succeeded']),
    want: {
      conditions: ['SuccessCriteriaMet=True:SuccessPolicy', 'Complete=True:SuccessPolicy'],
      active: 0,
      ready: 0,
      terminating: 0,
      failed: 0,
    },
    check: (r) => expect(messageOf('Complete')(r)).toBe('Matched rules at index 0'),
  },
  {
    name: 'a succeededIndexes rule met early stops the lingering pods',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 5,
      successPolicy: { rules: [{ succeededIndexes: '0' }] },
      status: started,
    }),
    pods: indexed([0, 'Succeeded'], [1, 'Failed'], [2, 'Running']),
    want: {
      conditions: ['SuccessCriteriaMet=True:SuccessPolicy'],
      deletions: 1,
      terminating: 1,
      completedIndexes: '0',
      failed: 1,
    },
  },
  {
    name: 'after SuccessCriteriaMet the job completes once its pods are gone',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 5,
      successPolicy: { rules: [{ succeededIndexes: '0' }] },
      status: {
        ...started,
        completedIndexes: '0',
        succeeded: 1,
        conditions: [cond('SuccessCriteriaMet', 'True', 'SuccessPolicy', 'Matched rules at index 0')],
      },
    }),
    want: {
      conditions: ['SuccessCriteriaMet=True:SuccessPolicy', 'Complete=True:SuccessPolicy'],
      completedIndexes: '0',
      completionTime: at(0),
    },
  },
  {
    name: 'a succeededCount 1 rule is met by the first success',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 5,
      backoffLimit: 2 ** 31 - 1,
      successPolicy: { rules: [{ succeededCount: 1 }] },
      status: started,
    }),
    pods: indexed([0, 'Succeeded'], [1, 'Running']),
    want: { conditions: ['SuccessCriteriaMet=True:SuccessPolicy'], deletions: 1 },
  },
  {
    name: 'succeededIndexes with succeededCount is met by enough of those indexes',
    job: newJob({
      indexed: true,
      parallelism: 3,
      completions: 5,
      successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 1 }] },
      status: started,
    }),
    pods: indexed([1, 'Succeeded']),
    want: { conditions: ['SuccessCriteriaMet=True:SuccessPolicy', 'Complete=True:SuccessPolicy'] },
  },
  {
    name: 'the message names the first rule that is met',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 5,
      successPolicy: { rules: [{ succeededIndexes: '3' }, { succeededCount: 1 }] },
      status: started,
    }),
    pods: indexed([0, 'Succeeded']),
    want: { conditions: ['SuccessCriteriaMet=True:SuccessPolicy', 'Complete=True:SuccessPolicy'] },
    check: (r) => expect(messageOf('SuccessCriteriaMet')(r)).toBe('Matched rules at index 1'),
  },
  {
    name: 'a failure past the backoff limit wins over a success policy met in the same sync',
    job: newJob({
      indexed: true,
      parallelism: 2,
      completions: 5,
      backoffLimit: 0,
      successPolicy: { rules: [{ succeededCount: 1 }] },
      status: started,
    }),
    pods: indexed([0, 'Succeeded'], [1, 'Failed']),
    want: { conditions: ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded'] },
  },
];

// §6.5 lifecycle and tracking.
const lifecycle: Case[] = [
  {
    name: 'at most 500 finished pods are counted per sync and the job completes later',
    job: newJob({ parallelism: 600, completions: 600, status: started }),
    pods: succeeded(600),
    want: { removals: 500, succeeded: 500, conditions: ['SuccessCriteriaMet=True:CompletionsReached'] },
  },
  {
    name: 'with podReplacementPolicy Failed a pod deleted while running shows only as terminating',
    job: newJob({ podReplacementPolicy: 'Failed', status: started }),
    pods: terminating(1),
    want: { active: 0, failed: 0, terminating: 1, creations: 0 },
  },
  {
    name: 'with podReplacementPolicy Failed the pod is counted and replaced once it has failed',
    job: newJob({ podReplacementPolicy: 'Failed', status: started }),
    pods: [newPod('x', { phase: 'Failed', deleting: true })],
    want: { active: 1, failed: 1, terminating: 0, creations: 1 },
  },
  {
    name: 'a job created suspended creates nothing and has no startTime',
    job: newJob({ suspend: true }),
    want: {
      creations: 0,
      ready: 0,
      active: 0,
      startTime: undefined,
      conditions: ['Suspended=True:JobSuspended'],
      events: ['Suspended'],
    },
  },
  {
    name: 'an OnFailure pod that restarted and then succeeded completes the job',
    job: newJob({ restartPolicy: 'OnFailure', status: started }),
    pods: succeeded(1, { restarts: 1 }),
    want: {
      succeeded: 1,
      conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'],
    },
  },
  {
    name: 'a success after a counted failure completes the job',
    job: newJob({ status: { ...started, failed: 1 } }),
    pods: succeeded(1),
    want: {
      succeeded: 1,
      failed: 1,
      active: 0,
      ready: 0,
      terminating: 0,
      conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'],
    },
  },
];

const tables: Array<[string, Case[]]> = [
  ['counting', counting],
  ['indexed', indexedCases],
  ['failures', failures],
  ['per-index and success policy', perIndexCases],
  ['lifecycle', lifecycle],
];

for (const [, cases] of tables) {
  for (const tc of cases) {
    test(tc.name, () => {
      const input = {
        job: tc.job,
        pods: tc.pods ?? [],
        now: T0,
        ...(tc.backoff ? { backoff: tc.backoff } : {}),
      };
      const r = syncJob(tc.satisfied === false ? { ...input, expectationsSatisfied: false } : input);
      const got = summarize(r);
      if (tc.want.events) got.events.sort();
      expect(got).toMatchObject({
        ...tc.want,
        ...(tc.want.events ? { events: [...tc.want.events].sort() } : {}),
      });
      tc.check?.(r);
    });
  }
}

// §6.2 row 52. PodIndexLabel went GA in 1.32 locked on, so its "gate off" branch is not 1.32
// behaviour: every indexed pod gets the label and the annotation, and the variable reads the label.
const indexFieldPath = `metadata.labels['${JOB_COMPLETION_INDEX}']`;
const indexEnv = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: indexFieldPath } } };
const podIndexLabelCases: Array<{
  name: string;
  job: Job;
  want: { containers: unknown[]; init?: unknown[] };
}> = [
  {
    name: 'with PodIndexLabel locked on in 1.32 (no gate to turn off) an indexed pod gets the index as label and annotation and its variable reads the label',
    job: newJob({ indexed: true, parallelism: 1, completions: 3 }),
    want: { containers: [[indexEnv]] },
  },
  {
    name: 'init containers read their index from the label as well',
    job: newJob({
      indexed: true,
      template: {
        spec: {
          restartPolicy: 'Never',
          initContainers: [{ name: 'init', image: 'busybox' }],
          containers: [{ name: 'main', image: 'busybox' }],
        },
      },
    }),
    want: { containers: [[indexEnv]], init: [[indexEnv]] },
  },
  {
    name: 'a container that sets JOB_COMPLETION_INDEX itself keeps its own value',
    job: newJob({
      indexed: true,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            { name: 'main', image: 'busybox', env: [{ name: 'JOB_COMPLETION_INDEX', value: '7' }] },
          ],
        },
      },
    }),
    want: { containers: [[{ name: 'JOB_COMPLETION_INDEX', value: '7' }]] },
  },
];

for (const tc of podIndexLabelCases) {
  test(tc.name, () => {
    const [pod] = syncJob({ job: tc.job, pods: [], now: T0 }).creations;
    expect(pod?.metadata.labels?.[JOB_COMPLETION_INDEX]).toBe('0');
    expect(pod?.metadata.annotations?.[JOB_COMPLETION_INDEX]).toBe('0');
    expect(pod?.spec?.containers.map((c) => c.env)).toEqual(tc.want.containers);
    if (tc.want.init) expect(pod?.spec?.initContainers?.map((c) => c.env)).toEqual(tc.want.init);
  });
}
