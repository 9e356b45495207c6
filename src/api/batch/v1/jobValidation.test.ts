import { describe, expect, test } from 'vitest';
import { defaultPodTemplateSpec } from '../../core/v1/podDefaults.js';
import type { FieldError } from '../../meta/status.js';
import { validateJob, validateJobStatusUpdate, validateJobUpdate } from './jobValidation.js';
import type { Job, JobSpec, JobStatus } from './types.js';

const UID = '1a2b3c';
const generated = (name: string) => ({
  'controller-uid': UID,
  'job-name': name,
  'batch.kubernetes.io/controller-uid': UID,
  'batch.kubernetes.io/job-name': name,
});

/** The catalogue's base Job: generated selector and labels, restartPolicy OnFailure, container abc, init container def. */
function baseJob(spec: Partial<JobSpec> = {}, name = 'myjob'): Job {
  const template = {
    metadata: { labels: generated(name) },
    spec: {
      restartPolicy: 'OnFailure',
      containers: [{ name: 'abc', image: 'image' }],
      initContainers: [{ name: 'def', image: 'image' }],
    },
  };
  defaultPodTemplateSpec(template);
  return {
    metadata: { name, namespace: 'default', uid: UID },
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } }, template, ...spec },
  };
}

const indexed = (completions: number | undefined, more: Partial<JobSpec> = {}): Partial<JobSpec> => ({
  completionMode: 'Indexed',
  ...(completions === undefined ? {} : { completions }),
  ...more,
});

const withRestartPolicy = (policy: string): Job => {
  const job = baseJob();
  if (job.spec?.template.spec) job.spec.template.spec.restartPolicy = policy;
  return job;
};

const pfp = (rules: unknown[], more: Partial<JobSpec> = {}): Job => {
  const job = baseJob(more);
  if (job.spec) job.spec.podFailurePolicy = { rules } as NonNullable<JobSpec['podFailurePolicy']>;
  if (job.spec?.template.spec) job.spec.template.spec.restartPolicy = 'Never';
  return job;
};

const NN = 'must be greater than or equal to 0';
const short = (e: FieldError | undefined) => (e ? `${e.field} ${e.type}: ${e.message}` : 'valid');

interface Case {
  name: string;
  job: Job;
  /** `<field> <type>: <message>` of the first error, or a prefix of it; 'valid' for none. */
  want: string;
}

const cases: Case[] = [
  {
    name: '1 negative parallelism',
    job: baseJob({ parallelism: -1 }),
    want: `spec.parallelism FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '2 negative completions',
    job: baseJob({ completions: -1 }),
    want: `spec.completions FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '3 negative activeDeadlineSeconds',
    job: baseJob({ activeDeadlineSeconds: -1 }),
    want: `spec.activeDeadlineSeconds FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '4 negative backoffLimit',
    job: baseJob({ backoffLimit: -1 }),
    want: `spec.backoffLimit FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '5 negative ttlSecondsAfterFinished',
    job: baseJob({ ttlSecondsAfterFinished: -1 }),
    want: `spec.ttlSecondsAfterFinished FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '6 backoffLimitPerIndex on a NonIndexed job',
    job: baseJob({ backoffLimitPerIndex: 1, completionMode: 'NonIndexed' }),
    want: 'spec.backoffLimitPerIndex FieldValueInvalid: Invalid value: 1: requires indexed completion mode',
  },
  {
    name: '7 maxFailedIndexes on a NonIndexed job',
    job: baseJob({ backoffLimitPerIndex: 1, maxFailedIndexes: 1, completionMode: 'NonIndexed' }),
    want: 'spec.backoffLimitPerIndex FieldValueInvalid: Invalid value: 1: requires indexed completion mode',
  },
  {
    name: '8 negative backoffLimitPerIndex',
    job: baseJob(indexed(1, { backoffLimitPerIndex: -1 })),
    want: `spec.backoffLimitPerIndex FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '9 maxFailedIndexes above completions',
    job: baseJob(indexed(10, { backoffLimitPerIndex: 1, maxFailedIndexes: 11 })),
    want: 'spec.maxFailedIndexes FieldValueInvalid: Invalid value: 11: must be less than or equal to completions',
  },
  {
    name: '10 completions above 100000 with a per-index limit need maxFailedIndexes',
    job: baseJob(indexed(100_001, { backoffLimitPerIndex: 1 })),
    want: 'spec.maxFailedIndexes FieldValueRequired: Required value: must be specified when completions is above 100000',
  },
  {
    name: '11 parallelism above 10000 with many completions and a per-index limit',
    job: baseJob(indexed(100_001, { parallelism: 50_000, backoffLimitPerIndex: 1, maxFailedIndexes: 1 })),
    want: 'spec.parallelism FieldValueInvalid: Invalid value: 50000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index',
  },
  {
    name: '12 maxFailedIndexes above 100000',
    job: baseJob(indexed(100_001, { backoffLimitPerIndex: 1, maxFailedIndexes: 100_001 })),
    want: 'spec.maxFailedIndexes FieldValueInvalid: Invalid value: 100001: must be less than or equal to 100000',
  },
  {
    name: '13 maxFailedIndexes above 10000 with many completions',
    job: baseJob(indexed(100_001, { backoffLimitPerIndex: 1, maxFailedIndexes: 50_000 })),
    want: 'spec.maxFailedIndexes FieldValueInvalid: Invalid value: 50000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index',
  },
  {
    name: '14 negative maxFailedIndexes',
    job: baseJob(indexed(1, { backoffLimitPerIndex: 1, maxFailedIndexes: -1 })),
    want: `spec.maxFailedIndexes FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '15 maxFailedIndexes without backoffLimitPerIndex',
    job: baseJob(indexed(2, { maxFailedIndexes: 1 })),
    want: 'spec.backoffLimitPerIndex FieldValueRequired: Required value: when maxFailedIndexes is specified',
  },
  {
    name: '16 the 100000 limits themselves are valid',
    job: baseJob(
      indexed(100_000, { parallelism: 100_000, backoffLimitPerIndex: 1, maxFailedIndexes: 100_000 }),
    ),
    want: 'valid',
  },
  {
    name: '17 a billion completions with parallelism and maxFailedIndexes at 10000 are valid',
    job: baseJob(
      indexed(1e9, { parallelism: 10_000, backoffLimitPerIndex: 1, maxFailedIndexes: 10_000 }),
      'j',
    ),
    want: 'valid',
  },
  {
    name: '18 a missing selector is required',
    job: (() => {
      const j = baseJob();
      if (j.spec) delete j.spec.selector;
      return j;
    })(),
    want: 'spec.selector FieldValueRequired: Required value',
  },
  {
    name: '19 a manual selector must match the template labels',
    job: (() => {
      const j = baseJob({ manualSelector: true, selector: { matchLabels: { a: 'b' } } });
      if (j.spec?.template.metadata) j.spec.template.metadata.labels = { y: 'z' };
      return j;
    })(),
    want: 'spec.template.metadata.labels FieldValueInvalid: Invalid value: map[string]string{"y":"z"}: `selector` does not match template `labels`',
  },
  {
    name: '20 a manual selector matching the labels is valid without generated labels',
    job: (() => {
      const j = baseJob({ manualSelector: true, selector: { matchLabels: { a: 'b' } } });
      if (j.spec?.template.metadata) j.spec.template.metadata.labels = { a: 'b' };
      return j;
    })(),
    want: 'valid',
  },
  {
    name: '21 restartPolicy Always is not allowed',
    job: withRestartPolicy('Always'),
    want: 'spec.template.spec.restartPolicy FieldValueRequired: Required value: valid values: "OnFailure", "Never"',
  },
  {
    name: '22 an unknown restartPolicy',
    job: withRestartPolicy('Invalid'),
    want: 'spec.template.spec.restartPolicy FieldValueNotSupported',
  },
  {
    name: '23 Indexed without completions',
    job: baseJob(indexed(undefined)),
    want: 'spec.completions FieldValueRequired: Required value: when completion mode is Indexed',
  },
  {
    name: '24 Indexed with parallelism above 100000',
    job: baseJob(indexed(2, { parallelism: 100_001 })),
    want: 'spec.parallelism FieldValueInvalid: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed',
  },
  {
    name: '25 Indexed with parallelism 100000 is valid',
    job: baseJob(indexed(2, { parallelism: 100_000 })),
    want: 'valid',
  },
  {
    name: '26 an unknown completionMode',
    job: baseJob({ completionMode: 'Foo' }),
    want: 'spec.completionMode FieldValueNotSupported: Unsupported value: "Foo": supported values: "NonIndexed", "Indexed"',
  },
  {
    name: '31 managedBy longer than 63 characters',
    job: baseJob({ managedBy: `example.com/${'x'.repeat(60)}` }),
    want: 'spec.managedBy FieldValueTooLong: Too long: may not be more than 63 bytes',
  },
  {
    name: '32 managedBy that is not a domain-prefixed path',
    job: baseJob({ managedBy: 'invalid custom controller name' }),
    want: 'spec.managedBy FieldValueInvalid: Invalid value: "invalid custom controller name": must be a domain-prefixed path (such as "acme.io/foo")',
  },
  {
    name: '33 managedBy example.com/foo is valid',
    job: baseJob({ managedBy: 'example.com/foo' }),
    want: 'valid',
  },
  {
    name: '34 successPolicy on a NonIndexed job',
    job: baseJob({ successPolicy: { rules: [] } }),
    want: 'spec.successPolicy FieldValueInvalid: Invalid value: {"rules":[]}: requires indexed completion mode',
  },
  {
    name: '35 successPolicy without rules',
    job: baseJob(indexed(5, { successPolicy: { rules: [] } })),
    want: 'spec.successPolicy.rules FieldValueRequired: Required value: at least one rules must be specified when the successPolicy is specified',
  },
  {
    name: '36 a success rule with neither field',
    job: baseJob(indexed(5, { successPolicy: { rules: [{}] } })),
    want: 'spec.successPolicy.rules[0] FieldValueRequired: Required value: at least one of succeededCount or succeededIndexes must be specified',
  },
  {
    name: '37 badly formatted succeededIndexes',
    job: baseJob(indexed(5, { successPolicy: { rules: [{ succeededIndexes: 'invalid-format' }] } })),
    want: 'spec.successPolicy.rules[0].succeededIndexes FieldValueInvalid: Invalid value: "invalid-format": error parsing succeededIndexes: cannot convert string to integer for index: "invalid"',
  },
  {
    name: '38 succeededIndexes longer than 64 KiB',
    job: baseJob(indexed(5, { successPolicy: { rules: [{ succeededIndexes: '0'.repeat(65_537) }] } })),
    want: 'spec.successPolicy.rules[0].succeededIndexes FieldValueTooLong',
  },
  {
    name: '39 negative succeededCount',
    job: baseJob(indexed(5, { successPolicy: { rules: [{ succeededCount: -1 }] } })),
    want: `spec.successPolicy.rules[0].succeededCount FieldValueInvalid: Invalid value: -1: ${NN}`,
  },
  {
    name: '40 succeededCount above completions',
    job: baseJob(indexed(5, { successPolicy: { rules: [{ succeededCount: 6 }] } })),
    want: 'spec.successPolicy.rules[0].succeededCount FieldValueInvalid: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)',
  },
  {
    name: '41 succeededCount above the listed indexes',
    job: baseJob(indexed(5, { successPolicy: { rules: [{ succeededCount: 4, succeededIndexes: '0-2' }] } })),
    want: 'spec.successPolicy.rules[0].succeededCount FieldValueInvalid: Invalid value: 4: must be less than or equal to 3 (the number of indexes in the specified succeededIndexes field)',
  },
  {
    name: '42 21 success rules',
    job: baseJob(
      indexed(5, { successPolicy: { rules: Array.from({ length: 21 }, () => ({ succeededCount: 1 })) } }),
    ),
    want: 'spec.successPolicy.rules FieldValueTooMany: Too many: 21: must have at most 20 items',
  },
  {
    name: '43 two valid success rules',
    job: (() => {
      const j = baseJob(
        indexed(10, {
          successPolicy: {
            rules: [{ succeededCount: 1, succeededIndexes: '0,2,4' }, { succeededIndexes: '1,3,5-9' }],
          },
        }),
      );
      if (j.spec?.template.spec) j.spec.template.spec.restartPolicy = 'Never';
      return j;
    })(),
    want: 'valid',
  },
  {
    name: '44 a rule with only an action',
    job: pfp([{ action: 'FailJob' }]),
    want: 'spec.podFailurePolicy.rules[0] FieldValueInvalid: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
  },
  {
    name: '45 a repeated exit code',
    job: pfp([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [11, 11] } }]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.values[1] FieldValueDuplicate: Duplicate value: 11',
  },
  {
    name: '46 exit codes repeated twice',
    job: pfp([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [12, 13, 13, 13] } }]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.values[2] FieldValueDuplicate: Duplicate value: 13',
  },
  {
    name: '47 256 exit codes',
    job: pfp([
      {
        action: 'FailJob',
        onExitCodes: { operator: 'In', values: Array.from({ length: 256 }, (_, i) => i + 1) },
      },
    ]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.values FieldValueTooMany: Too many: 256: must have at most 255 items',
  },
  {
    name: '48 21 failure rules',
    job: pfp(
      Array.from({ length: 21 }, () => ({ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } })),
    ),
    want: 'spec.podFailurePolicy.rules FieldValueTooMany: Too many: 21: must have at most 20 items',
  },
  {
    name: '49 21 pod condition patterns',
    job: pfp([
      {
        action: 'Ignore',
        onPodConditions: Array.from({ length: 21 }, () => ({ type: 'DisruptionTarget', status: 'True' })),
      },
    ]),
    want: 'spec.podFailurePolicy.rules[0].onPodConditions FieldValueTooMany: Too many: 21: must have at most 20 items',
  },
  {
    name: '50 unordered exit codes',
    job: pfp([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [19, 11] } }]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.values FieldValueInvalid: Invalid value: []int32{19, 11}: must be ordered',
  },
  {
    name: '51 no exit codes',
    job: pfp([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [] } }]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.values FieldValueInvalid: Invalid value: []int32{}: at least one value is required',
  },
  {
    name: '52 an empty action',
    job: pfp([{ action: '', onExitCodes: { operator: 'In', values: [1] } }]),
    want: 'spec.podFailurePolicy.rules[0].action FieldValueRequired: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
  },
  {
    name: '53 an empty operator',
    job: pfp([{ action: 'FailJob', onExitCodes: { operator: '', values: [1] } }]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.operator FieldValueRequired: Required value: valid values: ["In" "NotIn"]',
  },
  {
    name: '54 exit codes and pod conditions in one rule',
    job: pfp([
      {
        action: 'FailJob',
        onExitCodes: { operator: 'In', values: [1] },
        onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }],
      },
    ]),
    want: 'spec.podFailurePolicy.rules[0] FieldValueInvalid: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
  },
  {
    name: '55 exit code 0 with In',
    job: pfp([{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1, 0, 2] } }]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.values[1] FieldValueInvalid: Invalid value: 0: must not be 0 for the In operator',
  },
  {
    name: '56 an exit-code rule naming an unknown container',
    job: pfp([
      { action: 'Ignore', onExitCodes: { containerName: 'abc', operator: 'In', values: [1] } },
      { action: 'Ignore', onExitCodes: { containerName: 'xyz', operator: 'In', values: [1] } },
    ]),
    want: 'spec.podFailurePolicy.rules[1].onExitCodes.containerName FieldValueInvalid: Invalid value: "xyz": must be one of the container or initContainer names in the pod template',
  },
  {
    name: '57 an unknown action',
    job: pfp([{ action: 'UnknownAction', onExitCodes: { operator: 'In', values: [1] } }]),
    want: 'spec.podFailurePolicy.rules[0].action FieldValueNotSupported: Unsupported value: "UnknownAction": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
  },
  {
    name: '58 an unknown operator',
    job: pfp([{ action: 'FailJob', onExitCodes: { operator: 'UnknownOperator', values: [1] } }]),
    want: 'spec.podFailurePolicy.rules[0].onExitCodes.operator FieldValueNotSupported: Unsupported value: "UnknownOperator": supported values: "In", "NotIn"',
  },
  {
    name: '59 an unknown pod condition status',
    job: pfp([
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'UnknownStatus' }] },
    ]),
    want: 'spec.podFailurePolicy.rules[0].onPodConditions[0].status FieldValueNotSupported: Unsupported value: "UnknownStatus": supported values: "False", "True", "Unknown"',
  },
  {
    name: '60 an empty pod condition type',
    job: pfp([{ action: 'Ignore', onPodConditions: [{ type: '', status: 'True' }] }]),
    want: 'spec.podFailurePolicy.rules[0].onPodConditions[0].type FieldValueInvalid: Invalid value: "": name part must be non-empty',
  },
  {
    name: '61 a pod condition type that is not a qualified name',
    job: pfp([{ action: 'Ignore', onPodConditions: [{ type: 'Invalid Condition Type', status: 'True' }] }]),
    want: 'spec.podFailurePolicy.rules[0].onPodConditions[0].type FieldValueInvalid: Invalid value: "Invalid Condition Type": name part must consist of',
  },
  {
    name: '62 FailIndex without backoffLimitPerIndex',
    job: pfp([{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }], indexed(2)),
    want: 'spec.podFailurePolicy.rules[0].action FieldValueInvalid: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
  },
  {
    name: '63 a failure policy with podReplacementPolicy TerminatingOrFailed',
    job: pfp([{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }], {
      podReplacementPolicy: 'TerminatingOrFailed',
    }),
    want: 'spec.podReplacementPolicy FieldValueNotSupported: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
  },
  {
    name: '64 an empty podReplacementPolicy',
    job: baseJob({ podReplacementPolicy: '' }),
    want: 'spec.podReplacementPolicy FieldValueNotSupported: Unsupported value: "": supported values: "Failed", "TerminatingOrFailed"',
  },
  {
    name: '65 a failure policy with restartPolicy OnFailure',
    job: baseJob({ podFailurePolicy: { rules: [] } }),
    want: 'spec.template.spec.restartPolicy FieldValueInvalid: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
  },
  {
    name: '66 an Indexed job whose last pod hostname is too long',
    job: (() => {
      const name = 'a'.repeat(60);
      return baseJob(indexed(1000), name);
    })(),
    want: `metadata.name FieldValueInvalid: Invalid value: "${'a'.repeat(60)}": will not able to create pod with invalid DNS label: ${'a'.repeat(60)}-999`,
  },
  {
    name: '27 a generated selector with a template lacking controller-uid',
    job: (() => {
      const j = baseJob({ selector: { matchLabels: { 'controller-uid': UID } } });
      if (j.spec?.template.metadata) j.spec.template.metadata.labels = { 'job-name': 'myjob' };
      return j;
    })(),
    want: "spec.template.metadata.labels[controller-uid] FieldValueRequired: Required value: must be '1a2b3c'",
  },
  {
    name: '28 a generated selector on a job without uid',
    job: (() => {
      const j = baseJob({ selector: { matchLabels: { 'controller-uid': 'test' } } });
      delete j.metadata.uid;
      return j;
    })(),
    want: 'metadata.uid FieldValueRequired: Required value',
  },
  {
    name: '29 a generated-mode selector that is not the generated one',
    job: baseJob({ selector: { matchLabels: { a: 'b' } } }),
    want: 'spec.selector FieldValueInvalid: Invalid value: {"matchLabels":{"a":"b"}}: `selector` not auto-generated',
  },
  {
    name: '30 a template lacking the prefixed controller-uid label',
    job: (() => {
      const j = baseJob();
      delete j.spec?.template.metadata?.labels?.['batch.kubernetes.io/controller-uid'];
      return j;
    })(),
    want: "spec.template.metadata.labels[batch.kubernetes.io/controller-uid] FieldValueRequired: Required value: must be '1a2b3c'",
  },
  { name: 'the base job is valid', job: baseJob(), want: 'valid' },
];

describe('Job create validation (catalogue 7.1)', () => {
  for (const tc of cases) {
    test(tc.name, () => {
      const first = short(validateJob(tc.job)[0]);
      if (tc.want === 'valid') expect(first).toBe('valid');
      else expect(first.startsWith(tc.want), `${first}\n  does not start with\n${tc.want}`).toBe(true);
    });
  }
});

const suspendedNeverStarted = () => baseJob({ suspend: true });

const updateCases: Array<{ name: string; old: Job; change: (j: Job) => void; want: string }> = [
  {
    name: 'U1 completions nil to 1 on a NonIndexed job',
    old: baseJob(),
    change: (j) => {
      if (j.spec) j.spec.completions = 1;
    },
    want: 'spec.completions FieldValueInvalid: Invalid value: 1: field is immutable',
  },
  {
    name: 'U2 Indexed completions changed without parallelism',
    old: baseJob(indexed(1, { parallelism: 1 })),
    change: (j) => {
      if (j.spec) Object.assign(j.spec, { completions: 2, parallelism: 3 });
    },
    want: 'spec.completions FieldValueInvalid: Invalid value: 2: can only be modified in tandem with spec.parallelism',
  },
  {
    name: 'U3 Indexed completions and parallelism scaled together',
    old: baseJob(indexed(1, { parallelism: 1 })),
    change: (j) => {
      if (j.spec) Object.assign(j.spec, { completions: 2, parallelism: 2 });
    },
    want: 'valid',
  },
  {
    name: 'U4 Indexed completions removed',
    old: baseJob(indexed(1)),
    change: (j) => {
      if (j.spec) delete j.spec.completions;
    },
    want: 'spec.completions FieldValueRequired',
  },
  {
    name: 'U5 Indexed parallelism alone',
    old: baseJob(indexed(2, { parallelism: 2 })),
    change: (j) => {
      if (j.spec) j.spec.parallelism = 3;
    },
    want: 'valid',
  },
  {
    name: 'U6 selector changed',
    old: baseJob(),
    change: (j) => {
      if (j.spec?.selector?.matchLabels) j.spec.selector.matchLabels.foo = 'bar';
      const l = j.spec?.template.metadata?.labels;
      if (l) l.foo = 'bar';
    },
    want: 'spec.selector FieldValueInvalid',
  },
  {
    name: 'U7 template dnsPolicy changed',
    old: baseJob(),
    change: (j) => {
      if (j.spec?.template.spec) j.spec.template.spec.dnsPolicy = 'Default';
    },
    want: 'spec.template FieldValueInvalid',
  },
  {
    name: 'U8 completionMode changed',
    old: baseJob(indexed(1)),
    change: (j) => {
      if (j.spec) j.spec.completionMode = 'NonIndexed';
    },
    want: 'spec.completionMode FieldValueInvalid: Invalid value: "NonIndexed": field is immutable',
  },
  {
    name: 'U11 backoffLimitPerIndex set',
    old: baseJob(indexed(2)),
    change: (j) => {
      if (j.spec) j.spec.backoffLimitPerIndex = 1;
    },
    want: 'spec.backoffLimitPerIndex FieldValueInvalid: Invalid value: 1: field is immutable',
  },
  {
    name: 'U12 managedBy set',
    old: baseJob(),
    change: (j) => {
      if (j.spec) j.spec.managedBy = 'example.com/foo';
    },
    want: 'spec.managedBy FieldValueInvalid: Invalid value: "example.com/foo": field is immutable',
  },
  {
    name: 'U13 maxFailedIndexes changed',
    old: baseJob(indexed(5, { backoffLimitPerIndex: 1, maxFailedIndexes: 1 })),
    change: (j) => {
      if (j.spec) j.spec.maxFailedIndexes = 3;
    },
    want: 'valid',
  },
  {
    name: 'U14 mutable fields changed',
    old: baseJob({ parallelism: 5, activeDeadlineSeconds: 2, ttlSecondsAfterFinished: 1 }),
    change: (j) => {
      if (j.spec)
        Object.assign(j.spec, { parallelism: 2, activeDeadlineSeconds: 3, ttlSecondsAfterFinished: 2 });
    },
    want: 'valid',
  },
  {
    name: 'U15 node selector added while running',
    old: baseJob(),
    change: (j) => {
      if (j.spec?.template.spec) j.spec.template.spec.nodeSelector = { a: 'b' };
    },
    want: 'spec.template FieldValueInvalid',
  },
  {
    name: 'U16 scheduling directives changed while suspended and never started',
    old: suspendedNeverStarted(),
    change: (j) => {
      const t = j.spec?.template;
      if (t?.spec && t.metadata) {
        t.spec.nodeSelector = { a: 'b' };
        t.spec.tolerations = [{ key: 'k', operator: 'Exists' }];
        t.spec.schedulingGates = [{ name: 'g' }];
        t.spec.affinity = { nodeAffinity: {} };
        t.metadata.annotations = { x: 'y' };
        if (t.metadata.labels) t.metadata.labels.extra = 'x';
      }
    },
    want: 'valid',
  },
  {
    name: 'U17 image changed while suspended and never started',
    old: suspendedNeverStarted(),
    change: (j) => {
      const c = j.spec?.template.spec?.containers[0];
      if (c) c.image = 'other';
    },
    want: 'spec.template FieldValueInvalid',
  },
];

describe('Job update validation', () => {
  for (const tc of updateCases) {
    test(tc.name, () => {
      const next = structuredClone(tc.old);
      tc.change(next);
      const first = short(validateJobUpdate(next, tc.old)[0]);
      if (tc.want === 'valid') expect(first).toBe('valid');
      else expect(first.startsWith(tc.want), first).toBe(true);
    });
  }

  for (const [what, field, value] of [
    ['U9 podFailurePolicy', 'podFailurePolicy', { rules: [] }],
    ['U10 successPolicy', 'successPolicy', { rules: [{ succeededCount: 1 }] }],
  ] as const) {
    test(`${what} cannot be added, changed or removed`, () => {
      const without = baseJob(indexed(2));
      if (without.spec?.template.spec) without.spec.template.spec.restartPolicy = 'Never';
      const withIt = structuredClone(without);
      if (withIt.spec) (withIt.spec as unknown as Record<string, unknown>)[field] = value;
      for (const [next, old] of [
        [withIt, without],
        [without, withIt],
      ] as const) {
        const errs = validateJobUpdate(next, old).map((e) => `${e.field} ${e.type}`);
        expect(errs).toContain(`spec.${field} FieldValueInvalid`);
      }
    });
  }
});

const status = (s: JobStatus, spec: Partial<JobSpec> = {}): Job => ({ ...baseJob(spec), status: s });
const cond = (type: string) => ({ type, status: 'True' });

const statusCases: Array<{ name: string; old: Job; next: Job; want: string[] }> = [
  {
    name: 'S1 negative counters',
    old: status({ active: -1, succeeded: -2, failed: -3, ready: -1, terminating: -2 }),
    next: status({ active: -1, succeeded: -2, failed: -3, ready: -1, terminating: -2 }),
    want: [
      'status.active FieldValueInvalid',
      'status.succeeded FieldValueInvalid',
      'status.failed FieldValueInvalid',
      'status.ready FieldValueInvalid',
      'status.terminating FieldValueInvalid',
    ],
  },
  {
    name: 'S2 empty and repeated uncounted pod UIDs',
    old: status({}),
    next: status({
      uncountedTerminatedPods: { succeeded: ['a', 'b', 'c', 'a', ''], failed: ['c', 'd', 'e', 'd', ''] },
    }),
    want: [
      'status.uncountedTerminatedPods.succeeded[3] FieldValueDuplicate',
      'status.uncountedTerminatedPods.succeeded[4] FieldValueInvalid',
      'status.uncountedTerminatedPods.failed[0] FieldValueDuplicate',
      'status.uncountedTerminatedPods.failed[3] FieldValueDuplicate',
      'status.uncountedTerminatedPods.failed[4] FieldValueInvalid',
    ],
  },
  {
    name: 'S3 the failed counter cannot decrease',
    old: status({ failed: 3 }),
    next: status({ failed: 2 }),
    want: ['status.failed FieldValueInvalid'],
  },
  {
    name: 'S4 a terminal Complete condition cannot be dropped',
    old: status({
      conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2026-01-01T00:01:00Z',
    }),
    next: status({
      conditions: [cond('SuccessCriteriaMet')],
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2026-01-01T00:01:00Z',
    }),
    want: ['status.completionTime FieldValueInvalid', 'status.conditions FieldValueInvalid'],
  },
  {
    name: 'S5 Complete without completionTime',
    old: status({ startTime: '2026-01-01T00:00:00Z' }),
    next: status({
      conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
      startTime: '2026-01-01T00:00:00Z',
    }),
    want: ['status.completionTime FieldValueRequired'],
  },
  {
    name: 'S6 completionTime before startTime',
    old: status({ startTime: '2026-01-01T00:00:00Z' }),
    next: status({
      conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2025-12-31T00:00:00Z',
    }),
    want: ['status.completionTime FieldValueInvalid'],
  },
  {
    name: 'S7 more ready than active',
    old: status({ active: 2 }),
    next: status({ active: 2, ready: 3 }),
    want: ['status.ready FieldValueInvalid'],
  },
  {
    name: 'S8 failed and completed indexes overlap',
    old: status({ completedIndexes: '0,2-4,6-8,12-19' }, indexed(20, { backoffLimitPerIndex: 1 })),
    next: status(
      { completedIndexes: '0,2-4,6-8,12-19', failedIndexes: '1,8,9-10' },
      indexed(20, { backoffLimitPerIndex: 1 }),
    ),
    want: ['status.failedIndexes FieldValueInvalid'],
  },
  {
    name: 'an unchanged stale violation does not block other status writes',
    old: status({ active: 2, ready: 3 }),
    next: status({ active: 2, ready: 3, succeeded: 1 }),
    want: [],
  },
];

describe('Job status update validation', () => {
  for (const tc of statusCases) {
    test(tc.name, () => {
      expect(validateJobStatusUpdate(tc.next, tc.old).map((e) => `${e.field} ${e.type}`)).toEqual(tc.want);
    });
  }

  test('S8 names the first overlapping index', () => {
    const spec = indexed(20, { backoffLimitPerIndex: 1 });
    const errs = validateJobStatusUpdate(
      status({ completedIndexes: '0,2-4,6-8,12-19', failedIndexes: '1,8,9-10' }, spec),
      status({ completedIndexes: '0,2-4,6-8,12-19' }, spec),
    );
    expect(errs[0]?.message).toBe(
      'Invalid value: "1,8,9-10": failedIndexes and completedIndexes overlap at index: 8',
    );
  });
});
