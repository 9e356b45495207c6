import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, test } from 'vitest';
import type { FieldError } from '../../meta/status.js';
import { defaultPod, defaultPodTemplateSpec } from './podDefaults.js';
import { validatePod, validatePodTemplateSpec, validatePodUpdate } from './podValidation.js';

type Spec = NonNullable<PodTemplateSpec['spec']>;

function template(mutate: (t: PodTemplateSpec & { spec: Spec }) => void = () => {}): PodTemplateSpec {
  const t = {
    metadata: { labels: { app: 'x' } },
    spec: { restartPolicy: 'Never', containers: [{ name: 'abc', image: 'busybox' }] },
  } as PodTemplateSpec & { spec: Spec };
  mutate(t);
  defaultPodTemplateSpec(t);
  return t;
}

const first = (errs: FieldError[]) =>
  errs[0] ? `${errs[0].field} ${errs[0].type}: ${errs[0].message}` : 'valid';

const cases: Array<{ name: string; mutate: (t: PodTemplateSpec & { spec: Spec }) => void; want: string }> = [
  { name: 'a minimal template is valid', mutate: () => {}, want: 'valid' },
  {
    name: 'an invalid template label is reported on the template labels path',
    mutate: (t) => {
      t.metadata = { labels: { 'a b': 'x' } };
    },
    want: `spec.template.labels FieldValueInvalid: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  },
  {
    name: 'a pod without containers is rejected',
    mutate: (t) => {
      t.spec.containers = [];
    },
    want: 'spec.template.spec.containers FieldValueRequired: Required value',
  },
  {
    name: 'a container without a name is rejected',
    mutate: (t) => {
      t.spec.containers = [{ name: '', image: 'x' }];
    },
    want: 'spec.template.spec.containers[0].name FieldValueRequired: Required value',
  },
  {
    name: 'a container without an image is rejected even in a template',
    mutate: (t) => {
      t.spec.containers = [{ name: 'a' }] as Spec['containers'];
    },
    want: 'spec.template.spec.containers[0].image FieldValueRequired: Required value',
  },
  {
    name: 'duplicate container names across init and regular containers are rejected on the init container',
    mutate: (t) => {
      t.spec.initContainers = [{ name: 'abc', image: 'x' }];
    },
    want: 'spec.template.spec.initContainers[0].name FieldValueDuplicate: Duplicate value: "abc"',
  },
  {
    name: 'a container port out of range is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.ports = [{ containerPort: 70000 }];
    },
    want: 'spec.template.spec.containers[0].ports[0].containerPort FieldValueInvalid: Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    name: 'an unknown port protocol is not supported',
    mutate: (t) => {
      t.spec.containers[0]!.ports = [{ containerPort: 80, protocol: 'ICMP' }];
    },
    want: 'spec.template.spec.containers[0].ports[0].protocol FieldValueNotSupported: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    name: 'a port name without letters is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.ports = [{ containerPort: 80, name: '123' }];
    },
    want: 'spec.template.spec.containers[0].ports[0].name FieldValueInvalid: Invalid value: "123": must contain at least one letter (a-z)',
  },
  {
    name: 'an env var name with an equals sign is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.env = [{ name: 'A=B', value: 'x' }];
    },
    want: `spec.template.spec.containers[0].env[0].name FieldValueInvalid: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
  },
  {
    name: 'value and valueFrom together are rejected',
    mutate: (t) => {
      t.spec.containers[0]!.env = [
        { name: 'A', value: 'x', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } },
      ];
    },
    want: 'spec.template.spec.containers[0].env[0].valueFrom FieldValueInvalid: Invalid value: "": may not be specified when `value` is not empty',
  },
  {
    name: 'valueFrom with two sources is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.env = [
        {
          name: 'A',
          valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } },
        },
      ];
    },
    want: 'spec.template.spec.containers[0].env[0].valueFrom FieldValueInvalid: Invalid value: "": may not have more than one field specified at a time',
  },
  {
    name: 'an envFrom without a source is reported on the list',
    mutate: (t) => {
      t.spec.containers[0]!.envFrom = [{ prefix: 'P_' }];
    },
    want: 'spec.template.spec.containers[0].envFrom FieldValueInvalid: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
  },
  {
    name: 'a volume mount of an unknown volume is not found',
    mutate: (t) => {
      t.spec.containers[0]!.volumeMounts = [{ name: 'nope', mountPath: '/a' }];
    },
    want: 'spec.template.spec.containers[0].volumeMounts[0].name FieldValueNotFound: Not found: "nope"',
  },
  {
    name: 'a volume without a name is required',
    mutate: (t) => {
      t.spec.volumes = [{ name: '', emptyDir: {} }];
    },
    want: 'spec.template.spec.volumes[0].name FieldValueRequired: Required value',
  },
  {
    name: 'a volume with two sources is forbidden on the second',
    mutate: (t) => {
      t.spec.volumes = [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }];
    },
    want: 'spec.template.spec.volumes[0].hostPath FieldValueForbidden: Forbidden: may not specify more than 1 volume type',
  },
  {
    name: 'a secret volume mode above 0777 is rejected',
    mutate: (t) => {
      t.spec.volumes = [{ name: 'v', secret: { secretName: 's', defaultMode: 0o1000 } }];
    },
    want: 'spec.template.spec.volumes[0].secret.defaultMode FieldValueInvalid: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
  },
  {
    name: 'duplicate volume names are rejected',
    mutate: (t) => {
      t.spec.volumes = [
        { name: 'v', emptyDir: {} },
        { name: 'v', emptyDir: {} },
      ];
    },
    want: 'spec.template.spec.volumes[1].name FieldValueDuplicate: Duplicate value: "v"',
  },
  {
    name: 'a request above its limit is rejected on the requests path',
    mutate: (t) => {
      t.spec.containers[0]!.resources = { limits: { cpu: '1' }, requests: { cpu: '2' } };
    },
    want: 'spec.template.spec.containers[0].resources.requests FieldValueInvalid: Invalid value: "2": must be less than or equal to cpu limit of 1',
  },
  {
    name: 'a negative memory limit is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.resources = { limits: { memory: '-1' } };
    },
    want: 'spec.template.spec.containers[0].resources.limits[memory] FieldValueInvalid: Invalid value: "-1": must be greater than or equal to 0',
  },
  {
    name: 'an unknown unqualified resource name is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.resources = { limits: { gpu: '1' } };
    },
    want: 'spec.template.spec.containers[0].resources.limits[gpu] FieldValueInvalid: Invalid value: "gpu": must be a standard resource type or fully qualified',
  },
  {
    name: 'a probe without a handler is required to have one',
    mutate: (t) => {
      t.spec.containers[0]!.livenessProbe = {};
    },
    want: 'spec.template.spec.containers[0].livenessProbe FieldValueRequired: Required value: must specify a handler type',
  },
  {
    name: 'a liveness probe success threshold other than 1 is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.livenessProbe = { exec: { command: ['x'] }, successThreshold: 2 };
    },
    want: 'spec.template.spec.containers[0].livenessProbe.successThreshold FieldValueInvalid: Invalid value: 2: must be 1',
  },
  {
    name: 'a readiness probe on a plain init container is forbidden',
    mutate: (t) => {
      t.spec.initContainers = [{ name: 'init', image: 'x', readinessProbe: { exec: { command: ['x'] } } }];
    },
    want: 'spec.template.spec.initContainers[0].readinessProbe FieldValueForbidden: Forbidden: may not be set for init containers without restartPolicy=Always',
  },
  {
    name: 'a sidecar init container may have probes',
    mutate: (t) => {
      t.spec.initContainers = [
        { name: 'init', image: 'x', restartPolicy: 'Always', readinessProbe: { exec: { command: ['x'] } } },
      ];
    },
    want: 'valid',
  },
  {
    name: 'an init container restart policy other than Always is not supported',
    mutate: (t) => {
      t.spec.initContainers = [{ name: 'init', image: 'x', restartPolicy: 'Never' }];
    },
    want: 'spec.template.spec.initContainers[0].restartPolicy FieldValueNotSupported: Unsupported value: "Never": supported values: "Always"',
  },
  {
    name: 'a restart policy on a regular container is forbidden',
    mutate: (t) => {
      t.spec.containers[0]!.restartPolicy = 'Always';
    },
    want: 'spec.template.spec.containers[0].restartPolicy FieldValueForbidden: Forbidden: may not be set for non-init containers',
  },
  {
    name: 'an unknown pull policy is not supported',
    mutate: (t) => {
      t.spec.containers[0]!.imagePullPolicy = 'Sometimes';
    },
    want: 'spec.template.spec.containers[0].imagePullPolicy FieldValueNotSupported: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  },
  {
    name: 'a negative runAsUser is rejected',
    mutate: (t) => {
      t.spec.containers[0]!.securityContext = { runAsUser: -1 };
    },
    want: 'spec.template.spec.containers[0].securityContext.runAsUser FieldValueInvalid: Invalid value: -1: must be between 0 and 2147483647, inclusive',
  },
  {
    name: 'an unknown pod restart policy is not supported',
    mutate: (t) => {
      t.spec.restartPolicy = 'Sometimes';
    },
    want: 'spec.template.spec.restartPolicy FieldValueNotSupported: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  },
  {
    name: 'an unknown dns policy is not supported',
    mutate: (t) => {
      t.spec.dnsPolicy = 'Custom';
    },
    want: 'spec.template.spec.dnsPolicy FieldValueNotSupported: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
  },
  {
    name: 'dns policy None requires a dns config',
    mutate: (t) => {
      t.spec.dnsPolicy = 'None';
    },
    want: 'spec.template.spec.dnsConfig FieldValueRequired: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
  },
  {
    name: 'a zero activeDeadlineSeconds is out of range',
    mutate: (t) => {
      t.spec.activeDeadlineSeconds = 0;
    },
    want: 'spec.template.spec.activeDeadlineSeconds FieldValueInvalid: Invalid value: 0: must be between 1 and 2147483647, inclusive',
  },
  {
    name: 'an invalid service account name is rejected',
    mutate: (t) => {
      t.spec.serviceAccountName = 'Bad_Name';
    },
    want: `spec.template.spec.serviceAccountName FieldValueInvalid: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  },
  {
    name: 'an Exists toleration with a value is rejected',
    mutate: (t) => {
      t.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }];
    },
    want: 'spec.template.spec.tolerations[0].operator FieldValueInvalid: Invalid value: "v": value must be empty when `operator` is \'Exists\'',
  },
  {
    name: 'tolerationSeconds without NoExecute is rejected on the effect',
    mutate: (t) => {
      t.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }];
    },
    want: 'spec.template.spec.tolerations[0].effect FieldValueInvalid: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
  },
  {
    name: 'required node affinity needs at least one term',
    mutate: (t) => {
      t.spec.affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
      };
    },
    want: 'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms FieldValueRequired: Required value: must have at least one node selector term',
  },
  {
    name: 'a pod affinity term needs a topology key',
    mutate: (t) => {
      t.spec.affinity = {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '' }] },
      };
    },
    want: 'spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey FieldValueRequired: Required value: can not be empty',
  },
  {
    name: 'a zero maxSkew is rejected',
    mutate: (t) => {
      t.spec.topologySpreadConstraints = [
        { maxSkew: 0, topologyKey: 'k', whenUnsatisfiable: 'DoNotSchedule' },
      ];
    },
    want: 'spec.template.spec.topologySpreadConstraints[0].maxSkew FieldValueInvalid: Invalid value: 0: must be greater than zero',
  },
  {
    name: 'repeated spread constraint pairs are duplicates on the first',
    mutate: (t) => {
      t.spec.topologySpreadConstraints = [
        { maxSkew: 1, topologyKey: 'k', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'k', whenUnsatisfiable: 'DoNotSchedule' },
      ];
    },
    want: 'spec.template.spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable} FieldValueDuplicate: Duplicate value: "{k, DoNotSchedule}"',
  },
  {
    name: 'duplicate scheduling gates are rejected',
    mutate: (t) => {
      t.spec.schedulingGates = [{ name: 'a' }, { name: 'a' }];
    },
    want: 'spec.template.spec.schedulingGates[1] FieldValueDuplicate: Duplicate value: "a"',
  },
  {
    name: 'an invalid host alias ip is rejected',
    mutate: (t) => {
      t.spec.hostAliases = [{ ip: '999.1.1.1', hostnames: ['a'] }];
    },
    want: 'spec.template.spec.hostAliases[0].ip FieldValueInvalid: Invalid value: "999.1.1.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  },
  {
    name: 'an unknown os is not supported on the os path',
    mutate: (t) => {
      t.spec.os = { name: 'plan9' };
    },
    want: 'spec.template.spec.os FieldValueNotSupported: Unsupported value: "plan9": supported values: "linux", "windows"',
  },
  {
    name: 'ephemeral containers are not allowed in a template',
    mutate: (t) => {
      t.spec.ephemeralContainers = [{ name: 'e', image: 'x' }];
    },
    want: 'spec.template.spec.ephemeralContainers FieldValueForbidden: Forbidden: ephemeral containers not allowed in pod template',
  },
];

describe('validatePodTemplateSpec', () => {
  test.each(cases)('$name', ({ mutate, want }) => {
    expect(first(validatePodTemplateSpec(template(mutate), 'spec.template'))).toBe(want);
  });

  test('ten thousand containers validate in well under a second', () => {
    const t = template((t) => {
      t.spec.containers = Array.from({ length: 10_000 }, (_, i) => ({ name: `c${i}`, image: 'x' }));
    });
    const start = performance.now();
    expect(validatePodTemplateSpec(t, 'spec.template')).toEqual([]);
    expect(performance.now() - start).toBeLessThan(500);
  });

  test('missing members never throw', () => {
    expect(() => validatePodTemplateSpec({} as PodTemplateSpec, 'spec.template')).not.toThrow();
  });
});

function pod(mutate: (p: Pod & { spec: Spec }) => void = () => {}): Pod {
  const p = {
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'abc', image: 'busybox' }] },
  } as Pod & { spec: Spec };
  mutate(p);
  defaultPod(p);
  return p;
}

describe('validatePod', () => {
  test('a minimal pod is valid', () => {
    expect(validatePod(pod())).toEqual([]);
  });
  test('an image with trailing whitespace is rejected on pods', () => {
    expect(first(validatePod(pod((p) => (p.spec.containers[0]!.image = 'x '))))).toBe(
      'spec.containers[0].image FieldValueInvalid: Invalid value: "x ": must not have leading or trailing whitespace',
    );
  });
  test('ephemeral containers cannot be set on create', () => {
    expect(first(validatePod(pod((p) => (p.spec.ephemeralContainers = [{ name: 'e', image: 'x' }]))))).toBe(
      'spec.ephemeralContainers FieldValueForbidden: Forbidden: cannot be set on create',
    );
  });
});

describe('validatePodUpdate', () => {
  test('changing an image is allowed', () => {
    expect(
      validatePodUpdate(
        pod((p) => (p.spec.containers[0]!.image = 'other')),
        pod(),
      ),
    ).toEqual([]);
  });
  test('raising activeDeadlineSeconds is rejected', () => {
    const old = pod((p) => (p.spec.activeDeadlineSeconds = 10));
    expect(
      first(
        validatePodUpdate(
          pod((p) => (p.spec.activeDeadlineSeconds = 20)),
          old,
        ),
      ),
    ).toBe(
      'spec.activeDeadlineSeconds FieldValueInvalid: Invalid value: 20: must be less than or equal to previous value',
    );
  });
  test('adding a scheduling gate is forbidden', () => {
    expect(
      first(
        validatePodUpdate(
          pod((p) => (p.spec.schedulingGates = [{ name: 'g' }])),
          pod(),
        ),
      ),
    ).toBe(
      "spec.schedulingGates[0].name FieldValueForbidden: Forbidden: only deletion is allowed, but found new scheduling gate 'g'",
    );
  });
  test('adding a toleration is allowed', () => {
    expect(
      validatePodUpdate(
        pod((p) => (p.spec.tolerations = [{ operator: 'Exists' }])),
        pod(),
      ),
    ).toEqual([]);
  });
  test('changing other fields is forbidden with the list of updatable fields', () => {
    const errs = validatePodUpdate(
      pod((p) => (p.spec.hostname = 'h')),
      pod(),
    );
    expect(errs[0]?.field).toBe('spec');
    expect(errs[0]?.message).toMatch(
      /^Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/,
    );
  });
  test('adding a container is forbidden', () => {
    const errs = validatePodUpdate(
      pod((p) => p.spec.containers.push({ name: 'b', image: 'x' })),
      pod(),
    );
    expect(first(errs)).toBe(
      'spec.containers FieldValueForbidden: Forbidden: pod updates may not add or remove containers',
    );
  });
});
