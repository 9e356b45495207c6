import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { listLogs, logPath, pruneLogFiles } from './logFiles.js';
import { LogIndex } from './logIndex.js';
import { readLogFile, tailStart } from './logs.js';
import { formatLogTime } from './logTime.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'batchd-logs-'));
  dirs.push(d);
  return d;
};

describe('formatLogTime', () => {
  test('prints nine fraction digits, trailing zeros kept, as the kubelet does', () => {
    expect(formatLogTime(1_795_428_000_120_000_000n)).toBe('2026-11-23T10:00:00.120000000Z');
    expect(formatLogTime(1_795_428_000_123_456_789n)).toBe('2026-11-23T10:00:00.123456789Z');
  });
});

describe('tailStart', () => {
  const cases: Array<{ name: string; text: string; lines: number; want: string }> = [
    { name: 'the last line of a log ending in a newline', text: 'a\nb\nc\n', lines: 1, want: 'c\n' },
    { name: 'two lines when the last one has no newline', text: 'a\nb\nc', lines: 2, want: 'b\nc' },
    {
      name: 'everything when asking for more lines than there are',
      text: 'a\nb\n',
      lines: 5,
      want: 'a\nb\n',
    },
    { name: 'nothing for zero lines', text: 'a\nb\n', lines: 0, want: '' },
    { name: 'empty lines count as lines', text: 'a\n\n\n', lines: 2, want: '\n\n' },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const path = join(temp(), 'x.log');
      writeFileSync(path, tc.text);
      const fh = await open(path, 'r');
      const at = await tailStart(fh, tc.text.length, tc.lines);
      await fh.close();
      expect(tc.text.slice(at)).toBe(tc.want);
    });
  }
  test('a tail across the 64 KiB read chunks', async () => {
    const path = join(temp(), 'big.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`);
    writeFileSync(path, lines.join(''));
    const fh = await open(path, 'r');
    const size = lines.join('').length;
    const at = await tailStart(fh, size, 15_000);
    await fh.close();
    expect(at).toBe(lines.slice(0, 5_000).join('').length);
  });
});

describe('readLogFile with a recorded index', () => {
  test('each line takes the time of the first note covering its newline; sinceTime filters on it', async () => {
    const path = join(temp(), '0.log');
    writeFileSync(path, 'one\ntwo\nthree\n');
    writeFileSync(`${path}.idx`, `4 1000000000\n14 3000000000\n`);
    const index = await LogIndex.load(path);
    const read = async (opts: Parameters<typeof readLogFile>[1]) => {
      const out: Buffer[] = [];
      for await (const c of readLogFile({ path, index, now: () => 9_000_000_000n }, opts)) out.push(c);
      return Buffer.concat(out).toString();
    };
    expect(await read({ timestamps: true })).toBe(
      '1970-01-01T00:00:01.000000000Z one\n1970-01-01T00:00:03.000000000Z two\n1970-01-01T00:00:03.000000000Z three\n',
    );
    expect(await read({ sinceTime: new Date(2000) })).toBe('two\nthree\n');
  });
});

describe('log files', () => {
  test('are laid out per pod and container, listed by name, and pruned oldest first down to maxBytes', async () => {
    const state = temp();
    const at = (attempt: number, podName = 'pod-a') =>
      logPath(state, { namespace: 'ns', podName, podUid: `uid-${podName}`, containerName: 'main', attempt });
    const files = [at(0), at(1), at(0, 'pod-b')];
    for (const [i, f] of files.entries()) {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, 'x'.repeat(100));
      utimesSync(f, new Date(1000 * (i + 1)), new Date(1000 * (i + 1)));
    }
    expect(files[0]).toBe(join(state, 'logs', 'ns_pod-a_uid-pod-a', 'main', '0.log'));
    const listed = await listLogs(state);
    expect(listed.map((l) => [l.podName, l.attempt])).toEqual([
      ['pod-a', 0],
      ['pod-a', 1],
      ['pod-b', 0],
    ]);
    const removed = await pruneLogFiles(state, { maxBytes: 150 }, new Set([files[0]!]));
    expect(removed.map((r) => r.path)).toEqual([files[1], files[2]]);
    expect((await listLogs(state)).map((l) => l.path)).toEqual([files[0]]);
  });
});
