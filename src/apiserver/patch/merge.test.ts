import { expect, test } from 'vitest';
import { mergePatch } from './merge.js';

const cases: Array<{ name: string; target: unknown; patch: unknown; want: unknown }> = [
  { name: 'a new key is added', target: { a: 1 }, patch: { b: 2 }, want: { a: 1, b: 2 } },
  { name: 'null removes a key', target: { a: 1, b: 2 }, patch: { a: null }, want: { b: 2 } },
  {
    name: 'objects merge recursively',
    target: { m: { x: 1, y: 2 } },
    patch: { m: { y: 3 } },
    want: { m: { x: 1, y: 3 } },
  },
  { name: 'arrays are replaced whole', target: { l: [1, 2, 3] }, patch: { l: [4] }, want: { l: [4] } },
  { name: 'a scalar patch replaces the document', target: { a: 1 }, patch: 'x', want: 'x' },
  {
    name: 'an object replaces a scalar',
    target: { a: 1 },
    patch: { a: { b: null, c: 1 } },
    want: { a: { c: 1 } },
  },
];

for (const tc of cases) test(tc.name, () => expect(mergePatch(tc.target, tc.patch)).toEqual(tc.want));
