import { expect, test } from 'vitest';
import { formatRFC3339, humanDuration, parseTime, translateTimestampSince } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

// Each boundary of upstream's HumanDuration from both sides; the expected strings are what Go prints.
const durations: Array<[string, number, string]> = [
  ['two seconds in the future is invalid', -2 * S, '<invalid>'],
  ['just under two seconds in the future reads as now', -1999, '0s'],
  ['one second in the future reads as now', -S, '0s'],
  ['zero is 0s', 0, '0s'],
  ['a fraction of a second truncates to 0s', 999, '0s'],
  ['seconds are shown up to two minutes', 119 * S + 999, '119s'],
  ['two minutes switches to minutes', 2 * M, '2m'],
  ['minutes under ten keep their seconds', 2 * M + 5 * S, '2m5s'],
  ['the last second before ten minutes', 10 * M - S, '9m59s'],
  ['ten minutes drops the seconds', 10 * M + 59 * S, '10m'],
  ['minutes are shown up to three hours', 3 * H - S, '179m'],
  ['three hours switches to hours', 3 * H, '3h'],
  ['hours under eight keep their minutes', 3 * H + 7 * M + 59 * S, '3h7m'],
  ['the last minute before eight hours', 8 * H - M, '7h59m'],
  ['eight hours drops the minutes', 8 * H + 59 * M, '8h'],
  ['hours are shown up to two days', 48 * H - S, '47h'],
  ['two days switches to days', 48 * H, '2d'],
  ['days under eight keep their hours', 2 * D + 5 * H + 59 * M, '2d5h'],
  ['the last hour before eight days', 8 * D - H, '7d23h'],
  ['eight days drops the hours', 8 * D + 23 * H, '8d'],
  ['days are shown up to two years', 2 * Y - D, '729d'],
  ['two years switches to years', 2 * Y, '2y'],
  ['years under eight keep their days', 2 * Y + 40 * D + 23 * H, '2y40d'],
  ['the last day before eight years', 8 * Y - D, '7y364d'],
  ['eight years drops the days', 8 * Y + 364 * D, '8y'],
  ['decades are years', 25 * Y, '25y'],
];

for (const [name, ms, want] of durations)
  test(`humanDuration: ${name}`, () => expect(humanDuration(ms)).toBe(want));

const NOW = new Date('2025-06-01T12:00:00Z');

const cases: Array<{ name: string; got: () => unknown; want: unknown }> = [
  {
    name: 'a timestamp ninety seconds old reads 90s',
    got: () => translateTimestampSince('2025-06-01T11:58:30Z', NOW),
    want: '90s',
  },
  {
    name: 'a MicroTime timestamp with microseconds is read too',
    got: () => translateTimestampSince('2025-06-01T11:55:00.123456Z', NOW),
    want: '4m59s',
  },
  {
    name: 'missing, null, empty and Go-zero timestamps are unknown',
    got: () => [undefined, null, '', '0001-01-01T00:00:00Z'].map((t) => translateTimestampSince(t, NOW)),
    want: ['<unknown>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'milliseconds are accepted as an already parsed timestamp',
    got: () => translateTimestampSince(NOW.getTime() - 3 * H, NOW),
    want: '3h',
  },
  {
    name: 'a string that is not a time parses as unset',
    got: () => parseTime('yesterday'),
    want: undefined,
  },
  {
    name: 'RFC 3339 formatting drops fractional seconds',
    got: () => formatRFC3339('2025-06-01T11:55:00.987Z'),
    want: '2025-06-01T11:55:00Z',
  },
  {
    name: 'an unset creation time formats as the Go zero time',
    got: () => formatRFC3339(undefined),
    want: '0001-01-01T00:00:00Z',
  },
];

for (const tc of cases) test(tc.name, () => expect(tc.got()).toEqual(tc.want));
