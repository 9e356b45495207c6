/**
 * batch/v1beta1 types: the CronJob of Kubernetes 1.21–1.24, which batchd still serves for old
 * manifests and charts. Its fields are batch/v1's field for field (its job template holds a
 * batch/v1 JobSpec), so the definitions are v1's under the v1beta1 names.
 */
import { BATCH, type TypeDef, type TypeRef } from './schema.js';

export const BATCH_V1BETA1 = 'io.k8s.api.batch.v1beta1.';

/** The v1 types that have a v1beta1 twin. */
const RENAMED = ['CronJob', 'CronJobList', 'CronJobSpec', 'CronJobStatus', 'JobTemplateSpec'];

const rename = (t: TypeRef): TypeRef => {
  switch (t.kind) {
    case 'ref':
      return RENAMED.some((n) => t.name === BATCH + n)
        ? { kind: 'ref', name: t.name.replace(BATCH, BATCH_V1BETA1) }
        : t;
    case 'array':
      return { kind: 'array', items: rename(t.items) };
    case 'map':
      return { kind: 'map', values: rename(t.values) };
    default:
      return t;
  }
};

/** The v1beta1 definitions, derived from the v1 ones. */
export function batchV1beta1Types(v1: readonly TypeDef[]): TypeDef[] {
  return v1
    .filter((def) => RENAMED.some((n) => def.name === BATCH + n))
    .map((def) => ({
      ...def,
      name: def.name.replace(BATCH, BATCH_V1BETA1),
      fields: Object.fromEntries(
        Object.entries(def.fields).map(([k, f]) => [k, { ...f, type: rename(f.type) }]),
      ),
    }));
}
