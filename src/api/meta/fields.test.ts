import { expect, test } from 'vitest';
import { checkSupportedFields, parseFieldSelector, requiresExactMatch } from './fields.js';

const pod = {
  'metadata.name': 'pi-abcde',
  'metadata.namespace': 'default',
  'spec.nodeName': '',
  'status.phase': 'Running',
};
const matches = (selector: string, fields: Record<string, string> = pod) =>
  parseFieldSelector(selector).matches(fields);
const parsed = (selector: string) => parseFieldSelector(selector).requirements;
const failure = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
};
const bad = (message: string) => `InvalidSelectorError: ${message}`;
const JOB_FIELDS = ['metadata.name', 'metadata.namespace', 'status.successful'];

const cases: Array<{ name: string; got: () => unknown; want: unknown }> = [
  // parsing
  {
    name: 'an empty selector is empty and matches everything',
    got: () => [parseFieldSelector('').empty, matches('')],
    want: [true, true],
  },
  {
    name: 'f=v, f==v and f!=v parse to equal and not-equal terms',
    got: () => parsed('a=1,b==2,c!=3'),
    want: [
      { field: 'a', op: '=', value: '1' },
      { field: 'b', op: '=', value: '2' },
      { field: 'c', op: '!=', value: '3' },
    ],
  },
  {
    name: 'terms are sorted before they are parsed',
    got: () => parseFieldSelector('status.phase=Running,metadata.name=x').fieldNames(),
    want: ['metadata.name', 'status.phase'],
  },
  {
    name: 'empty terms between commas are skipped',
    got: () => parsed(',a=1,,'),
    want: [{ field: 'a', op: '=', value: '1' }],
  },
  {
    name: 'a term with neither field nor value restricts nothing',
    got: () => parseFieldSelector('=').empty,
    want: true,
  },
  {
    name: 'the first operator splits the term, so the field keeps a lone !',
    got: () => parsed('a!b=c'),
    want: [{ field: 'a!b', op: '=', value: 'c' }],
  },
  {
    name: 'escaped commas, equals signs and backslashes are part of the value',
    got: () => parsed('a=x\\,y\\=z\\\\'),
    want: [{ field: 'a', op: '=', value: 'x,y=z\\' }],
  },
  {
    name: 'an empty value is allowed',
    got: () => parsed('spec.nodeName!='),
    want: [{ field: 'spec.nodeName', op: '!=', value: '' }],
  },
  {
    name: 'the text form escapes values again',
    got: () => parseFieldSelector('b==x\\,y,a!=1').toString(),
    want: 'a!=1,b=x\\,y',
  },

  // matching
  { name: 'f=v matches an equal field', got: () => matches('metadata.name=pi-abcde'), want: true },
  { name: 'f!=v matches a different field', got: () => matches('status.phase!=Succeeded'), want: true },
  {
    name: 'spec.nodeName!= does not match a pod that has no node yet',
    got: () => matches('spec.nodeName!='),
    want: false,
  },
  {
    name: 'a field the object lacks reads as empty',
    got: () => [matches('spec.missing='), matches('spec.missing!=x')],
    want: [true, true],
  },
  { name: 'terms are ANDed', got: () => matches('metadata.name=pi-abcde,status.phase=Pending'), want: false },

  // errors
  {
    name: 'a term without an operator is rejected with the whole selector quoted',
    got: () => failure(() => parseFieldSelector('a=1,b')),
    want: bad("invalid selector: 'a=1,b'; can't understand 'b'"),
  },
  {
    name: 'an unescaped = in a value is rejected by its code point',
    got: () => failure(() => parseFieldSelector('a=b=c')),
    want: bad('invalid field selector: unescaped character in value: 61'),
  },
  {
    name: 'a triple equals leaves an unescaped = in the value',
    got: () => failure(() => parseFieldSelector('a===b')),
    want: bad('invalid field selector: unescaped character in value: 61'),
  },
  {
    name: 'an unknown escape is rejected',
    got: () => failure(() => parseFieldSelector('a=\\n')),
    want: bad('invalid field selector: invalid escape sequence: \\n'),
  },
  {
    name: 'a trailing backslash is rejected',
    got: () => failure(() => parseFieldSelector('a=b\\')),
    want: bad('invalid field selector: invalid escape sequence: \\'),
  },

  // supported fields and exact matches
  {
    name: 'supported fields pass the check',
    got: () =>
      failure(() =>
        checkSupportedFields(parseFieldSelector('status.successful=1,metadata.name=x'), JOB_FIELDS),
      ),
    want: 'no error',
  },
  {
    name: 'the first unsupported field in sort order is reported',
    got: () => failure(() => checkSupportedFields(parseFieldSelector('zzz=1,spec.nodeName=x'), JOB_FIELDS)),
    want: bad('field label not supported: spec.nodeName'),
  },
  {
    name: 'an exact match pins the name',
    got: () =>
      requiresExactMatch(parseFieldSelector('metadata.namespace=ns,metadata.name=x'), 'metadata.name'),
    want: 'x',
  },
  {
    name: 'a not-equal term pins nothing',
    got: () => requiresExactMatch(parseFieldSelector('metadata.name!=x'), 'metadata.name'),
    want: undefined,
  },
  {
    name: 'an exact match on another field pins nothing',
    got: () => requiresExactMatch(parseFieldSelector('status.phase=Running'), 'metadata.name'),
    want: undefined,
  },
];

for (const tc of cases) test(tc.name, () => expect(tc.got()).toEqual(tc.want));
