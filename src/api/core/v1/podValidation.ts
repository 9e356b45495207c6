/**
 * Pod spec validation as Kubernetes 1.32's pkg/apis/core/validation applies it to Pods and to the
 * pod templates embedded in Jobs and CronJobs: same checks, order, field paths and messages, with
 * the 1.32 default feature gates (relaxed env var names on, pod-level resources, zero sleep and
 * relaxed DNS search off). Input is defaulted JSON; nothing here throws on missing members.
 *
 * Not checked yet: the cloud and network volume sources beyond "exactly one source" (iscsi, rbd,
 * cephfs, csi details, ephemeral, image, ...), Windows rules (windowsOptions, hostProcess),
 * ephemeral containers beyond their rejection, seccomp/AppArmor annotations and their agreement
 * with the fields, pod-level resources and resource claims, the hostNetwork sysctl rule.
 */
import type {
  Container,
  EnvFromSource,
  EnvVar,
  KeyToPath,
  LifecycleHandler,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PodAffinityTerm,
  PodSpec,
  PodTemplateSpec,
  Probe,
  SecurityContext,
  Toleration,
  Volume,
  VolumeMount,
} from 'kubernetes-types/core/v1.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateLabels,
} from '../../meta/labels.js';
import { validateLabelName, validateLabelSelector } from '../../meta/selectorValidation.js';
import {
  duplicate,
  type FieldError,
  forbidden,
  GoValue,
  goStringMap,
  invalidValue,
  notFoundField,
  notSupported,
  required,
  tooLong,
} from '../../meta/status.js';
import { nameIsDNSSubdomain, validateAnnotations } from '../../meta/validation.js';
import {
  compareQuantities,
  formatQuantity,
  type Quantity,
  quantityMilliValue,
  quantityValue,
  toQuantity,
} from './quantity.js';

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A typed optional member that is present as an object. */
const has = <T extends object>(v: T | null | undefined): v is T =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);
const set = (v: unknown) => v !== undefined && v !== null;

const INT32_MAX = 2147483647;
const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const IS_NEGATIVE_MSG = 'must be greater than or equal to 0';
const NOT_POSITIVE_MSG = 'must be greater than zero';
const inclusiveRange = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

/** Go's `%#v` of a string slice. */
const goStrings = (v: string[]) => new GoValue(`[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}`);
const invalidEach = (path: string, value: string, msgs: string[]) =>
  msgs.map((m) => invalidValue(path, value, m));
const dnsLabel = (v: string, path: string) => invalidEach(path, v, isDNS1123Label(v));
const dnsSubdomain = (v: string, path: string) => invalidEach(path, v, isDNS1123Subdomain(v));
const qualifiedName = (v: string, path: string) => invalidEach(path, v, isQualifiedName(v));

// ---------------------------------------------------------------------------------------------
// apimachinery util/validation helpers not exported elsewhere.

const regexError = (msg: string, re: string, ...examples: string[]) =>
  `${msg} (${examples.length ? `e.g. ${examples.map((e) => `'${e}', `).join(' or ')}` : ''}regex used for validation is '${re}')`;

function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRange(1, 65535)];
}

/** IANA_SVC_NAME. */
function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

function chDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** RelaxedEnvironmentVariableValidation is beta and on in 1.32. */
function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  for (const c of value) {
    const code = c.codePointAt(0) ?? 0;
    if (code < 32 || code > 126 || c === '=') {
      errs.push(
        "a valid environment variable name must consist only of printable ASCII characters other than '='",
      );
      break;
    }
  }
  return errs;
}

function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        '[-._a-zA-Z0-9]+',
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  errs.push(...chDirPrefix(value));
  return errs;
}

const isValidID = (id: number) => (id >= 0 && id <= INT32_MAX ? [] : [inclusiveRange(0, INT32_MAX)]);

/** netutils.ParseIPSloppy: IPv4 octets may carry leading zeros; no IPv6 zones. */
function parsesAsIP(value: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return value.split('.').every((o) => Number(o) <= 255);
  if (!value.includes(':') || value.includes('%')) return false;
  return /^[0-9a-fA-F:.]+$/.test(value) && isIPv6(value);
}
function isIPv6(value: string): boolean {
  let v = value;
  const lastColon = v.lastIndexOf(':');
  let groupsForV4 = 0;
  if (v.slice(lastColon + 1).includes('.')) {
    const v4 = v.slice(lastColon + 1);
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v4) || !v4.split('.').every((o) => Number(o) <= 255)) return false;
    v = `${v.slice(0, lastColon + 1)}0`;
    groupsForV4 = 1;
  }
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const all = halves.flatMap(groups);
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = all.length + groupsForV4;
  return halves.length === 2 ? count <= 7 : count === 8;
}
const validIP = (path: string, value: string): FieldError[] =>
  parsesAsIP(value)
    ? []
    : [invalidValue(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];

// ---------------------------------------------------------------------------------------------
// Resources.

const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
  'storage',
  'requests.storage',
]);
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
  'requests.storage',
]);
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string) =>
  !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
const isOvercommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = qualifiedName(name, path);
  if (errs.length === 0 && !name.includes('/')) {
    const standard =
      STANDARD_RESOURCES.has(name) ||
      isHugePages(name) ||
      name.startsWith('requests.hugepages-') ||
      name.startsWith('limits.hugepages-');
    if (!standard) errs.push(invalidValue(path, name, 'must be a standard resource type or fully qualified'));
  }
  if (!name.includes('/')) {
    if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !isHugePages(name)) {
      errs.push(invalidValue(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(invalidValue(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Go prints a Quantity through its String(), unquoted. */
const goQuantity = (q: Quantity) => new GoValue(formatQuantity(q));

function validateResourceQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.unscaled < 0n) errs.push(invalidValue(path, formatQuantity(q), IS_NEGATIVE_MSG));
  if ((INTEGER_RESOURCES.has(name) || isExtended(name)) && quantityMilliValue(q) % 1000n !== 0n) {
    errs.push(invalidValue(path, goQuantity(q), 'must be an integer'));
  }
  return errs;
}

function hugePageSize(name: string): Quantity | undefined {
  return isHugePages(name) ? toQuantity(name.slice('hugepages-'.length)) : undefined;
}

function validateResourceList(
  entries: Record<string, unknown> | undefined,
  path: string,
  each: (name: string, q: Quantity, at: string) => FieldError[],
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(entries ?? {})) {
    const at = `${path}[${name}]`;
    const q = toQuantity(raw);
    errs.push(...validateContainerResourceName(name, at));
    if (q) errs.push(...each(name, q, at));
  }
  return errs;
}

function validateResourceRequirements(res: unknown, path: string): FieldError[] {
  if (!isObj(res)) return [];
  const limits = isObj(res.limits) ? res.limits : undefined;
  const requests = isObj(res.requests) ? res.requests : undefined;
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  let limCpuMem = false;
  let reqCpuMem = false;
  let limHuge = false;
  let reqHuge = false;
  const hugeCheck = (name: string, q: Quantity, at: string): FieldError[] => {
    const size = hugePageSize(name);
    const divisible =
      size !== undefined &&
      size.unscaled > 0n &&
      quantityMilliValue(size) % 1000n === 0n &&
      quantityValue(q) % quantityValue(size) === 0n;
    if (divisible) return [];
    return [
      invalidValue(at, formatQuantity(q), `${formatQuantity(q)} is not positive integer multiple of ${name}`),
    ];
  };
  const errs = validateResourceList(limits, limPath, (name, q, at) => {
    const e = validateResourceQuantityValue(name, q, at);
    if (isHugePages(name)) {
      limHuge = true;
      e.push(...hugeCheck(name, q, at));
    }
    if (name === 'cpu' || name === 'memory') limCpuMem = true;
    return e;
  });
  errs.push(
    ...validateResourceList(requests, reqPath, (name, q, at) => {
      const e = validateResourceQuantityValue(name, q, at);
      const limit = limits && Object.hasOwn(limits, name) ? toQuantity(limits[name]) : undefined;
      if (limits && Object.hasOwn(limits, name)) {
        if (limit) {
          const cmp = compareQuantities(q, limit);
          if (cmp !== 0 && !isOvercommitAllowed(name)) {
            e.push(
              invalidValue(
                reqPath,
                formatQuantity(q),
                `must be equal to ${name} limit of ${formatQuantity(limit)}`,
              ),
            );
          } else if (cmp > 0) {
            e.push(
              invalidValue(
                reqPath,
                formatQuantity(q),
                `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
              ),
            );
          }
        }
      } else if (!isOvercommitAllowed(name)) {
        e.push(required(limPath, 'Limit must be set for non overcommitable resources'));
      }
      if (isHugePages(name)) {
        reqHuge = true;
        e.push(...hugeCheck(name, q, at));
      }
      if (name === 'cpu' || name === 'memory') reqCpuMem = true;
      return e;
    }),
  );
  if (!limCpuMem && !reqCpuMem && (reqHuge || limHuge))
    errs.push(forbidden(path, 'HugePages require cpu or memory'));
  list(res.claims as J[] | undefined).forEach((claim, i) => {
    const name = typeof claim?.name === 'string' ? claim.name : '';
    // No pod-level resourceClaims are kept (DynamicResourceAllocation is off), so any name is unknown.
    if (!name) errs.push(required(`${path}.claims[${i}]`));
    else
      errs.push({
        ...notFoundField(`${path}.claims[${i}]`, name),
        message: `Not found: ${JSON.stringify(name)}: must be one of the names in pod.spec.resourceClaims which is empty`,
      });
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Volumes.

const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;
/** Upstream names two sources differently in the "more than 1" error (typos kept). */
const MORE_THAN_ONE_PATH: Partial<Record<string, string>> = { cephfs: 'cephFS', downwardAPI: 'downwarAPI' };

function validatePathNoBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [invalidValue(path, target, "must not contain '..'")] : [];
}
function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalidValue(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}
function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../'))
    errs.push(invalidValue(path, target, "must not start with '..'"));
  return errs;
}
const badMode = (m: unknown): m is number => typeof m === 'number' && (m > 0o777 || m < 0);

function validateKeyToPath(kp: KeyToPath, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(required(`${path}.key`));
  if (!kp.path) errs.push(required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', `${path}.path`));
  if (badMode(kp.mode)) errs.push(invalidValue(`${path}.mode`, kp.mode, FILE_MODE_MSG));
  return errs;
}

const VOLUME_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const RESOURCE_FIELD_PATHS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

/** podshelper.ConvertDownwardAPIFieldLabel for apiVersion v1. */
function convertDownwardAPIFieldLabel(version: string, label: string): string | undefined {
  if (version !== 'v1') return undefined;
  const subscripted = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(label);
  if (subscripted) return label;
  const ok = [
    'metadata.annotations',
    'metadata.labels',
    'metadata.name',
    'metadata.namespace',
    'metadata.uid',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.serviceAccountName',
    'spec.schedulerName',
    'status.phase',
    'status.hostIP',
    'status.hostIPs',
    'status.podIP',
    'status.podIPs',
  ];
  return ok.includes(label) ? label : undefined;
}

function validateObjectFieldSelector(fs: J, expressions: string[], path: string): FieldError[] {
  const apiVersion = typeof fs.apiVersion === 'string' ? fs.apiVersion : '';
  const fieldPath = typeof fs.fieldPath === 'string' ? fs.fieldPath : '';
  if (!apiVersion) return [required(`${path}.apiVersion`)];
  if (!fieldPath) return [required(`${path}.fieldPath`)];
  const internal = convertDownwardAPIFieldLabel(apiVersion, fieldPath);
  if (internal === undefined) {
    const why =
      apiVersion === 'v1'
        ? `field label not supported: ${fieldPath}`
        : `unsupported pod version: ${apiVersion}`;
    return [invalidValue(`${path}.fieldPath`, fieldPath, `error converting fieldPath: ${why}`)];
  }
  const sub = /^([^[]+)\[(.*)\]$/.exec(internal);
  if (sub) {
    const [, base = '', quoted = ''] = sub;
    const key = quoted.replace(/^'(.*)'$/, '$1');
    if (base === 'metadata.annotations') return qualifiedName(key.toLowerCase(), path);
    if (base === 'metadata.labels') return qualifiedName(key, path);
    return [invalidValue(path, base, 'does not support subscript')];
  }
  if (!expressions.includes(internal)) return [notSupported(`${path}.fieldPath`, internal, expressions)];
  return [];
}

const DIVISORS_MEMORY = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
const DIVISOR_TAIL =
  "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the";

function validateResourceFieldSelector(fs: J, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = typeof fs.resource === 'string' ? fs.resource : '';
  if (volume && !fs.containerName) errs.push(required(`${path}.containerName`));
  else if (!resource) errs.push(required(`${path}.resource`));
  else if (
    !RESOURCE_FIELD_PATHS.includes(resource) &&
    !resource.startsWith('limits.hugepages-') &&
    !resource.startsWith('requests.hugepages-')
  ) {
    errs.push(notSupported(`${path}.resource`, resource, RESOURCE_FIELD_PATHS));
  }
  const divisor = toQuantity(fs.divisor);
  if (divisor && divisor.unscaled !== 0n) {
    const text = formatQuantity(divisor);
    const at = `${path}.divisor`;
    if ((resource === 'limits.cpu' || resource === 'requests.cpu') && text !== '1m' && text !== '1') {
      errs.push(
        invalidValue(at, resource, "only divisor's values 1m and 1 are supported with the cpu resource"),
      );
    } else if (
      (resource === 'limits.memory' || resource === 'requests.memory') &&
      !DIVISORS_MEMORY.includes(text)
    ) {
      errs.push(invalidValue(at, resource, `${DIVISOR_TAIL} memory resource`));
    } else if (
      (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') &&
      !DIVISORS_MEMORY.includes(text)
    ) {
      errs.push(invalidValue(at, resource, `${DIVISOR_TAIL} local ephemeral storage resource`));
    }
    if (
      (resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) &&
      !DIVISORS_MEMORY.includes(text)
    ) {
      errs.push(invalidValue(at, resource, `${DIVISOR_TAIL} hugepages resource`));
    }
  }
  return errs;
}

function validateDownwardAPIFile(file: J, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = typeof file.path === 'string' ? file.path : '';
  if (!p) errs.push(required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(p, `${path}.path`));
  if (isObj(file.fieldRef)) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, VOLUME_FIELD_PATHS, `${path}.fieldRef`));
    if (isObj(file.resourceFieldRef)) {
      errs.push(
        invalidValue(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'),
      );
    }
  } else if (isObj(file.resourceFieldRef)) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, `${path}.resourceFieldRef`, true));
  } else {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  if (badMode(file.mode)) errs.push(invalidValue(`${path}.mode`, file.mode, FILE_MODE_MSG));
  return errs;
}

function validateProjected(src: J, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (badMode(src.defaultMode))
    errs.push(invalidValue(`${path}.defaultMode`, src.defaultMode, FILE_MODE_MSG));
  const seen = new Set<string>();
  list(src.sources as J[] | undefined).forEach((source, i) => {
    if (!isObj(source)) return;
    let n = 0;
    const srcPath = `${path}.sources[${i}]`;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = source[kind];
      if (!isObj(ref)) continue;
      n++;
      const at = `${srcPath}.${kind}`;
      const name = typeof ref.name === 'string' ? ref.name : '';
      if (!name) errs.push(required(`${at}.name`));
      list(ref.items as KeyToPath[] | undefined).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp ?? {}, `${at}.items[${j}]`));
        if (kp?.path) {
          if (seen.has(kp.path)) errs.push(invalidValue(path, name, 'conflicting duplicate paths'));
          else seen.add(kp.path);
        }
      });
    }
    if (isObj(source.downwardAPI)) {
      n++;
      for (const file of list(source.downwardAPI.items as J[] | undefined)) {
        if (!isObj(file)) continue;
        errs.push(...validateDownwardAPIFile(file, `${srcPath}.downwardAPI`));
        const p = typeof file.path === 'string' ? file.path : '';
        if (p) {
          if (seen.has(p)) errs.push(invalidValue(path, p, 'conflicting duplicate paths'));
          else seen.add(p);
        }
      }
    }
    if (isObj(source.serviceAccountToken)) {
      n++;
      const sat = source.serviceAccountToken;
      const exp = typeof sat.expirationSeconds === 'number' ? sat.expirationSeconds : 0;
      const at = `${srcPath}.serviceAccountToken.expirationSeconds`;
      if (exp < 600) errs.push(invalidValue(at, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32)
        errs.push(invalidValue(at, exp, 'may not specify a duration larger than 2^32 seconds'));
      const p = typeof sat.path === 'string' ? sat.path : '';
      if (!p) errs.push(required(`${path}.path`));
      else errs.push(...validateLocalNonReservedPath(p, `${path}.path`));
    }
    if (isObj(source.clusterTrustBundle)) n++; // ClusterTrustBundleProjection is alpha and dropped in 1.32.
    if (n > 1) errs.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

function validateVolumeSource(vol: J, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of VOLUME_SOURCES) {
    const src = vol[kind];
    if (!set(src)) continue;
    if (n > 0) {
      errs.push(
        forbidden(`${path}.${MORE_THAN_ONE_PATH[kind] ?? kind}`, 'may not specify more than 1 volume type'),
      );
      continue;
    }
    n++;
    const s: J = isObj(src) ? src : {};
    const at = `${path}.${kind}`;
    switch (kind) {
      case 'emptyDir': {
        const limit = toQuantity(s.sizeLimit);
        if (limit && limit.unscaled < 0n)
          errs.push(forbidden(`${at}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
        break;
      }
      case 'hostPath': {
        const p = typeof s.path === 'string' ? s.path : '';
        if (!p) {
          errs.push(required(`${at}.path`));
          break;
        }
        errs.push(...validatePathNoBacksteps(p, `${at}.path`));
        const types = [
          '',
          'BlockDevice',
          'CharDevice',
          'Directory',
          'DirectoryOrCreate',
          'File',
          'FileOrCreate',
          'Socket',
        ];
        if (typeof s.type === 'string' && !types.includes(s.type))
          errs.push(notSupported(`${at}.type`, s.type, types));
        break;
      }
      case 'secret':
      case 'configMap': {
        const nameKey = kind === 'secret' ? 'secretName' : 'name';
        if (!s[nameKey]) errs.push(required(`${at}.${nameKey}`));
        if (badMode(s.defaultMode))
          errs.push(invalidValue(`${at}.defaultMode`, s.defaultMode, FILE_MODE_MSG));
        list(s.items as KeyToPath[] | undefined).forEach((kp, i) => {
          errs.push(...validateKeyToPath(kp ?? {}, `${at}.items[${i}]`));
        });
        break;
      }
      case 'persistentVolumeClaim':
        if (!s.claimName) errs.push(required(`${at}.claimName`));
        break;
      case 'downwardAPI':
        if (badMode(s.defaultMode))
          errs.push(invalidValue(`${at}.defaultMode`, s.defaultMode, FILE_MODE_MSG));
        for (const file of list(s.items as J[] | undefined)) {
          if (isObj(file)) errs.push(...validateDownwardAPIFile(file, at));
        }
        break;
      case 'projected':
        errs.push(...validateProjected(s, at));
        break;
      case 'nfs': {
        const p = typeof s.path === 'string' ? s.path : '';
        if (!s.server) errs.push(required(`${at}.server`));
        if (!p) errs.push(required(`${at}.path`));
        if (!p.startsWith('/')) errs.push(invalidValue(`${at}.path`, p, 'must be an absolute path'));
        break;
      }
      case 'gitRepo':
        if (!s.repository) errs.push(required(`${at}.repository`));
        errs.push(
          ...validateLocalDescendingPath(
            typeof s.directory === 'string' ? s.directory : '',
            `${at}.directory`,
          ),
        );
        break;
      case 'csi': {
        const driver = typeof s.driver === 'string' ? s.driver : '';
        if (!driver) errs.push(required(`${at}.driver`));
        if (driver.length > 63) errs.push(tooLong(`${at}.driver`, 63));
        errs.push(...invalidEach(`${at}.driver`, driver, isDNS1123Subdomain(driver.toLowerCase())));
        break;
      }
      // Other (cloud and network) sources: only counted; see the report for what is skipped.
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: the names of the volumes that validated cleanly, with their sources. */
function validateVolumes(
  volumes: Volume[] | undefined,
  path: string,
): { vols: Map<string, J>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const vols = new Map<string, J>();
  list(volumes).forEach((vol, i) => {
    const v = (isObj(vol) ? vol : {}) as J;
    const at = `${path}[${i}]`;
    const name = typeof v.name === 'string' ? v.name : '';
    const el = validateVolumeSource(v, at);
    if (!name) el.push(required(`${at}.name`));
    else el.push(...dnsLabel(name, `${at}.name`));
    if (vols.has(name)) el.push(duplicate(`${at}.name`, name));
    if (el.length === 0) vols.set(name, v);
    else errs.push(...el);
  });
  return { vols, errs };
}

// ---------------------------------------------------------------------------------------------
// Containers.

function validateContainerPorts(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(c.ports).forEach((port, i) => {
    const at = `${path}[${i}]`;
    const name = port?.name ?? '';
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(`${at}.name`, name, msgs));
      else if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
      else names.add(name);
    }
    const cp = port?.containerPort ?? 0;
    if (cp === 0) errs.push(required(`${at}.containerPort`));
    else for (const m of isValidPortNum(cp)) errs.push(invalidValue(`${at}.containerPort`, cp, m));
    const hp = port?.hostPort ?? 0;
    if (hp !== 0) for (const m of isValidPortNum(hp)) errs.push(invalidValue(`${at}.hostPort`, hp, m));
    const proto = port?.protocol ?? '';
    if (!proto) errs.push(required(`${at}.protocol`));
    else if (!['SCTP', 'TCP', 'UDP'].includes(proto))
      errs.push(notSupported(`${at}.protocol`, proto, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

function validateKeySelector(s: J, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof s.name === 'string' ? s.name : '';
  errs.push(...dnsSubdomain(name, `${path}.name`));
  const key = typeof s.key === 'string' ? s.key : '';
  if (!key) errs.push(required(`${path}.key`));
  else errs.push(...invalidEach(`${path}.key`, key, isConfigMapKey(key)));
  return errs;
}

function validateEnv(env: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((ev, i) => {
    const at = `${path}[${i}]`;
    const name = ev?.name ?? '';
    if (!name) errs.push(required(`${at}.name`));
    else errs.push(...invalidEach(`${at}.name`, name, isRelaxedEnvVarName(name)));
    const from = ev?.valueFrom as J | undefined;
    if (!isObj(from)) return;
    const fromPath = `${at}.valueFrom`;
    let n = 0;
    if (isObj(from.fieldRef)) {
      n++;
      errs.push(...validateObjectFieldSelector(from.fieldRef, ENV_FIELD_PATHS, `${fromPath}.fieldRef`));
    }
    if (isObj(from.resourceFieldRef)) {
      n++;
      errs.push(
        ...validateResourceFieldSelector(from.resourceFieldRef, `${fromPath}.resourceFieldRef`, false),
      );
    }
    if (isObj(from.configMapKeyRef)) {
      n++;
      errs.push(...validateKeySelector(from.configMapKeyRef, `${fromPath}.configMapKeyRef`));
    }
    if (isObj(from.secretKeyRef)) {
      n++;
      errs.push(...validateKeySelector(from.secretKeyRef, `${fromPath}.secretKeyRef`));
    }
    if (n === 0) {
      errs.push(
        invalidValue(
          fromPath,
          '',
          'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        ),
      );
    } else if (ev?.value) {
      errs.push(invalidValue(fromPath, '', 'may not be specified when `value` is not empty'));
    } else if (n > 1) {
      errs.push(invalidValue(fromPath, '', 'may not have more than one field specified at a time'));
    }
  });
  return errs;
}

function validateEnvFrom(envFrom: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(envFrom).forEach((ev, i) => {
    const at = `${path}[${i}]`;
    const prefix = ev?.prefix ?? '';
    if (prefix) errs.push(...invalidEach(`${at}.prefix`, prefix, isRelaxedEnvVarName(prefix)));
    let n = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = ev?.[kind] as J | undefined;
      if (!isObj(ref)) continue;
      n++;
      const name = typeof ref.name === 'string' ? ref.name : '';
      if (!name) errs.push(required(`${at}.${kind}.name`));
      else errs.push(...invalidEach(`${at}.${kind}.name`, name, nameIsDNSSubdomain(name, true)));
    }
    if (n === 0) errs.push(invalidValue(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(c: Container, vols: Map<string, J>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = new Map<string, string>();
  for (const d of list(c.volumeDevices)) devices.set(d?.name ?? '', d?.devicePath ?? '');
  const devicePaths = new Set(devices.values());
  list(c.volumeMounts).forEach((m: VolumeMount, i) => {
    const at = `${path}[${i}]`;
    const name = m?.name ?? '';
    const mountPath = m?.mountPath ?? '';
    if (!name) errs.push(required(`${at}.name`));
    if (!vols.has(name)) errs.push(notFoundField(`${at}.name`, name));
    if (!mountPath) errs.push(required(`${at}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(invalidValue(`${at}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (devices.has(name))
      errs.push(invalidValue(`${at}.name`, name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath))
      errs.push(
        invalidValue(`${at}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'),
      );
    const subPath = m?.subPath ?? '';
    const subPathExpr = m?.subPathExpr ?? '';
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, `${path}.subPath`));
    if (subPathExpr) {
      if (subPath)
        errs.push(
          invalidValue(`${at}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'),
        );
      errs.push(...validateLocalDescendingPath(subPathExpr, `${path}.subPathExpr`));
    }
    const propagation = m?.mountPropagation;
    if (set(propagation)) {
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      const p = String(propagation);
      if (!supported.includes(p)) errs.push(notSupported(`${path}.mountPropagation`, p, supported));
      if (p === 'Bidirectional' && c.securityContext?.privileged !== true) {
        errs.push(
          forbidden(
            `${path}.mountPropagation`,
            'Bidirectional mount propagation is available only to privileged containers',
          ),
        );
      }
    }
    const rro = (m as unknown as J | undefined)?.recursiveReadOnly;
    if (typeof rro === 'string') {
      const at2 = `${path}.recursiveReadOnly`;
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (!m.readOnly) errs.push(forbidden(at2, 'may only be specified when readOnly is true'));
        if (set(propagation) && propagation !== 'None')
          errs.push(forbidden(at2, 'may only be specified when mountPropagation is None or not specified'));
      } else if (rro !== 'Disabled') {
        errs.push(notSupported(at2, rro, ['Disabled', 'Enabled', 'IfPossible']));
      }
    }
  });
  return errs;
}

function validateVolumeDevices(c: Container, vols: Map<string, J>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mounts = new Map<string, string>();
  for (const m of list(c.volumeMounts)) mounts.set(m?.name ?? '', m?.mountPath ?? '');
  const mountPaths = new Set(mounts.values());
  const names = new Set<string>();
  const paths = new Set<string>();
  list(c.volumeDevices).forEach((d, i) => {
    const at = `${path}[${i}]`;
    const name = d?.name ?? '';
    const devPath = d?.devicePath ?? '';
    const src = vols.get(name);
    const isPVC = !!src && (set(src.persistentVolumeClaim) || set(src.ephemeral));
    if (!name) errs.push(required(`${at}.name`));
    if (names.has(name)) errs.push(invalidValue(`${at}.name`, name, 'must be unique'));
    if (src && !isPVC)
      errs.push(
        invalidValue(
          `${at}.name`,
          name,
          'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode',
        ),
      );
    if (!src) errs.push(notFoundField(`${at}.name`, name));
    if (!devPath) errs.push(required(`${at}.devicePath`));
    if (paths.has(devPath)) errs.push(invalidValue(`${at}.devicePath`, devPath, 'must be unique'));
    if (devPath?.split('/').includes('..'))
      errs.push(invalidValue(`${at}.devicePath`, devPath, "can not contain backsteps ('..')"));
    else paths.add(devPath);
    if (mounts.has(name))
      errs.push(invalidValue(`${at}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devPath))
      errs.push(
        invalidValue(`${at}.devicePath`, devPath, 'must not already exist as a path in volumeMounts'),
      );
    if (name) names.add(name);
  });
  return errs;
}

function validatePullPolicy(policy: string, path: string): FieldError[] {
  if (policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never') return [];
  if (!policy) return [required(path)];
  return [notSupported(path, policy, ['Always', 'IfNotPresent', 'Never'])];
}

function validateSeccompProfile(sp: unknown, path: string): FieldError[] {
  if (!isObj(sp)) return [];
  const errs: FieldError[] = [];
  const type = typeof sp.type === 'string' ? sp.type : '';
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!type) errs.push(required(`${path}.type`, 'type is required when seccompProfile is set'));
  else if (!types.includes(type)) errs.push(notSupported(`${path}.type`, type, types));
  if (type === 'Localhost') {
    if (!set(sp.localhostProfile))
      errs.push(required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(String(sp.localhostProfile), `${path}.localhostProfile`));
  } else if (set(sp.localhostProfile)) {
    errs.push(invalidValue(`${path}.localhostProfile`, sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateAppArmorProfile(p: unknown, path: string): FieldError[] {
  if (!isObj(p)) return [];
  const type = typeof p.type === 'string' ? p.type : '';
  const lp = p.localhostProfile;
  switch (type) {
    case 'Localhost': {
      if (typeof lp !== 'string')
        return [required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
      const errs: FieldError[] = [];
      if (lp.trim() !== lp)
        errs.push(invalidValue(`${path}.localhostProfile`, lp, 'must not be padded with whitespace'));
      else if (lp === '')
        errs.push(required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
      if (Buffer.byteLength(lp) > 4095) errs.push(tooLong(`${path}.localhostProfile`, 4095));
      return errs;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return set(lp)
        ? [invalidValue(`${path}.localhostProfile`, lp, 'can only be set when AppArmor type is Localhost')]
        : [];
    case '':
      return [required(`${path}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [notSupported(`${path}.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined'])];
  }
}

function validateSecurityContext(
  sc: SecurityContext | undefined,
  path: string,
  hostUsers: boolean,
): FieldError[] {
  if (!has(sc)) return [];
  const errs: FieldError[] = [];
  // The apiserver's default capabilities allow privileged containers.
  if (typeof sc.runAsUser === 'number')
    for (const m of isValidID(sc.runAsUser)) errs.push(invalidValue(`${path}.runAsUser`, sc.runAsUser, m));
  if (typeof sc.runAsGroup === 'number')
    for (const m of isValidID(sc.runAsGroup)) errs.push(invalidValue(`${path}.runAsGroup`, sc.runAsGroup, m));
  if (typeof sc.procMount === 'string') {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked')
      errs.push(notSupported(`${path}.procMount`, sc.procMount, ['Default', 'Unmasked']));
    if (hostUsers && sc.procMount === 'Unmasked')
      errs.push(
        invalidValue(`${path}.procMount`, sc.procMount, '`hostUsers` must be false to use `Unmasked`'),
      );
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true)
      errs.push(
        invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'),
      );
    for (const cap of list(sc.capabilities?.add)) {
      if (cap === 'CAP_SYS_ADMIN')
        errs.push(
          invalidValue(
            path,
            sc,
            'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
          ),
        );
    }
  }
  errs.push(...validateAppArmorProfile((sc as unknown as J).appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

function validateContainerCommon(
  c: Container,
  vols: Map<string, J>,
  path: string,
  hostUsers: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = c.name ?? '';
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...dnsLabel(name, `${path}.name`));
  if (!c.image) errs.push(required(`${path}.image`));
  const tmp = c.terminationMessagePolicy ?? '';
  if (!tmp) errs.push(required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(
    ...validateContainerPorts(c, `${path}.ports`),
    ...validateEnv(c.env, `${path}.env`),
    ...validateEnvFrom(c.envFrom, `${path}.envFrom`),
    ...validateVolumeMounts(c, vols, `${path}.volumeMounts`),
    ...validateVolumeDevices(c, vols, `${path}.volumeDevices`),
    ...validatePullPolicy(c.imagePullPolicy ?? '', `${path}.imagePullPolicy`),
    ...validateResourceRequirements(c.resources, `${path}.resources`),
    ...validateSecurityContext(c.securityContext, `${path}.securityContext`, hostUsers),
  );
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalidValue(path, port, m));
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return isValidPortNum(0).map((m) => invalidValue(path, 0, m));
}

const HANDLER_KINDS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

function validateHandler(
  h: J,
  grace: number | undefined,
  path: string,
  allowed: readonly string[],
): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of HANDLER_KINDS) {
    if (!allowed.includes(kind) || !set(h[kind])) continue;
    const at = `${path}.${kind}`;
    if (n > 0) {
      errs.push(forbidden(at, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const a: J = isObj(h[kind]) ? (h[kind] as J) : {};
    switch (kind) {
      case 'exec':
        if (list(a.command as string[] | undefined).length === 0) errs.push(required(`${at}.command`));
        break;
      case 'httpGet': {
        if (!a.path) errs.push(required(`${at}.path`));
        errs.push(...validatePortNumOrName(a.port, `${at}.port`));
        const scheme = typeof a.scheme === 'string' ? a.scheme : '';
        if (scheme !== 'HTTP' && scheme !== 'HTTPS')
          errs.push(notSupported(`${at}.scheme`, scheme, ['HTTP', 'HTTPS']));
        for (const header of list(a.httpHeaders as J[] | undefined)) {
          const hn = typeof header?.name === 'string' ? header.name : '';
          if (!/^[-A-Za-z0-9]+$/.test(hn)) {
            errs.push(
              invalidValue(
                `${at}.httpHeaders`,
                hn,
                regexError(
                  "a valid HTTP header must consist of alphanumeric characters or '-'",
                  '[-A-Za-z0-9]+',
                  'X-Header-Name',
                ),
              ),
            );
          }
        }
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a.port, `${at}.port`));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(typeof a.port === 'number' ? a.port : 0, `${at}.port`));
        break;
      case 'sleep': {
        const seconds = typeof a.seconds === 'number' ? a.seconds : 0;
        if (grace !== undefined && (seconds <= 0 || seconds > grace)) {
          errs.push(
            invalidValue(
              at,
              seconds,
              `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
            ),
          );
        }
        break;
      }
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(
  probe: Probe | undefined,
  grace: number | undefined,
  path: string,
  kind: 'liveness' | 'readiness' | 'startup',
): FieldError[] {
  if (!isObj(probe)) return [];
  const p = probe as J;
  const errs = validateHandler(p, grace, path, PROBE_HANDLERS);
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    const v = typeof p[f] === 'number' ? (p[f] as number) : 0;
    if (v < 0) errs.push(invalidValue(`${path}.${f}`, v, IS_NEGATIVE_MSG));
  }
  const tgps = p.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0)
    errs.push(invalidValue(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than 0'));
  if (kind === 'readiness') {
    if (set(tgps))
      errs.push(
        invalidValue(`${path}.terminationGracePeriodSeconds`, tgps, 'must not be set for readinessProbes'),
      );
  } else {
    const st = typeof p.successThreshold === 'number' ? p.successThreshold : 0;
    if (st !== 1) errs.push(invalidValue(`${path}.successThreshold`, st, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(c: Container, grace: number | undefined, path: string): FieldError[] {
  const lc = c.lifecycle as J | undefined;
  if (!isObj(lc)) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = lc[hook] as LifecycleHandler | undefined;
    if (isObj(h)) errs.push(...validateHandler(h as J, grace, `${path}.${hook}`, LIFECYCLE_HANDLERS));
  }
  return errs;
}

function validateProbesAndLifecycle(c: Container, grace: number | undefined, path: string): FieldError[] {
  return [
    ...validateLifecycle(c, grace, `${path}.lifecycle`),
    ...validateProbe(c.livenessProbe, grace, `${path}.livenessProbe`, 'liveness'),
    ...validateProbe(c.readinessProbe, grace, `${path}.readinessProbe`, 'readiness'),
    ...validateProbe(c.startupProbe, grace, `${path}.startupProbe`, 'startup'),
  ];
}

function hostPortConflicts(
  containers: Container[],
  path: string,
  indexOffset: number,
  seen: Set<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    list(c?.ports).forEach((p, pi) => {
      const hp = p?.hostPort ?? 0;
      if (hp === 0) return;
      const key = `${p?.protocol ?? ''}/${p?.hostIP ?? ''}/${hp}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci + indexOffset}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateContainers(
  containers: Container[],
  vols: Map<string, J>,
  grace: number | undefined,
  path: string,
  hostUsers: boolean,
): FieldError[] {
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const c = (isObj(raw) ? raw : {}) as Container;
    const at = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, at, hostUsers));
    const name = c.name ?? '';
    if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
    else names.add(name);
    errs.push(...validateProbesAndLifecycle(c, grace, at));
    if (set(c.restartPolicy))
      errs.push(forbidden(`${at}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(containers, path, 0, new Set()));
  return errs;
}

function validateInitContainers(
  inits: Container[],
  regular: Container[],
  vols: Map<string, J>,
  grace: number | undefined,
  path: string,
  hostUsers: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const c of regular) names.add(c?.name ?? '');
  inits.forEach((raw, i) => {
    const c = (isObj(raw) ? raw : {}) as Container;
    const at = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, vols, at, hostUsers));
    let restartAlways = false;
    if (set(c.restartPolicy)) {
      const rp = String(c.restartPolicy);
      if (rp !== 'Always') errs.push(notSupported(`${at}.restartPolicy`, rp, ['Always']));
      restartAlways = rp === 'Always';
    }
    const name = c.name ?? '';
    if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
    else if (name) names.add(name);
    // Upstream checks each init container as a one-element list, so the index is always 0.
    errs.push(...hostPortConflicts([c], path, 0, new Set()));
    if (restartAlways) errs.push(...validateProbesAndLifecycle(c, grace, at));
    else {
      const why = 'may not be set for init containers without restartPolicy=Always';
      if (set(c.lifecycle)) errs.push(forbidden(`${at}.lifecycle`, why));
      if (set(c.livenessProbe)) errs.push(forbidden(`${at}.livenessProbe`, why));
      if (set(c.readinessProbe)) errs.push(forbidden(`${at}.readinessProbe`, why));
      if (set(c.startupProbe)) errs.push(forbidden(`${at}.startupProbe`, why));
    }
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Scheduling.

function validateNodeSelectorRequirement(
  rq: NodeSelectorRequirement,
  allowInvalidValues: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(rq?.values);
  const op = rq?.operator ?? '';
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0)
        errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0)
        errs.push(
          forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1)
        errs.push(
          required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"),
        );
      break;
    default:
      errs.push(invalidValue(`${path}.operator`, op, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(rq?.key ?? '', `${path}.key`));
  if (!allowInvalidValues) {
    values.forEach((v, i) => {
      errs.push(...invalidEach(`${path}.values[${i}]`, v, isValidLabelValue(v)));
    });
  }
  return errs;
}

function validateNodeSelectorTerm(
  term: NodeSelectorTerm,
  allowInvalidValues: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  list(term?.matchExpressions).forEach((rq, j) => {
    errs.push(...validateNodeSelectorRequirement(rq, allowInvalidValues, `${path}.matchExpressions[${j}]`));
  });
  list(term?.matchFields).forEach((rq, j) => {
    const at = `${path}.matchFields[${j}]`;
    const values = list(rq?.values);
    if (rq?.operator === 'In' || rq?.operator === 'NotIn') {
      if (values.length !== 1)
        errs.push(
          required(
            `${at}.values`,
            "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
          ),
        );
    } else errs.push(invalidValue(`${at}.operator`, rq?.operator ?? '', 'not a valid selector operator'));
    if (rq?.key !== 'metadata.name')
      errs.push(invalidValue(`${at}.key`, rq?.key ?? '', 'not a valid field selector key'));
    else
      values.forEach((v, i) => {
        errs.push(...dnsSubdomain(v, `${at}.values[${i}]`));
      });
  });
  return errs;
}

function validatePodAffinityTerm(term: PodAffinityTerm, path: string): FieldError[] {
  const t = (isObj(term) ? term : {}) as PodAffinityTerm;
  const errs = [
    ...validateLabelSelector(t.labelSelector, {}, `${path}.labelSelector`),
    ...validateLabelSelector(t.namespaceSelector, {}, `${path}.namespaceSelector`),
  ];
  for (const ns of list(t.namespaces)) errs.push(...dnsLabel(ns, `${path}.namespace`));
  const selector = t.labelSelector;
  const labelKeys = (field: string, keys: string[]) => {
    if (keys.length === 0) return;
    if (!has(selector)) {
      errs.push(forbidden(`${path}.${field}`, 'must not be specified when labelSelector is not set'));
      return;
    }
    keys.forEach((k, i) => {
      errs.push(...validateLabelName(k, `${path}.${field}[${i}]`));
    });
  };
  const match = list((t as unknown as J).matchLabelKeys as string[] | undefined);
  const mismatch = list((t as unknown as J).mismatchLabelKeys as string[] | undefined);
  labelKeys('matchLabelKeys', match);
  labelKeys('mismatchLabelKeys', mismatch);
  if (has(selector)) {
    const idx = new Map(match.map((k, i) => [k, i]));
    const keys = new Set(Object.keys(selector.matchLabels ?? {}));
    for (const expr of list(selector.matchExpressions)) {
      const key = expr?.key ?? '';
      const i = idx.get(key);
      if (i !== undefined && keys.has(key))
        errs.push(invalidValue(`${path}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'));
      keys.add(key);
    }
  }
  const mismatchSet = new Set(mismatch);
  match.forEach((k, i) => {
    if (mismatchSet.has(k))
      errs.push(
        invalidValue(
          `${path}.matchLabelKeys[${i}]`,
          k,
          'exists in both matchLabelKeys and mismatchLabelKeys',
        ),
      );
  });
  const topologyKey = t.topologyKey ?? '';
  if (!topologyKey) errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...validateLabelName(topologyKey, `${path}.topologyKey`));
  return errs;
}

function validatePodAffinityKind(aff: unknown, path: string): FieldError[] {
  if (!isObj(aff)) return [];
  const errs: FieldError[] = [];
  list(aff.requiredDuringSchedulingIgnoredDuringExecution as PodAffinityTerm[] | undefined).forEach(
    (t, i) => {
      errs.push(
        ...validatePodAffinityTerm(t, `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`),
      );
    },
  );
  list(aff.preferredDuringSchedulingIgnoredDuringExecution as J[] | undefined).forEach((w, j) => {
    const at = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${j}]`;
    const weight = typeof w?.weight === 'number' ? w.weight : 0;
    if (weight <= 0 || weight > 100)
      errs.push(invalidValue(`${at}.weight`, weight, 'must be in the range 1-100'));
    errs.push(...validatePodAffinityTerm(w?.podAffinityTerm as PodAffinityTerm, `${at}.podAffinityTerm`));
  });
  return errs;
}

function validateAffinity(spec: PodSpec, path: string): FieldError[] {
  const aff = spec.affinity;
  if (!has(aff)) return [];
  const errs: FieldError[] = [];
  const na = aff.nodeAffinity;
  if (has(na)) {
    const at = `${path}.nodeAffinity`;
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (has(req)) {
      const terms = list(req.nodeSelectorTerms);
      const termPath = `${at}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      if (terms.length === 0) errs.push(required(termPath, 'must have at least one node selector term'));
      terms.forEach((term, i) => {
        errs.push(...validateNodeSelectorTerm(term, false, `${termPath}[${i}]`));
      });
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      const tp = `${at}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const weight = term?.weight ?? 0;
      if (weight <= 0 || weight > 100)
        errs.push(invalidValue(`${tp}.weight`, weight, 'must be in the range 1-100'));
      errs.push(...validateNodeSelectorTerm(term?.preference, true, `${tp}.preference`));
    });
  }
  errs.push(...validatePodAffinityKind(aff.podAffinity, `${path}.podAffinity`));
  errs.push(...validatePodAffinityKind(aff.podAntiAffinity, `${path}.podAntiAffinity`));
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTolerations(tolerations: Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const at = `${path}[${i}]`;
    const key = t?.key ?? '';
    const op = t?.operator ?? '';
    const effect = t?.effect ?? '';
    const value = t?.value ?? '';
    if (key) errs.push(...validateLabelName(key, `${at}.key`));
    if (!key && op !== 'Exists')
      errs.push(
        invalidValue(
          `${at}.operator`,
          op,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (set(t?.tolerationSeconds) && effect !== 'NoExecute')
      errs.push(
        invalidValue(`${at}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"),
      );
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalidValue(`${at}.operator`, value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (value)
        errs.push(invalidValue(`${at}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(notSupported(`${at}.operator`, op, ['Equal', 'Exists']));
    if (effect && !TAINT_EFFECTS.includes(effect))
      errs.push(notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateTopologySpreadConstraints(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const constraints = list(spec.topologySpreadConstraints);
  // Upstream reports each constraint that has a later twin, i.e. all but the last of a group.
  const lastIndex = new Map<string, number>();
  constraints.forEach((c, i) => {
    lastIndex.set(`${c?.topologyKey ?? ''}\u0000${c?.whenUnsatisfiable ?? ''}`, i);
  });
  constraints.forEach((raw, i) => {
    const c = (isObj(raw) ? raw : {}) as J;
    const at = `${path}[${i}]`;
    const maxSkew = typeof c.maxSkew === 'number' ? c.maxSkew : 0;
    if (maxSkew <= 0) errs.push(invalidValue(`${at}.maxSkew`, maxSkew, NOT_POSITIVE_MSG));
    const topologyKey = typeof c.topologyKey === 'string' ? c.topologyKey : '';
    if (!topologyKey) errs.push(required(`${at}.topologyKey`, 'can not be empty'));
    const action = typeof c.whenUnsatisfiable === 'string' ? c.whenUnsatisfiable : '';
    if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway')
      errs.push(notSupported(`${at}.whenUnsatisfiable`, action, ['DoNotSchedule', 'ScheduleAnyway']));
    const pair = `${topologyKey}\u0000${action}`;
    if ((lastIndex.get(pair) ?? i) > i)
      errs.push(duplicate(`${at}.{topologyKey, whenUnsatisfiable}`, `{${topologyKey}, ${action}}`));
    if (set(c.minDomains)) {
      const md = typeof c.minDomains === 'number' ? c.minDomains : 0;
      if (md <= 0) errs.push(invalidValue(`${at}.minDomains`, md, NOT_POSITIVE_MSG));
      if (action !== 'DoNotSchedule')
        errs.push(
          invalidValue(
            `${at}.minDomains`,
            md,
            `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
          ),
        );
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const v = c[f];
      if (set(v) && v !== 'Honor' && v !== 'Ignore')
        errs.push(notSupported(`${at}.${f}`, v, ['Honor', 'Ignore']));
    }
    const matchLabelKeys = list(c.matchLabelKeys as string[] | undefined);
    if (matchLabelKeys.length) {
      const selector = c.labelSelector;
      const keys = new Set<string>();
      if (isObj(selector)) {
        for (const k of Object.keys(isObj(selector.matchLabels) ? selector.matchLabels : {})) keys.add(k);
        for (const e of list(selector.matchExpressions as J[] | undefined)) keys.add(String(e?.key ?? ''));
      } else
        errs.push(forbidden(`${at}.matchLabelKeys`, 'must not be specified when labelSelector is not set'));
      matchLabelKeys.forEach((k, j) => {
        errs.push(...validateLabelName(k, `${at}.matchLabelKeys[${j}]`));
        if (keys.has(k))
          errs.push(
            invalidValue(`${at}.matchLabelKeys[${j}]`, k, 'exists in both matchLabelKeys and labelSelector'),
          );
      });
    }
    errs.push(...validateLabelSelector(c.labelSelector, {}, `${at}.labelSelector`));
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Pod spec.

function validatePodSecurityContext(spec: PodSpec, path: string): FieldError[] {
  const sc = spec.securityContext;
  if (!has(sc)) return [];
  const errs: FieldError[] = [];
  for (const f of ['fsGroup', 'runAsUser', 'runAsGroup'] as const) {
    const v = sc[f];
    if (typeof v === 'number') for (const m of isValidID(v)) errs.push(invalidValue(`${path}.${f}`, v, m));
  }
  list(sc.supplementalGroups).forEach((g, i) => {
    for (const m of isValidID(g)) errs.push(invalidValue(`${path}.supplementalGroups[${i}]`, g, m));
  });
  if (spec.shareProcessNamespace === true && spec.hostPID === true)
    errs.push(
      invalidValue(
        `${path}.shareProcessNamespace`,
        true,
        'ShareProcessNamespace and HostPID cannot both be enabled',
      ),
    );
  const names = new Set<string>();
  list(sc.sysctls).forEach((s, i) => {
    const at = `${path}.sysctls[${i}].name`;
    const name = s?.name ?? '';
    const re = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
    if (!name) errs.push(required(at));
    else if (name.length > 253 || !new RegExp(re).test(name))
      errs.push(invalidValue(at, name, `must have at most 253 characters and match regex ${re}`));
    else if (names.has(name)) errs.push(duplicate(at, name));
    names.add(name);
  });
  const fsgcp = sc.fsGroupChangePolicy;
  if (set(fsgcp) && fsgcp !== 'OnRootMismatch' && fsgcp !== 'Always')
    errs.push(notSupported(`${path}.fsGroupChangePolicy`, fsgcp, ['Always', 'OnRootMismatch']));
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  errs.push(...validateAppArmorProfile((sc as unknown as J).appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

function validateDNSConfig(spec: PodSpec, path: string): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!has(cfg)) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (list(cfg.nameservers).length === 0)
      return [
        required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'),
      ];
  }
  if (!has(cfg)) return [];
  const errs: FieldError[] = [];
  const ns = list(cfg.nameservers);
  if (ns.length > 3)
    errs.push(invalidValue(`${path}.nameservers`, goStrings(ns), 'must not have more than 3 nameservers'));
  ns.forEach((s, i) => {
    errs.push(...validIP(`${path}.nameservers[${i}]`, s));
  });
  const searches = list(cfg.searches);
  if (searches.length > 32)
    errs.push(
      invalidValue(`${path}.searches`, goStrings(searches), 'must not have more than 32 search paths'),
    );
  if (searches.join(' ').length > 2048)
    errs.push(
      invalidValue(
        `${path}.searches`,
        goStrings(searches),
        'must not have more than 2048 characters (including spaces) in the search list',
      ),
    );
  searches.forEach((s, i) => {
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    errs.push(...dnsSubdomain(trimmed, `${path}.searches[${i}]`));
  });
  list(cfg.options).forEach((o, i) => {
    if (!o?.name) errs.push(required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

export function validatePodSpec(spec: PodSpec, path: string): FieldError[] {
  return validatePodSpecWith(spec, path, false);
}

function validatePodSpecWith(specIn: PodSpec, path: string, resourceIsPod: boolean): FieldError[] {
  const spec = (isObj(specIn) ? specIn : {}) as PodSpec;
  const errs: FieldError[] = [];
  const grace =
    typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  if (!set(spec.terminationGracePeriodSeconds)) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const hostUsers = spec.hostUsers !== false;
  const { vols, errs: volErrs } = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...volErrs);
  const containers = list(spec.containers);
  const inits = list(spec.initContainers);
  errs.push(...validateContainers(containers, vols, grace, `${path}.containers`, hostUsers));
  errs.push(...validateInitContainers(inits, containers, vols, grace, `${path}.initContainers`, hostUsers));
  // Ephemeral containers are rejected wholesale by the callers (templates and create).
  if (spec.hostNetwork === true) {
    containers.forEach((c, i) => {
      list(c?.ports).forEach((p, j) => {
        const hp = p?.hostPort ?? 0;
        const cp = p?.containerPort ?? 0;
        if ((resourceIsPod || hp !== 0) && hp !== cp)
          errs.push(
            invalidValue(
              `${path}.containers[${i}].ports[${j}].hostPort`,
              hp,
              'must match `containerPort` when `hostNetwork` is true',
            ),
          );
      });
    });
  }
  const rp = spec.restartPolicy ?? '';
  if (!rp) errs.push(required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp))
    errs.push(notSupported(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']));
  const dns = spec.dnsPolicy ?? '';
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dns) errs.push(required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(dns)) errs.push(notSupported(`${path}.dnsPolicy`, dns, dnsPolicies));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(spec, `${path}.securityContext`));
  errs.push(...validateAffinity(spec, `${path}.affinity`));
  errs.push(...validateDNSConfig(spec, `${path}.dnsConfig`));
  list(spec.readinessGates).forEach((g, i) => {
    errs.push(...qualifiedName(g?.conditionType ?? '', `${path}.readinessGates[${i}].conditionType`));
  });
  const gates = new Set<string>();
  list(spec.schedulingGates).forEach((g, i) => {
    const name = g?.name ?? '';
    errs.push(...qualifiedName(name, `${path}.schedulingGates[${i}]`));
    if (gates.has(name)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, name));
    gates.add(name);
  });
  errs.push(...validateTopologySpreadConstraints(spec, `${path}.topologySpreadConstraints`));
  if (spec.hostUsers === false) {
    const why = 'when `pod.Spec.HostUsers` is false';
    if (spec.hostNetwork) errs.push(forbidden(`${path}.hostNetwork`, why));
    if (spec.hostPID) errs.push(forbidden(`${path}.HostPID`, why));
    if (spec.hostIPC) errs.push(forbidden(`${path}.HostIPC`, why));
  }
  const sa = spec.serviceAccountName ?? '';
  if (sa) errs.push(...dnsSubdomain(sa, `${path}.serviceAccountName`));
  const nodeName = spec.nodeName ?? '';
  if (nodeName) errs.push(...dnsSubdomain(nodeName, `${path}.nodeName`));
  if (set(spec.activeDeadlineSeconds)) {
    const v = spec.activeDeadlineSeconds ?? 0;
    if (v < 1 || v > INT32_MAX)
      errs.push(invalidValue(`${path}.activeDeadlineSeconds`, v, inclusiveRange(1, INT32_MAX)));
  }
  if (spec.hostname) errs.push(...dnsLabel(spec.hostname, `${path}.hostname`));
  if (spec.subdomain) errs.push(...dnsLabel(spec.subdomain, `${path}.subdomain`));
  const tolerations = list(spec.tolerations);
  if (tolerations.length) errs.push(...validateTolerations(tolerations, `${path}.tolerations`));
  list(spec.hostAliases).forEach((ha, i) => {
    errs.push(...validIP(`${path}.hostAliases[${i}].ip`, ha?.ip ?? ''));
    list(ha?.hostnames).forEach((h, j) => {
      errs.push(...dnsSubdomain(h, `${path}.hostAliases[${i}].hostnames[${j}]`));
    });
  });
  if (spec.priorityClassName) errs.push(...dnsSubdomain(spec.priorityClassName, `${path}.priorityClassName`));
  if (typeof spec.runtimeClassName === 'string')
    errs.push(...dnsSubdomain(spec.runtimeClassName, `${path}.runtimeClassName`));
  if (set(spec.preemptionPolicy)) {
    const pp = String(spec.preemptionPolicy);
    if (!pp) errs.push(required(`${path}.preemptionPolicy`));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never')
      errs.push(notSupported(`${path}.preemptionPolicy`, pp, ['PreemptLowerPriority', 'Never']));
  }
  if (isObj(spec.overhead))
    errs.push(...validateResourceRequirements({ limits: spec.overhead }, `${path}.overhead`));
  if (isObj(spec.os)) {
    const name = spec.os.name ?? '';
    if (!name) errs.push(required(`${path}.os.name`, 'cannot be empty'));
    else if (name !== 'linux' && name !== 'windows')
      errs.push(notSupported(`${path}.os`, name, ['linux', 'windows']));
    else if (name === 'linux') {
      if (isObj(spec.securityContext?.windowsOptions))
        errs.push(
          forbidden(
            `${path}.securityContext.windowsOptions`,
            'windows options cannot be set for a linux pod',
          ),
        );
      visitContainers(spec, path, (c, at) => {
        if (isObj(c.securityContext?.windowsOptions))
          errs.push(
            forbidden(
              `${at}.securityContext.windowsOptions`,
              'windows options cannot be set for a linux pod',
            ),
          );
      });
    }
  }
  return errs;
}

/** podshelper.VisitContainersWithPath: init containers, then containers. */
function visitContainers(spec: PodSpec, path: string, fn: (c: Container, at: string) => void): void {
  list(spec.initContainers).forEach((c, i) => {
    fn(isObj(c) ? c : ({} as Container), `${path}.initContainers[${i}]`);
  });
  list(spec.containers).forEach((c, i) => {
    fn(isObj(c) ? c : ({} as Container), `${path}.containers[${i}]`);
  });
}

const MIRROR_POD = 'kubernetes.io/config.mirror';
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function validDeletionCost(value: string): boolean {
  const first = value[0] ?? '';
  if (!(first === '-' || value === '0' || (first >= '1' && first <= '9'))) return false;
  if (!/^[+-]?\d+$/.test(value)) return false;
  const n = BigInt(value);
  return n >= -2147483648n && n <= 2147483647n;
}

/** ValidatePodSpecificAnnotations (the seccomp/AppArmor annotation checks are not ported). */
function validatePodSpecificAnnotations(
  annotations: Record<string, string> | undefined,
  spec: PodSpec,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const a = annotations ?? {};
  if (Object.hasOwn(a, MIRROR_POD) && !spec?.nodeName) {
    errs.push(
      invalidValue(
        `${path}[${MIRROR_POD}]`,
        a[MIRROR_POD],
        'must set spec.nodeName if mirror pod annotation is set',
      ),
    );
  }
  if (Object.hasOwn(a, DELETION_COST) && !validDeletionCost(a[DELETION_COST] ?? '')) {
    errs.push(invalidValue(`${path}[${DELETION_COST}]`, a[DELETION_COST], 'must be a 32bit integer'));
  }
  return errs;
}

export function validatePodTemplateSpec(template: PodTemplateSpec, path: string): FieldError[] {
  const t = (isObj(template) ? template : {}) as PodTemplateSpec;
  const meta = has(t.metadata) ? t.metadata : {};
  const spec = (isObj(t.spec) ? t.spec : {}) as PodSpec;
  const errs = [
    ...validateLabels(meta.labels, `${path}.labels`),
    ...validateAnnotations(meta.annotations, `${path}.annotations`),
    ...validatePodSpecificAnnotations(meta.annotations, spec, `${path}.annotations`),
    ...validatePodSpec(spec, `${path}.spec`),
  ];
  if (list(spec.ephemeralContainers).length > 0)
    errs.push(
      forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'),
    );
  return errs;
}

/** Pod-only checks of validatePodMetadataAndSpec and ValidatePodCreate (metadata is validated elsewhere). */
export function validatePod(pod: Pod): FieldError[] {
  const p = (isObj(pod) ? pod : {}) as Pod;
  const spec = (isObj(p.spec) ? p.spec : {}) as PodSpec;
  const errs = validatePodMetadataAndSpec(p.metadata?.annotations, spec);
  if (list(spec.ephemeralContainers).length > 0)
    errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (spec.nodeName && list(spec.schedulingGates).length > 0)
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

function validatePodMetadataAndSpec(
  annotations: Record<string, string> | undefined,
  spec: PodSpec,
): FieldError[] {
  const errs = [
    ...validatePodSpecificAnnotations(annotations, spec, 'metadata.annotations'),
    ...validatePodSpecWith(spec, 'spec', true),
  ];
  if (!spec.serviceAccountName) {
    list(spec.volumes).forEach((v, vi) => {
      list(v?.projected?.sources).forEach((s, si) => {
        if (isObj(s?.serviceAccountToken))
          errs.push(
            forbidden(
              `spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`,
              'must not be specified when serviceAccountName is not set',
            ),
          );
      });
    });
  }
  for (const kind of ['containers', 'initContainers'] as const) {
    list(spec[kind]).forEach((c, i) => {
      const image = c?.image ?? '';
      if (image.length !== image.trim().length)
        errs.push(
          invalidValue(`spec.${kind}[${i}].image`, image, 'must not have leading or trailing whitespace'),
        );
    });
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Update.

const UPDATABLE =
  '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** JSON with sorted keys, for Semantic.DeepEqual on defaulted objects. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function diffLines(oldV: unknown, newV: unknown, at: string, out: string[]): void {
  if (canonical(oldV) === canonical(newV)) return;
  if (isObj(oldV) && isObj(newV)) {
    for (const k of [...new Set([...Object.keys(oldV), ...Object.keys(newV)])].sort())
      diffLines(oldV[k], newV[k], `${at}.${k}`, out);
    return;
  }
  if (Array.isArray(oldV) && Array.isArray(newV) && oldV.length === newV.length) {
    oldV.forEach((o, i) => {
      diffLines(o, newV[i], `${at}[${i}]`, out);
    });
    return;
  }
  out.push(`  - ${at}: ${canonical(oldV)}`, `  + ${at}: ${canonical(newV)}`);
}

function tolerationsOnlyAdded(newT: Toleration[], oldT: Toleration[], path: string): FieldError[] {
  const strip = (t: Toleration) => canonical({ ...t, tolerationSeconds: undefined });
  const fresh = new Set(newT.map(strip));
  for (const old of oldT) {
    if (!fresh.has(strip(old)))
      return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(newT, path);
}

export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const newSpec = (isObj(pod?.spec) ? pod.spec : {}) as PodSpec;
  const oldSpec = (isObj(old?.spec) ? old.spec : {}) as PodSpec;
  const newAnn: Record<string, string> = (has(pod?.metadata) ? pod.metadata.annotations : undefined) ?? {};
  const oldAnn: Record<string, string> = (has(old?.metadata) ? old.metadata.annotations : undefined) ?? {};
  const base = validatePodMetadataAndSpec(newAnn, newSpec);
  // ValidatePodSpecificAnnotationUpdates, which re-runs the annotation checks (so upstream repeats them).
  for (const [k, v] of Object.entries(oldAnn)) {
    if (Object.hasOwn(newAnn, k) && newAnn[k] === v) continue;
    const at = `metadata.annotations[${k}]`;
    if (k.startsWith(APPARMOR_PREFIX))
      base.push(forbidden(at, 'may not remove or update AppArmor annotations'));
    if (k === MIRROR_POD) base.push(forbidden(at, 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(newAnn)) {
    if (Object.hasOwn(oldAnn, k)) continue;
    const at = `metadata.annotations[${k}]`;
    if (k.startsWith(APPARMOR_PREFIX)) base.push(forbidden(at, 'may not add AppArmor annotations'));
    if (k === MIRROR_POD) base.push(forbidden(at, 'may not add mirror pod annotation'));
  }
  base.push(...validatePodSpecificAnnotations(newAnn, newSpec, 'metadata.annotations'));
  for (const kind of ['containers', 'initContainers'] as const) {
    const n = list(newSpec[kind]);
    const o = list(oldSpec[kind]);
    if (n.length !== o.length) {
      base.push(forbidden(`spec.${kind}`, 'pod updates may not add or remove containers'));
      return base;
    }
    n.forEach((c, i) => {
      const image = c?.image ?? '';
      if (!image) base.push(required(`spec.${kind}[${i}].image`));
      if (image.trim().length !== image.length)
        base.push(
          invalidValue(`spec.${kind}[${i}].image`, image, 'must not have leading or trailing whitespace'),
        );
    });
  }
  const nAds = newSpec.activeDeadlineSeconds;
  const oAds = oldSpec.activeDeadlineSeconds;
  if (set(nAds)) {
    const v = nAds ?? 0;
    if (v < 0 || v > INT32_MAX) {
      base.push(invalidValue('spec.activeDeadlineSeconds', v, inclusiveRange(0, INT32_MAX)));
      return base;
    }
    if (set(oAds) && (oAds ?? 0) < v) {
      base.push(
        invalidValue('spec.activeDeadlineSeconds', v, 'must be less than or equal to previous value'),
      );
      return base;
    }
  } else if (set(oAds)) {
    // Go renders the nil pointer as the string "null".
    base.push(
      invalidValue(
        'spec.activeDeadlineSeconds',
        'null',
        'must not update from a positive integer to nil value',
      ),
    );
  }
  base.push(
    ...tolerationsOnlyAdded(list(newSpec.tolerations), list(oldSpec.tolerations), 'spec.tolerations'),
  );
  const newGates = list(newSpec.schedulingGates);
  if (newGates.length) {
    const added = new Map<string, number>();
    newGates.forEach((g, i) => {
      added.set(g?.name ?? '', i);
    });
    for (const g of list(oldSpec.schedulingGates)) added.delete(g?.name ?? '');
    for (const [gate, i] of added)
      base.push(
        forbidden(
          `spec.schedulingGates[${i}].name`,
          `only deletion is allowed, but found new scheduling gate '${gate}'`,
        ),
      );
  }
  if (canonical(newSpec) === canonical(oldSpec)) return base;
  const munged: J = structuredClone(newSpec) as unknown as J;
  for (const kind of ['containers', 'initContainers'] as const) {
    const oc = list(oldSpec[kind]);
    if (Array.isArray(munged[kind]))
      munged[kind] = (munged[kind] as J[]).map((c, i) => ({ ...c, image: oc[i]?.image }));
  }
  munged.activeDeadlineSeconds = oAds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  const oTgps = oldSpec.terminationGracePeriodSeconds;
  if (typeof oTgps === 'number' && oTgps < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oTgps;
  if (list(oldSpec.schedulingGates).length > 0) {
    const oldSel = oldSpec.nodeSelector ?? {};
    const newSel = (munged.nodeSelector ?? {}) as Record<string, string>;
    if (canonical(oldSel) !== canonical(newSel)) {
      if (Object.entries(oldSel).some(([k, v]) => newSel[k] !== v))
        base.push(
          invalidValue(
            'spec.nodeSelector',
            goStringMap(munged.nodeSelector as Record<string, string> | undefined),
            'only additions to spec.nodeSelector are allowed (no mutations or deletions)',
          ),
        );
      munged.nodeSelector = oldSpec.nodeSelector;
    }
  }
  if (canonical(munged) !== canonical(oldSpec)) {
    const lines: string[] = [];
    diffLines(oldSpec, munged, 'spec', lines);
    base.push(
      forbidden('spec', `pod updates may not change fields other than ${UPDATABLE}\n${lines.join('\n')}`),
    );
  }
  return base;
}
