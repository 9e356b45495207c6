/**
 * The few pieces of Go's standard library whose exact text ends up in cron error messages (and so
 * in CronJob validation errors): strconv.Atoi and strconv.Quote, time.ParseDuration and its quote,
 * unicode.IsSpace / strings.Fields / strings.TrimSpace, and strings.ToLower for ASCII names.
 */

/** Go's unicode.IsSpace: JS `\s` differs (it has U+FEFF and lacks U+0085). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const GO_SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/**
 * Go's strings.Fields: split around runs of Unicode white space, no empty fields.
 * @example
 * goFields(' 0  0\t* * * '); // ['0', '0', '*', '*', '*']
 */
export function goFields(s: string): string[] {
  return s.split(GO_SPACES).filter((f) => f !== '');
}

/**
 * Go's strings.TrimSpace.
 * @example
 * goTrimSpace(' @hourly\u00a0'); // '@hourly'
 */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && GO_SPACE.test(s.charAt(start))) start++;
  while (end > start && GO_SPACE.test(s.charAt(end - 1))) end--;
  return s.slice(start, end);
}

/**
 * strings.ToLower, as far as it matters for matching ASCII names: besides A–Z, only U+0130 (İ) and
 * U+212A (Kelvin sign) lower-case to ASCII letters in Go, so `FRİ` is Friday there and here.
 * @example
 * goToLowerAscii('MON'); // 'mon'
 */
export function goToLowerAscii(s: string): string {
  return s.replace(/[A-Z\u0130\u212a]/g, (c) =>
    c === '\u0130' ? 'i' : c === '\u212a' ? 'k' : String.fromCharCode(c.charCodeAt(0) + 32),
  );
}

/** Thrown by {@link goAtoi}; the message is Go's NumError text. */
export class GoNumError extends Error {
  override readonly name = 'GoNumError';
}

const MAX_UINT64 = (1n << 64n) - 1n;
const INT64_CUTOFF = 1n << 63n;

/**
 * Go's strconv.Atoi on a 64-bit machine: optional sign, decimal digits only, int64 range. Returns a
 * bigint because specs like `1000000000000000000` are valid Go ints beyond 2^53.
 * @throws {GoNumError} `strconv.Atoi: parsing "x": invalid syntax` or `...: value out of range`.
 * @example
 * goAtoi('+5'); // 5n
 */
export function goAtoi(s: string): bigint {
  const syntax = () => new GoNumError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const range = () => new GoNumError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  if (s === '') throw syntax();
  let rest = s;
  const neg = rest.startsWith('-');
  if (neg || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '') throw syntax();
  let n = 0n;
  // As ParseUint: a bad character is a syntax error only if the value has not overflowed first.
  for (const c of rest) {
    if (c < '0' || c > '9') throw syntax();
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    if (n > MAX_UINT64) throw range();
  }
  if (neg ? n > INT64_CUTOFF : n >= INT64_CUTOFF) throw range();
  return neg ? -n : n;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * Go's strconv.Quote: printable runes stay, the rest is escaped Go-style.
 * @example
 * goQuote('x\u200b'); // '"x\\u200b"'
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const r = c.codePointAt(0) ?? 0;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (r < 0x80 ? r >= 0x20 && r < 0x7f : PRINTABLE.test(c)) out += c;
    else if (r === 7) out += '\\a';
    else if (r === 8) out += '\\b';
    else if (r === 12) out += '\\f';
    else if (r === 10) out += '\\n';
    else if (r === 13) out += '\\r';
    else if (r === 9) out += '\\t';
    else if (r === 11) out += '\\v';
    else if (r < 0x20 || r === 0x7f) out += `\\x${hex(r, 2)}`;
    else if (r < 0x10000) out += `\\u${hex(r, 4)}`;
    else out += `\\U${hex(r, 8)}`;
  }
  return `${out}"`;
}

const utf8 = new TextEncoder();

/**
 * The time package's own quote: every byte of a non-ASCII or control character becomes `\xNN`.
 * @example
 * goTimeQuote('5Ä'); // '"5\\xc3\\x84"'
 */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const r = c.codePointAt(0) ?? 0;
    if (r >= 0x80 || r < 0x20) {
      for (const b of utf8.encode(c)) out += `\\x${hex(b, 2)}`;
    } else {
      out += c === '"' || c === '\\' ? `\\${c}` : c;
    }
  }
  return `${out}"`;
}

/** Thrown by {@link goParseDuration}; the message is Go's. */
export class GoDurationError extends Error {
  override readonly name = 'GoDurationError';
}

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * Go's time.ParseDuration: a possibly signed sequence of decimal numbers, each with an optional
 * fraction and a unit (`ns us µs μs ms s m h`), e.g. `1h30m`, `1.5h`, `-90s`, `0`. Returns
 * nanoseconds; overflowing int64 is an error, as in Go.
 * @throws {GoDurationError} e.g. `time: invalid duration "x"`, `time: missing unit in duration "1"`.
 * @example
 * goParseDuration('1h30m'); // 5_400_000_000_000n
 */
export function goParseDuration(input: string): bigint {
  const invalid = () => new GoDurationError(`time: invalid duration ${goTimeQuote(input)}`);
  let s = input;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    // Integer part; Go gives up once the value passes 2^63.
    let i = 0;
    let v = 0n;
    for (; isDigit(s[i]); i++) {
      if (v > INT64_CUTOFF / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > INT64_CUTOFF) throw invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    // Fraction: digits past int64 precision are read but ignored, as in Go's leadingFraction.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s.startsWith('.')) {
      s = s.slice(1);
      let overflow = false;
      let j = 0;
      for (; isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (INT64_CUTOFF - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > INT64_CUTOFF) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid();
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    if (k === 0) throw new GoDurationError(`time: missing unit in duration ${goTimeQuote(input)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS.get(u);
    if (unit === undefined) {
      throw new GoDurationError(`time: unknown unit ${goTimeQuote(u)} in duration ${goTimeQuote(input)}`);
    }
    if (v > INT64_CUTOFF / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // Go does this step in float64 (exact to the nanosecond for fractions of an hour); so do we.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > INT64_CUTOFF) throw invalid();
    }
    d += v;
    if (d > INT64_CUTOFF) throw invalid();
  }
  if (neg) return -d;
  if (d > INT64_CUTOFF - 1n) throw invalid();
  return d;
}
