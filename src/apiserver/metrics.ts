/**
 * The API server's request metrics (upstream's apiserver_request_total and
 * apiserver_request_duration_seconds, with their labels and buckets) and the `/metrics` answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Counter, type Histogram, type Metrics, PROMETHEUS_TEXT } from '../util/metrics.js';
import { parseResourcePath } from './requestInfo.js';

/** Upstream's request latency buckets, in seconds (5 ms to 1 min). */
export const REQUEST_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];

/** The labels of one request, as upstream's MonitorRequest reports them (code aside). */
// A type, not an interface, so that it is a label Record for the metrics registry.
export type RequestLabels = {
  /** GET, LIST, WATCH, POST, PUT, PATCH, APPLY, DELETE, CONNECT, or `other`. */
  verb: string;
  /** `""` without a dryRun parameter, `All` with one, `invalid` for a value upstream refuses. */
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  /** The subresource, or the path for non-resource endpoints (`/healthz`, `/apis`, `openapi/v3`). */
  subresource: string;
  /** `resource` (a named object or a create), `namespace`, `cluster`, or `""` for non-resource paths. */
  scope: string;
  /** `apiserver` for resource requests and discovery; `""` for health and OpenAPI, as upstream. */
  component: string;
};

const COMPONENT = 'apiserver';

// The verbs upstream lets through to the verb label; anything else is counted as `other`.
const VALID_VERBS = new Set([
  'APPLY',
  'CONNECT',
  'CREATE',
  'DELETE',
  'DELETECOLLECTION',
  'GET',
  'LIST',
  'PATCH',
  'POST',
  'PROXY',
  'PUT',
  'UPDATE',
  'WATCH',
  'WATCHLIST',
]);
const CONNECT_SUBRESOURCES = new Set(['attach', 'exec', 'log', 'portforward', 'proxy']);
const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

/**
 * The labels upstream would report for a request, or undefined for a request it does not
 * instrument (`/version`, `/metrics`, group discovery documents, unknown paths).
 * `served` says whether a group/version/resource exists: unrouted resource paths are not counted.
 */
export function requestLabels(
  method: string,
  url: URL,
  contentType: string | undefined,
  served: (group: string, version: string, resource: string) => boolean,
): RequestLabels | undefined {
  const m = method.toUpperCase();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const nonResource = (subresource: string, component: string): RequestLabels => ({
    verb: checkedVerb(m),
    dry_run: dryRun(url),
    group: '',
    version: '',
    resource: '',
    subresource,
    scope: '',
    component,
  });
  if (HEALTH_PATHS.has(path)) return nonResource(path, '');
  if (path === '/api' || path === '/apis') return nonResource(path, COMPONENT);
  if (path === '/openapi/v3') return nonResource('openapi/v3', '');
  if (path.startsWith('/openapi/v3/')) return nonResource('openapi/v3/', '');
  const watchParam = isWatchParam(url.searchParams.get('watch'));
  const info = parseResourcePath(m, path, watchParam);
  if (!info || !served(info.group, info.version, info.resource)) return undefined;
  const subresource = info.subresource ?? '';
  const scope =
    info.name !== undefined || info.verb === 'create' ? 'resource' : info.namespace ? 'namespace' : 'cluster';
  return {
    verb: resourceVerb(m, scope, info.verb === 'watch', subresource, contentType),
    dry_run: dryRun(url),
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource,
    scope,
    component: COMPONENT,
  };
}

/** Upstream's CanonicalVerb then CleanVerb: GET of a collection is LIST, a watch is WATCH, an apply PATCH is APPLY. */
function resourceVerb(
  method: string,
  scope: string,
  watch: boolean,
  subresource: string,
  contentType: string | undefined,
): string {
  let verb = method === 'GET' || method === 'HEAD' ? (scope === 'resource' ? 'GET' : 'LIST') : method;
  if (watch) verb = 'WATCH';
  if (verb === 'PATCH' && contentType === 'application/apply-patch+yaml') verb = 'APPLY';
  if (CONNECT_SUBRESOURCES.has(subresource)) verb = 'CONNECT';
  return checkedVerb(verb);
}

const checkedVerb = (verb: string): string => (VALID_VERBS.has(verb) ? verb : 'other');

/** `watch=` is true unless it is `0` or `false` (any case), as upstream parses it for metrics. */
function isWatchParam(v: string | null): boolean {
  if (v === null) return false;
  const lower = v.toLowerCase();
  return lower !== '0' && lower !== 'false';
}

/** Upstream's cleanDryRun: the distinct values sorted and joined, or `invalid` if any is not `All`. */
function dryRun(url: URL): string {
  if (!url.search.includes('dryRun')) return '';
  const values = url.searchParams.getAll('dryRun');
  if (values.some((v) => v !== 'All')) return 'invalid';
  return [...new Set(values)].sort().join(',');
}

/** The two request metrics, registered once per registry. */
export class RequestMetrics {
  private readonly total: Counter;
  private readonly duration: Histogram;

  constructor(metrics: Metrics) {
    // verb: GET, LIST, WATCH, POST, PUT, PATCH, APPLY, DELETE, CONNECT, other; dry_run: "", All, invalid;
    // scope: resource, namespace, cluster, ""; component: apiserver, ""; code: the HTTP status.
    this.total = metrics.counter(
      'apiserver_request_total',
      '[STABLE] Requests the API server answered, by verb, dry run, group, version, resource, subresource, scope, component and HTTP status code.',
      ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
    );
    // Same labels as apiserver_request_total, without code; a watch is observed when it ends.
    this.duration = metrics.histogram(
      'apiserver_request_duration_seconds',
      '[STABLE] How long the API server took to answer, in seconds, by verb, dry run, group, version, resource, subresource, scope and component.',
      REQUEST_DURATION_BUCKETS,
      ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
    );
  }

  /** Counts one finished request. */
  observe(labels: RequestLabels, code: number, seconds: number): void {
    this.total.inc({ ...labels, code: String(code) });
    this.duration.observe(seconds, labels);
  }
}

export interface InstrumentOptions {
  metrics: RequestMetrics;
  /** Whether the scheme serves a group/version/resource (`registries.lookup(g, v, r) !== undefined`). */
  served: (group: string, version: string, resource: string) => boolean;
  /** A monotonic clock in milliseconds; `performance.now` unless a test injects one. */
  now?: () => number;
}

/**
 * Wraps the API handler so every instrumented request is counted and timed when its response
 * closes (a watch when it ends). Unauthenticated requests are not counted: upstream rejects them
 * in a filter before the instrumented routes.
 */
export function instrumentHandler(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  opts: InstrumentOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const now = opts.now ?? (() => performance.now());
  return (req, res) => {
    const start = now();
    let labels: RequestLabels | undefined;
    try {
      const url = new URL(req.url ?? '/', 'https://batchd');
      labels = requestLabels(req.method ?? 'GET', url, req.headers['content-type'], opts.served);
    } catch {
      labels = undefined; // a malformed URL is the handler's to answer; it is not counted
    }
    if (labels) {
      const observed = labels;
      res.once('close', () => {
        if (res.statusCode !== 401) opts.metrics.observe(observed, res.statusCode, (now() - start) / 1000);
      });
    }
    handler(req, res);
  };
}

/** Answers `GET /metrics` with the registry in the Prometheus text format. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics): void {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('method not allowed\n');
    return;
  }
  const body = metrics.render();
  res.writeHead(200, { 'content-type': PROMETHEUS_TEXT, 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}
