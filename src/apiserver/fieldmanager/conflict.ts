/**
 * Apply conflicts: fields an apply would change that another manager owns. Upstream answers 409
 * Conflict with one FieldManagerConflict cause per field and a message naming each manager.
 */
import { ApiError, type StatusCause } from '../../api/meta/status.js';
import { parseManagerIdentifier } from './managerIdentifier.js';
import { type Path, pathString } from './pathElement.js';
import { goQuote } from './value.js';

/** One conflicting field: the owner (a manager identifier) and the path. */
export interface Conflict {
  readonly manager: string;
  readonly path: Path;
}

/** The conflicts of a merge, before they are rendered as a Status (merge.Conflicts). */
export class MergeConflicts extends Error {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(`${conflicts.length} conflicts`);
    this.name = 'MergeConflicts';
  }
}

/** How upstream names a manager in conflict messages: `"kubectl" using batch/v1`, `"m" with subresource "status"`. */
export function printManager(identifier: string): string {
  const entry = parseManagerIdentifier(identifier);
  if (!entry) return goQuote(identifier);
  let out = goQuote(entry.manager ?? '');
  if (entry.subresource) out += ` with subresource ${goQuote(entry.subresource)}`;
  // Identifiers never carry a time, so upstream's "at <time>" suffix never shows.
  if (entry.operation === 'Update') out += ` using ${entry.apiVersion ?? ''}`;
  return out;
}

/** Upstream's message: one conflict inline, several grouped by manager in name order. */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const p of byManager.get(manager)!) lines.push(`- ${pathString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** 409 Conflict for a server-side apply that would take fields other managers own. */
export class ApplyConflictError extends ApiError {
  /** The conflicts with manager names (not identifiers) and upstream's path text. */
  readonly conflicts: ReadonlyArray<{ manager: string; field: string }>;

  constructor(conflicts: readonly Conflict[]) {
    const causes: StatusCause[] = conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.manager)}`,
      field: pathString(c.path),
    }));
    super({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: conflictMessage(conflicts),
      reason: 'Conflict',
      details: { causes },
      code: 409,
    });
    this.name = 'ApplyConflictError';
    this.conflicts = conflicts.map((c) => ({
      manager: parseManagerIdentifier(c.manager)?.manager ?? c.manager,
      field: pathString(c.path),
    }));
  }
}
