/**
 * The OpenAPI v3 documents of a scheme, one per path of upstream's `/openapi/v3` index: each
 * group version (`api/v1`, `apis/batch/v1`), the discovery roots (`api`, `apis`, `apis/<group>`)
 * and `version`. Schemas come from the catalog; a document holds exactly the components its
 * operations reach.
 */

import type { Catalog } from '../schema/schema.js';
import type { ResourceType, Scheme } from '../scheme.js';
import { openApiCatalog, VERSION_INFO } from './discoveryTypes.js';
import { groupName, groupVersionPaths, pathItems } from './paths.js';
import { componentSchemas } from './schemas.js';
import { type Document, type GroupVersionKind, type MediaTypes, type PathItem, refTo } from './types.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** The list type of a resource: its schema's package with the listKind. */
export const listTypeOf = (t: ResourceType): string =>
  `${(t.schema ?? '').slice(0, (t.schema ?? '').lastIndexOf('.') + 1)}${t.listKind}`;

/** The index keys of the documents a scheme serves, in upstream's form (`apis/batch/v1`). */
export function documentPaths(scheme: Scheme): string[] {
  const out = new Set<string>(['api', 'apis', 'version']);
  for (const { group, version } of scheme.groupVersions()) {
    if (group) {
      out.add(`apis/${group}`);
      out.add(`apis/${group}/${version}`);
    } else out.add(`api/${version}`);
  }
  return [...out].sort();
}

/**
 * Which components are top-level kinds: the served kinds and their lists, and the meta types
 * every group version shares (options and events under each served version, as upstream lists them).
 */
export function kindsOf(scheme: Scheme): Map<string, GroupVersionKind[]> {
  const out = new Map<string, GroupVersionKind[]>();
  const add = (name: string, gvk: GroupVersionKind) => {
    const list = out.get(name) ?? [];
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind))
      list.push(gvk);
    out.set(name, list);
  };
  for (const t of scheme.all) {
    if (!t.schema) continue;
    add(t.schema, { group: t.group, kind: t.kind, version: t.version });
    add(listTypeOf(t), { group: t.group, kind: t.listKind, version: t.version });
  }
  const core = (kind: string) => ({ group: '', kind, version: 'v1' });
  for (const kind of ['Status', 'APIResourceList', 'APIGroup', 'APIGroupList', 'APIVersions'])
    add(META + kind, core(kind));
  const versions = [{ group: '', version: 'v1' }, ...scheme.groupVersions().filter((gv) => gv.group)];
  for (const kind of ['DeleteOptions', 'WatchEvent'])
    for (const gv of versions) add(META + kind, { group: gv.group, kind, version: gv.version });
  return out;
}

/** Every `$ref` target in a value. */
function refsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.add(v.slice(v.lastIndexOf('/') + 1));
      else refsIn(v, into);
    }
  return into;
}

function assemble(catalog: Catalog, scheme: Scheme, paths: Record<string, PathItem>): Document {
  const kinds = kindsOf(scheme);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas: componentSchemas(catalog, refsIn(paths), (name) => kinds.get(name) ?? []),
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'A bearer token, sent as "Authorization: Bearer <token>".',
          name: 'authorization',
          in: 'header',
        },
      },
    },
  };
}

/** A discovery-style path with one GET answering one type. */
function single(
  path: string,
  operationId: string,
  tag: string,
  type: string,
  description: string,
  types = ['application/json', 'application/yaml'],
): Record<string, PathItem> {
  const content: MediaTypes = {};
  for (const t of types) content[t] = { schema: { $ref: refTo(type) } };
  return pathItems([
    {
      path,
      method: 'get',
      parameters: [],
      operation: {
        description,
        operationId,
        tags: [tag],
        responses: { '200': { description: 'OK', content }, '401': { description: 'Unauthorized' } },
      },
    },
  ]);
}

function paths(scheme: Scheme, docPath: string): Record<string, PathItem> | undefined {
  const parts = docPath.split('/');
  if (docPath === 'version')
    return single('/version/', 'getCodeVersion', 'version', VERSION_INFO, 'the version of the server', [
      'application/json',
    ]);
  if (docPath === 'api')
    return single(
      '/api/',
      'getCoreAPIVersions',
      'core',
      `${META}APIVersions`,
      'the versions of the core group',
    );
  if (docPath === 'apis')
    return single('/apis/', 'getAPIVersions', 'apis', `${META}APIGroupList`, 'the groups served under /apis');
  const served = scheme.groupVersions();
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = parts[1] ?? '';
    if (!served.some((gv) => gv.group === group)) return undefined;
    return single(
      `/apis/${group}/`,
      `get${groupName(group)}APIGroup`,
      group,
      `${META}APIGroup`,
      `the versions of ${group}`,
    );
  }
  const gv = served.find((g) => (g.group ? `apis/${g.group}/${g.version}` : `api/${g.version}`) === docPath);
  if (!gv) return undefined;
  return groupVersionPaths(gv.group, gv.version, gv.resources, listTypeOf);
}

/** The document at one index path (`apis/batch/v1`), or undefined when the scheme serves none there. */
export function buildDocument(
  scheme: Scheme,
  docPath: string,
  catalog: Catalog = openApiCatalog(),
): Document | undefined {
  const p = paths(scheme, docPath);
  return p && assemble(catalog, scheme, p);
}
