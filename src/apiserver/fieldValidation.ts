/**
 * fieldValidation (Strict, Warn, Ignore): the problems upstream's strict decoder finds in a
 * request body — fields the type does not have, and keys written twice — and what each
 * directive does with them: Strict rejects the request, Warn answers with a `Warning` header
 * per problem, Ignore drops them silently. Unknown fields come from the typed decoder; this file
 * finds the duplicates, which `JSON.parse` and the YAML parser would silently collapse.
 */
import { visit } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import type { ApiError } from '../api/meta/status.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export const FIELD_VALIDATION_VALUES = ['', 'Ignore', 'Strict', 'Warn'];

/** What a request body held that a strict decoder objects to, in upstream's wording. */
export interface StrictProblems {
  /** `duplicate field "spec.parallelism"`, or the YAML converter's error text. */
  duplicates: string[];
}

export const NO_PROBLEMS: StrictProblems = { duplicates: [] };

/**
 * Applies a directive to the problems of one decoded body: throws `reject(message)` under Strict,
 * adds one warning per problem under Warn (once, however often a write is retried). Returns a function for the registry, which reports
 * the unknown fields once it has decoded the object.
 */
export function fieldValidator(
  mode: FieldValidation,
  problems: StrictProblems,
  reject: (message: string) => ApiError,
  warnings: string[],
): (unknownFields: readonly string[]) => void {
  return (unknownFields) => {
    if (mode === 'Ignore') return;
    const all = [...unknownFields.map((p) => `unknown field ${JSON.stringify(p)}`), ...problems.duplicates];
    if (!all.length) return;
    if (mode === 'Strict') throw reject(`strict decoding error: ${all.join(', ')}`);
    for (const w of all) if (!warnings.includes(w)) warnings.push(w);
  };
}

/**
 * The keys a JSON document repeats, as paths in upstream's strict-decoding form
 * (`spec.template.spec.containers[0].name`). A cheap count settles the common case: a document
 * with no repeated key has as many `"…":` tokens as its parsed form has keys (strings that
 * contain `":` only make the count err on the side of the exact scan).
 */
export function duplicateJsonFields(text: string, parsed: unknown): string[] {
  const tokens = text.match(/"\s*:/g)?.length ?? 0;
  if (tokens === countKeys(parsed)) return [];
  const out: string[] = [];
  const seen: Array<Set<string>> = [];
  try {
    findDuplicates(text, seen, out);
  } catch (err) {
    // The scanner recurses; a document nested past the stack keeps the duplicates found so far.
    if (!(err instanceof RangeError)) throw err;
  }
  return out;
}

function findDuplicates(text: string, seen: Array<Set<string>>, out: string[]): void {
  visit(text, {
    onObjectBegin: () => {
      seen.push(new Set());
    },
    onObjectEnd: () => {
      seen.pop();
    },
    onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
      const keys = seen[seen.length - 1];
      if (!keys) return;
      if (!keys.has(property)) {
        keys.add(property);
        return;
      }
      const problem = `duplicate field ${JSON.stringify(joinPath([...pathSupplier(), property]))}`;
      if (!out.includes(problem)) out.push(problem);
    },
  });
}

/** The keys of a parsed document, walked without recursion (bodies may nest deeper than the stack). */
function countKeys(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
      continue;
    }
    for (const key in v) {
      n++;
      stack.push((v as Record<string, unknown>)[key]);
    }
  }
  return n;
}

/** `["spec", "containers", 0, "name"]` → `spec.containers[0].name`. */
function joinPath(path: Array<string | number>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

/**
 * The repeated keys of a YAML document, worded as upstream's YAML-to-JSON converter reports
 * them in strict mode: one error listing `line N: key "k" already set in map` per repeat.
 */
export function duplicateYamlFields(text: string): string[] {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const lines = doc.errors
    .filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => {
      const line = lineOf(text, e.pos[0]);
      const key = keyAt(text, e.pos[0]);
      return `  line ${line}: key ${JSON.stringify(key)} already set in map`;
    });
  if (!lines.length) return [];
  return [`error converting YAML to JSON: yaml: unmarshal errors:\n${lines.join('\n')}`];
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The key written at offset: a plain or quoted YAML scalar up to its colon. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const quoted = /^(["'])(.*?)\1\s*:/.exec(rest);
  if (quoted) return quoted[2] ?? '';
  return /^([^:\n]*?)\s*:/.exec(rest)?.[1] ?? rest.split('\n')[0] ?? '';
}
