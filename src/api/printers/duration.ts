/**
 * Time as `kubectl get` shows it: upstream's `duration.HumanDuration` (about two significant
 * figures) and the printers' "time since a timestamp" helper. Everything takes milliseconds and
 * an explicit `now`, so tables are reproducible in tests.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR_DAYS = 365;

/**
 * Upstream HumanDuration. Units are truncated, never rounded; a zero remainder is dropped
 * (`3m`, not `3m0s`). Up to one second in the future still reads `0s` because clocks of
 * different machines drift; further in the future is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  // Go converts with int(), which truncates towards zero; for negative inputs that matters.
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(ms / DAY);
  if (hours < 24 * 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (hours < 24 * YEAR_DAYS * 2) return `${days}d`;
  const years = Math.trunc(days / YEAR_DAYS);
  if (hours < 24 * YEAR_DAYS * 8) return withRemainder(years, 'y', days % YEAR_DAYS, 'd');
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/** Go's zero time.Time (0001-01-01T00:00:00Z), which metav1.Time treats as "unset". */
const ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * Reads a metav1.Time or MicroTime string. `undefined` means "zero" in upstream's sense: absent,
 * null, empty, the Go zero time, or a string that is not a timestamp (which upstream would have
 * rejected when decoding, so there is nothing better to show).
 */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms === ZERO_TIME_MS) return undefined;
  return ms;
}

/**
 * Upstream translateTimestampSince: HumanDuration of `now - timestamp`, or `<unknown>` when the
 * timestamp is unset. Accepts the wire string or milliseconds already parsed.
 */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  const ms = typeof timestamp === 'number' ? timestamp : parseTime(timestamp);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}

/**
 * Go's `t.UTC().Format(time.RFC3339)`: whole seconds, `Z` suffix; an unset time prints as the Go
 * zero time, as upstream's default table does.
 */
export function formatRFC3339(timestamp: unknown): string {
  const ms = parseTime(timestamp) ?? ZERO_TIME_MS;
  return new Date(ms - (((ms % SECOND) + SECOND) % SECOND)).toISOString().replace('.000Z', 'Z');
}
