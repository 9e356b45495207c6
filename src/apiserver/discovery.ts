/**
 * Discovery documents: aggregated v2 (`/api`, `/apis`, what kubectl reads) and the legacy
 * APIVersions / APIGroupList / APIGroup / APIResourceList (what client-node reads).
 */
import { apiVersionOf, type ResourceType, type Scheme } from '../api/scheme.js';
import { mediaType } from './negotiate.js';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the Accept header asks for, if any, in the client's order. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (mediaType(part) !== 'application/json' || params.get('as') !== 'APIGroupDiscoveryList') {
      if (mediaType(part) === 'application/json' && !params.has('as')) return undefined;
      continue;
    }
    if (params.get('g') !== 'apidiscovery.k8s.io') continue;
    const v = params.get('v');
    if (v === 'v2' || v === 'v2beta1') return v;
  }
  return undefined;
}

const scope = (t: ResourceType) => (t.namespaced ? 'Namespaced' : 'Cluster');

function aggregatedResource(t: ResourceType) {
  const r: Record<string, unknown> = {
    resource: t.resource,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: scope(t),
    singularResource: t.singular,
    verbs: [...t.verbs],
  };
  if (t.shortNames) r.shortNames = t.shortNames;
  if (t.categories) r.categories = t.categories;
  if (t.subresources.length) {
    r.subresources = t.subresources.map((s) => ({
      subresource: s.name,
      responseKind: s.kind,
      verbs: s.verbs,
    }));
  }
  return r;
}

/** The aggregated list for `/api` (core: true) or `/apis`. */
export function aggregatedDiscovery(scheme: Scheme, core: boolean, version: 'v2' | 'v2beta1') {
  const groups = new Map<string, Array<{ version: string; resources: ResourceType[] }>>();
  for (const gv of scheme.groupVersions()) {
    if ((gv.group === '') !== core) continue;
    const list = groups.get(gv.group) ?? [];
    list.push({ version: gv.version, resources: gv.resources });
    groups.set(gv.group, list);
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [...groups].map(([name, versions]) => ({
      metadata: { name, creationTimestamp: null },
      versions: versions.map((v) => ({
        version: v.version,
        resources: v.resources.map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]) {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0] };
}

function namedGroups(scheme: Scheme): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const gv of scheme.groupVersions()) {
    if (!gv.group) continue;
    out.set(gv.group, [...(out.get(gv.group) ?? []), gv.version]);
  }
  return out;
}

export function apiGroupList(scheme: Scheme) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...namedGroups(scheme)].map(([name, versions]) => apiGroup(name, versions)),
  };
}

export function apiGroupDocument(scheme: Scheme, group: string) {
  const versions = namedGroups(scheme).get(group);
  return versions && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

export function apiResourceList(scheme: Scheme, group: string, version: string) {
  const gv = scheme.groupVersions().find((x) => x.group === group && x.version === version);
  if (!gv) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const t of gv.resources) {
    const r: Record<string, unknown> = {
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: [...t.verbs],
    };
    if (t.shortNames) r.shortNames = t.shortNames;
    if (t.categories) r.categories = t.categories;
    resources.push(r);
    for (const s of t.subresources) {
      resources.push({
        name: `${t.resource}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(s.kind.group !== t.group || s.kind.version !== t.version ? s.kind : {}),
        kind: s.kind.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(gv), resources };
}
