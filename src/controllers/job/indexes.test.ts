import { expect, test } from 'vitest';
import { firstPendingIndexes, formatIndexes, parseIndexes, withIndexes } from './indexes.js';
import { generateNameWithIndex } from './podTemplate.js';

const formats: Array<{ name: string; indexes: number[]; want: string }> = [
  { name: 'runs of three or more are written first-last', indexes: [1, 3, 4, 5, 7], want: '1,3-5,7' },
  { name: 'a run of two is written as two singles', indexes: [0, 1], want: '0,1' },
  { name: 'a run of three becomes an interval', indexes: [0, 1, 2], want: '0-2' },
  { name: 'no indexes is the empty string', indexes: [], want: '' },
];
for (const tc of formats)
  test(tc.name, () => expect(formatIndexes(withIndexes([], tc.indexes))).toBe(tc.want));

const parses: Array<{ name: string; text: string; completions: number; want: string }> = [
  { name: 'an interval past completions is clipped', text: '1-3', completions: 2, want: '1' },
  { name: 'unparsable fragments are skipped', text: 'x,2,a-b,4', completions: 10, want: '2,4' },
  { name: 'a fragment starting past completions ends the list', text: '1,7,3', completions: 5, want: '1' },
  { name: 'adjacent fragments are merged', text: '0,1-2,3', completions: 10, want: '0-3' },
];
for (const tc of parses)
  test(tc.name, () => expect(formatIndexes(parseIndexes(tc.text, tc.completions))).toBe(tc.want));

test('pending indexes skip every taken interval', () =>
  expect(firstPendingIndexes(parseIndexes('0,2-4,7', 20), 4, 20)).toEqual([1, 5, 6, 8]));

test('pending indexes stop at completions', () => expect(firstPendingIndexes([], 5, 3)).toEqual([0, 1, 2]));

test('a long job name is cut so the generated name keeps its index and fits 58 characters', () => {
  const name = generateNameWithIndex('a'.repeat(60), 12);
  expect(name.endsWith('-12-')).toBe(true);
  expect(name).toHaveLength(58);
});
