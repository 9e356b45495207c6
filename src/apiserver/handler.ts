/**
 * The HTTP front of the API: authentication, routing, verbs, errors. `createHandler` returns a
 * plain (req, res) function so tests and benchmarks can mount it on any node:http(s) server.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import {
  ApiError,
  internalError,
  methodNotAllowed,
  notFound,
  type Status,
  unauthorized,
} from '../api/meta/status.js';
import type { KubeObject } from '../api/meta/types.js';
import {
  parseTableAccept,
  parseTableOptions,
  printerFor,
  type Table,
  tableWatchEncoder,
  toTable,
} from '../api/printers/index.js';
import type { Scheme } from '../api/scheme.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Metrics } from '../util/metrics.js';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  aggregatedVersion,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery.js';
import { type LogSource, serveLogs } from './logs.js';
import { serveMetrics } from './metrics.js';
import { type Encoding, JSON_TYPE, responseEncoding } from './negotiate.js';
import { serveOpenApi } from './openapi.js';
import { deleteOptions, intParam, isTrue, listOptions } from './options.js';
import type { Registries } from './registries.js';
import type { Registry } from './registry.js';
import { parseResourcePath, type ResourceRequest } from './requestInfo.js';
import { bindPod, serveScale } from './subresources.js';
import { serveWatch } from './watch.js';
import { createObject, patchObject, updateObject } from './writes.js';

export interface HandlerOptions {
  scheme: Scheme;
  registries: Registries;
  clock: Clock;
  log: Logger;
  /** Bearer token every request but the health and version endpoints must carry; none disables auth. */
  token?: string;
  /** host:port clients reach us at, for legacy discovery. */
  serverAddress: () => string;
  version: VersionInfo;
  /** Streams `pods/{name}/log` (the node agent); none: every pod's log is empty. */
  logSource?: LogSource;
  /** Served on /metrics (behind the token, as upstream's authorization puts it). */
  metrics?: Metrics;
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

interface Reply {
  code: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
  /** The media type when it is not plain JSON or YAML (a Table). */
  contentType?: string;
}

export function createHandler(opts: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const token = opts.token ? Buffer.from(opts.token) : undefined;
  const authorized = (req: IncomingMessage): boolean => {
    if (!token) return true;
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return false;
    const given = Buffer.from(header.slice(7).trim());
    return given.length === token.length && timingSafeEqual(given, token);
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'https://batchd');
    const encoding = responseEncoding(req.headers.accept);
    const pretty = prettyPrint(url.searchParams.get('pretty'), req.headers['user-agent']);
    const fail = (err: unknown) => {
      const apiErr = err instanceof ApiError ? err : internalError(err);
      if (!(err instanceof ApiError))
        opts.log.error({ err, method: req.method, url: req.url }, 'request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, { code: apiErr.code, body: apiErr.status }, encoding, pretty);
    };
    if (!PUBLIC_PATHS.has(url.pathname) && !authorized(req)) {
      req.resume();
      fail(unauthorized());
      return;
    }
    route(opts, req, res, url)
      .then((reply) => {
        if (reply) send(res, reply, encoding, pretty);
      }, fail)
      // A request must never take the process down, even when answering it fails (a closed socket).
      .catch((err: unknown) => {
        opts.log.error({ err, method: req.method, url: req.url }, 'could not answer request');
        res.destroy();
      });
  };
}

async function route(
  opts: HandlerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<Reply | undefined> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  switch (path) {
    case '/healthz':
    case '/livez':
    case '/readyz':
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
      });
      res.end('ok');
      return undefined;
    case '/version':
      return { code: 200, body: opts.version };
    case '/metrics':
      if (!opts.metrics) break;
      serveMetrics(req, res, opts.metrics);
      return undefined;
    case '/api':
    case '/apis': {
      const aggregated = aggregatedVersion(req.headers.accept);
      if (aggregated) {
        const body = aggregatedDiscovery(opts.scheme, path === '/api', aggregated);
        const type = aggregated === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1;
        sendRaw(res, 200, JSON.stringify(body), type);
        return undefined;
      }
      return {
        code: 200,
        body: path === '/api' ? apiVersions(opts.serverAddress()) : apiGroupList(opts.scheme),
      };
    }
  }
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
    serveOpenApi(opts.scheme, req, res, url);
    return undefined;
  }
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'apis' && parts.length === 2) {
    const doc = apiGroupDocument(opts.scheme, parts[1] ?? '');
    if (doc) return { code: 200, body: doc };
  }
  if ((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3)) {
    const [group, version] = parts[0] === 'api' ? ['', parts[1] ?? ''] : [parts[1] ?? '', parts[2] ?? ''];
    const doc = apiResourceList(opts.scheme, group, version);
    if (doc) return { code: 200, body: doc };
  }
  const watchParam = isTrue(url.searchParams.get('watch'));
  const info = parseResourcePath(method, path, watchParam);
  const registry = info && opts.registries.lookup(info.group, info.version, info.resource);
  if (!info || !registry) {
    req.resume();
    throw pageNotFound();
  }
  const type = registry.type;
  if (info.namespace !== undefined && !type.namespaced) throw pageNotFound();
  if (info.subresource && !type.subresources.some((s) => s.name === info.subresource)) throw pageNotFound();
  return serveResource(opts, req, res, url, info, registry);
}

async function serveResource(
  opts: HandlerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  info: ResourceRequest,
  registry: Registry,
): Promise<Reply | undefined> {
  const type = registry.type;
  // Every answer of a deprecated version says so first, errors and watches included.
  if (type.deprecationWarning)
    res.setHeader('warning', warningHeaders(type.deprecationWarning)?.warning ?? []);
  const q = url.searchParams;
  const ns = type.namespaced ? info.namespace : undefined;
  const sub = info.subresource;
  if (sub === 'log') {
    if (info.verb !== 'get' || !info.name) throw methodNotAllowed(req.method ?? 'GET', 'pods/log');
    await serveLogs(req, res, url, registry, ns, info.name, opts.logSource, opts.clock);
    return undefined;
  }
  const target = {
    req,
    now: () => opts.clock.now(),
    q,
    registry,
    namespace: ns,
    name: info.name ?? '',
    subresource: sub,
  };
  const subVerbs = sub ? (type.subresources.find((s) => s.name === sub)?.verbs ?? []) : [];
  if ((sub === 'binding' || sub === 'scale') && info.name && info.namespace !== undefined) {
    if (!(subVerbs as readonly string[]).includes(info.verb)) {
      req.resume();
      throw methodNotRouted();
    }
    if (sub === 'binding') return { code: 201, body: await bindPod(target) };
    return { code: 200, body: await serveScale(target, info.verb) };
  }
  if (sub && !['status', 'finalize'].includes(sub)) throw pageNotFound();
  // Upstream installs a route per verb a resource or subresource serves; any other method on a
  // known path gets go-restful's 405 (e.g. DELETE on the namespace collection, GET on finalize).
  const verbs: readonly string[] = sub
    ? (type.subresources.find((s) => s.name === sub)?.verbs ?? [])
    : type.verbs;
  // Outside /namespaces/{ns}, a namespaced resource has only upstream's cluster-wide list and watch routes.
  const clusterWide = type.namespaced && info.namespace === undefined;
  if (clusterWide && info.name !== undefined) throw pageNotFound();
  const routed =
    verbs.includes(info.verb) &&
    !(clusterWide && info.verb !== 'list' && info.verb !== 'watch') &&
    !(info.verb === 'create' && (sub || info.name)) &&
    !((info.verb === 'update' || info.verb === 'patch') && !info.name);
  if (!routed) {
    req.resume();
    throw methodNotRouted();
  }
  // kubectl get asks for a server-side Table and prints its rows as they are.
  const reads = info.verb === 'get' || info.verb === 'list' || info.verb === 'watch';
  const table = sub || !reads ? undefined : parseTableAccept(req.headers.accept);
  const tableOptions = table && {
    ...parseTableOptions(q),
    apiVersion: table.apiVersion,
    now: opts.clock.now(),
  };
  const tableType = (encoding: string) =>
    `application/${encoding};as=Table;v=${table?.apiVersion.split('/')[1]};g=meta.k8s.io`;
  const tableReply = (body: Table): Reply => ({
    code: 200,
    body,
    contentType: tableType(table?.encoding ?? 'json'),
  });
  switch (info.verb) {
    case 'get': {
      const obj = await registry.get(ns, info.name ?? '');
      if (!tableOptions) return { code: 200, body: obj };
      return tableReply(toTable(printerFor(type.group, type.resource), [obj], tableOptions));
    }
    case 'list': {
      if (sub) throw pageNotFound();
      const list = await registry.list(ns, listOptions(q));
      if (tableOptions) {
        const objectKind = { apiVersion: list.apiVersion, kind: type.kind };
        const body = toTable(printerFor(type.group, type.resource), list.items, {
          ...tableOptions,
          listMeta: list.metadata,
          objectKind,
        });
        return tableReply(body);
      }
      return { code: 200, body: { ...list, items: list.items.map(stripTypeMeta) } };
    }
    case 'watch': {
      if (sub) throw pageNotFound();
      const lo = listOptions(q);
      const fieldSelector = info.name
        ? [lo.fieldSelector, `metadata.name=${info.name}`].filter(Boolean).join(',')
        : lo.fieldSelector;
      await serveWatch(req, res, registry, ns, {
        ...(lo.labelSelector ? { labelSelector: lo.labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
        ...(lo.resourceVersion !== undefined ? { resourceVersion: lo.resourceVersion } : {}),
        allowWatchBookmarks: isTrue(q.get('allowWatchBookmarks')),
        timeoutSeconds: intParam(q, 'timeoutSeconds'),
        clock: opts.clock,
        store: opts.registries.store,
        ...(tableOptions && table
          ? {
              table: {
                encode: tableWatchEncoder(printerFor(type.group, type.resource), {
                  ...tableOptions,
                  now: () => opts.clock.now(),
                }),
                contentType: tableType('json'),
              },
            }
          : {}),
      });
      return undefined;
    }
    case 'create': {
      const { object, warnings } = await createObject(target);
      return written(201, object, warnings);
    }
    case 'update': {
      const { object, warnings } = await updateObject(target);
      return written(200, object, warnings);
    }
    case 'patch': {
      const { object, warnings, created } = await patchObject(target);
      return written(created ? 201 : 200, object, warnings);
    }
    case 'delete': {
      const options = await deleteOptions(req, q);
      const result = await registry.delete(ns, info.name ?? '', options);
      const headers = warningHeaders(type.strategy.deleteWarning?.(options));
      const pending = !result.deleted;
      // Upstream answers 202 only when cascading was asked for with orphanDependents=false.
      const code = pending && options.orphanDependents === false ? 202 : 200;
      const body = pending || type.returnDeletedObject ? result.object : result.status;
      return { code, body, ...(headers ? { headers } : {}) };
    }
    case 'deletecollection': {
      const options = await deleteOptions(req, q);
      const list = await registry.deleteCollection(ns, listOptions(q), options);
      return { code: 200, body: { ...list, items: list.items.map(stripTypeMeta) } };
    }
    default:
      throw methodNotRouted();
  }
}

// ---- responses ----

function stripTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest as KubeObject;
}

/** go-restful's 404 for a path no route serves: upstream's generic Status, with empty details. */
function pageNotFound(): ApiError {
  const err = notFound({ group: '', resource: '' }, '');
  err.status.message = 'the server could not find the requested resource';
  err.status.details = {};
  return err;
}

/** go-restful's 405 for a method a known path does not serve: upstream's generic Status, with empty details. */
function methodNotRouted(): ApiError {
  const err = methodNotAllowed('', '');
  err.status.message = 'the server does not allow this method on the requested resource';
  err.status.details = {};
  return err;
}

function written(code: number, body: KubeObject, warnings: string[]): Reply {
  const headers = warningHeaders(...warnings);
  return { code, body, ...(headers ? { headers } : {}) };
}

/** RFC 7234 Warning headers, code 299, as upstream sends API warnings. */
function warningHeaders(...warnings: Array<string | undefined>): Record<string, string[]> | undefined {
  const present = warnings.filter((w): w is string => !!w);
  return present.length ? { warning: present.map((w) => `299 - ${JSON.stringify(w)}`) } : undefined;
}

/**
 * Indented JSON, as upstream writes it for `?pretty=true` and, when the parameter is absent, for
 * curl, Wget and browsers.
 */
function prettyPrint(param: string | null, userAgent: string | undefined): boolean {
  if (param) return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(param);
  const ua = userAgent ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}

function send(res: ServerResponse, reply: Reply, encoding: Encoding, pretty = false): void {
  const yaml = reply.contentType ? reply.contentType.startsWith('application/yaml') : encoding === 'yaml';
  const text = yaml
    ? toYaml(reply.body)
    : pretty
      ? JSON.stringify(reply.body, null, 2)
      : JSON.stringify(reply.body);
  const contentType = reply.contentType ?? (yaml ? 'application/yaml' : JSON_TYPE);
  sendRaw(res, reply.code, text, contentType, reply.headers);
}

function sendRaw(
  res: ServerResponse,
  code: number,
  text: string,
  contentType: string,
  headers?: Record<string, string | string[]>,
): void {
  // Warnings set earlier on the response (a deprecated version's) come before the request's own.
  const earlier = res.getHeader('warning');
  const warning = [...[earlier ?? []].flat(), ...[headers?.warning ?? []].flat()].map(String);
  const all: Record<string, string | number | string[]> = {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
    ...headers,
  };
  if (warning.length) all.warning = warning;
  res.writeHead(code, all);
  res.end(text);
}

export type { Status };
