import { describe, expect, test } from 'vitest';
import {
  type JobArrival,
  LineSplitter,
  minutesAfter,
  pooledSkew,
  readWatchLine,
  SCHEDULED_ANNOTATION,
  skewByMinute,
} from './cronjobsSkew.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;

const jobEvent = (type: string, name: string, scheduled?: string, created = '2026-03-01T10:00:01Z') =>
  JSON.stringify({
    type,
    object: {
      kind: 'Job',
      metadata: {
        name,
        creationTimestamp: created,
        ...(scheduled ? { annotations: { [SCHEDULED_ANNOTATION]: scheduled } } : {}),
      },
    },
  });

describe('readWatchLine', () => {
  const cases: Array<{ name: string; line: string; want: ReturnType<typeof readWatchLine> }> = [
    {
      name: 'an ADDED Job with the scheduled-timestamp annotation is an arrival',
      line: jobEvent('ADDED', 'cj-1-29539800', '2026-03-01T10:00:00Z'),
      want: {
        kind: 'added',
        arrival: { name: 'cj-1-29539800', scheduledMs: T0, createdMs: T0 + 1000, receivedMs: T0 + 1234 },
      },
    },
    {
      name: 'a scheduled time written with a zone offset is read as the same instant',
      line: jobEvent('ADDED', 'cj-2', '2026-03-01T11:00:00+01:00'),
      want: {
        kind: 'added',
        arrival: { name: 'cj-2', scheduledMs: T0, createdMs: T0 + 1000, receivedMs: T0 + 1234 },
      },
    },
    {
      name: 'an ADDED Job without the annotation was not made by a CronJob',
      line: jobEvent('ADDED', 'by-hand'),
      want: { kind: 'other' },
    },
    {
      name: 'a MODIFIED Job is skipped',
      line: jobEvent('MODIFIED', 'cj-1', '2026-03-01T10:00:00Z'),
      want: { kind: 'other' },
    },
    {
      name: 'a DELETED Job is counted as a deletion',
      line: jobEvent('DELETED', 'cj-1', '2026-03-01T10:00:00Z'),
      want: { kind: 'deleted' },
    },
    {
      name: 'an ERROR event carries its Status message',
      line: JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old' } }),
      want: { kind: 'error', message: 'too old' },
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(readWatchLine(tc.line, T0 + 1234)).toEqual(tc.want));
});

describe('LineSplitter', () => {
  test('a line cut between two chunks comes out whole with the second chunk', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\n\n')).toEqual(['{"b":2}']);
  });
});

describe('minutesAfter', () => {
  const cases = [
    {
      name: 'the minutes after a time inside a minute start at the next boundary',
      at: T0 + 12_345,
      want: [T0 + MIN, T0 + 2 * MIN],
    },
    { name: 'a time exactly on a boundary is not itself measured', at: T0, want: [T0 + MIN, T0 + 2 * MIN] },
    {
      name: 'the last millisecond of a minute still measures the next boundary',
      at: T0 - 1,
      want: [T0, T0 + MIN],
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(minutesAfter(tc.at, 2)).toEqual(tc.want));
});

const arrival = (name: string, scheduledMs: number, lateMs: number, stampedS = 0): JobArrival => ({
  name,
  scheduledMs,
  createdMs: scheduledMs + stampedS * 1000,
  receivedMs: scheduledMs + lateMs,
});

describe('skewByMinute', () => {
  const arrivals = [
    arrival('a-1', T0, 100),
    arrival('b-1', T0, 300, 1),
    arrival('c-1', T0, 2500, 2),
    arrival('a-2', T0 + MIN, 50),
    // Seen again (a relisting watch): counted once, with the first time.
    arrival('a-2', T0 + MIN, 9000),
    // Scheduled before the measured minutes: the CronJobs were still being created.
    arrival('z-0', T0 - MIN, 10),
  ];

  test('each measured minute counts its distinct Jobs against the expected number', () => {
    const got = skewByMinute(arrivals, [T0, T0 + MIN], 3);
    expect(got.map((m) => [m.created, m.expected])).toEqual([
      [3, 3],
      [1, 3],
    ]);
  });

  test('skew is seconds from the scheduled time, by receive time and by creationTimestamp', () => {
    const [first] = skewByMinute(arrivals, [T0], 3);
    expect(first?.seen).toEqual({ p50: 0.3, p99: 2.5, max: 2.5, n: 3 });
    expect(first?.stamped).toEqual({ p50: 1, p99: 2, max: 2, n: 3 });
  });

  test('a minute nobody fired in reports no Jobs and no skew', () => {
    const [empty] = skewByMinute(arrivals, [T0 + 5 * MIN], 3);
    expect(empty?.created).toBe(0);
    expect(empty?.seen.p99).toBeNaN();
  });

  test('the pooled figure covers only the measured minutes, each Job once', () => {
    const all = pooledSkew(arrivals, [T0, T0 + MIN], 3);
    expect({ created: all.created, expected: all.expected, max: all.seen.max }).toEqual({
      created: 4,
      expected: 6,
      max: 2.5,
    });
  });
});
