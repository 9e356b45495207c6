/** spec.podFailurePolicy: which rule, if any, decides what a failed pod means. */
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement } from 'kubernetes-types/batch/v1.js';
import type { ContainerStatus, PodCondition } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../../api/core/v1/pod.js';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** Set for a FailJob match: the FailureTarget condition's message. */
  failJobMessage?: string;
  /** False only for an Ignore match: the failure does not count toward any limit. */
  countFailed: boolean;
  action?: PodFailurePolicyAction;
}

/** Exit 0 never matches, even under NotIn; regular containers are looked at before init containers. */
function matchingContainer(
  statuses: readonly ContainerStatus[],
  req: PodFailurePolicyOnExitCodesRequirement,
): ContainerStatus | undefined {
  return statuses.find((cs) => {
    const code = cs.state?.terminated?.exitCode;
    if (code === undefined || code === 0) return false;
    if (req.containerName !== undefined && req.containerName !== cs.name) return false;
    const listed = req.values.includes(code);
    return req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false;
  });
}

function matchingCondition(
  pod: Pod,
  patterns: readonly { type: string; status: string }[],
): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) =>
    patterns.some((p) => p.type === c.type && p.status === c.status),
  );
}

/**
 * The first rule matching a failed pod decides (upstream's matchPodFailurePolicy); no rule, or no
 * policy, counts the failure as usual.
 */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  for (const [index, rule] of policy.rules.entries()) {
    const action = rule.action as PodFailurePolicyAction;
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const cs =
        matchingContainer(pod.status?.containerStatuses ?? [], rule.onExitCodes) ??
        matchingContainer(pod.status?.initContainerStatuses ?? [], rule.onExitCodes);
      if (!cs) continue;
      failJobMessage = `Container ${cs.name} for pod ${ns}/${name} failed with exit code ${cs.state?.terminated?.exitCode} matching ${action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const cond = matchingCondition(pod, rule.onPodConditions);
      if (!cond) continue;
      failJobMessage = `Pod ${ns}/${name} has condition ${cond.type} matching ${action} rule at index ${index}`;
    } else continue;
    switch (action) {
      case 'Ignore':
        return { countFailed: false, action };
      case 'FailIndex':
      case 'Count':
        return { countFailed: true, action };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action };
      default:
        // An action this version does not know: the rule is skipped, as upstream skips it.
        continue;
    }
  }
  return { countFailed: true };
}
