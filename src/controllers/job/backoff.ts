/**
 * The pod recreation backoff: after n failures since the last success a replacement waits
 * base × 2^(n−1), capped (upstream: 10 s base, 10 min cap in code). Kept in memory per Job and
 * lost on restart, as upstream's backoff store is.
 */
import type { Pod } from '../../api/core/v1/pod.js';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS } from './constants.js';
import { indexAbsoluteFailureCount, podFinishTime } from './pods.js';

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** Epoch ms of the latest counted failure's finish. */
  lastFailureTime?: number;
}

export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = {
  baseMs: DEFAULT_POD_FAILURE_BACKOFF_MS,
  maxMs: MAX_POD_FAILURE_BACKOFF_MS,
};

/** The upstream defaults multiplied by `scale` (a server flag for tests and CI, not an API field). */
export const scaledBackoff = (scale: number): BackoffConfig => ({
  baseMs: DEFAULT_POD_FAILURE_BACKOFF_MS * scale,
  maxMs: MAX_POD_FAILURE_BACKOFF_MS * scale,
});

/**
 * Folds this sync's newly finished pods into the record: with no new success, failures add up;
 * with one, only failures that finished after the latest new success still count.
 */
export function nextBackoffRecord(
  prev: BackoffRecord | undefined,
  newSucceeded: readonly Pod[],
  newFailed: readonly Pod[],
): BackoffRecord {
  const record: BackoffRecord = { failuresAfterLastSuccess: prev?.failuresAfterLastSuccess ?? 0 };
  if (prev?.lastFailureTime !== undefined) record.lastFailureTime = prev.lastFailureTime;
  const failedTimes = newFailed.map(podFinishTime).sort((a, b) => a - b);
  if (!newSucceeded.length) {
    if (!failedTimes.length) return record;
    record.failuresAfterLastSuccess += failedTimes.length;
    record.lastFailureTime = failedTimes[failedTimes.length - 1] as number;
    return record;
  }
  const lastSuccess = Math.max(...newSucceeded.map(podFinishTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  const out: BackoffRecord = { failuresAfterLastSuccess: after.length };
  if (after.length) out.lastFailureTime = after[after.length - 1] as number;
  return out;
}

/** How long a replacement still has to wait after `failures` failures, the last at `lastFailure`. */
export function remainingBackoffMs(
  failures: number,
  lastFailure: number | undefined,
  now: number,
  cfg: BackoffConfig,
): number {
  if (failures <= 0 || lastFailure === undefined) return 0;
  const delay = Math.min(cfg.maxMs, cfg.baseMs * 2 ** Math.min(failures - 1, 62));
  const elapsed = now - lastFailure;
  return delay < elapsed ? 0 : delay - elapsed;
}

/** The per-index wait: counted from the index's last failed pod, exponent from its failure annotations. */
export function remainingBackoffForIndexMs(
  lastFailed: Pod | undefined,
  now: number,
  cfg: BackoffConfig,
): number {
  if (!lastFailed) return 0;
  return remainingBackoffMs(indexAbsoluteFailureCount(lastFailed) + 1, podFinishTime(lastFailed), now, cfg);
}
