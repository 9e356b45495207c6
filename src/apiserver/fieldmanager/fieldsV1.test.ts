import { describe, expect, test } from 'vitest';
import { FieldSet } from './fieldSet.js';
import { fromFieldsV1, toFieldsV1 } from './fieldsV1.js';
import {
  comparePathElements,
  fieldElement,
  indexElement,
  keyElement,
  type Path,
  type PathElement,
  parsePathElement,
  pathOf,
  pathString,
  serializePathElement,
  valueElement,
} from './pathElement.js';

const f = fieldElement;
const k = (...pairs: Array<[string, unknown]>) => keyElement(pairs);
const v = valueElement;
const i = indexElement;
const set = (...paths: Path[]) => FieldSet.of(...paths);

describe('path elements', () => {
  const serialized: Array<{ name: string; pe: PathElement; want: string }> = [
    { name: 'a field is f: and its name', pe: f('backoffLimit'), want: 'f:backoffLimit' },
    {
      name: 'a list key lists its fields sorted by name, whatever order they came in',
      pe: k(['protocol', 'TCP'], ['containerPort', 80]),
      want: 'k:{"containerPort":80,"protocol":"TCP"}',
    },
    { name: 'a set item is v: and the JSON of the value', pe: v('orphan'), want: 'v:"orphan"' },
    { name: 'a number set item is bare', pe: v(3), want: 'v:3' },
    { name: 'an index is i: and the number', pe: i(2), want: 'i:2' },
    {
      name: 'HTML-sensitive characters are escaped as Go writes JSON',
      pe: v('<a&b>'),
      want: 'v:"\\u003ca\\u0026b\\u003e"',
    },
  ];
  for (const tc of serialized) test(tc.name, () => expect(serializePathElement(tc.pe)).toBe(tc.want));

  test('parsing a serialized element gives it back', () => {
    for (const tc of serialized) expect(parsePathElement(tc.want)).toEqual(tc.pe);
  });

  test('an element of an unknown kind parses as nothing, so it can be skipped', () =>
    expect(parsePathElement('x:whatever')).toBeUndefined());

  const malformed = ['f', 'fa', 'k:{not json', 'k:[1]', 'i:one'];
  for (const s of malformed) {
    test(`${JSON.stringify(s)} is rejected as malformed`, () => expect(() => parsePathElement(s)).toThrow());
  }

  test('elements sort fields, then keys, then values (numbers, strings, booleans), then indexes', () => {
    const shuffled = [i(10), v(true), k(['name', 'b']), v('s'), i(2), f('z'), v(2), k(['name', 'a']), f('a')];
    expect(shuffled.sort(comparePathElements).map(serializePathElement)).toEqual([
      'f:a',
      'f:z',
      'k:{"name":"a"}',
      'k:{"name":"b"}',
      'v:2',
      'v:"s"',
      'v:true',
      'i:2',
      'i:10',
    ]);
  });

  const texts: Array<{ name: string; path: Path; want: string }> = [
    { name: 'fields print with dots', path: pathOf('spec', 'backoffLimit'), want: '.spec.backoffLimit' },
    {
      name: 'a keyed item prints its key in brackets with Go-quoted strings',
      path: [...pathOf('spec', 'containers'), k(['name', 'pi']), f('image')],
      want: '.spec.containers[name="pi"].image',
    },
    {
      name: 'a key of two fields prints both, comma separated',
      path: [f('ports'), k(['containerPort', 80], ['protocol', 'TCP'])],
      want: '.ports[containerPort=80,protocol="TCP"]',
    },
    { name: 'a set item prints as [=value]', path: [f('finalizers'), v('a/b')], want: '.finalizers[="a/b"]' },
    { name: 'an index prints as [n]', path: [f('args'), i(0)], want: '.args[0]' },
  ];
  for (const tc of texts) test(tc.name, () => expect(pathString(tc.path)).toBe(tc.want));
});

describe('FieldsV1', () => {
  const cases: Array<{ name: string; set: FieldSet; json: string }> = [
    { name: 'an empty set is an empty object', set: set(), json: '{}' },
    {
      name: 'leaves are empty objects, nested under their parents',
      set: set(
        pathOf('spec', 'parallelism'),
        pathOf('spec', 'backoffLimit'),
        pathOf('metadata', 'labels', 'app'),
      ),
      json: '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:backoffLimit":{},"f:parallelism":{}}}',
    },
    {
      name: 'an item owned itself and field by field starts with ".": {}',
      set: set(
        [f('containers'), k(['name', 'pi'])],
        [f('containers'), k(['name', 'pi']), f('image')],
        [f('containers'), k(['name', 'pi']), f('name')],
      ),
      json: '{"f:containers":{"k:{\\"name\\":\\"pi\\"}":{".":{},"f:image":{},"f:name":{}}}}',
    },
    {
      name: 'members and children of one level interleave in element order',
      set: set([f('b')], [f('a'), f('x')], [f('c'), f('y')], [v('s')], [i(1), f('z')]),
      json: '{"f:a":{"f:x":{}},"f:b":{},"f:c":{"f:y":{}},"v:\\"s\\"":{},"i:1":{"f:z":{}}}',
    },
  ];
  for (const tc of cases) {
    test(`${tc.name} (write)`, () => expect(JSON.stringify(toFieldsV1(tc.set))).toBe(tc.json));
    test(`${tc.name} (read)`, () => expect(fromFieldsV1(JSON.parse(tc.json)).equals(tc.set)).toBe(true));
  }

  test('entries of unknown kinds are dropped when read', () =>
    expect(fromFieldsV1({ 'f:a': {}, 'r:b': {} }).equals(set([f('a')]))).toBe(true));

  test('an element with only "." under it is a member', () =>
    expect(fromFieldsV1({ 'f:a': { '.': {} } }).equals(set([f('a')]))).toBe(true));

  test('keys written in another order come back in upstream order', () =>
    expect(JSON.stringify(toFieldsV1(fromFieldsV1({ 'f:z': {}, 'k:{"b":1,"a":2}': {}, 'f:a': {} })))).toBe(
      '{"f:a":{},"f:z":{},"k:{\\"a\\":2,\\"b\\":1}":{}}',
    ));

  test('a value that is not an object is rejected', () => expect(() => fromFieldsV1({ 'f:a': 1 })).toThrow());
});

describe('set operations', () => {
  const a = set(pathOf('spec', 'x'), pathOf('spec', 'y'), pathOf('status'));
  const b = set(pathOf('spec', 'y'), pathOf('spec', 'z'));
  const text = (s: FieldSet) => s.paths().map(pathString);

  test('union holds the paths of both', () =>
    expect(text(a.union(b))).toEqual(['.status', '.spec.x', '.spec.y', '.spec.z']));
  test('intersection holds the shared paths', () => expect(text(a.intersection(b))).toEqual(['.spec.y']));
  test('difference removes the other set’s paths', () =>
    expect(text(a.difference(b))).toEqual(['.status', '.spec.x']));
  test('difference by a member keeps the paths below it', () =>
    expect(text(set(pathOf('spec', 'x')).difference(set(pathOf('spec'))))).toEqual(['.spec.x']));
  test('recursive difference by a member removes everything below it', () =>
    expect(text(a.recursiveDifference(set(pathOf('spec'))))).toEqual(['.status']));
  test('leaves drop members that have paths below them', () =>
    expect(text(set(pathOf('a'), pathOf('a', 'b'), pathOf('c')).leaves())).toEqual(['.c', '.a.b']));
  test('has finds members, not prefixes', () => {
    expect(a.has(pathOf('spec', 'x'))).toBe(true);
    expect(a.has(pathOf('spec'))).toBe(false);
  });
  test('a set with only emptied children is empty', () => expect(a.difference(a).isEmpty()).toBe(true));
  test('size counts every path', () => expect(a.size()).toBe(3));
});
