/**
 * The options of a request, read from its query (and, for deletes, its body) and validated as
 * upstream validates CreateOptions, UpdateOptions, PatchOptions, DeleteOptions and ListOptions:
 * every problem of one options object is reported together, as a 422 on `<Kind>.meta.k8s.io`.
 */
import type { IncomingMessage } from 'node:http';
import {
  badRequest,
  type FieldError,
  forbidden,
  goStrings,
  invalid,
  invalidValue,
  notSupported,
} from '../api/meta/status.js';
import { type DeleteOptions, isObject } from '../api/meta/types.js';
import { fieldManagerFor, validateFieldManager } from './fieldmanager/index.js';
import { FIELD_VALIDATION_VALUES, type FieldValidation } from './fieldValidation.js';
import { decodeBody, JSON_TYPE, readBody } from './negotiate.js';
import type { ListOptions } from './registry.js';

export interface WriteRequestOptions {
  dryRun: boolean;
  /** `?fieldManager`, else the client's User-Agent up to its first `/`, as upstream names managers. */
  fieldManager: string;
  /** The directive for unknown and duplicate fields; Warn when the request names none. */
  fieldValidation: FieldValidation;
  /** Apply patches only: take fields other managers own. */
  force: boolean;
}

export type WriteKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/** Reads and validates the options of a create, update or patch; `apply` marks a server-side apply patch. */
export function writeOptions(
  q: URLSearchParams,
  kind: WriteKind,
  userAgent: string | undefined,
  apply = false,
): WriteRequestOptions {
  const manager = q.get('fieldManager') ?? '';
  const force = q.get('force');
  const errs: FieldError[] = [];
  if (kind === 'PatchOptions' && !apply && force !== null) {
    errs.push(forbidden('force', 'may not be specified for non-apply patch'));
  }
  errs.push(...validateFieldManager(manager, kind === 'PatchOptions' && apply));
  const dryRun = q.getAll('dryRun');
  if (dryRun.some((v) => v !== 'All')) errs.push(notSupported('dryRun', goStrings(dryRun), ['All']));
  const validation = q.get('fieldValidation') ?? '';
  if (!FIELD_VALIDATION_VALUES.includes(validation)) {
    errs.push(notSupported('fieldValidation', validation, FIELD_VALIDATION_VALUES));
  }
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind }, '', errs);
  return {
    dryRun: dryRun.length > 0,
    fieldManager: fieldManagerFor(manager, userAgent),
    fieldValidation: (validation || 'Warn') as FieldValidation,
    force: isTrue(force),
  };
}

export async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const body = await readBody(req);
  let opts: DeleteOptions = {};
  if (body.length) {
    const decoded = decodeBody(body, req.headers['content-type'] ?? JSON_TYPE, 'DeleteOptions');
    if (decoded !== null && !isObject(decoded))
      throw badRequest('DeleteOptions: the body is not a JSON object');
    opts = (decoded ?? {}) as DeleteOptions;
  }
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null) opts.gracePeriodSeconds = parseIntParam('gracePeriodSeconds', grace);
  const policy = q.get('propagationPolicy');
  if (policy !== null) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'] & string;
  const orphan = q.get('orphanDependents');
  if (orphan !== null) opts.orphanDependents = isTrue(orphan);
  if (q.getAll('dryRun').length) opts.dryRun = q.getAll('dryRun');
  const errs: FieldError[] = [];
  if (
    opts.propagationPolicy !== undefined &&
    !['Foreground', 'Background', 'Orphan'].includes(opts.propagationPolicy)
  ) {
    errs.push(
      notSupported('propagationPolicy', opts.propagationPolicy, ['Foreground', 'Background', 'Orphan']),
    );
  }
  if (opts.propagationPolicy !== undefined && opts.orphanDependents !== undefined) {
    errs.push(
      invalidValue(
        'propagationPolicy',
        opts.propagationPolicy,
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 0;
  if (opts.dryRun?.some((v) => v !== 'All'))
    errs.push(notSupported('dryRun', goStrings(opts.dryRun), ['All']));
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  return opts;
}

export function listOptions(q: URLSearchParams): ListOptions {
  const out: ListOptions = {};
  const str = (k: keyof ListOptions & string) => {
    const v = q.get(k);
    if (v !== null && v !== '') (out as Record<string, unknown>)[k] = v;
  };
  str('labelSelector');
  str('fieldSelector');
  str('continue');
  str('resourceVersion');
  str('resourceVersionMatch');
  const limit = intParam(q, 'limit');
  if (limit !== undefined && limit > 0) out.limit = limit;
  const errs: FieldError[] = [];
  if (out.resourceVersionMatch) {
    if (out.resourceVersion === undefined) {
      errs.push({
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      });
    }
    if (out.continue) {
      errs.push({
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        message: 'Forbidden: resourceVersionMatch is forbidden when continue is provided',
      });
    }
    if (!['Exact', 'NotOlderThan'].includes(out.resourceVersionMatch)) {
      errs.push(notSupported('resourceVersionMatch', out.resourceVersionMatch, ['Exact', 'NotOlderThan']));
    } else if (out.resourceVersionMatch === 'Exact' && out.resourceVersion === '0') {
      errs.push({
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        message: 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      });
    }
  }
  if (isTrue(q.get('sendInitialEvents'))) {
    errs.push({
      type: 'FieldValueForbidden',
      field: 'sendInitialEvents',
      message: 'Forbidden: sendInitialEvents is forbidden for list',
    });
  }
  if (out.resourceVersion !== undefined && !/^\d+$/.test(out.resourceVersion)) {
    throw badRequest(`invalid resource version: ${out.resourceVersion}`);
  }
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  return out;
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  return v === null || v === '' ? undefined : parseIntParam(name, v);
}

function parseIntParam(name: string, v: string): number {
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: not an integer`);
  return Number(v);
}

export const isTrue = (v: string | null) => v === 'true' || v === '1';
