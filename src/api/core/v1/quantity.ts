/**
 * resource.Quantity as apimachinery 1.32 parses, compares and prints it. Values are kept exactly
 * (a bigint scaled by a power of ten) so comparisons and the canonical text match upstream for
 * any input, including ones too large for an int64.
 */

/** How the quantity was written; it decides how the canonical text is spelled. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** A parsed quantity: `unscaled × 10^scale`. Treat as immutable. */
export interface Quantity {
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
  /**
   * Upstream keeps the input text when it already is canonical-looking and prints it back as is
   * (so `+1` or `01` survive a round trip); undefined means "print the canonical form".
   */
  readonly cached?: string | undefined;
  /** Parsed through upstream's arbitrary-precision path; it rounds differently in RoundUp. */
  readonly big: boolean;
}

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** Upstream's parse errors, word for word (a decoder turns them into 400s). */
export const QUANTITY_ERR_FORMAT = `quantities must match the regular expression '${SPLIT_RE}'`;
export const QUANTITY_ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const QUANTITY_ERR_SUFFIX = "unable to parse quantity's suffix";

/** A string that is not a quantity; `message` is upstream's error text. */
export class QuantityParseError extends Error {
  override name = 'QuantityParseError';
}

const NANO = -9;
const INT64_MAX = 2n ** 63n - 1n;
const MAX_INT64_FACTORS = 18;

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);
const DECIMAL_BY_EXPONENT = new Map([...DECIMAL_SUFFIXES].map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map([...BINARY_SUFFIXES].map(([s, e]) => [e, s]));

function interpretSuffix(s: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES.get(s);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(s);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    // Go's strconv.ParseInt(…, 10, 64), then truncated to int32 as upstream does.
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const n = BigInt(rest);
    if (n > INT64_MAX || n < -INT64_MAX - 1n) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
  }
  return undefined;
}

interface Scanned {
  positive: boolean;
  /** The numeric text with its sign, as the arbitrary-precision path re-reads it. */
  value: string;
  /** Integer digits without leading zeros ("0" when there are none). */
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Upstream's hand-written scanner: lenient about leading zeros and `1.` but strict about the suffix. */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num, denom: '', suffix: '' };
  pos = i;
  if (num === '') num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    denom = str.slice(pos, j);
    if (j >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = j;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  let k = pos;
  while (k < end && 'eEinumkKMGTP'.includes(str.charAt(k))) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  if (str[k] === '-' || str[k] === '+') k++;
  while (k < end && isDigit(str[k])) k++;
  if (k < end) throw new QuantityParseError(QUANTITY_ERR_FORMAT);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** Reads `[+-]digits[.digits]` exactly; the arbitrary-precision path of upstream's parser. */
function parseDecimal(text: string): { unscaled: bigint; scale: number } | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(text);
  if (!m) return undefined;
  const [, sign = '', whole = '', frac = ''] = m;
  if (whole === '' && frac === '') return undefined;
  const digits = BigInt(`${whole}${frac}` || '0');
  return { unscaled: sign === '-' ? -digits : digits, scale: -frac.length };
}

const pow10 = (n: number) => 10n ** BigInt(n);
const abs = (n: bigint) => (n < 0n ? -n : n);

/** Divides by 10^shift, rounding away from zero; `exact` says whether nothing was lost. */
function shrinkAwayFromZero(unscaled: bigint, shift: number): { value: bigint; exact: boolean } {
  if (shift <= 0) return { value: unscaled * pow10(-shift), exact: true };
  const d = pow10(shift);
  const q = unscaled / d;
  const exact = q * d === unscaled;
  return { value: exact ? q : unscaled < 0n ? q - 1n : q + 1n, exact };
}

/**
 * Upstream ParseQuantity. Throws QuantityParseError with upstream's message; `"0"` parses to a
 * DecimalSI zero. Fractions finer than 1n are rounded up (away from zero) to 1n.
 */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(QUANTITY_ERR_FORMAT);
  if (str === '0') return { unscaled: 0n, scale: 0, format: 'DecimalSI', cached: '0', big: false };
  const { positive, value, num, denom, suffix } = scan(str);
  const sfx = interpretSuffix(suffix);
  if (!sfx) throw new QuantityParseError(QUANTITY_ERR_SUFFIX);

  // The fast path: what fits an int64 at a scale no finer than nano.
  let precision: number;
  let scale = 0;
  let multiplier = 1n;
  if (sfx.format === 'BinarySI') {
    if (sfx.exponent >= 0 && denom.length === 0) {
      multiplier = 1n << BigInt(sfx.exponent);
      // Upstream estimates the decimal digits a binary suffix adds with float32 arithmetic.
      precision = 15 - num.length - Math.trunc(Math.fround(Math.fround(sfx.exponent) * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = sfx.exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO) {
      const shifted = num + denom;
      const parsed = BigInt(shifted);
      if (parsed > INT64_MAX) throw new QuantityParseError(QUANTITY_ERR_NUMERIC);
      const product = parsed * multiplier;
      if (product <= INT64_MAX) {
        const unscaled = positive ? product : -product;
        const keepText =
          sfx.format === 'BinarySI'
            ? sfx.exponent % 10 === 0 && (parsed & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { unscaled, scale, format: sfx.format, cached: keepText ? str : undefined, big: false };
      }
    }
  }

  const amount = parseDecimal(value);
  if (!amount) throw new QuantityParseError(QUANTITY_ERR_NUMERIC);
  let { unscaled, scale: s } = amount;
  if (sfx.base === 10) s += sfx.exponent;
  else unscaled *= 1n << BigInt(sfx.exponent);
  const negative = unscaled < 0n;
  unscaled = abs(unscaled);
  if (unscaled !== 0n && s < NANO) {
    unscaled = shrinkAwayFromZero(unscaled, NANO - s).value;
    s = NANO;
  }
  let format = sfx.format;
  if (format === 'BinarySI') {
    if (compareRaw(unscaled, s, INT64_MAX, 0) > 0) {
      unscaled = INT64_MAX;
      s = 0;
    }
    // Positive binary amounts below one print as decimals.
    if (compareRaw(unscaled, s, 1n, 0) < 0 && unscaled > 0n) format = 'DecimalSI';
  }
  return { unscaled: negative ? -unscaled : unscaled, scale: s, format, big: true };
}

/** A quantity from a JSON value (a string or a number); undefined when it does not parse. */
export function toQuantity(v: unknown): Quantity | undefined {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof text !== 'string') return undefined;
  try {
    return parseQuantity(text.trim());
  } catch (err) {
    if (err instanceof QuantityParseError) return undefined;
    throw err;
  }
}

function compareRaw(a: bigint, as: number, b: bigint, bs: number): -1 | 0 | 1 {
  const s = Math.min(as, bs);
  const x = a * pow10(as - s);
  const y = b * pow10(bs - s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Upstream Quantity.Cmp. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return compareRaw(a.unscaled, a.scale, b.unscaled, b.scale);
}

export const isZeroQuantity = (q: Quantity): boolean => q.unscaled === 0n;
export const quantitySign = (q: Quantity): -1 | 0 | 1 => (q.unscaled < 0n ? -1 : q.unscaled > 0n ? 1 : 0);

/** Upstream ScaledValue: the value in units of 10^scale, rounded away from zero. */
export function scaledValue(q: Quantity, scale: number): bigint {
  return shrinkAwayFromZero(q.unscaled, scale - q.scale).value;
}

/** Upstream Value(): whole units, rounded away from zero. */
export const quantityValue = (q: Quantity): bigint => scaledValue(q, 0);
/** Upstream MilliValue(). */
export const quantityMilliValue = (q: Quantity): bigint => scaledValue(q, -3);

/**
 * Upstream RoundUp(scale): rounds away from zero to a multiple of 10^scale. Quantities from the
 * fast path that are already that coarse are returned unchanged, keeping their original text.
 */
export function roundUpQuantity(q: Quantity, scale: number): Quantity {
  if (!q.big && q.scale >= scale) return q;
  if (q.scale >= scale) return { ...q, cached: undefined };
  return {
    unscaled: shrinkAwayFromZero(q.unscaled, scale - q.scale).value,
    scale,
    format: q.format,
    big: q.big,
  };
}

/** Strips factors of `base` from a non-zero magnitude. */
function removeFactors(n: bigint, base: bigint): { rest: bigint; times: number } {
  let rest = abs(n);
  let times = 0;
  while (rest >= base && rest % base === 0n) {
    rest /= base;
    times++;
  }
  return { rest: n < 0n ? -rest : rest, times };
}

/** Upstream String(): the text a quantity is stored and served as. */
export function formatQuantity(q: Quantity): string {
  if (q.cached !== undefined) return q.cached;
  if (q.unscaled === 0n) return '0';
  let format = q.format;
  let integer = 0n;
  if (format === 'BinarySI') {
    const small =
      compareRaw(q.unscaled, q.scale, -1024n, 0) > 0 && compareRaw(q.unscaled, q.scale, 1024n, 0) < 0;
    const whole = shrinkAwayFromZero(q.unscaled, -q.scale);
    if (small || !whole.exact) format = 'DecimalSI';
    else integer = whole.value;
  }
  if (format === 'BinarySI') {
    const { rest, times } = removeFactors(integer, 1024n);
    // Upstream has no suffix for 2^0 (or beyond Ei) in the binary table and prints the bare number.
    return `${rest}${BINARY_BY_EXPONENT.get(times * 10) ?? ''}`;
  }
  const { rest, times } = removeFactors(q.unscaled, 10n);
  let exponent = q.scale + times;
  let mantissa = rest;
  // Lower the exponent to the next multiple of three so an SI suffix can name it.
  const r = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(r);
  exponent -= r;
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Upstream prints no suffix when the table has none (e.g. 10^21), whatever that means.
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? ''}`;
}

/** The canonical text of a JSON quantity, or the input unchanged when it does not parse. */
export function canonicalQuantity(v: unknown): unknown {
  const q = toQuantity(v);
  return q ? formatQuantity(q) : v;
}
