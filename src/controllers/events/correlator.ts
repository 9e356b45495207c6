/**
 * client-go's EventCorrelator, as plain data in and out: similar events are aggregated, repeats
 * become count patches of the first event, and a token bucket per source and object drops spam.
 * No I/O: the recorder writes what `correlate` returns.
 */
import type { Event } from '../../api/core/v1/event.js';

/** An event as the recorder builds it (core/v1 Event plus the fields the TypeScript type lacks). */
export interface RecordedEvent extends Event {
  reportingInstance?: string;
}

/** What to write: a new event, or a patch of a repeat's count, lastTimestamp and message (`event.metadata.name`). */
export type EventWrite =
  | { kind: 'create'; event: RecordedEvent }
  | { kind: 'patch'; event: RecordedEvent; patch: EventCountPatch };

export type Correlation = EventWrite | { kind: 'skip' };

export interface EventCountPatch {
  count: number;
  lastTimestamp: string;
  message?: string;
}

/** client-go's defaults (tools/record/events_cache.go). */
export const CORRELATOR_DEFAULTS = {
  cacheSize: 4096,
  /** This many distinct messages for one object and reason within the interval are combined. */
  aggregateMaxEvents: 10,
  aggregateIntervalMs: 600_000,
  spamBurst: 25,
  /** One token back every five minutes. */
  spamRefillMs: 300_000,
} as const;

export const COMBINED_PREFIX = '(combined from similar events): ';

/** A small LRU: a Map keeps insertion order, so re-inserting on read moves a key to the back. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * golang.org/x/time/rate's bucket as client-go uses it: full at first, refilled continuously,
 * and a clock that moves backwards adds nothing.
 */
export class TokenBucket {
  private tokens: number;
  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    private last: number,
  ) {
    this.tokens = burst;
  }

  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until tryTake would succeed (0 when a token is there now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * this.refillMs);
  }

  private refill(now: number): void {
    if (now > this.last) this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.refillMs);
    this.last = now;
  }
}

interface AggregateRecord {
  /** Distinct messages seen for the object and reason, oldest first. */
  messages: Set<string>;
  lastMs: number;
}

interface Observation {
  count: number;
  firstTimestamp: string;
  name: string;
}

export interface CorrelatorOptions {
  /** A name for a new event about `objectName` at `nowMs`: the recorder's `<object>.<hex>` generator. */
  eventName: (objectName: string, nowMs: number) => string;
  cacheSize?: number;
  aggregateMaxEvents?: number;
  aggregateIntervalMs?: number;
  spamBurst?: number;
  spamRefillMs?: number;
}

// Keys join with NUL so that no two field lists can run together (client-go joins with "").
const key = (parts: ReadonlyArray<string | undefined>): string => parts.map((p) => p ?? '').join('\u0000');

const objectParts = (e: RecordedEvent) => {
  const o = e.involvedObject ?? {};
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion];
};

/** The exact-repeat key: source, object (with field path), type, reason and message. */
export const eventKey = (e: RecordedEvent): string => {
  const o = e.involvedObject ?? {};
  return key([
    e.source?.component,
    e.source?.host,
    o.kind,
    o.namespace,
    o.name,
    o.fieldPath,
    o.uid,
    o.apiVersion,
    e.type,
    e.reason,
    e.message,
  ]);
};

/** The spam key: source and object only, so every reason shares one bucket. */
export const spamKey = (e: RecordedEvent): string => key(objectParts(e));

/** The aggregation key: source, object, type, reason and reporter; the message tells similar events apart. */
const aggregateKey = (e: RecordedEvent): string =>
  key([...objectParts(e), e.type, e.reason, e.reportingComponent, e.reportingInstance]);

export class EventCorrelator {
  private readonly aggregates: LruCache<AggregateRecord>;
  private readonly observations: LruCache<Observation>;
  private readonly spam: LruCache<TokenBucket>;
  private readonly o: Required<CorrelatorOptions>;

  constructor(opts: CorrelatorOptions) {
    this.o = {
      cacheSize: CORRELATOR_DEFAULTS.cacheSize,
      aggregateMaxEvents: CORRELATOR_DEFAULTS.aggregateMaxEvents,
      aggregateIntervalMs: CORRELATOR_DEFAULTS.aggregateIntervalMs,
      spamBurst: CORRELATOR_DEFAULTS.spamBurst,
      spamRefillMs: CORRELATOR_DEFAULTS.spamRefillMs,
      ...opts,
    };
    this.aggregates = new LruCache(this.o.cacheSize);
    this.observations = new LruCache(this.o.cacheSize);
    this.spam = new LruCache(this.o.cacheSize);
  }

  /** Aggregate, then count, then rate-limit, in client-go's order; `event` is not modified. */
  correlate(event: RecordedEvent, nowMs: number): Correlation {
    const { event: aggregated, key: cacheKey } = this.aggregate(event, nowMs);
    const observed = this.observe(aggregated, cacheKey);
    // As upstream, a dropped event still counted above: the next one written carries the full count.
    if (!this.allow(observed.event, nowMs)) return { kind: 'skip' };
    return observed;
  }

  private aggregate(event: RecordedEvent, nowMs: number): { event: RecordedEvent; key: string } {
    const aKey = aggregateKey(event);
    let record = this.aggregates.get(aKey);
    if (!record || nowMs - record.lastMs > this.o.aggregateIntervalMs)
      record = { messages: new Set(), lastMs: nowMs };
    record.messages.add(event.message ?? '');
    record.lastMs = nowMs;
    this.aggregates.set(aKey, record);
    if (record.messages.size < this.o.aggregateMaxEvents) return { event, key: eventKey(event) };
    // client-go drops an arbitrary message to stay under the limit; we drop the oldest.
    record.messages.delete(record.messages.values().next().value as string);
    const at = timestamp(nowMs);
    // client-go builds the combined event from these fields only (no reportingComponent/Instance).
    const combined: RecordedEvent = {
      metadata: {
        name: this.o.eventName(event.involvedObject?.name ?? '', nowMs),
        ...(event.metadata.namespace !== undefined ? { namespace: event.metadata.namespace } : {}),
      },
      involvedObject: { ...event.involvedObject },
      reason: event.reason ?? '',
      message: COMBINED_PREFIX + (event.message ?? ''),
      source: { ...event.source },
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      type: event.type ?? '',
    };
    return { event: combined, key: aKey };
  }

  private observe(event: RecordedEvent, cacheKey: string): EventWrite {
    const last = this.observations.get(cacheKey);
    if (!last) {
      this.observations.set(cacheKey, {
        count: event.count ?? 1,
        firstTimestamp: event.firstTimestamp ?? '',
        name: event.metadata.name ?? '',
      });
      return { kind: 'create', event };
    }
    const count = last.count + 1;
    this.observations.set(cacheKey, { ...last, count });
    const repeat: RecordedEvent = {
      ...event,
      metadata: { ...event.metadata, name: last.name },
      firstTimestamp: last.firstTimestamp,
      count,
    };
    const patch: EventCountPatch = { count, lastTimestamp: event.lastTimestamp ?? '' };
    if (event.message) patch.message = event.message;
    return { kind: 'patch', event: repeat, patch };
  }

  private allow(event: RecordedEvent, nowMs: number): boolean {
    const sKey = spamKey(event);
    let bucket = this.spam.get(sKey);
    if (!bucket) bucket = new TokenBucket(this.o.spamBurst, this.o.spamRefillMs, nowMs);
    this.spam.set(sKey, bucket);
    return bucket.tryTake(nowMs);
  }
}

/** metav1.Time on the wire: RFC 3339 in UTC, whole seconds. */
export function timestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
