/**
 * A manager's identity in managedFields: (manager, operation, apiVersion, subresource), kept
 * as the JSON upstream marshals it. Apply entries leave the apiVersion out, so one applier has
 * one entry whatever version it applied in; Update entries keep one per version.
 */
import { isObject } from './value.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerInfo {
  readonly manager?: string;
  readonly operation?: Operation;
  readonly apiVersion?: string;
  readonly subresource?: string;
}

/** The identifier of a manager: the entry's JSON without time and fields, empty values left out. */
export function buildManagerIdentifier(info: ManagerInfo): string {
  const out: Record<string, string> = {};
  if (info.manager) out.manager = info.manager;
  if (info.operation) out.operation = info.operation;
  if (info.apiVersion && info.operation !== 'Apply') out.apiVersion = info.apiVersion;
  if (info.subresource) out.subresource = info.subresource;
  return JSON.stringify(out);
}

/** Few managers write an object, and every write reads their identifiers again: each is parsed once. */
const PARSED_CACHE_SIZE = 1024;
const parsedIds = new Map<string, ManagerInfo | undefined>();

/** The parts of an identifier, or undefined when it is not one (a bare name such as `current-operation`). */
export function parseManagerIdentifier(identifier: string): ManagerInfo | undefined {
  if (parsedIds.has(identifier)) return parsedIds.get(identifier);
  const info = identifier.startsWith('{') ? parseOnce(identifier) : undefined;
  if (parsedIds.size >= PARSED_CACHE_SIZE) parsedIds.clear();
  parsedIds.set(identifier, info && Object.freeze(info));
  return info;
}

function parseOnce(identifier: string): ManagerInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(identifier);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const str = (k: string) => (typeof parsed[k] === 'string' ? (parsed[k] as string) : undefined);
  const op = str('operation');
  return {
    ...(str('manager') !== undefined && { manager: str('manager')! }),
    ...((op === 'Apply' || op === 'Update') && { operation: op }),
    ...(str('apiVersion') !== undefined && { apiVersion: str('apiVersion')! }),
    ...(str('subresource') !== undefined && { subresource: str('subresource')! }),
  };
}
