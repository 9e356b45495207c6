/**
 * ObjectMeta validation, as upstream's apimachinery api/validation (ValidateObjectMeta and
 * ValidateObjectMetaUpdate): same checks, same order, same field paths and messages.
 */
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, validateLabels } from './labels.js';
import { type FieldError, forbidden, invalidValue, required, tooLong } from './status.js';
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from './types.js';

export { isDNS1123Label, isDNS1123Subdomain } from './labels.js';

export const FIELD_IMMUTABLE = 'field is immutable';
/** Keys plus values of all annotations, in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Upstream's ValidateNameFunc: `prefix` is true for a generateName, which may end in '-'. */
export type NameValidator = (name: string, prefix: boolean) => string[];

// Upstream drops the last *two* characters and appends 'a' (`ab-` is checked as `aa`); kept so
// verdicts match. A lone '-' (where upstream's slice would panic) is checked as `a`.
const maskTrailingDash = (name: string) => (name.endsWith('-') ? `${name.slice(0, -2)}a` : name);

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export interface ObjectMetaOptions {
  namespaced: boolean;
  /** Checks metadata.name, and metadata.generateName with `prefix` true. */
  nameValidator: NameValidator;
}

/** Create-time checks. Expects generateName to have been expanded into name already. */
export function validateObjectMeta(
  meta: ObjectMeta,
  { namespaced, nameValidator }: ObjectMetaOptions,
  fieldPath = 'metadata',
): FieldError[] {
  const errs: FieldError[] = [];
  const { name = '', generateName = '', namespace = '' } = meta;
  if (generateName) {
    for (const msg of nameValidator(generateName, true)) {
      errs.push(invalidValue(`${fieldPath}.generateName`, generateName, msg));
    }
  }
  if (!name) errs.push(required(`${fieldPath}.name`, 'name or generateName is required'));
  else for (const msg of nameValidator(name, false)) errs.push(invalidValue(`${fieldPath}.name`, name, msg));
  if (namespaced) {
    if (!namespace) errs.push(required(`${fieldPath}.namespace`));
    else
      for (const msg of nameIsDNSLabel(namespace, false))
        errs.push(invalidValue(`${fieldPath}.namespace`, namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(`${fieldPath}.namespace`, 'not allowed on this type'));
  }
  if ((meta.generation ?? 0) < 0) {
    errs.push(invalidValue(`${fieldPath}.generation`, meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(
    ...validateLabels(meta.labels, `${fieldPath}.labels`),
    ...validateAnnotations(meta.annotations, `${fieldPath}.annotations`),
    ...validateOwnerReferences(meta.ownerReferences, `${fieldPath}.ownerReferences`),
    ...validateFinalizers(meta.finalizers, `${fieldPath}.finalizers`),
    ...validateManagedFields(meta.managedFields, `${fieldPath}.managedFields`),
  );
  return errs;
}

/**
 * Update-time checks. As upstream, the name format and finalizer names are not re-checked (the
 * name cannot change); labels, annotations, owner references and managed fields are.
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta,
  oldMeta: ObjectMeta,
  fieldPath = 'metadata',
): FieldError[] {
  const errs: FieldError[] = [];
  const at = (field: string) => `${fieldPath}.${field}`;
  if (oldMeta.deletionTimestamp) {
    const old = new Set(oldMeta.finalizers ?? []);
    const added = [...new Set(newMeta.finalizers ?? [])].filter((f) => !old.has(f)).sort();
    if (added.length) {
      const list = added.map((f) => JSON.stringify(f)).join(', ');
      errs.push(
        forbidden(
          at('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${list}}`,
        ),
      );
    }
  }
  if (!newMeta.resourceVersion) {
    errs.push(
      invalidValue(at('resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'),
    );
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(invalidValue(at('generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  for (const field of ['name', 'namespace', 'uid'] as const) {
    const value = newMeta[field] ?? '';
    if (value !== (oldMeta[field] ?? '')) errs.push(invalidValue(at(field), value, FIELD_IMMUTABLE));
  }
  if (!sameTime(newMeta.creationTimestamp, oldMeta.creationTimestamp)) {
    errs.push(immutableTime(at('creationTimestamp'), goTime(newMeta.creationTimestamp) ?? GO_ZERO_TIME));
  }
  if (!sameTime(newMeta.deletionTimestamp, oldMeta.deletionTimestamp)) {
    errs.push(immutableTime(at('deletionTimestamp'), goTime(newMeta.deletionTimestamp) ?? 'null'));
  }
  const grace = newMeta.deletionGracePeriodSeconds ?? null;
  if (grace !== (oldMeta.deletionGracePeriodSeconds ?? null)) {
    errs.push(invalidValue(at('deletionGracePeriodSeconds'), grace, FIELD_IMMUTABLE));
  }
  errs.push(
    ...validateLabels(newMeta.labels, at('labels')),
    ...validateAnnotations(newMeta.annotations, at('annotations')),
    ...validateOwnerReferences(newMeta.ownerReferences, at('ownerReferences')),
    ...validateManagedFields(newMeta.managedFields, at('managedFields')),
  );
  return errs;
}

/** Keys must be qualified names in any case; the whole map must fit in 256 KiB. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  fieldPath: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalidValue(fieldPath, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(fieldPath, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** Upstream's schema.ParseGroupVersion: `v1`, `batch/v1`; anything with two slashes has no version. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  return { group: '', version: '' };
}

/** Errors sit on the list's path without an index, as upstream reports them. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    // A decoded body may omit fields the type calls required.
    const { apiVersion = '', kind = '', name = '', uid = '' } = ref;
    const { group, version } = parseGroupVersion(apiVersion);
    if (!version) errs.push(invalidValue(`${fieldPath}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!kind) errs.push(invalidValue(`${fieldPath}.kind`, kind, 'must not be empty'));
    if (!name) errs.push(invalidValue(`${fieldPath}.name`, name, 'must not be empty'));
    if (!uid) errs.push(invalidValue(`${fieldPath}.uid`, uid, 'must not be empty'));
    if (group === '' && version === 'v1' && kind === 'Event') {
      errs.push(invalidValue(fieldPath, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller) {
      const current = `${kind}/${name}`;
      if (!firstController) firstController = current;
      else {
        errs.push(
          invalidValue(
            fieldPath,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      }
    }
  }
  return errs;
}

/** Finalizers are qualified names; `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: string[] | undefined, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(invalidValue(fieldPath, f, msg));
  }
  if (finalizers?.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(
      invalidValue(fieldPath, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'),
    );
  }
  return errs;
}

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** A field manager name (also the `fieldManager` query parameter): ≤128 bytes, printable. */
export function validateFieldManager(manager: string, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(manager) > 128) errs.push(tooLong(fieldPath, 128));
  let offset = 0; // Go reports byte offsets
  for (const c of manager) {
    if (!PRINTABLE.test(c)) {
      const code = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      errs.push(invalidValue(fieldPath, manager, `invalid character U+${code} (at position ${offset})`));
    }
    offset += Buffer.byteLength(c);
  }
  return errs;
}

export function validateManagedFields(
  entries: ManagedFieldsEntry[] | undefined,
  fieldPath: string,
): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((entry, i) => {
    const at = `${fieldPath}[${i}]`;
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') {
      errs.push(invalidValue(`${at}.operation`, entry.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (entry.fieldsType && entry.fieldsType !== 'FieldsV1') {
      errs.push(invalidValue(`${at}.fieldsType`, entry.fieldsType, 'must be `FieldsV1`'));
    }
    errs.push(...validateFieldManager(entry.manager ?? '', `${at}.manager`));
    if (Buffer.byteLength(entry.subresource ?? '') > 256) errs.push(tooLong(`${at}.subresource`, 256));
  });
  return errs;
}

// --- timestamps: compared as instants, printed as Go prints a metav1.Time

const GO_ZERO_TIME = '0001-01-01 00:00:00 +0000 UTC';

function sameTime(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const [ta, tb] = [Date.parse(a), Date.parse(b)];
  return Number.isNaN(ta) || Number.isNaN(tb) ? a === b : ta === tb;
}

/** Go's time.Time String() in UTC (the apiserver's zone): `2026-01-01 00:00:00 +0000 UTC`. */
function goTime(t: string | null | undefined): string | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return JSON.stringify(t);
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}

/** invalidValue with a pre-rendered value: Go prints a time through its String(), unquoted. */
const immutableTime = (field: string, rendered: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${rendered}: ${FIELD_IMMUTABLE}`,
});
