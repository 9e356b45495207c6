/** Strategy pieces shared by resources with a status subresource. */
import type { KubeObject } from './meta/types.js';

/** A write to the main resource cannot change status (upstream PrepareForUpdate). */
export function keepStatus(obj: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = old.status;
}

/** A write to /status cannot change spec (upstream status strategy PrepareForUpdate). */
export function keepSpec(obj: KubeObject, old: KubeObject): void {
  if (old.spec === undefined) delete obj.spec;
  else obj.spec = old.spec;
}
