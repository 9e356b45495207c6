/**
 * Job validation: create, update and status update, with upstream's field paths, error types and
 * messages, in upstream's order (tools read the causes, and kubectl prints them one per line).
 */
import { isDeepStrictEqual } from 'node:util';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { validatePodTemplateSpec } from '../../core/v1/podValidation.js';
import { fromLabelSelector, isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../meta/labels.js';
import { validateLabelSelector } from '../../meta/selectorValidation.js';
import {
  duplicate,
  type FieldError,
  goInt32s,
  goStringMap,
  invalidOmitted,
  invalidValue,
  notSupported,
  required,
  tooLong,
  tooMany,
} from '../../meta/status.js';
import { FIELD_IMMUTABLE } from '../../meta/validation.js';
import { countIndexes, firstOverlap } from './indexes.js';
import {
  isConditionTrue,
  isJobComplete,
  isJobFailed,
  isJobFinished,
  type Job,
  type JobSpec,
  LABEL_CONTROLLER_UID,
  LABEL_JOB_NAME,
  LEGACY_LABEL_CONTROLLER_UID,
  LEGACY_LABEL_JOB_NAME,
} from './types.js';

const MAX_PARALLELISM_INDEXED = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_EXIT_CODE_VALUES = 255;
const MAX_POD_CONDITION_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES = 20;

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const NON_NEGATIVE = 'must be greater than or equal to 0';

/** Go's %q of a string list: `["A" "B"]`. */
const goQuoteList = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;

export function nonNegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [invalidValue(path, value, NON_NEGATIVE)] : [];
}

export interface JobValidationOptions {
  /** The prefixed batch.kubernetes.io labels must be on the template (always on create). */
  requirePrefixedLabels: boolean;
  /** The old job is suspended and never started: scheduling directives of the template may change. */
  allowMutableSchedulingDirectives: boolean;
}

/** Upstream's ValidateHasLabel: the template must carry key=value. */
function hasLabel(labels: Record<string, string> | undefined, path: string, key: string, value: string) {
  const at = `${path}.labels[${key}]`;
  if (!labels || !Object.hasOwn(labels, key)) return [required(at, `must be '${value}'`)];
  return labels[key] === value ? [] : [invalidValue(at, goStringMap(labels), `must be '${value}'`)];
}

function selectorMatches(
  selector: JobSpec['selector'],
  labels: Record<string, string> | undefined,
): boolean | undefined {
  try {
    return fromLabelSelector(selector).matches(labels ?? {});
  } catch {
    return undefined; // an invalid selector is reported by the selector validation
  }
}

/** The generated selector and labels must be the ones the server made (skipped for manual selectors). */
function validateGeneratedSelector(job: Job, requirePrefixed: boolean): FieldError[] {
  const spec = job.spec;
  if (spec?.manualSelector === true || !spec?.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  if (!uid) errs.push(required('metadata.uid'));
  const labels = spec.template?.metadata?.labels;
  const at = 'spec.template.metadata';
  errs.push(...hasLabel(labels, at, LEGACY_LABEL_CONTROLLER_UID, uid));
  errs.push(...hasLabel(labels, at, LEGACY_LABEL_JOB_NAME, name));
  const expected: Record<string, string> = {};
  if (requirePrefixed) {
    errs.push(...hasLabel(labels, at, LABEL_CONTROLLER_UID, uid));
    errs.push(...hasLabel(labels, at, LABEL_JOB_NAME, name));
    expected[LABEL_CONTROLLER_UID] = uid;
    expected[LABEL_JOB_NAME] = name;
  }
  expected[LEGACY_LABEL_CONTROLLER_UID] = uid;
  expected[LEGACY_LABEL_JOB_NAME] = name;
  if (selectorMatches(spec.selector, expected) === false) {
    errs.push(invalidValue('spec.selector', spec.selector, '`selector` not auto-generated'));
  }
  return errs;
}

/** Create validation (upstream ValidateJob), after defaulting and selector generation. */
export function validateJob(job: Job, opts: JobValidationOptions = defaultJobOptions): FieldError[] {
  const errs = validateGeneratedSelector(job, opts.requirePrefixedLabels);
  const spec = job.spec ?? { template: {} };
  errs.push(...validateJobSpec(spec, 'spec'));
  if (spec.completionMode === 'Indexed' && spec.completions !== undefined && spec.completions > 0) {
    // Pods of an Indexed job are named <job>-<index>, and the hostname must stay a DNS label.
    const hostname = `${job.metadata.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(hostname).length) {
      errs.push(
        invalidValue(
          'metadata.name',
          job.metadata.name ?? '',
          `will not able to create pod with invalid DNS label: ${hostname}`,
        ),
      );
    }
  }
  return errs;
}

const defaultJobOptions: JobValidationOptions = {
  requirePrefixedLabels: true,
  allowMutableSchedulingDirectives: false,
};

/** Upstream ValidateJobSpec: the spec rules plus the selector (required, valid, matching the template). */
export function validateJobSpec(spec: JobSpec, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  if (!spec.selector) errs.push(required(`${path}.selector`));
  else errs.push(...validateLabelSelector(spec.selector, {}, `${path}.selector`));
  const labels = spec.template?.metadata?.labels;
  if (spec.selector && selectorMatches(spec.selector, labels) === false) {
    errs.push(
      invalidValue(
        `${path}.template.metadata.labels`,
        goStringMap(labels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  return errs;
}

/** The spec rules shared by Jobs and CronJob job templates (upstream's validateJobSpec). */
export function validateJobSpecCommon(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [
    ...nonNegative(spec.parallelism, `${path}.parallelism`),
    ...nonNegative(spec.completions, `${path}.completions`),
    ...nonNegative(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`),
    ...nonNegative(spec.backoffLimit, `${path}.backoffLimit`),
    ...nonNegative(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`),
    ...nonNegative(spec.backoffLimitPerIndex, `${path}.backoffLimitPerIndex`),
  ];
  if (spec.maxFailedIndexes !== undefined) {
    errs.push(...nonNegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (spec.backoffLimitPerIndex === undefined) {
      errs.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
    }
  }
  if (spec.managedBy !== undefined) {
    errs.push(...domainPrefixedPath(`${path}.managedBy`, spec.managedBy));
    if (spec.managedBy.length > MAX_MANAGED_BY_LENGTH)
      errs.push(tooLong(`${path}.managedBy`, MAX_MANAGED_BY_LENGTH));
  }
  if (spec.completionMode !== undefined) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
      errs.push(notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (spec.completionMode === 'Indexed') errs.push(...validateIndexed(spec, path));
  }
  if (spec.completionMode === undefined || spec.completionMode === 'NonIndexed') {
    if (spec.backoffLimitPerIndex !== undefined) {
      errs.push(
        invalidValue(
          `${path}.backoffLimitPerIndex`,
          spec.backoffLimitPerIndex,
          'requires indexed completion mode',
        ),
      );
    }
    if (spec.maxFailedIndexes !== undefined) {
      errs.push(
        invalidValue(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'),
      );
    }
  }
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (spec.successPolicy) {
    if (spec.completionMode !== 'Indexed') {
      errs.push(
        invalidValue(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'),
      );
    } else {
      errs.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
    }
  }
  if (spec.podReplacementPolicy !== undefined) {
    const at = `${path}.podReplacementPolicy`;
    if (spec.podFailurePolicy) {
      if (spec.podReplacementPolicy !== 'Failed')
        errs.push(notSupported(at, spec.podReplacementPolicy, ['Failed']));
    } else if (
      spec.podReplacementPolicy !== 'Failed' &&
      spec.podReplacementPolicy !== 'TerminatingOrFailed'
    ) {
      errs.push(notSupported(at, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  const template = (spec.template ?? {}) as PodTemplateSpec;
  errs.push(...validatePodTemplateSpec(template, `${path}.template`));
  // Defaulting turns an empty restartPolicy into Always, so both mean "not chosen".
  const restartPolicy = template.spec?.restartPolicy ?? '';
  const at = `${path}.template.spec.restartPolicy`;
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errs.push(required(at, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(notSupported(at, restartPolicy, ['OnFailure', 'Never']));
  } else if (spec.podFailurePolicy && restartPolicy !== 'Never') {
    errs.push(
      invalidValue(at, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'),
    );
  }
  return errs;
}

function validateIndexed(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const { completions, parallelism, maxFailedIndexes, backoffLimitPerIndex } = spec;
  if (completions === undefined)
    errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
    errs.push(
      invalidValue(
        `${path}.parallelism`,
        parallelism,
        `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`,
      ),
    );
  }
  if (completions !== undefined && maxFailedIndexes !== undefined && maxFailedIndexes > completions) {
    errs.push(
      invalidValue(`${path}.maxFailedIndexes`, maxFailedIndexes, 'must be less than or equal to completions'),
    );
  }
  if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES) {
    errs.push(
      invalidValue(
        `${path}.maxFailedIndexes`,
        maxFailedIndexes,
        `must be less than or equal to ${MAX_FAILED_INDEXES}`,
      ),
    );
  }
  if (
    completions !== undefined &&
    completions > COMPLETIONS_SOFT_LIMIT &&
    backoffLimitPerIndex !== undefined
  ) {
    const beyond = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailedIndexes === undefined) {
      errs.push(
        required(
          `${path}.maxFailedIndexes`,
          `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`,
        ),
      );
    }
    if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
      errs.push(
        invalidValue(
          `${path}.parallelism`,
          parallelism,
          `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${beyond}`,
        ),
      );
    }
    if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
      errs.push(
        invalidValue(
          `${path}.maxFailedIndexes`,
          maxFailedIndexes,
          `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} ${beyond}`,
        ),
      );
    }
  }
  return errs;
}

/** apimachinery's IsDomainPrefixedPath: `<DNS subdomain>/<non-empty URL path>`. */
function domainPrefixedPath(path: string, value: string): FieldError[] {
  if (value === '') return [required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (!host || !rest)
    return [invalidValue(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => invalidValue(path, host, msg));
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest)) {
    errs.push(
      invalidValue(
        path,
        rest,
        "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
      ),
    );
  }
  return errs;
}

function validatePodFailurePolicy(spec: JobSpec, path: string): FieldError[] {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const errs: FieldError[] = [];
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) {
    errs.push(tooMany(`${path}.rules`, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  }
  const podSpec = spec.template?.spec;
  const names = new Set([
    ...(podSpec?.containers ?? []).map((c) => c.name),
    ...(podSpec?.initContainers ?? []).map((c) => c.name),
  ]);
  rules.forEach((rule, i) => {
    const at = `${path}.rules[${i}]`;
    const action = rule.action ?? '';
    if (action === '') errs.push(required(`${at}.action`, `valid values: ${goQuoteList(ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined) {
        errs.push(invalidValue(`${at}.action`, action, 'requires the backoffLimitPerIndex to be set'));
      }
    } else if (!ACTIONS.includes(action)) errs.push(notSupported(`${at}.action`, action, ACTIONS));
    const onExitCodes = rule.onExitCodes;
    const onPodConditions = rule.onPodConditions ?? [];
    if (onExitCodes) errs.push(...validateOnExitCodes(onExitCodes, `${at}.onExitCodes`, names));
    if (onPodConditions.length) {
      const pc = `${at}.onPodConditions`;
      if (onPodConditions.length > MAX_POD_CONDITION_PATTERNS) {
        errs.push(tooMany(pc, onPodConditions.length, MAX_POD_CONDITION_PATTERNS));
      }
      onPodConditions.forEach((pattern, j) => {
        const p = `${pc}[${j}]`;
        for (const msg of isQualifiedName(pattern.type ?? ''))
          errs.push(invalidValue(`${p}.type`, pattern.type ?? '', msg));
        const status = pattern.status ?? '';
        if (status === '')
          errs.push(required(`${p}.status`, `valid values: ${goQuoteList(CONDITION_STATUSES)}`));
        else if (!CONDITION_STATUSES.includes(status))
          errs.push(notSupported(`${p}.status`, status, CONDITION_STATUSES));
      });
    }
    if (onExitCodes && onPodConditions.length) {
      errs.push(invalidOmitted(at, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    }
    if (!onExitCodes && !onPodConditions.length) {
      errs.push(invalidOmitted(at, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
  });
  return errs;
}

function validateOnExitCodes(
  req: NonNullable<NonNullable<JobSpec['podFailurePolicy']>['rules'][number]['onExitCodes']>,
  path: string,
  containerNames: Set<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const operator = req.operator ?? '';
  if (operator === '') errs.push(required(`${path}.operator`, `valid values: ${goQuoteList(OPERATORS)}`));
  else if (!OPERATORS.includes(operator)) errs.push(notSupported(`${path}.operator`, operator, OPERATORS));
  if (req.containerName !== undefined && !containerNames.has(req.containerName)) {
    errs.push(
      invalidValue(
        `${path}.containerName`,
        req.containerName,
        'must be one of the container or initContainer names in the pod template',
      ),
    );
  }
  const values = req.values ?? [];
  const at = `${path}.values`;
  if (values.length === 0)
    errs.push(invalidValue(at, goInt32s(req.values), 'at least one value is required'));
  else if (values.length > MAX_EXIT_CODE_VALUES) errs.push(tooMany(at, values.length, MAX_EXIT_CODE_VALUES));
  let ordered = true;
  const seen = new Set<number>();
  values.forEach((v, j) => {
    if (operator === 'In' && v === 0)
      errs.push(invalidValue(`${at}[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(duplicate(`${at}[${j}]`, v));
    else seen.add(v);
    if (j > 0 && (values[j - 1] ?? 0) > v) ordered = false;
  });
  if (!ordered) errs.push(invalidValue(at, goInt32s(values), 'must be ordered'));
  return errs;
}

function validateSuccessPolicy(spec: JobSpec, path: string): FieldError[] {
  const rules = spec.successPolicy?.rules ?? [];
  const errs: FieldError[] = [];
  const completions = spec.completions ?? 0;
  if (rules.length === 0) {
    errs.push(
      required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'),
    );
  }
  if (rules.length > MAX_SUCCESS_POLICY_RULES)
    errs.push(tooMany(`${path}.rules`, rules.length, MAX_SUCCESS_POLICY_RULES));
  rules.forEach((rule, i) => {
    const at = `${path}.rules[${i}]`;
    if (rule.succeededCount === undefined && rule.succeededIndexes === undefined) {
      errs.push(required(at, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let total = 0;
    if (rule.succeededIndexes !== undefined) {
      const p = `${at}.succeededIndexes`;
      if (rule.succeededIndexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) {
        errs.push(tooLong(p, MAX_SUCCEEDED_INDEXES_LENGTH));
      }
      const counted = countIndexes(rule.succeededIndexes, completions);
      if (counted instanceof Error) {
        errs.push(
          invalidValue(p, rule.succeededIndexes, `error parsing succeededIndexes: ${counted.message}`),
        );
      } else total = counted;
    }
    if (rule.succeededCount !== undefined) {
      const p = `${at}.succeededCount`;
      errs.push(...nonNegative(rule.succeededCount, p));
      if (rule.succeededCount > completions) {
        errs.push(
          invalidValue(
            p,
            rule.succeededCount,
            `must be less than or equal to ${completions} (the number of specified completions)`,
          ),
        );
      }
      if (rule.succeededIndexes !== undefined && rule.succeededCount > total) {
        errs.push(
          invalidValue(
            p,
            rule.succeededCount,
            `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`,
          ),
        );
      }
    }
  });
  return errs;
}

// ---- update ----

/** Validation options for an update, from the old object (upstream validationOptionsForJob). */
export function updateOptions(old: Job): JobValidationOptions {
  const oldLabels = old.spec?.template?.metadata?.labels ?? {};
  return {
    // Jobs created before the prefixed labels existed keep validating without them.
    requirePrefixedLabels:
      Object.hasOwn(oldLabels, LABEL_CONTROLLER_UID) && Object.hasOwn(oldLabels, LABEL_JOB_NAME),
    allowMutableSchedulingDirectives: old.spec?.suspend === true && !old.status?.startTime,
  };
}

const immutable = (path: string, next: unknown, old: unknown): FieldError[] =>
  isDeepStrictEqual(next, old) ? [] : [invalidValue(path, next, FIELD_IMMUTABLE)];

/** Update validation of the spec (upstream ValidateJobSpecUpdate). Metadata is checked by the registry. */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const opts = updateOptions(old);
  const spec = job.spec ?? { template: {} };
  const oldSpec = old.spec ?? { template: {} };
  const errs = [
    ...validateGeneratedSelector(job, opts.requirePrefixedLabels),
    ...validateJobSpec(spec, 'spec'),
  ];
  errs.push(...validateCompletionsUpdate(spec, oldSpec));
  errs.push(...immutable('spec.selector', spec.selector, oldSpec.selector));
  errs.push(...validateTemplateUpdate(spec, oldSpec, opts));
  errs.push(...immutable('spec.completionMode', spec.completionMode, oldSpec.completionMode));
  errs.push(...immutable('spec.podFailurePolicy', spec.podFailurePolicy, oldSpec.podFailurePolicy));
  errs.push(
    ...immutable('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex),
  );
  errs.push(...immutable('spec.managedBy', spec.managedBy, oldSpec.managedBy));
  errs.push(...immutable('spec.successPolicy', spec.successPolicy, oldSpec.successPolicy));
  return errs;
}

/** Completions are fixed, except for Indexed jobs scaled with parallelism in step (elastic Indexed jobs). */
function validateCompletionsUpdate(spec: JobSpec, old: JobSpec): FieldError[] {
  if (spec.completionMode !== 'Indexed')
    return immutable('spec.completions', spec.completions, old.completions);
  if (spec.completions === old.completions || spec.completions === undefined) return [];
  if (spec.completions !== spec.parallelism) {
    return [
      invalidValue(
        'spec.completions',
        spec.completions,
        'can only be modified in tandem with spec.parallelism',
      ),
    ];
  }
  return [];
}

/**
 * The template is immutable, except that a suspended job that never started may change its
 * scheduling directives (node affinity, node selector, tolerations, scheduling gates, labels and
 * annotations): compare with the old template where those are taken from the new one.
 */
function validateTemplateUpdate(spec: JobSpec, old: JobSpec, opts: JobValidationOptions): FieldError[] {
  const template = spec.template ?? {};
  let oldTemplate: PodTemplateSpec = old.template ?? {};
  if (opts.allowMutableSchedulingDirectives) {
    oldTemplate = structuredClone(oldTemplate);
    const next = template.spec;
    const prev = (oldTemplate.spec ??= { containers: [] });
    if (!next?.affinity && prev.affinity) {
      const { nodeAffinity: _dropped, ...others } = prev.affinity;
      if (Object.keys(others).length === 0) delete prev.affinity;
      else prev.affinity = others;
    } else if (next?.affinity && !prev.affinity) {
      if (next.affinity.nodeAffinity) prev.affinity = { nodeAffinity: next.affinity.nodeAffinity };
      else prev.affinity = {};
    } else if (next?.affinity && prev.affinity) {
      if (next.affinity.nodeAffinity) prev.affinity.nodeAffinity = next.affinity.nodeAffinity;
      else delete prev.affinity.nodeAffinity;
    }
    assignOrDelete(prev, 'nodeSelector', next?.nodeSelector);
    assignOrDelete(prev, 'tolerations', next?.tolerations);
    assignOrDelete(prev, 'schedulingGates', next?.schedulingGates);
    const meta = (oldTemplate.metadata ??= {});
    assignOrDelete(meta, 'annotations', template.metadata?.annotations);
    assignOrDelete(meta, 'labels', template.metadata?.labels);
  }
  return isDeepStrictEqual(template, oldTemplate)
    ? []
    : [invalidValue('spec.template', template, FIELD_IMMUTABLE)];
}

function assignOrDelete<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

// ---- status ----

/** Status update validation (upstream ValidateJobUpdateStatus with the options the 1.32 strategy computes). */
export function validateJobStatusUpdate(job: Job, old: Job): FieldError[] {
  const s = job.status ?? {};
  const o = old.status ?? {};
  const spec = job.spec ?? { template: {} };
  const changed = {
    finished: isJobFinished(old) !== isJobFinished(job),
    complete: isJobComplete(old) !== isJobComplete(job),
    failed: isJobFailed(old) !== isJobFailed(job),
    failureTarget: isConditionTrue(o, 'FailureTarget') !== isConditionTrue(s, 'FailureTarget'),
    successCriteriaMet: isConditionTrue(o, 'SuccessCriteriaMet') !== isConditionTrue(s, 'SuccessCriteriaMet'),
    completedIndexes: (o.completedIndexes ?? '') !== (s.completedIndexes ?? ''),
    failedIndexes: o.failedIndexes !== s.failedIndexes,
    active: (o.active ?? 0) !== (s.active ?? 0),
    startTime: o.startTime !== s.startTime,
    completionTime: o.completionTime !== s.completionTime,
    uncounted: !isDeepStrictEqual(o.uncountedTerminatedPods, s.uncountedTerminatedPods),
    ready: o.ready !== s.ready,
    terminating: o.terminating !== s.terminating,
  };
  const isIndexed = spec.completionMode === 'Indexed';
  const suspendedWithZeroCompletions = spec.suspend === true && spec.completions === 0;
  const errs: FieldError[] = [];
  const complete = isJobComplete(job);
  const failed = isJobFailed(job);
  const finished = complete || failed;
  const successCriteriaMet = isConditionTrue(s, 'SuccessCriteriaMet');
  const failureTarget = isConditionTrue(s, 'FailureTarget');

  errs.push(...nonNegative(s.active ?? 0, 'status.active'));
  errs.push(...nonNegative(s.succeeded ?? 0, 'status.succeeded'));
  errs.push(...nonNegative(s.failed ?? 0, 'status.failed'));
  errs.push(...nonNegative(s.ready, 'status.ready'));
  errs.push(...nonNegative(s.terminating, 'status.terminating'));
  if (s.uncountedTerminatedPods) {
    const seen = new Set<string>();
    for (const list of ['succeeded', 'failed'] as const) {
      (s.uncountedTerminatedPods[list] ?? []).forEach((uid, i) => {
        const p = `status.uncountedTerminatedPods.${list}[${i}]`;
        if (uid === '') errs.push(invalidValue(p, uid, 'must not be empty'));
        else if (seen.has(uid)) errs.push(duplicate(p, uid));
        else seen.add(uid);
      });
    }
  }
  if ((changed.complete || changed.failed) && complete && failed) {
    errs.push(invalidOmitted('status.conditions', 'cannot set Complete=True and Failed=true conditions'));
  }
  if ((changed.complete || changed.failureTarget) && complete && failureTarget) {
    errs.push(
      invalidOmitted('status.conditions', 'cannot set Complete=True and FailureTarget=true conditions'),
    );
  }
  if ((changed.complete || changed.completionTime) && s.completionTime && !complete) {
    errs.push(
      invalidValue(
        'status.completionTime',
        s.completionTime,
        'cannot set completionTime when there is no Complete=True condition',
      ),
    );
  }
  if ((changed.complete || changed.completionTime) && !s.completionTime && complete) {
    errs.push(required('status.completionTime', 'completionTime is required for Complete jobs'));
  }
  if (
    (changed.startTime || changed.completionTime) &&
    s.startTime &&
    s.completionTime &&
    s.completionTime < s.startTime
  ) {
    errs.push(
      invalidValue(
        'status.completionTime',
        s.completionTime,
        'completionTime cannot be set before startTime',
      ),
    );
  }
  if ((changed.failed || changed.failedIndexes) && failed && !failureTarget) {
    errs.push(
      invalidOmitted(
        'status.conditions',
        'cannot set Failed=True condition without the FailureTarget=true condition',
      ),
    );
  }
  if ((changed.complete || changed.successCriteriaMet) && complete && !successCriteriaMet) {
    errs.push(
      invalidOmitted(
        'status.conditions',
        'cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
      ),
    );
  }
  if ((changed.finished || changed.active) && (s.active ?? 0) > 0 && finished) {
    errs.push(invalidValue('status.active', s.active, 'active>0 is invalid for finished job'));
  }
  if ((changed.finished || changed.startTime) && !suspendedWithZeroCompletions && !s.startTime && finished) {
    errs.push(required('status.startTime', 'startTime is required for finished job'));
  }
  const uncounted = s.uncountedTerminatedPods;
  if (
    (changed.finished || changed.uncounted) &&
    finished &&
    (uncounted?.failed?.length ?? 0) + (uncounted?.succeeded?.length ?? 0) > 0
  ) {
    errs.push(
      invalidValue(
        'status.uncountedTerminatedPods',
        uncounted,
        'uncountedTerminatedPods needs to be empty for finished job',
      ),
    );
  }
  if (changed.completedIndexes && spec.completions !== undefined) {
    const r = countIndexes(s.completedIndexes ?? '', spec.completions);
    if (r instanceof Error) {
      errs.push(
        invalidValue(
          'status.completedIndexes',
          s.completedIndexes ?? '',
          `error parsing completedIndexes: ${r.message}`,
        ),
      );
    }
  }
  if (
    changed.failedIndexes &&
    spec.completions !== undefined &&
    spec.backoffLimitPerIndex !== undefined &&
    s.failedIndexes !== undefined
  ) {
    const r = countIndexes(s.failedIndexes, spec.completions);
    if (r instanceof Error) {
      errs.push(
        invalidValue('status.failedIndexes', s.failedIndexes, `error parsing failedIndexes: ${r.message}`),
      );
    }
  }
  if (changed.completedIndexes && (s.completedIndexes ?? '') !== '' && !isIndexed) {
    errs.push(
      invalidValue(
        'status.completedIndexes',
        s.completedIndexes,
        'cannot set non-empty completedIndexes when non-indexed completion mode',
      ),
    );
  }
  if (changed.failedIndexes && spec.backoffLimitPerIndex === undefined && s.failedIndexes !== undefined) {
    errs.push(
      invalidValue(
        'status.failedIndexes',
        s.failedIndexes,
        'cannot set non-null failedIndexes when backoffLimitPerIndex is null',
      ),
    );
  }
  if (
    (changed.failedIndexes || changed.completedIndexes) &&
    spec.completions !== undefined &&
    s.failedIndexes !== undefined
  ) {
    const at = firstOverlap(s.completedIndexes ?? '', s.failedIndexes, spec.completions);
    if (at !== undefined) {
      errs.push(
        invalidValue(
          'status.failedIndexes',
          s.failedIndexes,
          `failedIndexes and completedIndexes overlap at index: ${at}`,
        ),
      );
    }
  }
  if ((changed.finished || changed.terminating) && (s.terminating ?? 0) > 0 && finished) {
    errs.push(invalidValue('status.terminating', s.terminating, 'terminating>0 is invalid for finished job'));
  }
  if ((changed.ready || changed.active) && s.ready !== undefined && s.ready > (s.active ?? 0)) {
    errs.push(invalidValue('status.ready', s.ready, 'cannot set more ready pods than active'));
  }
  if (successCriteriaMet && failed) {
    errs.push(
      invalidOmitted('status.conditions', 'cannot set SuccessCriteriaMet=True and Failed=true conditions'),
    );
  }
  if (successCriteriaMet && failureTarget) {
    errs.push(
      invalidOmitted(
        'status.conditions',
        'cannot set SuccessCriteriaMet=True and FailureTarget=true conditions',
      ),
    );
  }
  if (spec.successPolicy && !successCriteriaMet && complete) {
    errs.push(
      invalidOmitted(
        'status.conditions',
        'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True',
      ),
    );
  }
  // Transitions.
  for (const type of ['Failed', 'Complete', 'FailureTarget']) {
    if (isConditionTrue(o, type) && !isConditionTrue(s, type)) {
      errs.push(invalidOmitted('status.conditions', `cannot disable the terminal ${type}=True condition`));
    }
  }
  if ((s.failed ?? 0) < (o.failed ?? 0)) {
    errs.push(invalidValue('status.failed', s.failed ?? 0, 'cannot decrease the failed counter'));
  }
  // Elastic Indexed jobs (completions == parallelism) may scale down their succeeded count.
  const mayDecreaseSucceeded = isIndexed && spec.completions === spec.parallelism;
  if (!mayDecreaseSucceeded && (s.succeeded ?? 0) < (o.succeeded ?? 0)) {
    errs.push(invalidValue('status.succeeded', s.succeeded ?? 0, 'cannot decrease the succeeded counter'));
  }
  if (s.completionTime && o.completionTime && s.completionTime !== o.completionTime) {
    errs.push(invalidValue('status.completionTime', s.completionTime, 'completionTime cannot be mutated'));
  }
  if (o.startTime && o.startTime !== s.startTime && spec.suspend !== true) {
    errs.push(required('status.startTime', 'startTime cannot be removed for unsuspended job'));
  }
  if (isConditionTrue(o, 'SuccessCriteriaMet') && !successCriteriaMet) {
    errs.push(invalidOmitted('status.conditions', 'cannot disable the SuccessCriteriaMet=True condition'));
  }
  if (isConditionTrue(o, 'Complete') && !isConditionTrue(o, 'SuccessCriteriaMet') && successCriteriaMet) {
    errs.push(
      invalidOmitted(
        'status.conditions',
        'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions',
      ),
    );
  }
  return errs;
}
