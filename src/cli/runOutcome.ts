/**
 * What `batchd run` waits for and how it ends, as pure functions over the watched objects: the
 * Jobs (and bare Pods) of the input decide the exit code; Jobs that the input's CronJobs create are
 * shown and streamed but decide nothing.
 */
import type { Job } from '../api/batch/v1/types.js';
import type { Pod } from '../api/core/v1/pod.js';

/** The exit codes of `batchd run`; signals follow the shell's 128 + signal number. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

/** How one watched Job or Pod stands: its label (`job/pi`), counts, and how it ended if it did. */
export interface Progress {
  readonly label: string;
  readonly active: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly finished?: {
    readonly outcome: 'Complete' | 'Failed';
    readonly reason: string;
    readonly message: string;
  };
}

/** `job/NAME` in the run's namespace, `job/NAME (NAMESPACE)` elsewhere. */
export function objectLabel(
  kind: 'job' | 'pod',
  name: string,
  namespace: string,
  runNamespace: string,
): string {
  return namespace === runNamespace ? `${kind}/${name}` : `${kind}/${name} (${namespace})`;
}

/** A Job's counts and its terminal condition (Complete or Failed with status True). */
export function jobProgress(job: Job, label: string): Progress {
  const s = job.status ?? {};
  const counts = { label, active: s.active ?? 0, succeeded: s.succeeded ?? 0, failed: s.failed ?? 0 };
  const done = (s.conditions ?? []).find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  if (!done) return counts;
  return {
    ...counts,
    finished: {
      outcome: done.type as 'Complete' | 'Failed',
      reason: done.reason ?? '',
      message: done.message ?? '',
    },
  };
}

/** A bare Pod: running until its phase is Succeeded or Failed; a failure names the first failed container. */
export function podProgress(pod: Pod, label: string): Progress {
  const phase = pod.status?.phase;
  const active = phase === 'Running' || phase === 'Pending' || phase === undefined ? 1 : 0;
  const base = {
    label,
    active,
    succeeded: phase === 'Succeeded' ? 1 : 0,
    failed: phase === 'Failed' ? 1 : 0,
  };
  if (phase === 'Succeeded') return { ...base, finished: { outcome: 'Complete', reason: '', message: '' } };
  if (phase !== 'Failed') return base;
  const failedContainer = (pod.status?.containerStatuses ?? []).find(
    (c) => (c.state?.terminated?.exitCode ?? 0) !== 0,
  );
  const terminated = failedContainer?.state?.terminated;
  const reason = pod.status?.reason ?? terminated?.reason ?? 'Failed';
  const message =
    pod.status?.message ??
    (failedContainer && terminated
      ? `container ${JSON.stringify(failedContainer.name)} exited with code ${terminated.exitCode}`
      : '');
  return { ...base, finished: { outcome: 'Failed', reason, message } };
}

/** The line of a Job still running: `job/pi: 1 active, 0 succeeded, 0 failed`. */
export function progressLine(p: Progress): string {
  if (p.finished) return finishLine(p);
  return `${p.label}: ${p.active} active, ${p.succeeded} succeeded, ${p.failed} failed`;
}

/** The line of a finished one: `job/pi complete: ...`, or `job/pi failed: REASON: MESSAGE`. */
export function finishLine(p: Progress): string {
  const f = p.finished;
  if (!f) return progressLine(p);
  if (f.outcome === 'Complete') return `${p.label} complete: ${p.succeeded} succeeded, ${p.failed} failed`;
  return `${p.label} failed: ${[f.reason, f.message].filter(Boolean).join(': ')}`;
}

export type Outcome =
  | { readonly done: false }
  | { readonly done: true; readonly code: number; readonly message?: string };

const RUNNING: Outcome = { done: false };

/**
 * The run's end once it is known: the first failure ends it (exit 1), all complete ends it (0);
 * an input with nothing that finishes (CronJobs only) runs until --timeout or a signal.
 */
export function decideOutcome(
  waited: readonly (Progress | undefined)[],
  opts: { waitForever: boolean },
): Outcome {
  const failed = waited.find((p) => p?.finished?.outcome === 'Failed');
  if (failed) return { done: true, code: EXIT_FAILED, message: finishLine(failed) };
  if (waited.length === 0) return opts.waitForever ? RUNNING : { done: true, code: EXIT_OK };
  if (waited.every((p) => p?.finished?.outcome === 'Complete')) return { done: true, code: EXIT_OK };
  return RUNNING;
}

/**
 * --timeout ran out: exit 1 naming what had not finished, or 0 when nothing was waited for
 * (a CronJob-only run, which runs for as long as it is told).
 */
export function timeoutOutcome(
  waited: ReadonlyArray<{ label: string; progress?: Progress | undefined }>,
  timeoutText: string,
): Outcome {
  const pending = waited.filter((w) => !w.progress?.finished).map((w) => w.label);
  if (pending.length === 0) return { done: true, code: EXIT_OK };
  return {
    done: true,
    code: EXIT_FAILED,
    message: `timed out after ${timeoutText} waiting for ${pending.join(', ')}`,
  };
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * --timeout: a Go duration (`90s`, `5m`, `1h30m`, `1.5h`) or whole seconds (`90`), as kubectl's
 * `--timeout` flags take them. Returns milliseconds and the text to show (`90` shows as `90s`).
 */
export function parseTimeout(text: string): { ms: number; text: string } {
  if (/^\d+$/.test(text)) return { ms: Number(text) * 1000, text: `${text}s` };
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const m = part.exec(text);
    if (!m) break;
    ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    at = part.lastIndex;
  }
  if (at === 0 || at !== text.length || ms <= 0)
    throw new Error(
      `invalid duration ${JSON.stringify(text)}: give seconds or a duration such as 90s, 5m or 1h30m`,
    );
  return { ms, text };
}
