/**
 * Content negotiation: reading request bodies (JSON, YAML) within the size limit, and choosing
 * the response encoding from Accept (JSON unless YAML is preferred; protobuf-preferring clients
 * accept JSON too).
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../api/meta/status.js';

/** Upstream's limit for a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const JSON_TYPE = 'application/json';
export const YAML_TYPE = 'application/yaml';

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw requestEntityTooLarge(MAX_BODY_BYTES);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw requestEntityTooLarge(MAX_BODY_BYTES);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Decodes a JSON or YAML document; `what` names the expected kind for upstream-shaped messages. */
export function decodeBody(body: Buffer, contentType: string, what: string): unknown {
  const type = mediaType(contentType) || JSON_TYPE;
  const text = body.toString('utf8');
  if (type === JSON_TYPE || type.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`${what}: json parse error: ${(err as Error).message}`);
    }
  }
  if (type === YAML_TYPE || type === 'application/x-yaml' || type === 'text/yaml' || type.endsWith('+yaml')) {
    try {
      return parseYaml(text, { prettyErrors: false });
    } catch (err) {
      throw badRequest(`${what}: yaml: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw unsupportedMediaType([JSON_TYPE, YAML_TYPE]);
}

export type Encoding = 'json' | 'yaml';

/** JSON unless the client prefers YAML; anything else (protobuf, Table for now, wildcards) gets JSON. */
export function responseEncoding(accept: string | undefined): Encoding {
  if (!accept) return 'json';
  for (const part of accept.split(',')) {
    const type = mediaType(part);
    if (type === YAML_TYPE) return 'yaml';
    if (type === JSON_TYPE || type === '*/*' || type === 'application/*') return 'json';
  }
  return 'json';
}
