/**
 * The write verbs as HTTP requests: create (POST), update (PUT) and patch (PATCH, in each of its
 * types). Each reads its options first, then its body, then hands the object to the registry
 * with the fieldValidation directive; the answer carries the warnings the write produced.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  ApiError,
  badRequest,
  conflict,
  internalError,
  invalid,
  invalidValue,
  OBJECT_MODIFIED,
  unsupportedMediaType,
} from '../api/meta/status.js';
import { isObject, type KubeObject } from '../api/meta/types.js';
import { catalog } from '../api/schema/index.js';
import {
  decodeProtobufObject,
  PROTOBUF_TYPE,
  ProtobufDecodeError,
  protobufDecodeErrorMessage,
} from '../api/schema/protobuf.js';
import { apiVersionOf, type ResourceType } from '../api/scheme.js';
import {
  applyPatch as applyConfiguration,
  ManagedFieldsError,
  resetFieldsFor,
  TypedValueError,
} from './fieldmanager/index.js';
import {
  duplicateJsonFields,
  duplicateYamlFields,
  fieldValidator,
  type StrictProblems,
} from './fieldValidation.js';
import { decodeBodyStrict, JSON_TYPE, mediaType, readBody } from './negotiate.js';
import { type WriteRequestOptions, writeOptions } from './options.js';
import { applyPatch, type PatchKind } from './patch/apply.js';
import { STRATEGIC_MERGE_PATCH } from './patch/strategic.js';
import type { Registry } from './registry.js';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';
export const PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];

const PATCH_KINDS: Record<string, PatchKind> = {
  [JSON_PATCH]: 'json',
  [MERGE_PATCH]: 'merge',
  [STRATEGIC_MERGE_PATCH]: 'strategic',
};

/** Upstream caps a JSON patch at 10,000 operations. */
const MAX_JSON_PATCH_OPS = 10_000;

/** What a write answers: the object and the warnings for `Warning` headers. */
export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  /** A patch that created its object (server-side apply) answers 201. */
  created?: boolean;
}

export interface WriteTarget {
  req: IncomingMessage;
  /** The time managedFields entries record. */
  now: () => Date;
  q: URLSearchParams;
  registry: Registry;
  namespace: string | undefined;
  name: string;
  subresource?: string | undefined;
}

/** `Job in version "v1" cannot be handled as a Job`: upstream's prefix for a body it cannot decode. */
export const cannotHandle = (type: ResourceType): string =>
  `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;

export async function createObject(t: WriteTarget): Promise<WriteResult> {
  const type = t.registry.type;
  const options = writeOptions(t.q, 'CreateOptions', t.req.headers['user-agent']);
  const { obj, problems } = await readObject(t.req, type);
  const warnings: string[] = [];
  const object = await t.registry.create(t.namespace, obj, {
    dryRun: options.dryRun,
    fieldManager: options.fieldManager,
    onUnknownFields: rejectAsBadRequest(type, options, problems, warnings),
  });
  warnings.push(...(type.strategy.warningsOnCreate?.(object) ?? []));
  return { object, warnings };
}

export async function updateObject(t: WriteTarget): Promise<WriteResult> {
  const type = t.registry.type;
  const options = writeOptions(t.q, 'UpdateOptions', t.req.headers['user-agent']);
  const { obj, problems } = await readObject(t.req, type);
  const warnings: string[] = [];
  const object = await t.registry.update(t.namespace, t.name, obj, {
    dryRun: options.dryRun,
    fieldManager: options.fieldManager,
    onUnknownFields: rejectAsBadRequest(type, options, problems, warnings),
    ...(t.subresource ? { subresource: t.subresource } : {}),
  });
  if (!t.subresource) warnings.push(...(type.strategy.warningsOnUpdate?.(object) ?? []));
  return { object, warnings };
}

/** Create and update reject strict-decoding problems as a 400 naming the kind. */
function rejectAsBadRequest(
  type: ResourceType,
  options: WriteRequestOptions,
  problems: StrictProblems,
  warnings: string[],
) {
  return fieldValidator(
    options.fieldValidation,
    problems,
    (message) => badRequest(`${cannotHandle(type)}: ${message}`),
    warnings,
  );
}

async function readObject(
  req: IncomingMessage,
  type: ResourceType,
): Promise<{ obj: KubeObject; problems: StrictProblems }> {
  const body = await readBody(req);
  const what = cannotHandle(type);
  if (mediaType(req.headers['content-type']) === PROTOBUF_TYPE && type.schema) {
    let value: unknown;
    try {
      value = decodeProtobufObject(catalog, type.schema, body);
    } catch (err) {
      if (!(err instanceof ProtobufDecodeError)) throw err;
      throw badRequest(protobufDecodeErrorMessage(err, type, body));
    }
    checkObjectShape(value, what);
    // Upstream's protobuf decoding has no strict mode: there are no field names to misspell.
    return { obj: value, problems: { duplicates: [] } };
  }
  if (!body.length) throw badRequest(`${what}: empty body`);
  const { value, duplicates } = decodeBodyStrict(body, req.headers['content-type'] ?? JSON_TYPE, what);
  checkObjectShape(value, what);
  return { obj: value, problems: { duplicates } };
}

/**
 * Another shape of the object a subresource reads and writes (a Job's autoscaling/v1 Scale):
 * patches apply to the view, which is then written back into the object.
 */
export interface ObjectView {
  /** The schema type of the view, for strategic merge patches. */
  readonly schema: string;
  toView(obj: KubeObject): KubeObject;
  /** The object with the view's changes; throws Conflict for a failed precondition. */
  fromView(obj: KubeObject, view: KubeObject): KubeObject;
}

export async function patchObject(t: WriteTarget, view?: ObjectView): Promise<WriteResult> {
  const { req, registry } = t;
  const type = mediaType(req.headers['content-type']);
  if (type === APPLY_PATCH && !view) return applyObject(t);
  const kind = PATCH_KINDS[type];
  if (!kind) {
    req.resume();
    throw unsupportedMediaType(PATCH_TYPES);
  }
  const options = writeOptions(t.q, 'PatchOptions', req.headers['user-agent']);
  const body = await readBody(req);
  const text = body.toString('utf8');
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
  if (type === JSON_PATCH && (!Array.isArray(patch) || patch.length > MAX_JSON_PATCH_OPS)) {
    if (Array.isArray(patch))
      throw badRequest(
        `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPS}, got ${patch.length}`,
      );
    throw badRequest(
      'error decoding patch: json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  }
  if (type === MERGE_PATCH && !isObject(patch)) {
    throw badRequest('error decoding patch: the patch is not a JSON object');
  }
  const duplicates =
    options.fieldValidation === 'Ignore'
      ? []
      : duplicateJsonFields(text, patch).map((d) => (type === JSON_PATCH ? `json patch ${d}` : d));
  const warnings: string[] = [];
  let patched: KubeObject | undefined;
  const object = await registry.guaranteedUpdate(
    t.namespace,
    t.name,
    (current) => {
      const rv = current.metadata.resourceVersion;
      if (view) {
        const changed = applyPatch(kind, view.toView(current), patch, view.schema);
        checkObjectShape(changed, 'the patched object');
        return view.fromView(current, changed);
      }
      // current is guaranteedUpdate's fresh copy: the patch may work on it.
      const next = applyPatch(kind, current, patch, registry.type.schema, true);
      checkObjectShape(next, cannotHandle(registry.type));
      // A resourceVersion in the patch is a precondition on the object it is applied to.
      if (next.metadata.resourceVersion && next.metadata.resourceVersion !== rv) {
        throw conflict(
          { group: registry.type.group, resource: registry.type.resource },
          t.name,
          OBJECT_MODIFIED,
        );
      }
      patched = next;
      return next;
    },
    {
      dryRun: options.dryRun,
      fieldManager: options.fieldManager,
      // A patch that leaves unknown fields is invalid as a whole: upstream shows the patched
      // object (JSON and merge patches) or the patch as Go prints a map (strategic).
      onUnknownFields: fieldValidator(
        options.fieldValidation,
        { duplicates },
        (message) => rejectPatch(kind === 'strategic' ? goPrint(patch) : JSON.stringify(patched), message),
        warnings,
      ),
      ...(t.subresource ? { subresource: t.subresource } : {}),
    },
  );
  return { object: view ? view.toView(object) : object, warnings };
}

/**
 * Server-side apply: the body (YAML or JSON) is the manager's whole intent for the object. The
 * field manager merges it into the live object, or builds the object when there is none
 * (answered 201), and owns the bookkeeping in metadata.managedFields itself.
 */
async function applyObject(t: WriteTarget): Promise<WriteResult> {
  const { req, registry } = t;
  const type = registry.type;
  const options = writeOptions(t.q, 'PatchOptions', req.headers['user-agent'], true);
  const text = (await readBody(req)).toString('utf8');
  let applied: unknown;
  try {
    applied = parseYaml(text, { uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    throw badRequest(`error decoding YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObject(applied)) {
    throw badRequest(
      `error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonType(applied)} into Go value of type map[string]interface {}`,
    );
  }
  const body = applied;
  const meta = isObject(body.metadata) ? body.metadata : undefined;
  if (typeof meta?.name === 'string' && meta.name && meta.name !== t.name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${t.name})`);
  }
  // Repeated keys are checked after the merge, as upstream does: a conflict is reported first.
  const duplicates = options.fieldValidation === 'Ignore' ? [] : duplicateYamlFields(text);
  const warnings: string[] = [];
  const checkDuplicates = () => {
    if (!duplicates.length) return;
    if (options.fieldValidation === 'Strict')
      throw badRequest(`error strict decoding YAML: ${duplicates[0]}`);
    for (const d of duplicates) if (!warnings.includes(d)) warnings.push(d);
  };
  const apply = (live: KubeObject | undefined): KubeObject => {
    try {
      const { object } = applyConfiguration({
        catalog,
        typeName: type.schema ?? '',
        apiVersion: apiVersionOf(type),
        kind: type.kind,
        live,
        applied: body,
        manager: options.fieldManager,
        force: options.force,
        subresource: t.subresource,
        time: t.now(),
        resetFields: resetFieldsFor(type.kind, t.subresource),
      });
      checkDuplicates();
      return object as KubeObject;
    } catch (err) {
      // Upstream reports an apply configuration it cannot type (an undeclared field) as a 500.
      if (err instanceof TypedValueError || err instanceof ManagedFieldsError) throw internalError(err);
      throw err;
    }
  };
  try {
    const object = await registry.guaranteedUpdate(t.namespace, t.name, apply, {
      dryRun: options.dryRun,
      ...(t.subresource ? { subresource: t.subresource } : {}),
    });
    return { object, warnings };
  } catch (err) {
    const missing = err instanceof ApiError && err.status.code === 404 && err.status.details?.name === t.name;
    if (!missing || t.subresource) throw err;
  }
  const object = apply(undefined);
  object.metadata.name = t.name;
  const created = await registry.create(t.namespace, object, { dryRun: options.dryRun });
  return { object: created, warnings, created: true };
}

/** Go's `%+v` of a decoded JSON value: `map[spec:map[parallelism:2]]`, keys sorted. */
export function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `map[${entries.map(([k, x]) => `${k}:${goPrint(x)}`).join(' ')}]`;
  }
  return String(v);
}

/** A patch whose result cannot be decoded: 422 on the field `patch`, with no kind or name. */
function rejectPatch(shown: string, message: string): ApiError {
  return invalid({ group: '', kind: '' }, '', [invalidValue('patch', shown, message)]);
}

/** The structural checks every object needs before the strategy runs: a JSON object with sane metadata. */
export function checkObjectShape(obj: unknown, what: string): asserts obj is KubeObject {
  if (!isObject(obj))
    throw badRequest(`${what}: json: cannot unmarshal ${jsonType(obj)} into Go value of type struct`);
  for (const k of ['apiVersion', 'kind'] as const) {
    if (obj[k] !== undefined && typeof obj[k] !== 'string') {
      throw badRequest(
        `${what}: json: cannot unmarshal ${jsonType(obj[k])} into Go struct field .${k} of type string`,
      );
    }
  }
  if (obj.metadata === undefined || obj.metadata === null) {
    obj.metadata = {};
    return;
  }
  const meta = obj.metadata;
  if (!isObject(meta)) {
    throw badRequest(
      `${what}: json: cannot unmarshal ${jsonType(meta)} into Go struct field .metadata of type v1.ObjectMeta`,
    );
  }
  const strings = [
    'name',
    'generateName',
    'namespace',
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'deletionTimestamp',
  ];
  for (const k of strings) {
    const v = meta[k];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw badRequest(
        `${what}: json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${k} of type string`,
      );
    }
    if (v === null) delete meta[k];
  }
  for (const k of ['labels', 'annotations']) {
    const v = meta[k];
    if (v === undefined || v === null) {
      delete meta[k];
      continue;
    }
    if (!isObject(v)) {
      throw badRequest(
        `${what}: json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${k} of type map[string]string`,
      );
    }
    for (const [key, value] of Object.entries(v)) {
      if (typeof value !== 'string') {
        throw badRequest(
          `${what}: json: cannot unmarshal ${jsonType(value)} into Go struct field ObjectMeta.metadata.${k} of type string`,
        );
      }
      void key;
    }
  }
  for (const k of ['finalizers', 'ownerReferences', 'managedFields']) {
    const v = meta[k];
    if (v === null) delete meta[k];
    else if (v !== undefined && !Array.isArray(v)) {
      throw badRequest(
        `${what}: json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${k} of type []`,
      );
    }
  }
  if (meta.generation !== undefined && !Number.isInteger(meta.generation)) {
    throw badRequest(
      `${what}: json: cannot unmarshal ${jsonType(meta.generation)} into Go struct field ObjectMeta.metadata.generation of type int64`,
    );
  }
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}
