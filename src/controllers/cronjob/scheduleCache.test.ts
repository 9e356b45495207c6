import { describe, expect, test } from 'vitest';
import { parseSchedule } from '../../cron/schedule.js';
import { parseScheduleCached } from './scheduleCache.js';

describe('parseScheduleCached', () => {
  const cases = [
    { spec: '* * * * *', zone: 'UTC' },
    { spec: '30 2 * * *', zone: 'Europe/Berlin' },
    { spec: 'TZ=America/New_York 0 9 * * mon-fri', zone: 'UTC' },
    { spec: '@every 90s', zone: 'UTC' },
  ];
  for (const { spec, zone } of cases) {
    test(`answers as the parsed schedule does, asked twice: ${spec} in ${zone}`, () => {
      const plain = parseSchedule(spec);
      const cached = parseScheduleCached(spec);
      for (let i = 0; i < 50; i++) {
        const after = new Date(Date.UTC(2026, 2, 28, 0, 0, 0) + i * 37 * 60_000 + 500);
        const want = plain.next(after, zone)?.toISOString();
        expect(cached.next(after, zone)?.toISOString()).toBe(want);
        expect(cached.next(after, zone)?.toISOString()).toBe(want);
      }
    });
  }

  test('a schedule that does not parse throws the same error each time', () => {
    expect(() => parseScheduleCached('61 * * * *')).toThrow(/end of range/);
    expect(() => parseScheduleCached('61 * * * *')).toThrow(/end of range/);
  });

  test('the dates it hands out are copies', () => {
    const s = parseScheduleCached('0 * * * *');
    const after = new Date('2026-01-01T00:30:00Z');
    s.next(after)?.setTime(0);
    expect(s.next(after)?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });
});
