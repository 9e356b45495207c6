/** spec.successPolicy (Indexed Jobs): may declare success before every index has succeeded. */
import type { SuccessPolicy } from 'kubernetes-types/batch/v1.js';
import { countIndexes, type Intervals, parseIndexes } from './indexes.js';

/** How many indexes of `required` are in `succeeded` (both sorted interval lists). */
function overlap(required: Intervals, succeeded: Intervals): number {
  let n = 0;
  let r = 0;
  let s = 0;
  while (r < required.length && s < succeeded.length) {
    const a = required[r]!;
    const b = succeeded[s]!;
    n += Math.max(0, Math.min(a.last, b.last) - Math.max(a.first, b.first) + 1);
    if (b.last < a.last) s++;
    else r++;
  }
  return n;
}

/**
 * The message of the first satisfied rule ("Matched rules at index k"), or undefined. Rules are not
 * looked at before some index succeeded; a rule whose index list parses to nothing is skipped.
 */
export function matchSuccessPolicy(
  policy: SuccessPolicy | undefined,
  completions: number,
  succeeded: Intervals,
): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  for (const [index, rule] of policy.rules.entries()) {
    const message = `Matched rules at index ${index}`;
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (!required.length) continue;
      const n = overlap(required, succeeded);
      if (n === countIndexes(required) || (rule.succeededCount !== undefined && n >= rule.succeededCount))
        return message;
    } else if (rule.succeededCount !== undefined && countIndexes(succeeded) >= rule.succeededCount) {
      return message;
    }
  }
  return undefined;
}
