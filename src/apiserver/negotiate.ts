/**
 * Content negotiation: reading request bodies (JSON, YAML) within the size limit, and choosing
 * the response encoding from Accept (JSON unless YAML is preferred; protobuf-preferring clients
 * accept JSON too).
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../api/meta/status.js';
import { duplicateJsonFields, duplicateYamlFields } from './fieldValidation.js';

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

/** A decoded body and the keys it repeats (which the parsers would silently collapse). */
export interface DecodedBody {
  value: unknown;
  /** Strict-decoding problems, in upstream's wording: `duplicate field "spec.x"`. */
  duplicates: string[];
}

/** Decodes a JSON or YAML document; `what` names the expected kind for upstream-shaped messages. */
export function decodeBody(body: Buffer, contentType: string, what: string): unknown {
  return decode(body, contentType, what, false).value;
}

/** Decodes a JSON or YAML document and finds its repeated keys, for fieldValidation. */
export function decodeBodyStrict(body: Buffer, contentType: string, what: string): DecodedBody {
  return decode(body, contentType, what, true);
}

function decode(body: Buffer, contentType: string, what: string, strict: boolean): DecodedBody {
  const type = mediaType(contentType) || JSON_TYPE;
  const text = body.toString('utf8');
  if (type === JSON_TYPE || type.endsWith('+json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw badRequest(`${what}: json parse error: ${(err as Error).message}`);
    }
    return { value, duplicates: strict ? duplicateJsonFields(text, value) : [] };
  }
  if (type === YAML_TYPE || type === 'application/x-yaml' || type === 'text/yaml' || type.endsWith('+yaml')) {
    let value: unknown;
    try {
      // Upstream's lenient YAML decoding keeps the last of repeated keys; strict mode reports them.
      value = parseYaml(text, { prettyErrors: false, uniqueKeys: false });
    } catch (err) {
      throw badRequest(`${what}: yaml: ${(err as Error).message.split('\n')[0]}`);
    }
    return { value, duplicates: strict ? duplicateYamlFields(text) : [] };
  }
  throw unsupportedMediaType([JSON_TYPE, YAML_TYPE, 'application/vnd.kubernetes.protobuf']);
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
