/**
 * Kubernetes Status errors. Every failure the API returns is an ApiError built by one of the
 * factories below, so code, reason, message and details match upstream's apimachinery errors.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export interface GroupResource {
  group: string;
  resource: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: Status,
    options?: { cause?: unknown },
  ) {
    super(status.message, options);
    this.name = 'ApiError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** `jobs.batch` or `pods` for the core group, as upstream prints a GroupResource. */
export const qualified = (gr: GroupResource): string =>
  gr.group ? `${gr.resource}.${gr.group}` : gr.resource;

function failure(code: number, reason: string, message: string, details?: StatusDetails): ApiError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = omitEmpty(details);
  return new ApiError(status);
}

/** Upstream's StatusDetails fields are `omitempty`: an empty name or group is left out. */
function omitEmpty(details: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  for (const [k, v] of Object.entries(details) as Array<[keyof StatusDetails, never]>) {
    if (v !== '' && v !== undefined) out[k] = v;
  }
  return out;
}

export const notFound = (gr: GroupResource, name: string) =>
  failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });

export const alreadyExists = (gr: GroupResource, name: string) =>
  failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });

export const conflict = (gr: GroupResource, name: string, why: string) =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export interface GroupKind {
  group: string;
  kind: string;
}

export type CauseType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

/** One validation failure: a field path, an upstream error type and the detail text. */
export interface FieldError {
  type: CauseType;
  field: string;
  /** The full message of the cause as upstream renders it, e.g. `Required value` or `Invalid value: "x": ...`. */
  message: string;
}

export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  message: detail ? `Required value: ${detail}` : 'Required value',
});

export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${renderValue(value)}${detail ? `: ${detail}` : ''}`,
});

export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${renderValue(value)}${
    supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''
  }`,
});

export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  message: `Forbidden: ${detail}`,
});

export const tooLong = (field: string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  message: `Too long: may not be more than ${max} bytes`,
});

export const tooMany = (field: string, actual: number | undefined, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  message:
    actual === undefined
      ? `Too many: must have at most ${max} items`
      : `Too many: ${actual}: must have at most ${max} items`,
});

export const notFoundField = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueNotFound',
  field,
  message: `Not found: ${renderValue(value)}`,
});

export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  message: `Duplicate value: ${renderValue(value)}`,
});

/** A value already rendered as Go prints it (`map[string]string{"a":"b"}`, `[]int32{1, 2}`). */
export class GoValue {
  constructor(readonly text: string) {}
}

/** Go's `%#v` of a string map: keys sorted, no spaces around the colon. */
export const goStringMap = (m: Record<string, string> | undefined): GoValue =>
  new GoValue(
    m === undefined
      ? 'map[string]string(nil)'
      : `map[string]string{${Object.keys(m)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
          .join(', ')}}`,
  );

/** Go's `%#v` of an int32 slice. */
export const goInt32s = (v: readonly number[] | undefined): GoValue =>
  new GoValue(v === undefined ? '[]int32(nil)' : `[]int32{${v.join(', ')}}`);

/** Go's `%#v` of a string slice: `[]string{"a", "b"}`. */
export const goStrings = (v: readonly string[]): GoValue =>
  new GoValue(`[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}`);

/** Invalid with the value left out, as upstream's field.OmitValueType renders: `Invalid value: <detail>`. */
export const invalidOmitted = (field: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${detail}`,
});

/** Renders a value the way upstream's field.Error does: strings quoted, numbers bare, objects as JSON. */
export function renderValue(value: unknown): string {
  if (value instanceof GoValue) return value.text;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** 422 Invalid: `Job.batch "x" is invalid: [f1: m1, f2: m2]`, with one cause per field error. */
export function invalid(gk: GroupKind, name: string, errs: FieldError[]): ApiError {
  const q = gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
  const parts = errs.map((e) => `${e.field}: ${e.message}`);
  const agg = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return failure(422, 'Invalid', `${q} "${name}" is invalid: ${agg}`, {
    name,
    group: gk.group,
    kind: gk.kind,
    causes: errs.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

export const badRequest = (message: string) => failure(400, 'BadRequest', message);
export const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized');
export const forbiddenRequest = (message: string) => failure(403, 'Forbidden', message);
export const methodNotAllowed = (verb: string, what: string) =>
  failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${what}"`);
export const notAcceptable = (accepted: string[]) =>
  failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
export const unsupportedMediaType = (accepted: string[]) =>
  failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
export const requestEntityTooLarge = (limit: number) =>
  failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
export const expired = (message: string) => failure(410, 'Expired', message);
export const gone = (message: string) => failure(410, 'Gone', message);
export const internalError = (err: unknown) =>
  failure(
    500,
    'InternalError',
    `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
    {
      causes: [{ message: err instanceof Error ? err.message : String(err) }],
    },
  );
export const serviceUnavailable = (message: string) => failure(503, 'ServiceUnavailable', message);
export const tooManyRequests = (message: string) => failure(429, 'TooManyRequests', message);
/** A generic 422 with no field causes, as upstream's NewGenericServerResponse for patch failures. */
export const unprocessable = (message: string) => failure(422, 'Invalid', message);

export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
