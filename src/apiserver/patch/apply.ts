/** Applies a merge or JSON patch to an object; both the HTTP handler and the in-process client use it. */
import { applyPatch as applyJsonPatch } from 'rfc6902';
import { unprocessable } from '../../api/meta/status.js';
import { mergePatch } from './merge.js';

export type PatchKind = 'merge' | 'json';

/** Returns the patched document; a JSON patch operation that fails is a 422, as upstream. */
export function applyPatch(kind: PatchKind, current: unknown, patch: unknown): unknown {
  if (kind === 'merge') return mergePatch(current, patch);
  const next = structuredClone(current);
  const failed = applyJsonPatch(next, patch as Parameters<typeof applyJsonPatch>[1]).find((r) => r !== null);
  if (failed) throw unprocessable(failed.message);
  return next;
}
