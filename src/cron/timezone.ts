/**
 * Time zones with Go's semantics, for CronJob `spec.timeZone` and for running schedules.
 *
 * Kubernetes validates `spec.timeZone` with Go's `time.LoadLocation` and evaluates schedules with Go's
 * `time` package, so this module answers the same two questions the same way: "does this name load?"
 * (exact, case-sensitive IANA names, like Go reading /usr/share/zoneinfo on Linux) and "what does the
 * wall clock read there?" (Node's built-in ICU data through Intl, which needs no tzdata on the machine).
 */
import { IANA_ZONE_NAMES } from './zoneNames.js';

/** A loaded time zone: Go's `*time.Location`. */
export interface Location {
  /** The zone's name: `UTC` for `""` and `"UTC"`, `Local` for Go's `time.Local`, else the IANA name. */
  readonly name: string;
  /**
   * Go's `time.Local`. A schedule carrying it has no zone of its own and runs in the zone of the time
   * it is asked about; the wall-clock helpers below read it as the process's own zone.
   */
  readonly isLocal: boolean;
}

/**
 * Thrown by {@link loadLocation} (and by the helpers given an unknown zone). The message is Go's:
 * `unknown time zone <name>`, or `time: invalid location name` for names with `..` or a leading slash.
 * @example
 * try { loadLocation('Europe/InvalidRome'); } catch (e) { (e as UnknownTimeZoneError).zone; }
 */
export class UnknownTimeZoneError extends Error {
  override readonly name = 'UnknownTimeZoneError';
  constructor(
    readonly zone: string,
    message = `unknown time zone ${zone}`,
  ) {
    super(message);
  }
}

/** Go's `time.UTC`. */
export const UTC: Location = Object.freeze({ name: 'UTC', isLocal: false });
/** Go's `time.Local`. */
export const LOCAL: Location = Object.freeze({ name: 'Local', isLocal: true });

// Zones a newer ICU knows but the bundled list predates. Computed lazily: supportedValuesOf is slow.
let icuCanonicalNames: ReadonlySet<string> | undefined;

function isIanaName(name: string): boolean {
  if (IANA_ZONE_NAMES.has(name)) return true;
  icuCanonicalNames ??= new Set(Intl.supportedValuesOf('timeZone'));
  return icuCanonicalNames.has(name);
}

/**
 * Loads a time zone by name with Go's `time.LoadLocation` rules: `""` and `"UTC"` are UTC, `"Local"`
 * is the local zone, and anything else must be an IANA zone or link name spelled exactly (so
 * `US/Eastern` loads but `europe/rome` and ` Europe/Rome` do not).
 *
 * @throws {UnknownTimeZoneError} when the name does not load.
 * @example
 * loadLocation('Europe/Rome'); // { name: 'Europe/Rome', isLocal: false }
 * loadLocation('europe/rome'); // throws: unknown time zone europe/rome
 */
export function loadLocation(name: string): Location {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return LOCAL;
  // Building the clock checks the name, and a listed name that this Node's ICU cannot compute
  // with is as unusable as a missing zoneinfo file.
  zoneFor(name);
  return { name, isLocal: false };
}

/** The checks of Go's LoadLocation for a name other than "", UTC and Local. */
function assertIanaName(name: string): void {
  // Go refuses these before touching the filesystem, with a different message.
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) {
    throw new UnknownTimeZoneError(name, 'time: invalid location name');
  }
  if (!isIanaName(name)) throw new UnknownTimeZoneError(name);
}

/** The wall-clock reading of an instant in a zone. */
export interface WallClock {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 1–31. */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

/** The fields of a wall-clock time; out-of-range values carry over as in Go's `time.Date`. */
export type WallClockFields = Omit<WallClock, 'weekday'>;

/**
 * A zone's offset from UTC, in seconds east, at an instant.
 *
 * @example
 * zoneOffset('Europe/Berlin', new Date('2026-07-01T00:00:00Z')); // 7200
 */
export function zoneOffset(zone: string, at: Date | number): number {
  return zoneFor(zone).offset(epochSeconds(at));
}

/**
 * What a clock in `zone` shows at instant `at` (seconds truncated toward the past).
 *
 * @example
 * toWallClock(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin').hour; // 3 (CEST has begun)
 */
export function toWallClock(at: Date | number, zone: string): WallClock {
  return zoneFor(zone).wall(epochSeconds(at));
}

/**
 * The instant at which a clock in `zone` shows `fields`, with Go's `time.Date` rules: out-of-range
 * fields carry over (Feb 30 is Mar 2), a time skipped by a DST jump lands as far past the jump as it
 * was written past it, and a time that occurs twice resolves as Go resolves it (not guaranteed to be
 * the first occurrence: Go looks up the offset in force at the wall time read as UTC).
 *
 * @example
 * fromWallClock({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin');
 * // 2026-03-29T01:30:00Z, i.e. 03:30 CEST
 */
export function fromWallClock(fields: WallClockFields, zone: string): Date {
  const z = zoneFor(zone);
  return new Date(
    z.date(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second) * 1000,
  );
}

/**
 * Formats an instant as Go's `time.RFC3339` in a zone: `Z` for a zero offset, else `±hh:mm`.
 * This is how the CronJob controller renders `batch.kubernetes.io/cronjob-scheduled-timestamp`.
 *
 * @example
 * formatRFC3339(new Date('2016-05-19T10:00:00Z'), 'Europe/Rome'); // '2016-05-19T12:00:00+02:00'
 */
export function formatRFC3339(at: Date | number, zone: string): string {
  const z = zoneFor(zone);
  const sec = epochSeconds(at);
  const w = z.wall(sec);
  const offset = z.offset(sec);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = `${w.year < 0 ? '-' : ''}${pad(Math.abs(w.year), 4)}-${pad(w.month)}-${pad(w.day)}`;
  const time = `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (offset === 0) return `${date}T${time}Z`;
  // Go prints whole minutes and drops any seconds of the offset (historic LMT offsets have them).
  const minutes = Math.trunc(Math.abs(offset) / 60);
  const sign = offset < 0 ? '-' : '+';
  return `${date}T${time}${sign}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

function epochSeconds(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid time value');
  return Math.floor(ms / 1000);
}

// ---------------------------------------------------------------------------------------------
// Zone arithmetic. Everything below works in whole seconds since the Unix epoch, like Go's
// `time` internals, so that schedule code can mirror Go's algorithms step for step.

/**
 * One zone's clock: offsets come from Intl, the calendar arithmetic is done here (as Go does it:
 * fields = instant + offset, read on the proleptic Gregorian calendar).
 * @internal exported for schedule.ts, which calls it in its inner loop.
 */
export interface ZoneClock {
  /** Offset in seconds east of UTC at an instant (epoch seconds). */
  offset(sec: number): number;
  /** Wall-clock fields at an instant (epoch seconds). */
  wall(sec: number): WallClock;
  /** Go's `time.Date(y, mo, d, h, mi, s, 0, loc)`, as epoch seconds. */
  date(year: number, month: number, day: number, hour: number, minute: number, second: number): number;
}

const clocks = new Map<string, ZoneClock>();

/**
 * The cached clock for a zone name (`UTC`, `Local`, or a name {@link loadLocation} accepts).
 * @internal
 * @example
 * zoneFor('Europe/Berlin').date(2026, 3, 29, 2, 30, 0); // 1774747800 (03:30 CEST)
 */
export function zoneFor(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (clock === undefined) {
    clock = makeClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}

function makeClock(zone: string): ZoneClock {
  let icuName: string;
  if (zone === '' || zone === 'UTC' || zone === 'Factory') {
    // Factory is a real tzdata zone (offset 0, abbreviation "-00") that ICU does not carry.
    icuName = 'UTC';
  } else if (zone === 'Local') {
    icuName = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  } else {
    // Every other name passes loadLocation's checks, so a helper given a bad name fails the way
    // spec.timeZone validation would.
    assertIanaName(zone);
    icuName = zone;
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: icuName,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new UnknownTimeZoneError(zone);
  }
  const offset = fmt.resolvedOptions().timeZone === 'UTC' ? () => 0 : intlOffset(fmt);
  return {
    offset,
    wall: (sec) => wallAt(sec + offset(sec)),
    date(year, month, day, hour, minute, second) {
      // Go's time.Date: carry month into year, then everything below a day is plain arithmetic.
      const m0 = month - 1;
      const y = year + Math.floor(m0 / 12);
      const days = daysFromCivil(y, mod(m0, 12) + 1, 1) + day - 1;
      const unix = days * 86400 + hour * 3600 + minute * 60 + second;
      // Go looks up the offset in force at the wall time read as if it were UTC; if undoing that
      // offset crosses a transition, it uses the offset in force at the corrected instant instead.
      // Both cases reduce to this one expression.
      return unix - offset(unix - offset(unix));
    },
  };
}

// Years 1..9999 are what Intl formats without eras; before the first transition every zone keeps
// its first (LMT) offset, and after 9999 nobody schedules, so clamping changes nothing real.
const MIN_SEC = -62135596800; // 0001-01-01T00:00:00Z
const MAX_SEC = 253402300799; // 9999-12-31T23:59:59Z

function intlOffset(fmt: Intl.DateTimeFormat): (sec: number) => number {
  // Which digit group of format() is which field: en-US is "M/D/YYYY, HH:MM:SS", but ask rather
  // than assume, since ICU releases have changed separators before.
  const order = fmt
    .formatToParts(0)
    .filter((p) => p.type !== 'literal')
    .map((p) => p.type);
  const at = (type: string): number => {
    const i = order.indexOf(type as Intl.DateTimeFormatPartTypes);
    if (i < 0) throw new Error(`Intl.DateTimeFormat gave no ${type} field`);
    return i;
  };
  const [iy, imo, id, ih, imi, is] = [
    at('year'),
    at('month'),
    at('day'),
    at('hour'),
    at('minute'),
    at('second'),
  ];
  // format() is about three times faster than formatToParts(); a small cache catches the repeated
  // lookups a schedule makes around the same instants.
  const cache = new Map<number, number>();
  return (sec) => {
    const s = Math.min(Math.max(sec, MIN_SEC), MAX_SEC);
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    const d = fmt.format(s * 1000).match(/\d+/g);
    if (d === null || d.length < order.length)
      throw new Error(`cannot read Intl time ${fmt.format(s * 1000)}`);
    const n = (i: number) => Number(d[i]);
    const local = daysFromCivil(n(iy), n(imo), n(id)) * 86400 + n(ih) * 3600 + n(imi) * 60 + n(is);
    const offset = local - s;
    if (cache.size >= 4096) cache.clear();
    cache.set(s, offset);
    return offset;
  };
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Fields of a local time given as seconds since 1970-01-01T00:00 local. */
function wallAt(local: number): WallClock {
  const days = Math.floor(local / 86400);
  const secs = local - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
    hour: Math.floor(secs / 3600),
    minute: Math.floor((secs % 3600) / 60),
    second: secs % 60,
    weekday: mod(days + 4, 7), // 1970-01-01 was a Thursday
  };
}
