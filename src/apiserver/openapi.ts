/** Serves the OpenAPI v3 index and documents (being built: answers 404 for now). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scheme } from '../api/scheme.js';

export function serveOpenApi(_scheme: Scheme, req: IncomingMessage, res: ServerResponse, _url: URL): void {
  req.resume();
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('404 page not found\n');
}
