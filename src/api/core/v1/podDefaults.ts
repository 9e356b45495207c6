/**
 * core/v1 defaulting for pod specs, as Kubernetes 1.32 applies it when a Pod, or an object that
 * embeds a pod template (Job, CronJob), is decoded: the hand-written SetDefaults_* functions of
 * pkg/apis/core/v1/defaults.go in the places zz_generated.defaults.go calls them, the `+default`
 * markers of the v1 types, and the two effects of the v1 round trip that users see (quantities
 * in canonical form, `serviceAccount` mirroring `serviceAccountName`).
 *
 * Everything mutates plain JSON in place and tolerates missing or wrongly typed members: the
 * schema check runs first, but nothing here may throw on what it lets through.
 */
import type { Pod, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { canonicalQuantity, formatQuantity, roundUpQuantity, toQuantity } from './quantity.js';

type J = Record<string, unknown>;

const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The object members of a JSON array (anything else yields nothing). */
const objects = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);
/** A Go pointer field is nil when the JSON member is absent or null. */
const unset = (v: unknown) => v === undefined || v === null;
/** A Go string/number field is at its zero value when absent, null, "" or 0. */
const zero = (v: unknown) => unset(v) || v === '' || v === 0;

// Upstream constants (core/v1 types.go).
const TERMINATION_MESSAGE_PATH = '/dev/termination-log';
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** 0644, the default file mode of secret, configMap, downwardAPI and projected volumes. */
const DEFAULT_VOLUME_MODE = 0o644;
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

// ---------------------------------------------------------------------------------------------
// Image references: the kubelet's parsers.ParseImageName (docker distribution/reference with
// docker.io normalisation). Only "does it parse" and the tag decide the default pull policy.

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const domainAndPort = `(?:${domainName}|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const referenceRe = new RegExp(
  `^((?:${domainAndPort}/)?${remoteName})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`,
);
const identifierRe = /^[a-f0-9]{64}$/;
/** The digest algorithms a kube-apiserver binary links in, with their hex lengths. */
const DIGEST_HEX_LENGTH: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);
const NAME_TOTAL_LENGTH_MAX = 255;

/** A parsed image reference: the tag is "latest" when neither a tag nor a digest was given. */
export interface ImageReference {
  tag: string;
  digest: string;
}

function validDigest(d: string): boolean {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) return false;
  const len = DIGEST_HEX_LENGTH.get(d.slice(0, i));
  const hex = d.slice(i + 1);
  return len !== undefined && hex.length === len && /^[a-f0-9]+$/.test(hex);
}

/** Docker's rule: a first component without '.', ':' or capitals is a path, not a registry host. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  const isPath = i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first);
  let domain = isPath ? 'docker.io' : first;
  const remainder = isPath ? name : name.slice(i + 1);
  if (domain === 'index.docker.io') domain = 'docker.io';
  return {
    domain,
    remainder: domain === 'docker.io' && !remainder.includes('/') ? `library/${remainder}` : remainder,
  };
}

/** Upstream parsers.ParseImageName; undefined when the reference does not parse. */
export function parseImageName(image: string): ImageReference | undefined {
  if (identifierRe.test(image)) return undefined;
  const { domain, remainder } = splitDomain(image);
  const colon = remainder.indexOf(':');
  const repo = colon > -1 ? remainder.slice(0, colon) : remainder;
  if (repo.toLowerCase() !== repo) return undefined;
  const m = referenceRe.exec(`${domain}/${remainder}`);
  if (!m) return undefined;
  const [, name = '', tag = '', digest = ''] = m;
  if (name.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  if (digest && !validDigest(digest)) return undefined;
  return { tag: !tag && !digest ? 'latest' : tag, digest };
}

/**
 * The imagePullPolicy upstream gives a container without one: Always when the tag is `latest`,
 * written or implied (no tag and no digest); IfNotPresent otherwise, unparsable images included.
 */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  return typeof image === 'string' && parseImageName(image)?.tag === 'latest' ? 'Always' : 'IfNotPresent';
}

// ---------------------------------------------------------------------------------------------
// Quantities.

/**
 * SetDefaults_ResourceList: every quantity is rounded up to milli precision, and (through the
 * round trip) stored in canonical form. Unparsable values are left for validation to report.
 */
function defaultResourceList(list: unknown): void {
  if (!isObj(list)) return;
  for (const [key, value] of Object.entries(list)) {
    const q = toQuantity(value);
    if (q) list[key] = formatQuantity(roundUpQuantity(q, -3));
  }
}

/** A lone Quantity field is not rounded, only re-printed canonically. */
function canonicalize(holder: J, key: string): void {
  if (!unset(holder[key])) holder[key] = canonicalQuantity(holder[key]);
}

function defaultResourceRequirements(resources: unknown): void {
  if (!isObj(resources)) return;
  defaultResourceList(resources.limits);
  defaultResourceList(resources.requests);
}

// ---------------------------------------------------------------------------------------------
// Volumes.

function defaultFieldRef(holder: J): void {
  const ref = holder.fieldRef;
  if (isObj(ref) && zero(ref.apiVersion)) ref.apiVersion = 'v1';
}

function defaultDownwardAPIItems(items: unknown): void {
  for (const item of objects(items)) {
    defaultFieldRef(item);
    if (isObj(item.resourceFieldRef)) canonicalize(item.resourceFieldRef, 'divisor');
  }
}

function defaultMode(source: unknown): void {
  if (isObj(source) && unset(source.defaultMode)) source.defaultMode = DEFAULT_VOLUME_MODE;
}

function setIfZero(o: J, key: string, value: unknown): void {
  if (zero(o[key])) o[key] = value;
}

function setIfUnset(o: J, key: string, value: unknown): void {
  if (unset(o[key])) o[key] = value;
}

/** Every volume source key of v1.VolumeSource, for upstream's "all pointer fields nil" test. */
const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

function defaultVolume(vol: J): void {
  // SetDefaults_Volume: a volume that names no source is an emptyDir. (The 1.32 image-volume
  // pull policy default is behind the ImageVolume gate, off by default, so it is not applied.)
  if (VOLUME_SOURCES.every((k) => unset(vol[k]))) vol.emptyDir = {};
  if (isObj(vol.hostPath)) setIfUnset(vol.hostPath, 'type', '');
  if (isObj(vol.emptyDir)) canonicalize(vol.emptyDir, 'sizeLimit');
  defaultMode(vol.secret);
  if (isObj(vol.iscsi)) setIfZero(vol.iscsi, 'iscsiInterface', 'default');
  if (isObj(vol.rbd)) {
    setIfZero(vol.rbd, 'pool', 'rbd');
    setIfZero(vol.rbd, 'user', 'admin');
    setIfZero(vol.rbd, 'keyring', '/etc/ceph/keyring');
  }
  if (isObj(vol.downwardAPI)) {
    defaultMode(vol.downwardAPI);
    defaultDownwardAPIItems(vol.downwardAPI.items);
  }
  defaultMode(vol.configMap);
  if (isObj(vol.azureDisk)) {
    setIfUnset(vol.azureDisk, 'cachingMode', 'ReadWrite');
    setIfUnset(vol.azureDisk, 'fsType', 'ext4');
    setIfUnset(vol.azureDisk, 'readOnly', false);
    setIfUnset(vol.azureDisk, 'kind', 'Shared');
  }
  if (isObj(vol.projected)) {
    defaultMode(vol.projected);
    for (const source of objects(vol.projected.sources)) {
      if (isObj(source.downwardAPI)) defaultDownwardAPIItems(source.downwardAPI.items);
      if (isObj(source.serviceAccountToken)) {
        setIfUnset(source.serviceAccountToken, 'expirationSeconds', DEFAULT_TOKEN_EXPIRATION_SECONDS);
      }
    }
  }
  if (isObj(vol.scaleIO)) {
    setIfZero(vol.scaleIO, 'storageMode', 'ThinProvisioned');
    setIfZero(vol.scaleIO, 'fsType', 'xfs');
  }
  const template = isObj(vol.ephemeral) ? vol.ephemeral.volumeClaimTemplate : undefined;
  if (isObj(template) && isObj(template.spec)) {
    // SetDefaults_PersistentVolumeClaimSpec and the claim's resource lists.
    setIfUnset(template.spec, 'volumeMode', 'Filesystem');
    defaultResourceRequirements(template.spec.resources);
  }
}

// ---------------------------------------------------------------------------------------------
// Containers.

function defaultHTTPGet(handler: unknown): void {
  if (!isObj(handler) || !isObj(handler.httpGet)) return;
  setIfZero(handler.httpGet, 'path', '/');
  setIfZero(handler.httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: unknown): void {
  if (!isObj(probe)) return;
  // SetDefaults_Probe tests for Go's zero value, so an explicit 0 is replaced too.
  setIfZero(probe, 'timeoutSeconds', 1);
  setIfZero(probe, 'periodSeconds', 10);
  setIfZero(probe, 'successThreshold', 1);
  setIfZero(probe, 'failureThreshold', 3);
  defaultHTTPGet(probe);
  // `+default=""` on GRPCAction.service (a pointer, so it then serialises as "").
  if (isObj(probe.grpc)) setIfUnset(probe.grpc, 'service', '');
}

/** SetDefaults_Container plus the defaulters the generated code runs on a container's members. */
function defaultContainer(c: J): void {
  if (zero(c.imagePullPolicy)) c.imagePullPolicy = defaultPullPolicy(c.image);
  setIfZero(c, 'terminationMessagePath', TERMINATION_MESSAGE_PATH);
  setIfZero(c, 'terminationMessagePolicy', 'File');
  for (const port of objects(c.ports)) setIfZero(port, 'protocol', 'TCP');
  for (const env of objects(c.env)) {
    if (!isObj(env.valueFrom)) continue;
    defaultFieldRef(env.valueFrom);
    if (isObj(env.valueFrom.resourceFieldRef)) canonicalize(env.valueFrom.resourceFieldRef, 'divisor');
  }
  defaultResourceRequirements(c.resources);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHTTPGet(c.lifecycle.postStart);
    defaultHTTPGet(c.lifecycle.preStop);
  }
}

// ---------------------------------------------------------------------------------------------
// Exported entry points.

/**
 * Defaults a PodSpec in place, as upstream does for every object embedding one (SetDefaults_PodSpec
 * and the generated per-member defaulters). Pod-only defaults are in {@link defaultPod}.
 */
export function defaultPodSpec(spec: PodSpec): void {
  const s = spec as unknown as J;
  if (!isObj(s)) return;
  // The v1 ⇄ internal conversion keeps `serviceAccount` as an alias: on the way in it fills an
  // empty serviceAccountName, on the way out it always mirrors serviceAccountName.
  if (zero(s.serviceAccountName) && typeof s.serviceAccount === 'string' && s.serviceAccount !== '') {
    s.serviceAccountName = s.serviceAccount;
  }
  if (typeof s.serviceAccountName === 'string' && s.serviceAccountName !== '')
    s.serviceAccount = s.serviceAccountName;
  else delete s.serviceAccount;

  setIfZero(s, 'dnsPolicy', 'ClusterFirst');
  setIfZero(s, 'restartPolicy', 'Always');
  setIfUnset(s, 'securityContext', {});
  setIfUnset(s, 'terminationGracePeriodSeconds', DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  setIfZero(s, 'schedulerName', DEFAULT_SCHEDULER_NAME);

  for (const vol of objects(s.volumes)) defaultVolume(vol);
  for (const c of objects(s.initContainers)) defaultContainer(c);
  for (const c of objects(s.containers)) defaultContainer(c);
  for (const c of objects(s.ephemeralContainers)) defaultContainer(c);
  defaultResourceList(s.overhead);
  // Pod-level resources (1.32 alpha, normally dropped) are a ResourceRequirements like a container's.
  defaultResourceRequirements(s.resources);
}

/**
 * Defaults a pod template (Job and CronJob templates) in place. The template's spec is a struct
 * upstream, never absent, so an empty one is created and defaulted.
 */
export function defaultPodTemplateSpec(template: PodTemplateSpec): void {
  const t = template as unknown as J;
  if (!isObj(t)) return;
  if (!isObj(t.spec)) t.spec = {};
  defaultPodSpec(t.spec as unknown as PodSpec);
}

/** SetDefaults_Pod: requests copied from limits where unset (containers and init containers only). */
function defaultRequestsFromLimits(containers: unknown): void {
  for (const c of objects(containers)) {
    const res = c.resources;
    if (!isObj(res) || !isObj(res.limits)) continue;
    for (const [key, value] of Object.entries(res.limits)) {
      if (!isObj(res.requests)) res.requests = {};
      const requests = res.requests as J;
      if (!Object.hasOwn(requests, key)) requests[key] = value;
    }
  }
}

/** With host networking, a container port without a host port gets its own number. */
function defaultHostNetworkPorts(containers: unknown): void {
  for (const c of objects(containers)) {
    for (const port of objects(c.ports)) {
      if (zero(port.hostPort) && port.containerPort !== undefined) port.hostPort = port.containerPort;
    }
  }
}

/**
 * Defaults a Pod in place: the Pod-only SetDefaults_Pod (requests from limits, enableServiceLinks,
 * host-network ports) first, then everything {@link defaultPodSpec} does. Priority, the service
 * account token volume and similar are admission's business, not defaulting's.
 */
export function defaultPod(pod: Pod): void {
  const p = pod as unknown as J;
  if (!isObj(p)) return;
  if (!isObj(p.spec)) p.spec = {};
  const s = p.spec as J;
  defaultRequestsFromLimits(s.containers);
  defaultRequestsFromLimits(s.initContainers);
  setIfUnset(s, 'enableServiceLinks', true);
  if (s.hostNetwork === true) {
    defaultHostNetworkPorts(s.containers);
    defaultHostNetworkPorts(s.initContainers);
  }
  defaultPodSpec(s as unknown as PodSpec);
}
