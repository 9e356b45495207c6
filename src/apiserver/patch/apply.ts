/** Applies a merge, JSON or strategic merge patch to an object; the HTTP handler and the in-process client use it. */
import { applyPatch as applyJsonPatch } from 'rfc6902';
import { unprocessable } from '../../api/meta/status.js';
import { catalog } from '../../api/schema/index.js';
import { mergePatch } from './merge.js';
import { StrategicMergePatchError, strategicMergePatch, toApiError } from './strategic.js';

export type PatchKind = 'merge' | 'json' | 'strategic';

/**
 * Returns the patched document. A JSON patch operation that fails is a 422, as upstream; a
 * strategic merge patch reads its list semantics from the schema type (`schema`), and its
 * errors carry upstream's codes. A JSON patch works on a copy unless the caller `owns` current
 * (a fresh object it throws away after), which saves copying a whole object per write.
 */
export function applyPatch(
  kind: PatchKind,
  current: unknown,
  patch: unknown,
  schema = '',
  owned = false,
): unknown {
  if (kind === 'merge') return mergePatch(current, patch);
  if (kind === 'strategic') {
    try {
      return strategicMergePatch(catalog, schema, current, patch, owned);
    } catch (err) {
      if (err instanceof StrategicMergePatchError) throw toApiError(err);
      throw err;
    }
  }
  const next = owned ? current : structuredClone(current);
  const failed = applyJsonPatch(next, patch as Parameters<typeof applyJsonPatch>[1]).find((r) => r !== null);
  if (failed) throw unprocessable(failed.message);
  return next;
}
