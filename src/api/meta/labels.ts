/**
 * Label syntax and label selectors, as upstream's apimachinery `labels` package and the label
 * checks of `util/validation`. Error texts are upstream's (1.32 wording) because kubectl shows
 * them to users verbatim.
 */
import { type FieldError, invalidValue } from './status.js';

/** A selector that could not be parsed or compiled; the HTTP layer turns it into 400 BadRequest. */
export class InvalidSelectorError extends Error {
  override name = 'InvalidSelectorError';
}

// ---------------------------------------------------------------------------------------------
// Formats. The DNS-1123 checks live here because a label key's prefix is a DNS subdomain;
// validation.ts re-exports them next to the name validators.

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const whole = (re: string) => new RegExp(`^${re}$`);
const dns1123LabelRe = whole(DNS1123_LABEL);
const dns1123SubdomainRe = whole(DNS1123_SUBDOMAIN);
const qualifiedNameRe = whole(QUALIFIED_NAME);
const labelValueRe = whole(LABEL_VALUE);

/** Upstream measures lengths with Go's len(), i.e. in UTF-8 bytes. */
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const maxLenError = (n: number) => `must be no more than ${n} characters`;
// Upstream's wording, double space included: "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex ...)".
const regexError = (msg: string, re: string, ...examples: string[]) =>
  `${msg} (${examples.length ? `e.g. ${examples.map((e) => `'${e}', `).join(' or ')}` : ''}regex used for validation is '${re}')`;

/** RFC 1123 label (namespace names, DNS-label resource names); `[]` when valid. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a label can only be failing because of its dots.
    errs.push(
      dns1123SubdomainRe.test(value)
        ? 'must not contain dots'
        : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL, 'my-name', '123-abc'),
    );
  }
  return errs;
}

/** RFC 1123 subdomain (most resource names, label-key prefixes); `[]` when valid. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value))
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN, 'example.com'));
  return errs;
}

/** A label key, annotation key or finalizer: `[prefix/]name`; `[]` when valid. */
export function isQualifiedName(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const name = parts.at(-1) ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qualifiedNameRe.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** A label value: empty, or up to 63 characters of the qualified-name charset; `[]` when valid. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value))
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** Upstream's ValidateLabels: every error sits on the map's own path, bad keys and values alike. */
export function validateLabels(labels: Record<string, string> | undefined, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(key)) errs.push(invalidValue(fieldPath, key, msg));
    for (const msg of isValidLabelValue(value)) errs.push(invalidValue(fieldPath, value, msg));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Selectors.

/** Upstream's selection.Operator values; `!` is DoesNotExist. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A compiled label selector: upstream's labels.Selector. */
export interface LabelSelector {
  /** AND of these, sorted by key. */
  readonly requirements: readonly Requirement[];
  /** True when the selector does not restrict anything (not for the match-nothing selector). */
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  /** The canonical text form, as upstream's String() and as kubectl puts it in `labelSelector=`. */
  toString(): string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | undefined;
}

/** metav1.LabelSelector, as found in a Job's spec.selector. */
export interface MetaLabelSelector {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: LabelSelectorRequirement[] | undefined;
}

const INT64 = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64), or undefined when it would fail. */
function parseInt64(s: string | undefined): bigint | undefined {
  if (s === undefined || !INT64.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key] ?? '';
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const have = has ? parseInt64(value) : undefined;
      const want = r.values.length === 1 ? parseInt64(r.values[0]) : undefined;
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

function formatRequirement(r: Requirement): string {
  const values = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort().join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

function compile(requirements: Requirement[]): LabelSelector {
  // Sorting by key keeps the text form deterministic; Array#sort is stable, as upstream is for small inputs.
  const sorted = requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    empty: sorted.length === 0,
    matches: (labels) => sorted.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => sorted.map(formatRequirement).join(','),
  };
}

/** Upstream's labels.Nothing(): what a nil metav1.LabelSelector compiles to. */
const NOTHING: LabelSelector = { requirements: [], empty: false, matches: () => false, toString: () => '' };

/** Go's %#v of a []string; upstream prints the values this way in requirement errors. */
const goStrings = (values: readonly string[]) =>
  // The only empty slice that reaches an error is the nil one LabelSelectorAsSelector builds.
  values.length === 0 ? '[]string(nil)' : `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;

/** Upstream's aggregate error text: duplicates dropped, several wrapped in brackets. */
function aggregate(msgs: string[]): string {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/** Upstream's NewRequirement with no field path: validates the key, the value count and each value. */
function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  const badValues = (detail: string) => errs.push(`values: Invalid value: ${goStrings(values)}: ${detail}`);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) badValues("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) badValues('exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) badValues('values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) badValues("for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            `values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length)
      errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${msgs.join('; ')}`);
  });
  if (errs.length) throw new InvalidSelectorError(aggregate(errs));
  return { key, operator, values };
}

// --- the text grammar

type TokenKind = 'end' | 'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<';
interface Token {
  kind: TokenKind;
  text: string;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<']);

function lex(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && WHITESPACE.has(s.charAt(i))) i++;
    if (i >= s.length) {
      tokens.push({ kind: 'end', text: '' });
      return tokens;
    }
    const c = s.charAt(i);
    if (SYMBOLS.has(c)) {
      // Upstream scans symbols greedily; '==' and '!=' are the only two-character ones.
      const two = s.slice(i, i + 2);
      const text = two === '==' || two === '!=' ? two : c;
      tokens.push({ kind: text as TokenKind, text });
      i += text.length;
    } else {
      let j = i;
      while (j < s.length && !SYMBOLS.has(s.charAt(j)) && !WHITESPACE.has(s.charAt(j))) j++;
      const text = s.slice(i, j);
      tokens.push({ kind: text === 'in' || text === 'notin' ? text : 'id', text });
      i = j;
    }
  }
}

const TEXT_OPERATORS = new Map<TokenKind, Operator>([
  ['in', 'in'],
  ['notin', 'notin'],
  ['=', '='],
  ['==', '=='],
  ['!=', '!='],
  ['>', 'gt'],
  ['<', 'lt'],
]);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Outside operator position `in` and `notin` are plain identifiers, so `in in (in)` parses. */
  peek(asValue = true): Token {
    const t = this.tokens[Math.min(this.pos, this.tokens.length - 1)] ?? { kind: 'end', text: '' };
    return asValue && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'id', text: t.text } : t;
  }

  next(asValue = true): Token {
    const t = this.peek(asValue);
    this.pos++;
    return t;
  }

  requirement(): Requirement {
    let t = this.next();
    const negated = t.kind === '!';
    if (negated) t = this.next();
    if (t.kind !== 'id') throw new InvalidSelectorError(`found '${t.text}', expected: identifier`);
    const key = t.text;
    const keyErrs = isQualifiedName(key);
    // The parser validates the key with a nil field path, which Go prints as <nil>.
    if (keyErrs.length)
      throw new InvalidSelectorError(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    // `!key` takes no operator: whatever follows is left for the caller to reject.
    if (negated) return newRequirement(key, '!', []);
    const after = this.peek().kind;
    if (after === 'end' || after === ',') return newRequirement(key, 'exists', []);

    const op = this.next(false);
    const operator = TEXT_OPERATORS.get(op.kind);
    if (!operator)
      throw new InvalidSelectorError(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : [this.exactValue()];
    return newRequirement(key, operator, values);
  }

  /** `(a,b)`; empty items are the empty value, so `()`, `(,a)` and `(a,)` all contain "". */
  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new InvalidSelectorError(`found '${open.text}' expected: '('`);
    const first = this.peek();
    if (first.kind === ')') {
      this.next();
      return [''];
    }
    if (first.kind !== 'id' && first.kind !== ',') {
      throw new InvalidSelectorError(`found '${first.text}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.kind === 'id') {
        values.add(t.text);
        const after = this.peek();
        if (after.kind === ')') break;
        if (after.kind !== ',') throw new InvalidSelectorError(`found '${after.text}', expected: ',' or ')'`);
      } else if (t.kind === ',') {
        if (values.size === 0) values.add('');
        const after = this.peek().kind;
        if (after === ',') values.add('');
        if (after === ')') {
          values.add('');
          break;
        }
      } else {
        throw new InvalidSelectorError(`found '${t.text}', expected: ',', or identifier`);
      }
    }
    this.next();
    // Upstream collects the values in a set and hands them on sorted.
    return [...values].sort();
  }

  /** The value after `=`, `!=`, `>`...; a missing one (`k=`) is the empty string. */
  private exactValue(): string {
    const after = this.peek().kind;
    if (after === 'end' || after === ',') return '';
    const t = this.next();
    if (t.kind !== 'id') throw new InvalidSelectorError(`found '${t.text}', expected: identifier`);
    return t.text;
  }
}

/**
 * Parses the `labelSelector` query grammar (upstream labels.Parse): `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>5`, `k<5`, joined by commas (AND).
 * The empty string selects everything. Throws InvalidSelectorError with upstream's message.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const p = new Parser(lex(text));
  const requirements: Requirement[] = [];
  for (;;) {
    const t = p.peek();
    if (t.kind === 'end') break;
    if (t.kind !== 'id' && t.kind !== '!') {
      throw new InvalidSelectorError(`found '${t.text}', expected: !, identifier, or 'end of string'`);
    }
    try {
      requirements.push(p.requirement());
    } catch (err) {
      if (err instanceof InvalidSelectorError) {
        throw new InvalidSelectorError(`unable to parse requirement: ${err.message}`, { cause: err });
      }
      throw err;
    }
    const sep = p.next();
    if (sep.kind === 'end') break;
    if (sep.kind !== ',')
      throw new InvalidSelectorError(`found '${sep.text}', expected: ',' or 'end of string'`);
    const following = p.peek();
    if (following.kind !== 'id' && following.kind !== '!') {
      throw new InvalidSelectorError(`found '${following.text}', expected: identifier after ','`);
    }
  }
  return compile(requirements);
}

const API_OPERATORS = new Map<string, Operator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * Compiles a metav1.LabelSelector (upstream LabelSelectorAsSelector): null/undefined selects
 * nothing, `{}` selects everything. Throws InvalidSelectorError for bad keys, values or operators.
 */
export function fromLabelSelector(sel: MetaLabelSelector | null | undefined): LabelSelector {
  if (!sel) return NOTHING;
  const requirements = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => newRequirement(k, '=', [v]));
  for (const expr of sel.matchExpressions ?? []) {
    const operator = API_OPERATORS.get(expr.operator);
    if (!operator)
      throw new InvalidSelectorError(`${JSON.stringify(expr.operator)} is not a valid pod selector operator`);
    requirements.push(newRequirement(expr.key, operator, [...(expr.values ?? [])]));
  }
  return compile(requirements);
}

/**
 * Upstream FormatLabelSelector, the human form (`kubectl describe`): the canonical text,
 * `<none>` when that is empty (a nil or empty selector) and `<error>` when it does not compile.
 * kubectl itself sends `fromLabelSelector(sel).toString()`, which is "" for both nil and empty.
 */
export function formatLabelSelector(sel: MetaLabelSelector | null | undefined): string {
  try {
    return fromLabelSelector(sel).toString() || '<none>';
  } catch (err) {
    if (err instanceof InvalidSelectorError) return '<error>';
    throw err;
  }
}
