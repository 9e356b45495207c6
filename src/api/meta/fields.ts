/**
 * Field selectors, as upstream's apimachinery `fields` package: `f=v`, `f==v`, `f!=v` joined by
 * commas (AND), with `\,`, `\=` and `\\` escapes in values. Error texts are upstream's.
 */
import { InvalidSelectorError } from './labels.js';

export interface FieldRequirement {
  readonly field: string;
  /** `==` parses to `=`, as upstream keeps only equal and not-equal terms. */
  readonly op: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  /** AND of these, in the order of the sorted source terms. */
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  /** A field the object does not have reads as "", so `spec.nodeName!=` matches when it is set. */
  matches(fields: Record<string, string>): boolean;
  fieldNames(): string[];
  /** The canonical text form, values escaped. */
  toString(): string;
}

/** Splits on commas that are not escaped; the escapes stay in the terms. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Field names take no escapes, so the first operator in the term splits it. */
function splitTerm(term: string): { field: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  let out = '';
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new InvalidSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      // Go prints the offending rune with %v, i.e. as its number.
      throw new InvalidSelectorError(
        `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`,
      );
    } else {
      out += c;
    }
  }
  if (escaped) throw new InvalidSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

const escapeValue = (s: string) => s.replace(/[\\,=]/g, (c) => `\\${c}`);

/**
 * Parses a `fieldSelector` query (upstream fields.ParseSelector). Terms are sorted before parsing,
 * so the first bad term in sort order is the one reported. Throws InvalidSelectorError.
 */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw new InvalidSelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const value = unescapeValue(parts.rhs);
    // Upstream drops a term whose field and value are both empty (`=`): it restricts nothing.
    if (parts.field === '' && value === '') continue;
    requirements.push({ field: parts.field, op: parts.op === '!=' ? '!=' : '=', value });
  }
  return {
    requirements,
    empty: requirements.length === 0,
    matches: (fields) =>
      requirements.every((r) => {
        const have = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
        return r.op === '=' ? have === r.value : have !== r.value;
      }),
    fieldNames: () => requirements.map((r) => r.field),
    toString: () => requirements.map((r) => `${r.field}${r.op}${escapeValue(r.value)}`).join(','),
  };
}

/** Rejects the first field the resource does not index, with upstream's conversion-function error. */
export function checkSupportedFields(sel: FieldSelector, supported: readonly string[]): void {
  const unsupported = sel.requirements.find((r) => !supported.includes(r.field));
  if (unsupported) throw new InvalidSelectorError(`field label not supported: ${unsupported.field}`);
}

/**
 * The value a selector pins `field` to with `field=value`, if any (upstream RequiresExactMatch);
 * the apiserver uses it to turn a list filtered by metadata.name into a single get.
 */
export function requiresExactMatch(sel: FieldSelector, field: string): string | undefined {
  return sel.requirements.find((r) => r.op === '=' && r.field === field)?.value;
}
