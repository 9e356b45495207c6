/**
 * Cron schedules with the semantics of robfig/cron v3.0.1 `ParseStandard`, the parser Kubernetes
 * uses for CronJob `spec.schedule` (validation, the informer's update handler, and every sync).
 *
 * Parsing and `next()` follow robfig's algorithms step for step, including its error texts (they
 * surface verbatim in `kubectl` validation errors) and its way of walking wall-clock fields through
 * Go's `time.Date` normalisation, which is what decides DST behaviour: a local time skipped by a
 * spring-forward jump is skipped, and a repeated hour after fall-back can fire twice.
 */
import {
  GoDurationError,
  GoNumError,
  goAtoi,
  goFields,
  goParseDuration,
  goToLowerAscii,
  goTrimSpace,
} from './gotext.js';
import {
  LOCAL,
  type Location,
  loadLocation,
  UnknownTimeZoneError,
  type WallClock,
  type ZoneClock,
  zoneFor,
} from './timezone.js';

/**
 * A schedule that does not parse. `message` is robfig's error text, which Kubernetes puts verbatim
 * in the `spec.schedule` validation error.
 * @example
 * try { parseSchedule('error'); } catch (e) { (e as CronParseError).message; }
 * // 'expected exactly 5 fields, found 1: [error]'
 */
export class CronParseError extends Error {
  override readonly name = 'CronParseError';
  constructor(
    message: string,
    /** The spec as given. */
    readonly spec: string,
    /**
     * True where robfig panics instead of returning an error (a `TZ=` prefix with no space after
     * it); Kubernetes recovers the panic and reports the schedule invalid, so this is a parse error
     * here too, with a message of our own.
     */
    readonly panicked = false,
  ) {
    super(message);
  }
}

/** One cron field: the set of matching values and whether it was written with a star. */
export interface CronField {
  readonly values: ReadonlySet<number>;
  /** Written as `*` or `?` (with no step, or step 1); decides the day-of-month/day-of-week rule. */
  readonly star: boolean;
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: ReadonlyMap<string, number>;
}

const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: new Map(
    ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((n, i) => [
      n,
      i + 1,
    ]),
  ),
};
const DOW: Bounds = {
  min: 0,
  max: 6,
  names: new Map(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((n, i) => [n, i])),
};

/**
 * A crontab schedule (robfig's SpecSchedule): five fields plus seconds fixed at 0, and the zone of
 * a `TZ=`/`CRON_TZ=` prefix (Go's `time.Local`, i.e. "the caller's zone", when there is none).
 */
export class SpecSchedule {
  readonly kind = 'spec';
  constructor(
    readonly second: CronField,
    readonly minute: CronField,
    readonly hour: CronField,
    readonly dom: CronField,
    readonly month: CronField,
    readonly dow: CronField,
    readonly location: Location,
  ) {}

  /**
   * The first activation strictly after `after`, at whole seconds, or null when there is none
   * within five years (robfig returns Go's zero time then, which Kubernetes reports as an invalid
   * schedule). Without a `TZ=` prefix the schedule runs in `zone` (default `UTC`), standing in for
   * the zone of the time.Time that kube-controller-manager passes (its own local zone).
   *
   * @throws {UnknownTimeZoneError} when `zone` does not load.
   * @example
   * parseSchedule('30 2 * * *').next(new Date('2026-10-24T12:00:00Z'), 'Europe/Berlin');
   * // 2026-10-25T00:30:00Z (02:30 CEST); asked again from there: 01:30Z (02:30 CET, fall-back)
   */
  next(after: Date, zone = 'UTC'): Date | null {
    const afterMs = after.getTime();
    if (!Number.isFinite(afterMs)) throw new RangeError('next: invalid date');
    // robfig converts t to the schedule's zone unless that zone is time.Local, in which case it
    // keeps t's own zone: here the caller names that zone.
    const loc = this.location.isLocal ? loadLocation(zone) : this.location;
    const sec = nextSpec(this, Math.floor(afterMs / 1000), zoneFor(loc.name));
    return sec === null ? null : new Date(sec * 1000);
  }
}

/**
 * `@every <duration>` (robfig's ConstantDelaySchedule): fires every `delaySeconds`, counted from
 * the time asked about truncated to the second; no zone involved.
 */
export class ConstantDelaySchedule {
  readonly kind = 'every';
  constructor(
    /** Whole seconds, at least 1 (robfig rounds shorter delays up to 1s and drops sub-seconds). */
    readonly delaySeconds: number,
  ) {}

  /**
   * `after` truncated to the second, plus the delay; `zone` is accepted for symmetry and ignored.
   * @example
   * parseSchedule('@every 90s').next(new Date('2016-05-19T10:00:00.700Z')); // 10:01:30Z
   */
  next(after: Date, _zone?: string): Date | null {
    const afterMs = after.getTime();
    if (!Number.isFinite(afterMs)) throw new RangeError('next: invalid date');
    return new Date((Math.floor(afterMs / 1000) + this.delaySeconds) * 1000);
  }
}

/** A parsed schedule; `kind` tells a crontab (`spec`) from an `@every` interval (`every`). */
export type Schedule = SpecSchedule | ConstantDelaySchedule;

/**
 * Parses a cron spec exactly as robfig/cron v3.0.1 `ParseStandard` does: five fields (minute hour
 * day-of-month month day-of-week), `*`/`?`, ranges, steps, lists, month/weekday names, the
 * descriptors `@yearly @annually @monthly @weekly @daily @midnight @hourly @every <duration>`, and
 * an optional `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix.
 *
 * @throws {CronParseError} with robfig's message, e.g. `end of range (60) above maximum (59): 60`.
 * @example
 * const s = parseSchedule('30 9-17 * * mon-fri');
 * s.next(new Date('2026-05-15T17:50:00Z')); // 2026-05-18T09:30:00Z (the next Monday)
 * parseSchedule('@every 1h30m').next(new Date('2026-01-01T00:00:00.500Z')); // 01:30:00Z
 */
export function parseSchedule(spec: string): Schedule {
  const known = parsed.get(spec);
  if (known) return known;
  try {
    const schedule = parse(spec);
    if (parsed.size >= PARSED_CACHE_SIZE) parsed.clear();
    parsed.set(spec, schedule);
    return schedule;
  } catch (err) {
    if (err instanceof ParseFailure) throw new CronParseError(err.message, spec, err.panicked);
    throw err;
  }
}

/** Thousands of CronJobs share a few schedules, and each sync reads its own again: each is parsed once. */
const PARSED_CACHE_SIZE = 1024;
const parsed = new Map<string, Schedule>();

/** Internal failure; parseSchedule attaches the spec. */
class ParseFailure extends Error {
  constructor(
    message: string,
    readonly panicked = false,
  ) {
    super(message);
  }
}

function parse(input: string): Schedule {
  if (input.length === 0) throw new ParseFailure('empty spec string');
  let spec = input;
  let location = LOCAL;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    // The zone runs from the first '=' to the first ASCII space (not any white space).
    const space = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    if (space < 0) {
      // robfig slices spec[eq+1:-1] here and panics; Kubernetes turns the panic into an error.
      throw new ParseFailure(`missing space between time zone and schedule: ${spec}`, true);
    }
    const zone = spec.slice(eq + 1, space);
    try {
      location = loadLocation(zone);
    } catch (err) {
      if (err instanceof UnknownTimeZoneError) {
        throw new ParseFailure(`provided bad location ${zone}: ${err.message}`);
      }
      throw err;
    }
    spec = goTrimSpace(spec.slice(space));
  }

  if (spec.startsWith('@')) return parseDescriptor(spec, location);

  const fields = goFields(spec);
  if (fields.length !== 5) {
    throw new ParseFailure(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  // Same order as robfig, so the first bad field in minute..dow order is the one reported.
  return new SpecSchedule(
    getField('0', SECONDS),
    getField(minute, MINUTES),
    getField(hour, HOURS),
    getField(dom, DOM),
    getField(month, MONTHS),
    getField(dow, DOW),
    location,
  );
}

/** A comma-separated list of ranges; empty items are dropped (Go's strings.FieldsFunc). */
function getField(field: string, r: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',')) {
    if (expr === '') continue;
    const range = getRange(expr, r);
    for (const v of range.values) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

/** `*` | `?` | `N` | `N-M`, optionally followed by `/step`. */
function getRange(expr: string, r: Bounds): CronField {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: bigint;
  let end: bigint;
  let star = false;
  const low = lowAndHigh[0] ?? '';
  if (low === '*' || low === '?') {
    // robfig ignores anything after the star's hyphen: `*-5` is `*`.
    start = BigInt(r.min);
    end = BigInt(r.max);
    star = true;
  } else {
    start = parseIntOrName(low, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', r.names);
    else throw new ParseFailure(`too many hyphens: ${expr}`);
  }

  let step = 1n;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? '');
    // "N/step" means "N-max/step".
    if (singleDigit) end = BigInt(r.max);
    // A real step makes the field restricted for the day-of-month/day-of-week rule; `*/1` does not.
    if (step > 1n) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new ParseFailure(`too many slashes: ${expr}`);
  }

  if (start < BigInt(r.min))
    throw new ParseFailure(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > BigInt(r.max)) throw new ParseFailure(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end)
    throw new ParseFailure(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0n) throw new ParseFailure(`step of range should be a positive number: ${expr}`);

  const values = new Set<number>();
  // Past the range checks start and end are small; a step beyond the range leaves only `start`.
  const stepN = step > 64n ? 64 : Number(step);
  for (let v = Number(start); v <= Number(end); v += stepN) values.add(v);
  return { values, star };
}

function parseIntOrName(expr: string, names: ReadonlyMap<string, number> | undefined): bigint {
  const named = names?.get(goToLowerAscii(expr));
  return named === undefined ? mustParseInt(expr) : BigInt(named);
}

function mustParseInt(expr: string): bigint {
  let num: bigint;
  try {
    num = goAtoi(expr);
  } catch (err) {
    if (err instanceof GoNumError) throw new ParseFailure(`failed to parse int from ${expr}: ${err.message}`);
    throw err;
  }
  if (num < 0n) throw new ParseFailure(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

const field = (values: number[], star: boolean): CronField => ({ values: new Set(values), star });
const only = (v: number) => field([v], false);
const all = (r: Bounds) =>
  field(
    Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i),
    true,
  );

function parseDescriptor(descriptor: string, loc: Location): Schedule {
  const at = (minute: CronField, hour: CronField, dom: CronField, month: CronField, dow: CronField) =>
    new SpecSchedule(only(0), minute, hour, dom, month, dow, loc);
  switch (descriptor) {
    case '@yearly':
    case '@annually':
      return at(only(0), only(0), only(1), only(1), all(DOW));
    case '@monthly':
      return at(only(0), only(0), only(1), all(MONTHS), all(DOW));
    case '@weekly':
      return at(only(0), only(0), all(DOM), all(MONTHS), only(0));
    case '@daily':
    case '@midnight':
      return at(only(0), only(0), all(DOM), all(MONTHS), all(DOW));
    case '@hourly':
      return at(only(0), all(HOURS), all(DOM), all(MONTHS), all(DOW));
  }
  const every = '@every ';
  if (descriptor.startsWith(every)) {
    let ns: bigint;
    try {
      ns = goParseDuration(descriptor.slice(every.length));
    } catch (err) {
      if (err instanceof GoDurationError) {
        throw new ParseFailure(`failed to parse duration ${descriptor}: ${err.message}`);
      }
      throw err;
    }
    // robfig's Every: below one second becomes one second; sub-second parts are dropped.
    const seconds = ns < 1_000_000_000n ? 1n : ns / 1_000_000_000n;
    return new ConstantDelaySchedule(Number(seconds));
  }
  throw new ParseFailure(`unrecognized descriptor: ${descriptor}`);
}

// ---------------------------------------------------------------------------------------------
// next(): robfig's SpecSchedule.Next, in epoch seconds. Each step is the Go call it replaces
// (t.Add, t.AddDate, time.Date, t.Truncate), so DST quirks come out the same.

/** A Go time.Time in the schedule's zone: the instant and its wall-clock fields. */
interface GoTime extends WallClock {
  readonly sec: number;
}

// A real search takes at most a few thousand steps; this is only a backstop behind the cycle check.
const MAX_STEPS = 1_000_000;

function nextSpec(s: SpecSchedule, afterSec: number, zone: ZoneClock): number | null {
  // A field that can never match makes robfig walk all five years and return the zero time;
  // answer at once instead of walking 2.6 million minutes.
  if (!canMatch(s)) return null;

  const at = (sec: number): GoTime => ({ sec, ...zone.wall(sec) });
  const date = (y: number, mo: number, d: number, h: number, mi: number, se: number) =>
    at(zone.date(y, mo, d, h, mi, se));
  const addDate = (t: GoTime, months: number, days: number) =>
    date(t.year, t.month + months, t.day + days, t.hour, t.minute, t.second);

  // Start at the earliest possible time: the upcoming second.
  let t = at(afterSec + 1);
  let added = false;
  const yearLimit = t.year + 5;
  // robfig never returns where a zone skipped a whole calendar day (Pacific/Apia lost 2011-12-30):
  // stepping to the missing day normalises back to the day before, forever. Every step below is a
  // pure function of (loop, instant) once `added` is set, so seeing a state twice means Go's loop
  // would never end; we answer "no time found" instead of hanging.
  const seen = new Set<number>();
  const stuck = (loop: number): boolean => {
    if (!added) return false;
    const key = t.sec * 8 + loop;
    if (seen.has(key) || seen.size > MAX_STEPS) return true;
    seen.add(key);
    return false;
  };

  wrap: for (;;) {
    if (t.year > yearLimit) return null;

    while (!s.month.values.has(t.month)) {
      if (stuck(0)) return null;
      if (!added) {
        added = true;
        t = date(t.year, t.month, 1, 0, 0, 0);
      }
      t = addDate(t, 1, 0);
      if (t.month === 1) continue wrap;
    }

    while (!dayMatches(s, t)) {
      if (stuck(1)) return null;
      if (!added) {
        added = true;
        t = date(t.year, t.month, t.day, 0, 0, 0);
      }
      t = addDate(t, 0, 1);
      // robfig: where midnight does not exist, the day starts at another hour; pull it back to
      // midnight (or push it forward to the next one) by whole hours.
      if (t.hour !== 0) t = t.hour > 12 ? at(t.sec + (24 - t.hour) * 3600) : at(t.sec - t.hour * 3600);
      if (t.day === 1) continue wrap;
    }

    while (!s.hour.values.has(t.hour)) {
      if (stuck(2)) return null;
      if (!added) {
        added = true;
        t = date(t.year, t.month, t.day, t.hour, 0, 0);
      }
      // Adding an absolute hour is what makes a repeated (fall-back) hour match twice and a
      // skipped (spring-forward) hour never match.
      t = at(t.sec + 3600);
      if (t.hour === 0) continue wrap;
    }

    while (!s.minute.values.has(t.minute)) {
      if (stuck(3)) return null;
      if (!added) {
        added = true;
        // Go's Truncate works on absolute time, not on the wall clock.
        t = at(Math.floor(t.sec / 60) * 60);
      }
      t = at(t.sec + 60);
      if (t.minute === 0) continue wrap;
    }

    while (!s.second.values.has(t.second)) {
      if (stuck(4)) return null;
      // Truncating to the second is a no-op: t holds whole seconds already.
      added = true;
      t = at(t.sec + 1);
      if (t.second === 0) continue wrap;
    }

    return t.sec;
  }
}

/** robfig's dayMatches: AND when either day field has a star, OR when both are restricted. */
function dayMatches(s: SpecSchedule, t: GoTime): boolean {
  const domMatch = s.dom.values.has(t.day);
  const dowMatch = s.dow.values.has(t.weekday);
  return s.dom.star || s.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

function canMatch(s: SpecSchedule): boolean {
  if (s.second.values.size === 0 || s.minute.values.size === 0) return false;
  if (s.hour.values.size === 0 || s.month.values.size === 0) return false;
  const anyDom = s.dom.values.size > 0;
  const anyDow = s.dow.values.size > 0;
  return s.dom.star || s.dow.star ? anyDom && anyDow : anyDom || anyDow;
}
