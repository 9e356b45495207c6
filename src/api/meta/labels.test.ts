import { expect, test } from 'vitest';
import {
  formatLabelSelector,
  fromLabelSelector,
  isQualifiedName,
  isValidLabelValue,
  parseLabelSelector,
  validateLabels,
} from './labels.js';

// Upstream's texts, typed out here so a drift in the implementation shows up as a diff.
const NAME_PART =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const matches = (selector: string, labels?: Record<string, string>) =>
  parseLabelSelector(selector).matches(labels);
const rendered = (selector: string) => parseLabelSelector(selector).toString();
const failure = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
};
const parseError = (selector: string) => failure(() => parseLabelSelector(selector));
const bad = (message: string) => `InvalidSelectorError: ${message}`;

const cases: Array<{ name: string; got: () => unknown; want: unknown }> = [
  // matching
  {
    name: 'an empty selector is empty and matches everything',
    got: () => [parseLabelSelector('').empty, matches('', { a: 'b' })],
    want: [true, true],
  },
  {
    name: 'a selector of only whitespace is empty',
    got: () => parseLabelSelector(' \t\r\n').empty,
    want: true,
  },
  {
    name: 'k=v matches an object carrying that label',
    got: () => matches('app=web', { app: 'web' }),
    want: true,
  },
  { name: 'k=v does not match an object without the label', got: () => matches('app=web', {}), want: false },
  { name: 'k==v is the same test as k=v', got: () => matches('app==web', { app: 'web' }), want: true },
  { name: 'k!=v matches an object that lacks the key', got: () => matches('app!=web', {}), want: true },
  {
    name: 'k!=v rejects an object with exactly that value',
    got: () => matches('app!=web', { app: 'web' }),
    want: false,
  },
  {
    name: 'in matches any listed value',
    got: () => matches('env in (prod,staging)', { env: 'staging' }),
    want: true,
  },
  {
    name: 'in does not match an object without the key',
    got: () => matches('env in (prod)', {}),
    want: false,
  },
  { name: 'notin matches an object without the key', got: () => matches('env notin (prod)', {}), want: true },
  {
    name: 'notin rejects a listed value',
    got: () => matches('env notin (prod,dev)', { env: 'dev' }),
    want: false,
  },
  {
    name: 'a bare key matches the key even with an empty value',
    got: () => matches('a', { a: '' }),
    want: true,
  },
  {
    name: '!k matches only objects without the key',
    got: () => [matches('!a', { b: '1' }), matches('!a', { a: '1' })],
    want: [true, false],
  },
  {
    name: 'k>5 compares values as integers, not strings',
    got: () => matches('k>5', { k: '10' }),
    want: true,
  },
  {
    name: 'k<5 does not match a value that is not an integer',
    got: () => matches('k<5', { k: 'abc' }),
    want: false,
  },
  { name: 'k>5 does not match an object without the key', got: () => matches('k>5', {}), want: false },
  {
    name: 'commas AND the requirements together',
    got: () => matches('a=1,b=2', { a: '1', b: '3' }),
    want: false,
  },
  {
    name: 'undefined labels are treated as no labels',
    got: () => [matches('!a'), matches('a')],
    want: [true, false],
  },
  {
    name: 'k= selects the empty value',
    got: () => [rendered('k='), matches('k=', { k: '' })],
    want: ['k=', true],
  },
  {
    name: 'in and notin are plain values inside a set',
    got: () => matches('in in (in,notin)', { in: 'notin' }),
    want: true,
  },

  // canonical text
  {
    name: 'whitespace is tolerated around keys, operators and values',
    got: () => rendered(' a = b , c  in ( y , x ) '),
    want: 'a=b,c in (x,y)',
  },
  {
    name: 'requirements print sorted by key and keep their operator',
    got: () => rendered('z!=1,a==2,m'),
    want: 'a==2,m,z!=1',
  },
  {
    name: 'negations and comparisons print as written',
    got: () => rendered('!b,c<3,a>5'),
    want: 'a>5,!b,c<3',
  },
  {
    name: 'empty items in a set are the empty value',
    got: () => [rendered('x in ()'), rendered('x in (a,)'), rendered('x in (a,,b)')],
    want: ['x in ()', 'x in (,a)', 'x in (,a,b)'],
  },
  {
    name: 'duplicate set values collapse',
    got: () => parseLabelSelector('x in (b,a,b)').requirements,
    want: [{ key: 'x', operator: 'in', values: ['a', 'b'] }],
  },
  {
    name: 'a key may carry a DNS-subdomain prefix',
    got: () => rendered('batch.kubernetes.io/job-name=pi'),
    want: 'batch.kubernetes.io/job-name=pi',
  },

  // syntax errors
  {
    name: 'a key followed by a word asks for an operator',
    got: () => parseError('a b'),
    want: bad("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
  },
  {
    name: 'a trailing comma asks for another identifier',
    got: () => parseError('a=b,'),
    want: bad("found '', expected: identifier after ','"),
  },
  {
    name: 'a selector cannot start with an operator',
    got: () => parseError('=a'),
    want: bad("found '=', expected: !, identifier, or 'end of string'"),
  },
  {
    name: 'a second value after = is rejected',
    got: () => parseError('a=b c'),
    want: bad("found 'c', expected: ',' or 'end of string'"),
  },
  {
    name: '!k takes no value',
    got: () => parseError('!a=b'),
    want: bad("found '=', expected: ',' or 'end of string'"),
  },
  {
    name: '! must be followed by a key',
    got: () => parseError('!'),
    want: bad("unable to parse requirement: found '', expected: identifier"),
  },
  {
    name: 'a set needs parentheses',
    got: () => parseError('a in b'),
    want: bad("unable to parse requirement: found 'b' expected: '('"),
  },
  {
    name: 'a set must be closed',
    got: () => parseError('a in (b'),
    want: bad("unable to parse requirement: found '', expected: ',' or ')'"),
  },
  {
    name: 'set values must be separated by commas',
    got: () => parseError('a in (b c)'),
    want: bad("unable to parse requirement: found 'c', expected: ',' or ')'"),
  },
  {
    name: 'an operator inside a set is rejected',
    got: () => parseError('a in (b,=)'),
    want: bad("unable to parse requirement: found '=', expected: ',', or identifier"),
  },
  {
    name: 'a set cannot open with an operator',
    got: () => parseError('a in (=)'),
    want: bad("unable to parse requirement: found '=', expected: ',', ')' or identifier"),
  },
  {
    name: 'an exact-match operator needs an identifier, not a symbol',
    got: () => parseError('a=('),
    want: bad("unable to parse requirement: found '(', expected: identifier"),
  },

  // key and value errors
  {
    name: 'an invalid key reports the name-part rule under a nil path',
    got: () => parseError('-a=b'),
    want: bad(`unable to parse requirement: <nil>: Invalid value: "-a": name part ${NAME_PART}`),
  },
  {
    name: 'a key with an empty prefix is rejected',
    got: () => parseError('/a'),
    want: bad('unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'),
  },
  {
    name: 'an invalid value reports the label-value rule with its path',
    got: () => parseError('a=-b'),
    want: bad(`unable to parse requirement: values[0][a]: Invalid value: "-b": ${LABEL_VALUE}`),
  },
  {
    name: 'a value longer than 63 characters is rejected',
    got: () => parseError(`a=${'x'.repeat(64)}`),
    want: bad(
      `unable to parse requirement: values[0][a]: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
    ),
  },
  {
    name: 'a comparison needs an integer',
    got: () => parseError('a>b'),
    want: bad(
      `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`,
    ),
  },
  {
    name: 'a comparison with no value is rejected',
    got: () => parseError('a<'),
    want: bad(
      `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`,
    ),
  },
  {
    name: 'a negative comparison value parses as an integer but fails the label-value rule',
    got: () => parseError('a>-1'),
    want: bad(`unable to parse requirement: values[0][a]: Invalid value: "-1": ${LABEL_VALUE}`),
  },

  // metav1.LabelSelector
  {
    name: 'a nil metav1 selector matches nothing and is not empty',
    got: () => [fromLabelSelector(undefined).matches({}), fromLabelSelector(null).empty],
    want: [false, false],
  },
  {
    name: 'an empty metav1 selector matches everything',
    got: () => [fromLabelSelector({}).matches({ a: 'b' }), fromLabelSelector({ matchLabels: {} }).empty],
    want: [true, true],
  },
  {
    name: 'matchLabels and matchExpressions render sorted by key with set values sorted',
    got: () =>
      fromLabelSelector({
        matchLabels: { 'job-name': 'pi', 'controller-uid': 'u1' },
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['b', 'a'] },
          { key: 'gone', operator: 'DoesNotExist' },
        ],
      }).toString(),
    want: 'controller-uid=u1,!gone,job-name=pi,tier notin (a,b)',
  },
  {
    name: 'matchExpressions In and Exists match like their text forms',
    got: () =>
      fromLabelSelector({
        matchExpressions: [
          { key: 'a', operator: 'In', values: ['x', 'y'] },
          { key: 'b', operator: 'Exists' },
        ],
      }).matches({ a: 'y', b: '' }),
    want: true,
  },
  {
    name: 'an unknown metav1 operator is rejected',
    got: () =>
      failure(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })),
    want: bad('"Gt" is not a valid pod selector operator'),
  },
  {
    name: 'In without values is rejected',
    got: () => failure(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] })),
    want: bad("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
  },
  {
    name: 'several problems in one requirement are aggregated in brackets',
    got: () =>
      failure(() =>
        fromLabelSelector({ matchExpressions: [{ key: '-a', operator: 'Exists', values: ['x'] }] }),
      ),
    want: bad(
      `[key: Invalid value: "-a": name part ${NAME_PART}, values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist]`,
    ),
  },
  {
    name: 'a bad matchLabels value is reported with its key',
    got: () => failure(() => fromLabelSelector({ matchLabels: { a: 'b c' } })),
    want: bad(`values[0][a]: Invalid value: "b c": ${LABEL_VALUE}`),
  },
  {
    name: 'formatLabelSelector shows <none> for nil and empty selectors',
    got: () => [formatLabelSelector(undefined), formatLabelSelector({})],
    want: ['<none>', '<none>'],
  },
  {
    name: 'formatLabelSelector shows <error> for a selector that does not compile',
    got: () => formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }),
    want: '<error>',
  },
  {
    name: 'formatLabelSelector shows the canonical text otherwise',
    got: () => formatLabelSelector({ matchLabels: { b: '2', a: '1' } }),
    want: 'a=1,b=2',
  },

  // formats
  { name: 'a prefixed qualified name is valid', got: () => isQualifiedName('example.com/MyName'), want: [] },
  {
    name: 'a qualified name with two slashes gets the whole-format message',
    got: () => isQualifiedName('a/b/c'),
    want: [
      `a qualified name ${NAME_PART} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  },
  {
    name: 'an upper-case prefix fails the subdomain rule',
    got: () => isQualifiedName('Example.com/a'),
    want: [`prefix part ${SUBDOMAIN}`],
  },
  {
    name: 'an empty qualified name fails both the emptiness and the format rule',
    got: () => isQualifiedName(''),
    want: ['name part must be non-empty', `name part ${NAME_PART}`],
  },
  {
    name: 'a 64-character name part is too long',
    got: () => isQualifiedName('a'.repeat(64)),
    want: ['name part must be no more than 63 characters'],
  },
  {
    name: 'length is counted in UTF-8 bytes as upstream does',
    got: () => isValidLabelValue('é'.repeat(32)),
    want: ['must be no more than 63 characters', LABEL_VALUE],
  },
  { name: 'the empty label value is valid', got: () => isValidLabelValue(''), want: [] },
  {
    name: 'validateLabels reports bad keys and bad values on the labels path',
    got: () => validateLabels({ 'a b': 'ok', good: '-bad' }, 'metadata.labels'),
    want: [
      {
        type: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: `Invalid value: "a b": name part ${NAME_PART}`,
      },
      {
        type: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: `Invalid value: "-bad": ${LABEL_VALUE}`,
      },
    ],
  },
];

for (const tc of cases) test(tc.name, () => expect(tc.got()).toEqual(tc.want));
