/**
 * What a request path means, after upstream's RequestInfoFactory: the API group, version,
 * resource, namespace, name and subresource, and the verb the method and query imply.
 */

export type RequestVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'proxy';

export interface ResourceRequest {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  verb: RequestVerb;
}

/** Subresources of a namespace, which `/namespaces/{ns}/{x}` names instead of a resource in it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * Parses `/api/v1/...` and `/apis/{group}/{version}/...` paths that name a resource; returns
 * undefined for anything else (discovery, health, unknown).
 */
export function parseResourcePath(
  method: string,
  path: string,
  watchParam: boolean,
): ResourceRequest | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest.map(decodeURIComponent);
  if (!resource || extra.length) return undefined;
  // `/namespaces/{ns}` and `/namespaces/{ns}/status` name the namespace itself.
  if (resource === 'namespaces' && namespace !== undefined && rest[0] === 'namespaces') namespace = undefined;
  let verb: RequestVerb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watchPath || watchParam ? 'watch' : name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = 'proxy';
  }
  const out: ResourceRequest = { group, version, resource, verb };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  return out;
}
