import { describe, expect, test } from 'vitest';
import { copyJson, copyPlain } from './copy.js';

const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
/** Keys in order, as a JSON writer would see them. */
const text = (v: unknown) => JSON.stringify(v);

describe('a JSON-equivalent copy', () => {
  const cases: Array<{ name: string; value: unknown }> = [
    {
      name: 'nested objects and arrays keep their values and key order',
      value: { b: 1, a: [{ z: 'x', y: [true, null] }] },
    },
    { name: 'undefined members disappear from objects', value: { a: undefined, b: 2 } },
    {
      name: 'undefined, functions and symbols become null in arrays',
      value: [undefined, () => 1, Symbol('s'), 3],
    },
    {
      name: 'non-finite numbers become null and -0 becomes 0',
      value: { n: Number.NaN, i: Number.POSITIVE_INFINITY, z: -0 },
    },
    { name: 'a Date becomes its ISO text through toJSON', value: { t: new Date('2026-01-02T03:04:05Z') } },
    { name: 'functions members disappear', value: { f: () => 1, k: 'v' } },
  ];
  test.each(cases)('$name', ({ value }) => {
    const copy = copyJson(value);
    expect(copy).toStrictEqual(roundTrip(value));
    expect(text(copy)).toBe(text(value));
  });

  test('a __proto__ key stays an own member, as JSON.parse keeps it', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":1}') as Record<string, unknown>;
    const copy = copyJson(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(text(copy)).toBe(text(value));
  });

  test('the copy shares nothing with the original', () => {
    const value = { a: { b: [{ c: 1 }] } };
    const copy = copyJson(value) as typeof value;
    copy.a.b[0]!.c = 2;
    expect(value.a.b[0]!.c).toBe(1);
  });
});

describe('a structuredClone-equivalent copy of plain data', () => {
  const cases: Array<{ name: string; value: unknown }> = [
    { name: 'undefined members are kept', value: { a: undefined, b: { c: undefined } } },
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case.
    { name: 'array holes stay holes', value: [1, , 3] },
    { name: 'a Date is cloned as a Date', value: { t: new Date('2026-01-02T03:04:05Z') } },
    { name: 'a Map is cloned as a Map', value: { m: new Map([['k', 1]]) } },
    { name: 'primitives come back as they are', value: 'text' },
  ];
  test.each(cases)('$name', ({ value }) => {
    expect(copyPlain(value)).toStrictEqual(structuredClone(value));
  });

  test('a function is refused as structuredClone refuses it', () => {
    expect(() => copyPlain({ f: () => 1 })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
  });

  test('the copy shares nothing with the original', () => {
    const value = { a: [{ b: 1 }] };
    const copy = copyPlain(value);
    copy.a[0]!.b = 2;
    expect(value.a[0]!.b).toBe(1);
  });
});
