import { describe, expect, test } from 'vitest';
import { badRequest } from '../api/meta/status.js';
import { duplicateJsonFields, duplicateYamlFields, fieldValidator } from './fieldValidation.js';

describe('duplicateJsonFields', () => {
  const cases: Array<{ name: string; json: string; want: string[] }> = [
    { name: 'a document without repeats has none', json: '{"a":1,"b":{"c":[{"d":1},{"d":2}]}}', want: [] },
    {
      name: 'a string holding `":` does not count as a repeat',
      json: '{"a":"x\\":y","b":"\\":"}',
      want: [],
    },
    { name: 'a repeat at the top is named bare', json: '{"a":1,"a":2}', want: ['duplicate field "a"'] },
    {
      name: 'a repeat inside a list item carries the index',
      json: '{"spec":{"containers":[{"name":"a"},{"name":"b","name":"c"}]}}',
      want: ['duplicate field "spec.containers[1].name"'],
    },
    {
      name: 'a key repeated three times is reported once',
      json: '{"m":{"k":1,"k":2,"k":3}}',
      want: ['duplicate field "m.k"'],
    },
    {
      name: 'the same key in sibling objects is no repeat',
      json: '{"a":{"x":1},"b":{"x":1}}',
      want: [],
    },
    {
      name: 'a top-level list starts with the index',
      json: '[{"op":"add","op":"x"}]',
      want: ['duplicate field "[0].op"'],
    },
    {
      name: 'a key with a dot or slash is kept as written',
      json: '{"metadata":{"labels":{"a.b/c":"1","a.b/c":"2"}}}',
      want: ['duplicate field "metadata.labels.a.b/c"'],
    },
  ];
  test.each(cases)('$name', ({ json, want }) => {
    expect(duplicateJsonFields(json, JSON.parse(json))).toEqual(want);
  });

  test('a document nested past the stack is answered, not thrown', () => {
    const deep = `{"a":1,"a":${'{"b":'.repeat(200_000)}1${'}'.repeat(200_000)}}`;
    expect(() => duplicateJsonFields(deep, { a: 1 })).not.toThrow();
  });
});

describe('duplicateYamlFields', () => {
  test('names each repeat with its line, in one error', () => {
    const yaml = 'a: 1\nspec:\n  b: 2\n  b: 3\n"a": 4\n';
    expect(duplicateYamlFields(yaml)).toEqual([
      'error converting YAML to JSON: yaml: unmarshal errors:\n  line 4: key "b" already set in map\n  line 5: key "a" already set in map',
    ]);
  });
  test('a document without repeats has none', () => {
    expect(duplicateYamlFields('a: 1\nb:\n  a: 2\n')).toEqual([]);
  });
});

describe('fieldValidator', () => {
  const problems = { duplicates: ['duplicate field "spec.x"'] };
  const reject = (m: string) => badRequest(m);
  test('Strict throws one error listing unknown fields, then repeats', () => {
    const check = fieldValidator('Strict', problems, reject, []);
    expect(() => check(['spec.foo'])).toThrow(
      'strict decoding error: unknown field "spec.foo", duplicate field "spec.x"',
    );
  });
  test('Strict passes a clean object', () => {
    expect(() => fieldValidator('Strict', { duplicates: [] }, reject, [])([])).not.toThrow();
  });
  test('Warn notes each problem once, however often the write is retried', () => {
    const warnings: string[] = [];
    const check = fieldValidator('Warn', problems, reject, warnings);
    check(['spec.foo']);
    check(['spec.foo']);
    expect(warnings).toEqual(['unknown field "spec.foo"', 'duplicate field "spec.x"']);
  });
  test('Ignore says nothing', () => {
    const warnings: string[] = [];
    fieldValidator('Ignore', problems, reject, warnings)(['spec.foo']);
    expect(warnings).toEqual([]);
  });
});
