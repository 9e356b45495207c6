import { describe, expect, test } from 'vitest';
import { goAtoi, goFields, goParseDuration, goQuote, goToLowerAscii, goTrimSpace } from './gotext.js';

describe('goParseDuration, as Go’s time.ParseDuration', () => {
  const s = 1_000_000_000n;
  const valid: Array<{ name: string; input: string; want: bigint }> = [
    { name: 'seconds', input: '90s', want: 90n * s },
    { name: 'hours and minutes', input: '1h30m', want: 5400n * s },
    { name: 'a fraction of an hour', input: '1.5h', want: 5400n * s },
    { name: 'a bare zero', input: '0', want: 0n },
    { name: 'a signed zero', input: '-0', want: 0n },
    { name: 'a leading plus', input: '+1m', want: 60n * s },
    { name: 'a negative duration', input: '-5m', want: -300n * s },
    { name: 'milliseconds', input: '500ms', want: 500_000_000n },
    { name: 'microseconds spelled us, µs (micro sign) and μs (Greek mu)', input: '1us1µs1μs', want: 3_000n },
    { name: 'nanoseconds', input: '7ns', want: 7n },
    { name: 'a fraction with no integer part', input: '.5s', want: 500_000_000n },
    { name: 'an integer with an empty fraction', input: '5.s', want: 5n * s },
    { name: 'units in any order, repeated', input: '1s1h1s', want: 3602n * s },
    { name: 'the largest duration', input: '9223372036854775807ns', want: 9223372036854775807n },
    { name: 'the smallest duration', input: '-9223372036854775808ns', want: -9223372036854775808n },
    { name: 'fraction digits past int64 precision, ignored', input: '1.00000000000000000000001s', want: s },
  ];
  for (const tc of valid) test(`reads ${tc.name}`, () => expect(goParseDuration(tc.input)).toBe(tc.want));

  const invalid: Array<{ name: string; input: string; want: string }> = [
    { name: 'an empty string', input: '', want: 'time: invalid duration ""' },
    { name: 'a lone sign', input: '-', want: 'time: invalid duration "-"' },
    { name: 'a number without a unit', input: '5', want: 'time: missing unit in duration "5"' },
    { name: 'days', input: '5d', want: 'time: unknown unit "d" in duration "5d"' },
    { name: 'a space inside', input: '1h 30m', want: 'time: unknown unit "h " in duration "1h 30m"' },
    { name: 'a dot alone', input: '.s', want: 'time: invalid duration ".s"' },
    { name: 'a leading space', input: ' 5m', want: 'time: invalid duration " 5m"' },
    { name: 'scientific notation', input: '1e5s', want: 'time: unknown unit "e" in duration "1e5s"' },
    {
      name: 'one past the largest duration',
      input: '9223372036854775808ns',
      want: 'time: invalid duration "9223372036854775808ns"',
    },
    { name: 'too many hours', input: '2562048h', want: 'time: invalid duration "2562048h"' },
    {
      name: 'a non-ASCII unit, quoted byte by byte',
      input: '5Ä',
      want: 'time: unknown unit "\\xc3\\x84" in duration "5\\xc3\\x84"',
    },
  ];
  for (const tc of invalid)
    test(`rejects ${tc.name}`, () => expect(() => goParseDuration(tc.input)).toThrow(tc.want));
});

describe('goAtoi, as Go’s strconv.Atoi', () => {
  test('reads signed decimal integers into a bigint', () => {
    expect(['5', '+5', '-5', '-0', '007', '9223372036854775807'].map(goAtoi)).toEqual([
      5n,
      5n,
      -5n,
      0n,
      7n,
      9223372036854775807n,
    ]);
  });
  const invalid: Array<{ input: string; want: string }> = [
    { input: '', want: 'strconv.Atoi: parsing "": invalid syntax' },
    { input: '+', want: 'strconv.Atoi: parsing "+": invalid syntax' },
    { input: '1_000', want: 'strconv.Atoi: parsing "1_000": invalid syntax' },
    { input: '0x10', want: 'strconv.Atoi: parsing "0x10": invalid syntax' },
    { input: '9223372036854775808', want: 'strconv.Atoi: parsing "9223372036854775808": value out of range' },
    {
      input: '99999999999999999999x',
      want: 'strconv.Atoi: parsing "99999999999999999999x": value out of range',
    },
    { input: 'x99999999999999999999', want: 'strconv.Atoi: parsing "x99999999999999999999": invalid syntax' },
  ];
  for (const tc of invalid) {
    test(`rejects ${JSON.stringify(tc.input)}`, () => expect(() => goAtoi(tc.input)).toThrow(tc.want));
  }
});

describe('Go string helpers', () => {
  test('goQuote keeps printable runes and escapes the rest', () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('é１')).toBe('"é１"');
    expect(goQuote('\u200b\u0007\u007f\t')).toBe('"\\u200b\\a\\x7f\\t"');
    expect(goQuote('\u{1f600}\u{e0001}')).toBe('"\u{1f600}\\U000e0001"');
  });

  test('goFields splits on Go’s white space, which has NEL and lacks the BOM', () => {
    expect(goFields(' a\u0085b\u00a0c\u3000 d ')).toEqual(['a', 'b', 'c', 'd']);
    expect(goFields('a\ufeffb')).toEqual(['a\ufeffb']);
    expect(goFields('   ')).toEqual([]);
  });

  test('goTrimSpace trims the same white space', () => {
    expect(goTrimSpace('\u00a0 @hourly \t')).toBe('@hourly');
    expect(goTrimSpace('\ufeff@hourly')).toBe('\ufeff@hourly');
  });

  test('goToLowerAscii lowers what Go lowers to ASCII, including dotted capital I', () => {
    expect(goToLowerAscii('FRİ')).toBe('fri');
    expect(goToLowerAscii('MoN')).toBe('mon');
    expect(goToLowerAscii('É')).toBe('É');
  });
});
