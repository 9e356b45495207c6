/**
 * The `paths` of a group/version document: one route per URL and verb batchd serves, named and
 * shaped as upstream's API installer names them (`createBatchV1NamespacedJob`, ...), with the
 * parameters every operation of a path shares lifted to the path, as upstream's builder does.
 */

import { META } from '../schema/schema.js';
import type { ResourceType, Subresource, Verb } from '../scheme.js';
import { type Action, actionParameters, logParameters, pathParameter, pretty } from './parameters.js';
import {
  type GroupVersionKind,
  type MediaTypes,
  type Method,
  type Operation,
  type Parameter,
  type PathItem,
  type Response,
  refTo,
  type SchemaObject,
} from './types.js';

export const STATUS = `${META}Status`;
export const DELETE_OPTIONS = `${META}DeleteOptions`;
export const WATCH_EVENT = `${META}WatchEvent`;
export const PATCH = `${META}Patch`;
export const API_RESOURCE_LIST = `${META}APIResourceList`;

/** The media types batchd answers in (protobuf-preferring clients accept JSON too). */
const ANSWERS = ['application/json', 'application/yaml'];
const STREAMS = ['application/json', 'application/json;stream=watch', 'application/yaml'];
/** kubectl builds a strategic merge patch from the document only if the PATCH lists its type. */
const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

export interface Route {
  path: string;
  method: Method;
  operation: Operation;
  /** Every parameter of the route, path and query, before the shared ones move to the path. */
  parameters: Parameter[];
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `batch` → `Batch`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`. */
export function groupName(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .map(capitalize)
    .join('');
}

/** The operationId infix and the tag of a group version: `BatchV1` and `batch_v1`. */
export function groupVersionNames(group: string, version: string): { id: string; tag: string } {
  const name = groupName(group);
  return {
    id: name + capitalize(version),
    tag: `${name.charAt(0).toLowerCase()}${name.slice(1)}_${version}`,
  };
}

function content(schema: string, types: readonly string[]): MediaTypes {
  const out: MediaTypes = {};
  for (const t of types) out[t] = { schema: { $ref: refTo(schema) } };
  return out;
}

const UNAUTHORIZED: Response = { description: 'Unauthorized' };
const REASONS: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };

function responses(codes: string[], body: MediaTypes): Record<string, Response> {
  const out: Record<string, Response> = {};
  for (const code of codes) out[code] = { description: REASONS[code] ?? code, content: body };
  out['401'] = UNAUTHORIZED;
  return out;
}

/** What one action sends and answers, given the object type and its list type. */
function shape(
  action: Action,
  object: string,
  list: string,
  deleteAnswer: string,
): Pick<Operation, 'requestBody' | 'responses'> {
  const obj = content(object, ANSWERS);
  switch (action) {
    case 'list':
      return { responses: responses(['200'], content(list, STREAMS)) };
    case 'watch':
    case 'watchlist':
      return { responses: responses(['200'], content(WATCH_EVENT, STREAMS)) };
    case 'get':
      return { responses: responses(['200'], obj) };
    case 'post':
      return {
        requestBody: { content: content(object, ['*/*']), required: true },
        responses: responses(['200', '201', '202'], obj),
      };
    case 'put':
      return {
        requestBody: { content: content(object, ['*/*']), required: true },
        responses: responses(['200', '201'], obj),
      };
    case 'patch':
      return {
        requestBody: { content: content(PATCH, PATCH_TYPES), required: true },
        responses: responses(['200', '201'], obj),
      };
    case 'delete':
      return {
        requestBody: { content: content(DELETE_OPTIONS, ['*/*']) },
        responses: responses(['200', '202'], content(deleteAnswer, ANSWERS)),
      };
    case 'deletecollection':
      return {
        requestBody: { content: content(DELETE_OPTIONS, ['*/*']) },
        responses: responses(['200'], content(STATUS, ANSWERS)),
      };
  }
}

const METHOD: Record<Action, Method> = {
  list: 'get',
  watch: 'get',
  watchlist: 'get',
  get: 'get',
  post: 'post',
  put: 'put',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'delete',
};

const VERB_PREFIX: Record<Action, string> = {
  list: 'list',
  watch: 'watch',
  watchlist: 'watch',
  get: 'read',
  post: 'create',
  put: 'replace',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'delete',
};

function describe(action: Action, kind: string, sub?: string): string {
  const target = sub ? `the ${sub} of the ${kind} with this name` : `the ${kind} with this name`;
  switch (action) {
    case 'list':
      return `list ${kind} objects, or watch them with watch=true`;
    case 'watch':
      return `watch one ${kind}. Deprecated: list with watch=true and a metadata.name field selector instead.`;
    case 'watchlist':
      return `watch ${kind} objects. Deprecated: list with watch=true instead.`;
    case 'post':
      return `create a ${kind}`;
    case 'get':
      return `read ${target}`;
    case 'put':
      return `replace ${target}`;
    case 'patch':
      return `patch ${target}`;
    case 'delete':
      return `delete ${target}`;
    case 'deletecollection':
      return `delete every ${kind} the selectors match`;
  }
}

/** Where a resource's URLs start, and the names its operations are built from. */
interface ResourceContext {
  prefix: string;
  id: string;
  tag: string;
  type: ResourceType;
  object: string;
  list: string;
  gvk: GroupVersionKind;
}

/**
 * One route. `scope` is the namespace part of the operationId (`Namespaced`, or empty), `suffix`
 * what follows the kind (`Status`, `List`, `ListForAllNamespaces`).
 */
function route(
  ctx: ResourceContext,
  path: string,
  action: Action,
  names: { scope: string; suffix?: string; sub?: string },
  extraParameters: Parameter[] = [],
): Route {
  const { type } = ctx;
  const deleteAnswer = type.returnDeletedObject ? ctx.object : STATUS;
  const operation: Operation = {
    description: describe(action, type.kind, names.sub),
    operationId: `${VERB_PREFIX[action]}${ctx.id}${action === 'deletecollection' ? 'Collection' : ''}${names.scope}${type.kind}${names.suffix ?? ''}`,
    tags: [ctx.tag],
    ...shape(action, ctx.object, ctx.list, deleteAnswer),
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { ...ctx.gvk },
  };
  const pathParameters: Parameter[] = [];
  if (path.includes('{name}')) pathParameters.push(pathParameter('name', type.kind));
  if (path.includes('{namespace}')) pathParameters.push(pathParameter('namespace', type.kind));
  return {
    path,
    method: METHOD[action],
    operation,
    parameters: [...pathParameters, pretty, ...actionParameters[action], ...extraParameters],
  };
}

/** Keys in upstream's (sorted) order. */
const gvkOf = (k: GroupVersionKind): GroupVersionKind => ({
  group: k.group,
  kind: k.kind,
  version: k.version,
});

const has = (verbs: readonly Verb[], v: Verb) => verbs.includes(v);

/** pods/log answers the container's output as text. */
function logRoute(ctx: ResourceContext, path: string, sub: Subresource, scope: string): Route {
  const text: SchemaObject = { type: 'string' };
  const body: MediaTypes = {};
  for (const t of ['text/plain', ...ANSWERS]) body[t] = { schema: { ...text } };
  const r = route(ctx, path, 'get', { scope, suffix: 'Log', sub: sub.name }, logParameters);
  r.operation.description = `read the log of a container of the ${ctx.type.kind} with this name`;
  r.operation.responses = { '200': { description: 'OK', content: body }, '401': UNAUTHORIZED };
  r.operation['x-kubernetes-group-version-kind'] = gvkOf(sub.kind);
  return r;
}

function subresourceRoutes(ctx: ResourceContext, item: string, scope: string): Route[] {
  const out: Route[] = [];
  for (const sub of ctx.type.subresources) {
    const path = `${item}/${sub.name}`;
    if (sub.name === 'log') {
      if (has(sub.verbs, 'get')) out.push(logRoute(ctx, path, sub, scope));
      continue;
    }
    const names = { scope, suffix: capitalize(sub.name), sub: sub.name };
    const subCtx = { ...ctx, gvk: gvkOf(sub.kind) };
    if (has(sub.verbs, 'get')) out.push(route(subCtx, path, 'get', names));
    if (has(sub.verbs, 'update')) out.push(route(subCtx, path, 'put', names));
    if (has(sub.verbs, 'patch')) out.push(route(subCtx, path, 'patch', names));
  }
  return out;
}

/** Every route of one resource, for the verbs and subresources it declares. */
function resourceRoutes(ctx: ResourceContext): Route[] {
  const { type, prefix } = ctx;
  const verbs = type.verbs;
  const plural = type.resource;
  const scope = type.namespaced ? 'Namespaced' : '';
  const ns = type.namespaced ? '/namespaces/{namespace}' : '';
  const collection = `${prefix}${ns}/${plural}`;
  const item = `${collection}/{name}`;
  const out: Route[] = [];
  if (has(verbs, 'list')) out.push(route(ctx, collection, 'list', { scope }));
  if (has(verbs, 'create')) out.push(route(ctx, collection, 'post', { scope }));
  if (has(verbs, 'deletecollection')) out.push(route(ctx, collection, 'deletecollection', { scope }));
  if (has(verbs, 'get')) out.push(route(ctx, item, 'get', { scope }));
  if (has(verbs, 'update')) out.push(route(ctx, item, 'put', { scope }));
  if (has(verbs, 'patch')) out.push(route(ctx, item, 'patch', { scope }));
  if (has(verbs, 'delete')) out.push(route(ctx, item, 'delete', { scope }));
  out.push(...subresourceRoutes(ctx, item, scope));
  if (type.namespaced && has(verbs, 'list'))
    out.push(route(ctx, `${prefix}/${plural}`, 'list', { scope: '', suffix: 'ForAllNamespaces' }));
  if (has(verbs, 'watch')) {
    // The /watch/ prefix is deprecated upstream but still routed, by upstream and by batchd.
    const watched = `${prefix}/watch${ns}/${plural}`;
    out.push(route(ctx, watched, 'watchlist', { scope, suffix: 'List' }));
    out.push(route(ctx, `${watched}/{name}`, 'watch', { scope }));
    if (type.namespaced)
      out.push(
        route(ctx, `${prefix}/watch/${plural}`, 'watchlist', { scope: '', suffix: 'ListForAllNamespaces' }),
      );
  }
  return out;
}

const byNameThenIn = (a: Parameter, b: Parameter) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.in < b.in ? -1 : a.in > b.in ? 1 : 0;

/** Groups routes by path; a parameter every operation of a path takes moves to the path. */
export function pathItems(routes: readonly Route[]): Record<string, PathItem> {
  const byPath = new Map<string, Route[]>();
  for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  const out: Record<string, PathItem> = {};
  for (const path of [...byPath.keys()].sort()) {
    const group = byPath.get(path) ?? [];
    const key = (p: Parameter) => `${p.in}:${p.name}`;
    const shared = new Set(
      (group[0]?.parameters ?? [])
        .map(key)
        .filter((k) => group.every((r) => r.parameters.some((p) => key(p) === k))),
    );
    const item: PathItem = {};
    for (const r of group) {
      if (item[r.method]) throw new Error(`two ${r.method} routes for ${path}`);
      const own = r.parameters.filter((p) => !shared.has(key(p))).sort(byNameThenIn);
      item[r.method] = own.length > 0 ? { ...r.operation, parameters: own } : r.operation;
    }
    const common = (group[0]?.parameters ?? []).filter((p) => shared.has(key(p))).sort(byNameThenIn);
    if (common.length > 0) item.parameters = common;
    out[path] = item;
  }
  return out;
}

/** The URL prefix of a group version: `/api/v1`, `/apis/batch/v1`. */
export const groupVersionPrefix = (group: string, version: string) =>
  group ? `/apis/${group}/${version}` : `/api/${version}`;

/** Every path batchd serves for the resources of one group version, with the resource list at `<prefix>/`. */
export function groupVersionPaths(
  group: string,
  version: string,
  resources: readonly ResourceType[],
  listTypeOf: (t: ResourceType) => string,
): Record<string, PathItem> {
  const prefix = groupVersionPrefix(group, version);
  const { id, tag } = groupVersionNames(group, version);
  const routes: Route[] = [
    {
      path: `${prefix}/`,
      method: 'get',
      parameters: [],
      operation: {
        description: `list the resources served in ${group ? `${group}/` : ''}${version}`,
        operationId: `get${id}APIResources`,
        tags: [tag],
        responses: responses(['200'], content(API_RESOURCE_LIST, ANSWERS)),
      },
    },
  ];
  for (const type of resources) {
    if (!type.schema) continue;
    const gvk = gvkOf(type);
    routes.push(
      ...resourceRoutes({ prefix, id, tag, type, object: type.schema, list: listTypeOf(type), gvk }),
    );
  }
  return pathItems(routes);
}
