/** Job conditions as the controller writes them: "ensure" semantics, one entry per type. */
import type { JobCondition } from '../../api/batch/v1/types.js';

export type ConditionType = 'Complete' | 'Failed' | 'FailureTarget' | 'SuccessCriteriaMet' | 'Suspended';

export function newCondition(
  type: ConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: Date,
): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** Seconds precision, as metav1.Time serializes. */
export const rfc3339 = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

export const findCondition = (list: readonly JobCondition[] | undefined, type: string) =>
  (list ?? []).find((c) => c.type === type);

export const hasTrueCondition = (list: readonly JobCondition[] | undefined, type: string) =>
  findCondition(list, type)?.status === 'True';

/**
 * Sets a condition: an existing entry of the type is replaced only when status, reason or message
 * differ; a missing one is appended unless it would be False. Returns whether anything changed.
 */
export function ensureCondition(
  list: JobCondition[],
  type: ConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: Date,
): boolean {
  const i = list.findIndex((c) => c.type === type);
  const existing = list[i];
  if (existing) {
    if (existing.status === status && existing.reason === reason && existing.message === message)
      return false;
    list[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  list.push(newCondition(type, status, reason, message, now));
  return true;
}
