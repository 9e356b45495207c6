/**
 * A container's environment and argv, as the kubelet builds them (makeEnvironmentVariables):
 * env entries in order, each value expanded against the ones before it; fieldRef and
 * resourceFieldRef from the downward API; then `$(VAR)` in command and args.
 */
import type { Container, EnvVar, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../../api/core/v1/pod.js';
import { quantityMilliValue, quantityValue, toQuantity } from '../../api/core/v1/quantity.js';
import { expand } from './expand.js';

/** What the downward API reads besides the pod: its IPs and what the node offers. */
export interface EnvContext {
  podIP: string;
  hostIP: string;
  nodeName: string;
  /** Used for a limits.* reference when the container sets no limit, as upstream does. */
  allocatable: { cpuMillis: number; memoryBytes: number; ephemeralStorageBytes: number };
}

/** Container config the kubelet cannot build: reported as waiting with this reason. */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

/** A PATH is what an image would give; without one, a bare command name could not be found. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ContainerEnv {
  env: Record<string, string>;
  argv: string[];
}

/** The whole environment and the expanded argv of one container; throws ContainerConfigError. */
export function containerEnv(pod: Pod, container: Container, ctx: EnvContext): ContainerEnv {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: pod.metadata.name ?? '' };
  const defined: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'configmap' : 'secret';
    // batchd serves no ConfigMaps or Secrets: a required source can never be found.
    if (ref && !ref.optional) throw new ContainerConfigError(`${kind} "${ref.name ?? ''}" not found`);
  }
  for (const v of container.env ?? []) {
    const value = envValue(pod, container, v, defined, ctx);
    if (value !== undefined) defined[v.name] = value;
  }
  Object.assign(env, defined);
  const lookup = (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a) => expand(a, lookup));
  return { env, argv };
}

function envValue(
  pod: Pod,
  container: Container,
  v: EnvVar,
  defined: Record<string, string>,
  ctx: EnvContext,
): string | undefined {
  if (!v.valueFrom) {
    return expand(v.value ?? '', (name) => (Object.hasOwn(defined, name) ? defined[name] : undefined));
  }
  const from = v.valueFrom;
  if (from.fieldRef) return fieldValue(pod, from.fieldRef.fieldPath, ctx);
  if (from.resourceFieldRef) return resourceValue(pod, container, from.resourceFieldRef, ctx);
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  const kind = from.configMapKeyRef ? 'configmap' : 'secret';
  if (ref?.optional) return undefined;
  throw new ContainerConfigError(`${kind} "${ref?.name ?? ''}" not found`);
}

/** The downward API's fieldRef values (podshelper.ExtractFieldPathAsString and the kubelet's status fields). */
export function fieldValue(pod: Pod, path: string, ctx: EnvContext): string {
  const meta = pod.metadata;
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (subscript) {
    const map = subscript[1] === 'labels' ? meta.labels : meta.annotations;
    return map?.[subscript[2] ?? ''] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? ctx.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'spec.restartPolicy':
      return pod.spec?.restartPolicy ?? '';
    case 'spec.schedulerName':
      return pod.spec?.schedulerName ?? '';
    case 'status.phase':
      return pod.status?.phase ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP;
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** A label or annotation map as the downward API writes it: sorted `key="value"` lines. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map?.[k])}`)
    .join('\n');
}

/** resourceFieldRef: the value divided by the divisor, rounded up; an unset limit is the node's allocatable. */
export function resourceValue(
  pod: Pod,
  container: Container,
  ref: ResourceFieldSelector,
  ctx: EnvContext,
): string {
  const target = ref.containerName
    ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
        (c) => c.name === ref.containerName,
      )
    : container;
  const [kind, resource = ''] = ref.resource.split('.');
  const values = kind === 'limits' ? target?.resources?.limits : target?.resources?.requests;
  const divisor = toQuantity(ref.divisor ?? '1') ?? toQuantity('1');
  const q = toQuantity(values?.[resource]);
  if (resource === 'cpu') {
    const millis = q ? Number(quantityMilliValue(q)) : kind === 'limits' ? ctx.allocatable.cpuMillis : 0;
    const per = divisor ? Number(quantityMilliValue(divisor)) : 1000;
    return String(Math.ceil(millis / (per || 1000)));
  }
  const fallback =
    resource === 'memory' ? ctx.allocatable.memoryBytes : ctx.allocatable.ephemeralStorageBytes;
  const bytes = q ? Number(quantityValue(q)) : kind === 'limits' ? fallback : 0;
  const per = divisor ? Number(quantityValue(divisor)) : 1;
  return String(Math.ceil(bytes / (per || 1)));
}
