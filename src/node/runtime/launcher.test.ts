import { describe, expect, test } from 'vitest';
import { encodeRequest, parseEvent, type RawEvent } from './launcher.js';

describe('encodeRequest', () => {
  test('puts the counts before the lists and ends every field with a NUL', () => {
    const bytes = encodeRequest(7, {
      dir: '/s/c',
      cgroupProcs: undefined,
      cwd: '/w',
      log: '/l/0.log',
      exe: '/bin/sh',
      env: { A: '1', B: 'x y\nz' },
      argv: ['sh', '-c', ''],
      files: [
        { path: '/s/c/spec.json', content: '{}' },
        { path: '/l/labels.json', content: '{"a":"b"}', exclusive: true },
      ],
    });
    expect(bytes.toString().split('\0')).toEqual([
      '7',
      '/s/c',
      '',
      '/w',
      '/l/0.log',
      '/bin/sh',
      '2',
      '3',
      '2',
      'A=1',
      'B=x y\nz',
      'sh',
      '-c',
      '',
      '/s/c/spec.json',
      'w',
      '{}',
      '/l/labels.json',
      'x',
      '{"a":"b"}',
      '',
    ]);
  });

  test('drops NUL characters, which exec cannot pass and which would shift the fields', () => {
    const bytes = encodeRequest(1, {
      dir: 'd',
      cgroupProcs: '',
      cwd: '/',
      log: 'l',
      exe: 'e',
      env: {},
      argv: ['a\0b'],
    });
    expect(bytes.toString().split('\0')).toEqual(['1', 'd', '', '/', 'l', 'e', '0', '1', '0', 'ab', '']);
  });
});

describe('parseEvent', () => {
  const cases: Array<{ name: string; line: string; want: RawEvent | undefined }> = [
    {
      name: 'a start carries the pid and its start time',
      line: 'S 3 4242 987654',
      want: { kind: 'started', seq: 3, process: { pid: 4242, startTime: 987654 } },
    },
    { name: 'an exit carries the code', line: 'E 3 137', want: { kind: 'exited', seq: 3, code: 137 } },
    {
      name: 'a failure carries the message with its spaces',
      line: 'F 9 chdir: No such file or directory',
      want: { kind: 'failed', seq: 9, message: 'chdir: No such file or directory' },
    },
    { name: 'an exit without a numeric code is ignored', line: 'E 3 -1', want: undefined },
    { name: 'a start without its start time is ignored', line: 'S 3 4242', want: undefined },
    { name: 'an unknown line is ignored', line: 'hello', want: undefined },
  ];
  for (const tc of cases) test(tc.name, () => expect(parseEvent(tc.line)).toEqual(tc.want));
});
