/** Builders for the field manager's tests: Jobs as the typed decoder stores them, and apply configurations. */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { decodeAs } from '../../../api/schema/decode.js';
import { catalog } from '../../../api/schema/index.js';
import { BATCH } from '../../../api/schema/schema.js';

export { catalog };
export const JOB = `${BATCH}Job`;
export const T0 = new Date('2026-01-01T00:00:00Z');
/** T0 plus some seconds. */
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
export const stamp = (seconds: number) => `${at(seconds).toISOString().slice(0, 19)}Z`;

export interface ContainerSpec {
  name: string;
  image?: string;
  env?: Array<{ name: string; value?: string }>;
  ports?: Array<{ containerPort: number; protocol?: string }>;
}

export interface JobShape {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  backoffLimit?: number;
  parallelism?: number;
  containers?: ContainerSpec[];
  finalizers?: string[];
  status?: Record<string, unknown>;
  uid?: string;
  managedFields?: ManagedFieldsEntry[];
}

/** The JSON body of a Job, as a client would send it. */
export function jobBody(s: JobShape = {}): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: 'pi', namespace: 'default' };
  if (s.labels) metadata.labels = s.labels;
  if (s.annotations) metadata.annotations = s.annotations;
  if (s.finalizers) metadata.finalizers = s.finalizers;
  if (s.uid) metadata.uid = s.uid;
  if (s.managedFields) metadata.managedFields = s.managedFields;
  const spec: Record<string, unknown> = {
    template: {
      spec: { restartPolicy: 'Never', containers: s.containers ?? [{ name: 'pi', image: 'perl' }] },
    },
  };
  if (s.backoffLimit !== undefined) spec.backoffLimit = s.backoffLimit;
  if (s.parallelism !== undefined) spec.parallelism = s.parallelism;
  const out: Record<string, unknown> = { apiVersion: 'batch/v1', kind: 'Job', metadata, spec };
  if (s.status) out.status = s.status;
  return out;
}

/** A Job as stored: decoded with Go's zero values. */
export const job = (s: JobShape = {}): Record<string, unknown> => decodeAs(catalog, JOB, jobBody(s)).value;

/** An apply configuration: only what it names, nothing defaulted. */
export function config(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', ...metadata },
    spec,
  };
}

/** A configuration's pod template with these containers. */
export const podTemplate = (...containers: ContainerSpec[]) => ({ template: { spec: { containers } } });

/** The entry of a manager (and operation) in managedFields. */
export const entryOf = (entries: readonly ManagedFieldsEntry[], manager: string, operation?: string) =>
  entries.find((e) => e.manager === manager && (operation === undefined || e.operation === operation));

/** `manager/operation[/subresource]` of each entry, in order. */
export const entryNames = (entries: readonly ManagedFieldsEntry[]) =>
  entries.map((e) => [e.manager, e.operation, e.subresource].filter(Boolean).join('/'));

type Obj = Record<string, unknown>;
const metaOf = (o: Obj) => o.metadata as Obj;

/** A stored object: decoded, with a uid, and these managedFields (none when empty). */
export function stored(obj: Obj, managedFields: readonly ManagedFieldsEntry[]): Obj {
  const out = decodeAs(catalog, JOB, obj).value;
  const meta = metaOf(out);
  meta.uid = 'uid-1';
  if (managedFields.length > 0) meta.managedFields = [...managedFields];
  else delete meta.managedFields;
  return out;
}

/** The managedFields of a stored object. */
export const managedOf = (obj: Obj): ManagedFieldsEntry[] =>
  (metaOf(obj).managedFields as ManagedFieldsEntry[] | undefined) ?? [];

/** An Update entry as a test writes it by hand. */
export const updateEntry = (
  manager: string,
  seconds: number,
  fieldsV1: Record<string, unknown>,
  subresource?: string,
): ManagedFieldsEntry => ({
  manager,
  operation: 'Update',
  apiVersion: 'batch/v1',
  time: stamp(seconds),
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...(subresource && { subresource }),
});
