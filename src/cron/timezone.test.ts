import { describe, expect, test } from 'vitest';
import {
  formatRFC3339,
  fromWallClock,
  LOCAL,
  loadLocation,
  toWallClock,
  UnknownTimeZoneError,
  UTC,
  zoneOffset,
} from './timezone.js';
import { IANA_ZONE_NAMES } from './zoneNames.js';

function loadError(name: string): UnknownTimeZoneError {
  try {
    loadLocation(name);
  } catch (err) {
    if (err instanceof UnknownTimeZoneError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(name)} not to load`);
}

describe('loadLocation', () => {
  const loads: Array<{ name: string; zone: string }> = [
    { name: 'Europe/Rome (C6)', zone: 'Europe/Rome' },
    { name: 'America/New_York (C6)', zone: 'America/New_York' },
    { name: 'Etc/GMT+5, whose sign is inverted but which is a real name (C6)', zone: 'Etc/GMT+5' },
    { name: 'a backward-compatible link', zone: 'US/Eastern' },
    { name: 'a link ICU files under another canonical name', zone: 'Asia/Kolkata' },
    { name: 'the old name of the same zone', zone: 'Asia/Calcutta' },
    { name: 'a zone renamed in tzdata 2022b', zone: 'Europe/Kyiv' },
    { name: 'a legacy System V style name', zone: 'EST5EDT' },
    { name: 'a link to UTC', zone: 'Etc/UTC' },
    { name: 'GMT', zone: 'GMT' },
    { name: 'Factory, which tzdata has and ICU lacks', zone: 'Factory' },
  ];
  for (const tc of loads) {
    test(`loads ${tc.name}`, () => expect(loadLocation(tc.zone)).toEqual({ name: tc.zone, isLocal: false }));
  }

  test('loads UTC and the empty name as UTC (C6)', () => {
    expect(loadLocation('UTC')).toBe(UTC);
    expect(loadLocation('')).toBe(UTC);
  });

  test('loads Local as Go’s time.Local', () => expect(loadLocation('Local')).toBe(LOCAL));

  test('loads every name of the IANA database', () => {
    const failed = [...IANA_ZONE_NAMES].filter((name) => {
      try {
        loadLocation(name);
        return false;
      } catch {
        return true;
      }
    });
    expect(failed).toEqual([]);
  });

  const unknown: Array<{ name: string; zone: string }> = [
    { name: 'a zone that does not exist (C5)', zone: 'Europe/InvalidRome' },
    { name: 'a leading space (C5)', zone: ' Europe/Rome' },
    { name: 'a trailing space (C5)', zone: 'Europe/Rome ' },
    { name: 'a lone space (C5)', zone: ' ' },
    { name: 'a lower-case zone, as Go on Linux', zone: 'europe/rome' },
    { name: 'a lower-case link', zone: 'us/eastern' },
    { name: 'utc in lower case', zone: 'utc' },
    { name: 'Local in capitals (C4: validation adds its own message)', zone: 'LOCAL' },
    { name: 'an ICU-only abbreviation', zone: 'PST' },
    { name: 'another ICU-only abbreviation', zone: 'IST' },
    { name: 'an ICU-only System V name', zone: 'SystemV/AST4' },
    { name: 'an offset-like name', zone: 'GMT+5' },
    { name: 'an ISO offset', zone: '+05:00' },
    { name: 'a directory of the database', zone: 'Europe' },
    { name: 'a zone with a trailing slash', zone: 'Europe/Rome/' },
  ];
  for (const tc of unknown) {
    test(`rejects ${tc.name}`, () => expect(loadError(tc.zone).message).toBe(`unknown time zone ${tc.zone}`));
  }

  test('rejects dot-dot and absolute names before looking, with Go’s other message', () => {
    for (const zone of ['../etc/passwd', 'Europe/../Europe/Rome', '/etc/localtime', '\\Europe']) {
      const err = loadError(zone);
      expect(err.message).toBe('time: invalid location name');
      expect(err.zone).toBe(zone);
    }
  });
});

describe('wall-clock helpers', () => {
  const offsets: Array<{ name: string; zone: string; at: string; want: number }> = [
    { name: 'UTC is always zero', zone: 'UTC', at: '2026-07-01T00:00:00Z', want: 0 },
    { name: 'Berlin in winter', zone: 'Europe/Berlin', at: '2026-01-15T12:00:00Z', want: 3600 },
    { name: 'Berlin in summer', zone: 'Europe/Berlin', at: '2026-07-01T00:00:00Z', want: 7200 },
    {
      name: 'Berlin the second before spring-forward',
      zone: 'Europe/Berlin',
      at: '2026-03-29T00:59:59Z',
      want: 3600,
    },
    { name: 'Berlin at spring-forward', zone: 'Europe/Berlin', at: '2026-03-29T01:00:00Z', want: 7200 },
    { name: 'New York in summer', zone: 'America/New_York', at: '2026-07-01T00:00:00Z', want: -14400 },
    { name: 'Kolkata, a half-hour zone', zone: 'Asia/Kolkata', at: '2026-07-01T00:00:00Z', want: 19800 },
    { name: 'Etc/GMT+5 is five hours west', zone: 'Etc/GMT+5', at: '2026-07-01T00:00:00Z', want: -18000 },
    {
      name: 'Lord Howe, with half-hour DST',
      zone: 'Australia/Lord_Howe',
      at: '2026-01-01T00:00:00Z',
      want: 39600,
    },
    {
      name: 'Abidjan before 1912, local mean time in seconds',
      zone: 'Africa/Abidjan',
      at: '1890-05-19T10:00:00Z',
      want: -968,
    },
  ];
  for (const tc of offsets) {
    test(`offset: ${tc.name}`, () => expect(zoneOffset(tc.zone, new Date(tc.at))).toBe(tc.want));
  }

  test('toWallClock reads fields and weekday in the zone', () => {
    expect(toWallClock(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      hour: 3,
      minute: 30,
      second: 0,
      weekday: 0,
    });
    expect(toWallClock(Date.parse('2016-05-19T23:59:59.999Z'), 'Asia/Tokyo')).toMatchObject({
      day: 20,
      hour: 8,
      weekday: 5,
    });
  });

  // Go's time.Date, which robfig relies on: these decide what DST does to a schedule.
  const dates: Array<{
    name: string;
    zone: string;
    fields: [number, number, number, number, number, number];
    want: string;
  }> = [
    {
      name: 'an ordinary time',
      zone: 'Europe/Rome',
      fields: [2016, 5, 19, 12, 0, 0],
      want: '2016-05-19T10:00:00.000Z',
    },
    {
      name: 'a time skipped by spring-forward lands as far past the jump (02:30 → 03:30 CEST)',
      zone: 'Europe/Berlin',
      fields: [2026, 3, 29, 2, 30, 0],
      want: '2026-03-29T01:30:00.000Z',
    },
    {
      name: 'a repeated time in Berlin resolves to the second occurrence (CET)',
      zone: 'Europe/Berlin',
      fields: [2026, 10, 25, 2, 30, 0],
      want: '2026-10-25T01:30:00.000Z',
    },
    {
      name: 'a repeated time in New York resolves to the first occurrence (EDT)',
      zone: 'America/New_York',
      fields: [2026, 11, 1, 1, 30, 0],
      want: '2026-11-01T05:30:00.000Z',
    },
    {
      name: 'February 30 carries into March',
      zone: 'UTC',
      fields: [2026, 2, 30, 0, 0, 0],
      want: '2026-03-02T00:00:00.000Z',
    },
    {
      name: 'month 13 carries into the next year',
      zone: 'UTC',
      fields: [2026, 13, 1, 0, 0, 0],
      want: '2027-01-01T00:00:00.000Z',
    },
    {
      name: 'month 0 is December of the year before',
      zone: 'UTC',
      fields: [2026, 0, 1, 0, 0, 0],
      want: '2025-12-01T00:00:00.000Z',
    },
    {
      name: 'hour 24 is midnight of the next day',
      zone: 'Asia/Kolkata',
      fields: [2026, 1, 31, 24, 0, 0],
      want: '2026-01-31T18:30:00.000Z',
    },
    {
      name: 'negative minutes borrow from the hour',
      zone: 'UTC',
      fields: [2026, 1, 1, 0, -1, 0],
      want: '2025-12-31T23:59:00.000Z',
    },
  ];
  for (const tc of dates) {
    test(`fromWallClock: ${tc.name}`, () => {
      const [year, month, day, hour, minute, second] = tc.fields;
      expect(fromWallClock({ year, month, day, hour, minute, second }, tc.zone).toISOString()).toBe(tc.want);
    });
  }

  const rfc3339: Array<{ name: string; zone: string; at: string; want: string }> = [
    { name: 'UTC prints Z', zone: 'UTC', at: '2016-05-19T10:00:00Z', want: '2016-05-19T10:00:00Z' },
    {
      name: 'Rome prints +02:00 (reference §3.4)',
      zone: 'Europe/Rome',
      at: '2016-05-19T10:00:00Z',
      want: '2016-05-19T12:00:00+02:00',
    },
    {
      name: 'New York prints a negative offset',
      zone: 'America/New_York',
      at: '2016-05-19T10:00:00Z',
      want: '2016-05-19T06:00:00-04:00',
    },
    {
      name: 'Kolkata prints half hours',
      zone: 'Asia/Kolkata',
      at: '2016-05-19T10:00:00Z',
      want: '2016-05-19T15:30:00+05:30',
    },
    {
      name: 'offset seconds are dropped, as Go does',
      zone: 'Africa/Abidjan',
      at: '1890-05-19T10:00:00Z',
      want: '1890-05-19T09:43:52-00:16',
    },
    {
      name: 'milliseconds are dropped',
      zone: 'UTC',
      at: '2016-05-19T10:00:00.999Z',
      want: '2016-05-19T10:00:00Z',
    },
  ];
  for (const tc of rfc3339) {
    test(`formatRFC3339: ${tc.name}`, () => expect(formatRFC3339(new Date(tc.at), tc.zone)).toBe(tc.want));
  }

  test('the helpers refuse unknown zones with the loader error', () => {
    expect(() => zoneOffset('Europe/InvalidRome', 0)).toThrow(UnknownTimeZoneError);
    expect(() => toWallClock(0, 'europe/rome')).toThrow('unknown time zone europe/rome');
    expect(() => formatRFC3339(0, '../x')).toThrow('time: invalid location name');
  });

  test('the helpers refuse an invalid date', () => {
    expect(() => zoneOffset('UTC', new Date(Number.NaN))).toThrow(RangeError);
  });
});
