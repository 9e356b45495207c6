import { describe, expect, test } from 'vitest';
import { fieldManagerFor, validateFieldManager } from './managerName.js';

describe('the manager a write is recorded under', () => {
  const cases: Array<{ name: string; param?: string; userAgent?: string; want: string }> = [
    { name: 'the fieldManager parameter wins', param: 'mine', userAgent: 'kubectl/v1.32.0', want: 'mine' },
    {
      name: 'without it, the User-Agent up to its first slash',
      userAgent: 'kubectl-client-side-apply/v1.32.0 (linux/amd64) kubernetes/70d3cc9',
      want: 'kubectl-client-side-apply',
    },
    { name: 'a User-Agent without a slash is taken whole', userAgent: 'curl', want: 'curl' },
    { name: 'non-printable characters are dropped', userAgent: 'a\u0007b/1', want: 'ab' },
    { name: 'no User-Agent gives an empty name', want: '' },
    { name: 'a long name is cut at 128 bytes', userAgent: 'x'.repeat(200), want: 'x'.repeat(128) },
    {
      name: 'the cut never splits a multi-byte character',
      userAgent: `a${'é'.repeat(100)}`,
      want: `a${'é'.repeat(63)}`,
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(fieldManagerFor(tc.param, tc.userAgent)).toBe(tc.want));
});

describe('validating a fieldManager parameter', () => {
  const cases: Array<{ name: string; value: string; apply?: boolean; want: string[] }> = [
    { name: 'a plain name is valid', value: 'kubectl', want: [] },
    { name: 'an empty name is fine outside apply', value: '', want: [] },
    {
      name: 'apply requires a name',
      value: '',
      apply: true,
      want: ['fieldManager: Required value: is required for apply patch'],
    },
    {
      name: 'more than 128 bytes is too long',
      value: 'x'.repeat(129),
      want: ['fieldManager: Too long: may not be more than 128 bytes'],
    },
    {
      name: 'a control character is invalid, with its byte position',
      value: 'é\u0007',
      want: ['fieldManager: Invalid value: "é\\a": invalid character U+0007 (at position 2)'],
    },
  ];
  for (const tc of cases) {
    test(tc.name, () =>
      expect(validateFieldManager(tc.value, tc.apply).map((e) => `${e.field}: ${e.message}`)).toEqual(
        tc.want,
      ),
    );
  }
});
