/**
 * Serves the OpenAPI v3 index and documents as upstream's handler3 does: ETags from the document
 * hash, immutable caching for a URL whose `hash` matches, a 301 to the current URL for a stale
 * hash, and 304 for a matching If-None-Match. JSON only: a client that accepts nothing but the
 * protobuf form gets 406.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpenApiService, type ServedDocument, serverRelativeURL } from '../api/openapi/service.js';
import type { Scheme } from '../api/scheme.js';
import { realClock } from '../util/clock.js';

const INDEX = '/openapi/v3';
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface OpenApiRequest {
  method: string;
  /** The URL path, e.g. `/openapi/v3/apis/batch/v1`. */
  path: string;
  hash: string | null;
  accept?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
}

export interface OpenApiReply {
  code: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const services = new WeakMap<Scheme, OpenApiService>();

/** One service per scheme, so each document is built and hashed once per process. */
export function openApiService(scheme: Scheme): OpenApiService {
  let service = services.get(scheme);
  if (!service) services.set(scheme, (service = new OpenApiService(scheme, () => realClock.now())));
  return service;
}

export function serveOpenApi(scheme: Scheme, req: IncomingMessage, res: ServerResponse, url: URL): void {
  req.resume();
  const reply = answerOpenApi(
    openApiService(scheme),
    {
      method: req.method ?? 'GET',
      path: url.pathname,
      hash: url.searchParams.get('hash'),
      accept: req.headers.accept,
      ifNoneMatch: req.headers['if-none-match'],
      ifModifiedSince: req.headers['if-modified-since'],
    },
    realClock.now(),
  );
  res.writeHead(reply.code, reply.headers);
  res.end(req.method === 'HEAD' ? undefined : reply.body);
}

/** The answer to one request, as data: the HTTP handling without the sockets. */
export function answerOpenApi(service: OpenApiService, req: OpenApiRequest, now: Date): OpenApiReply {
  const path = req.path.replace(/\/+$/, '');
  // Upstream's filter chain marks every answer no-cache unless the handler says otherwise.
  const headers: Record<string, string> = { 'cache-control': 'no-cache, private' };
  if (path === INDEX) return conditional(service.index(), headers, req);
  const docPath = path.startsWith(`${INDEX}/`) ? path.slice(INDEX.length + 1) : '';
  const doc = docPath ? service.document(docPath) : undefined;
  if (!doc) return notFound();
  headers.vary = 'Accept';
  if (!acceptsJson(req.accept)) return { code: 406, headers, body: '' };
  if (req.hash) {
    if (req.hash !== doc.etag) {
      const location = serverRelativeURL(docPath, doc.etag);
      return {
        code: 301,
        headers: { ...headers, location, 'content-type': 'text/html; charset=utf-8', etag: quote(doc.etag) },
        body: `<a href="${location}">Moved Permanently</a>.\n\n`,
      };
    }
    // The hash names this exact content, so a client may keep it as long as it likes.
    headers['cache-control'] = 'public, immutable';
    headers.expires = new Date(now.getTime() + YEAR_MS).toUTCString();
  }
  return conditional(doc, headers, req);
}

const quote = (etag: string) => `"${etag}"`;

function notFound(): OpenApiReply {
  return {
    code: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: '404 page not found\n',
  };
}

/** A 200 with the document, or a 304 when the client's copy is current (Go's ServeContent rules). */
function conditional(doc: ServedDocument, base: Record<string, string>, req: OpenApiRequest): OpenApiReply {
  const headers = { ...base, etag: quote(doc.etag), 'last-modified': doc.lastModified.toUTCString() };
  const notModified = req.ifNoneMatch
    ? etagMatches(req.ifNoneMatch, doc.etag)
    : req.ifModifiedSince !== undefined && Date.parse(req.ifModifiedSince) >= doc.lastModified.getTime();
  if (notModified && (req.method === 'GET' || req.method === 'HEAD')) return { code: 304, headers, body: '' };
  return {
    code: 200,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': String(doc.json.length) },
    body: doc.json,
  };
}

/** If-None-Match: `*` or any listed tag, compared weakly. */
function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === quote(etag));
}

/**
 * Does the Accept header take JSON before anything else we could send? Upstream would answer a
 * protobuf clause in protobuf; batchd skips such clauses and answers 406 if nothing else is left.
 */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept?.trim()) return true;
  return accept.split(',').some((clause) => {
    const [range = '', ...params] = clause.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    const [type, subtype] = range.split('/');
    return (type === 'application' || type === '*') && (subtype === 'json' || subtype === '*');
  });
}
