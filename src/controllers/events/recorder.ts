/**
 * The event recorder over a Client: client-go's EventBroadcaster and recorder. Events are
 * correlated when recorded (so the injected clock decides windows and buckets) and written in
 * order by one background writer; the caller never waits and never sees an error.
 */
import { randomUUID } from 'node:crypto';
import { type Event, events } from '../../api/core/v1/event.js';
import { ApiError } from '../../api/meta/status.js';
import type { KubeObject } from '../../api/meta/types.js';
import { nameIsDNSSubdomain } from '../../api/meta/validation.js';
import type { Client } from '../../client/client.js';
import type { Clock } from '../../util/clock.js';
import { type Logger, log as rootLog } from '../../util/log.js';
import {
  type CorrelatorOptions,
  EventCorrelator,
  type EventWrite,
  type RecordedEvent,
  TokenBucket,
  timestamp,
} from './correlator.js';
import type { EventRecorder, EventType } from './types.js';

/** Writes waiting beyond this are dropped, as client-go's broadcaster drops past 1000 queued events. */
export const MAX_QUEUED_EVENTS = 1000;
const DROP_LOG_INTERVAL_MS = 10_000;

/** Who reports: `source.component` and `reportingComponent`; `host` is also `reportingInstance` (the kubelet's node). */
export interface EventSource {
  component: string;
  host?: string;
}

export interface EventBroadcasterOptions {
  client: Client;
  clock: Clock;
  log?: Logger;
  maxQueued?: number;
  /**
   * The event client's rate limit (client-go's QPS and burst): writes wait for a token, and what
   * waits beyond maxQueued is dropped. The kubelet and the scheduler send at 50/s, burst 100.
   */
  writeLimit?: { qps: number; burst: number };
  /** Overrides of client-go's aggregation and spam-filter defaults (tests). */
  correlator?: Omit<CorrelatorOptions, 'eventName'>;
}

/**
 * Owns the correlator and the write queue; hand out one recorder per component.
 * @example
 * const broadcaster = new EventBroadcaster({ client, clock });
 * const recorder = broadcaster.newRecorder({ component: 'job-controller' });
 * recorder.eventf(job, 'Normal', 'SuccessfulCreate', 'Created pod: %v', pod.metadata.name);
 * await broadcaster.shutdown(); // on exit: writes what is queued
 */
export class EventBroadcaster {
  private readonly correlator: EventCorrelator;
  private readonly queue: EventWrite[] = [];
  private draining: Promise<void> | undefined;
  private lastNanos = 0n;
  private closed = false;
  private readonly log: Logger;
  private readonly maxQueued: number;
  private readonly writeTokens: TokenBucket | undefined;
  private dropped = 0;
  private lastDropLogMs = Number.NEGATIVE_INFINITY;
  /** Ends the writer's wait for a token (set while it waits). */
  private wakeWriter: (() => void) | undefined;

  constructor(private readonly opts: EventBroadcasterOptions) {
    this.log = (opts.log ?? rootLog).child({ component: 'event-broadcaster' });
    this.maxQueued = opts.maxQueued ?? MAX_QUEUED_EVENTS;
    const limit = opts.writeLimit;
    if (limit) this.writeTokens = new TokenBucket(limit.burst, 1000 / limit.qps, opts.clock.now().getTime());
    this.correlator = new EventCorrelator({
      ...opts.correlator,
      eventName: (objectName, nowMs) => this.eventName(objectName, nowMs),
    });
  }

  newRecorder(source: EventSource): EventRecorder {
    return {
      event: (obj, type, reason, message) => this.record(source, obj, type, reason, message),
      // Formatting happens inside record's guard: a bad argument must not throw into the caller either.
      eventf: (obj, type, reason, format, ...args) =>
        this.record(source, obj, type, reason, () => goSprintf(format, args)),
    };
  }

  /** Resolves once every write queued so far (and any queued meanwhile) has been attempted. */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  /** Stops accepting events and writes what is queued. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.wakeWriter?.();
    await this.flush();
  }

  private waitOrShutdown(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.opts.clock.setTimer(ms, () => {
        this.wakeWriter = undefined;
        resolve();
      });
      this.wakeWriter = () => {
        cancel();
        this.wakeWriter = undefined;
        resolve();
      };
    });
  }

  private record(
    source: EventSource,
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string | (() => string),
  ): void {
    try {
      if (this.closed) return;
      if (type !== 'Normal' && type !== 'Warning') {
        this.log.error({ type, reason }, 'unsupported event type, event dropped');
        return;
      }
      const nowMs = this.opts.clock.now().getTime();
      const text = typeof message === 'string' ? message : message();
      const event = this.makeEvent(source, obj, type, reason, text, nowMs);
      const correlation = this.correlator.correlate(event, nowMs);
      if (correlation.kind !== 'skip') this.enqueue(correlation);
    } catch (err) {
      this.log.error({ err, reason }, 'could not record event');
    }
  }

  private makeEvent(
    source: EventSource,
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    nowMs: number,
  ): RecordedEvent {
    const m = obj.metadata;
    const involvedObject: NonNullable<Event['involvedObject']> = {};
    if (obj.kind) involvedObject.kind = obj.kind;
    if (m.namespace) involvedObject.namespace = m.namespace;
    if (m.name) involvedObject.name = m.name;
    if (m.uid) involvedObject.uid = m.uid;
    if (obj.apiVersion) involvedObject.apiVersion = obj.apiVersion;
    if (m.resourceVersion) involvedObject.resourceVersion = m.resourceVersion;
    const at = timestamp(nowMs);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: this.eventName(m.name ?? '', nowMs),
        // Events about cluster-scoped objects (nodes, namespaces) live in `default`, as upstream.
        namespace: m.namespace || 'default',
      },
      involvedObject,
      reason,
      message,
      source: source.host
        ? { component: source.component, host: source.host }
        : { component: source.component },
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      type,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
  }

  /**
   * `<object>.<unix nanoseconds in hex>`, as client-go names events; bumped by a nanosecond when
   * the clock has not moved (a fake clock, or a burst within a millisecond) so names never collide.
   * A name that is not a valid DNS subdomain (a long object name) becomes a UUID, as upstream.
   */
  private eventName(objectName: string, nowMs: number): string {
    let nanos = BigInt(nowMs) * 1_000_000n;
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    const name = `${objectName}.${nanos.toString(16)}`;
    return nameIsDNSSubdomain(name, false).length ? randomUUID() : name;
  }

  private enqueue(w: EventWrite): void {
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      // One line per 10 s, not one per event: a burst drops thousands.
      const nowMs = this.opts.clock.now().getTime();
      if (nowMs - this.lastDropLogMs >= DROP_LOG_INTERVAL_MS) {
        this.log.error(
          { event: w.event.metadata.name, reason: w.event.reason, dropped: this.dropped },
          'too many queued events, events dropped',
        );
        this.lastDropLogMs = nowMs;
        this.dropped = 0;
      }
      return;
    }
    this.queue.push(w);
    this.kick();
  }

  /** Starts the writer on a later microtask, so the caller's synchronous work never waits for a write. */
  private kick(): void {
    if (this.draining !== undefined) return;
    this.draining = Promise.resolve()
      .then(() => this.drain())
      .finally(() => {
        this.draining = undefined;
        // A write queued between the last shift and now would otherwise wait for the next event.
        if (this.queue.length) this.kick();
      });
  }

  private async drain(): Promise<void> {
    for (let w = this.queue.shift(); w; w = this.queue.shift()) {
      if (this.writeTokens) {
        for (let ms = this.tokenWait(); ms > 0; ms = this.tokenWait()) await this.waitOrShutdown(ms);
        this.writeTokens.tryTake(this.opts.clock.now().getTime());
      }
      try {
        await this.write(w);
      } catch (err) {
        this.logFailure(w, err);
      }
    }
  }

  /** At shutdown what is queued goes at once: it is at most maxQueued writes. */
  private tokenWait(): number {
    if (this.closed) return 0;
    return this.writeTokens?.waitMs(this.opts.clock.now().getTime()) ?? 0;
  }

  /** A repeat patches the first event; if that is gone (expired, deleted) it is created again with its count. */
  private async write(w: EventWrite): Promise<void> {
    const ev = w.event;
    const api = this.opts.client.resource(events, ev.metadata.namespace);
    if (w.kind === 'patch') {
      try {
        await api.patch(ev.metadata.name ?? '', 'strategic', w.patch);
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    const { resourceVersion: _, ...metadata } = ev.metadata;
    await api.create({ ...ev, metadata });
  }

  /** One failed write is dropped, not retried: events are best effort, as upstream treats a rejected event. */
  private logFailure(w: EventWrite, err: unknown): void {
    const fields = {
      err,
      event: w.event.metadata.name,
      namespace: w.event.metadata.namespace,
      reason: w.event.reason,
    };
    const expected =
      err instanceof ApiError &&
      (err.reason === 'AlreadyExists' ||
        err.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') ||
        /because it is being terminated/.test(err.message));
    if (expected) this.log.debug(fields, 'server rejected event (will not retry)');
    else this.log.warn(fields, 'could not write event (will not retry)');
  }
}

/**
 * Go's fmt.Sprintf for the verbs event messages use (%v %s %d %q %t %x %%), with Go's
 * `%!v(MISSING)` and `%!(EXTRA ...)` markers for argument mismatches.
 */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  let out = format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])/g, (_whole, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[next++];
    switch (verb) {
      case 'v':
      case 's':
        return goValue(arg);
      case 'd':
        return typeof arg === 'number' || typeof arg === 'bigint'
          ? String(typeof arg === 'number' ? Math.trunc(arg) : arg)
          : bad(verb, arg);
      case 'q':
        return typeof arg === 'string' ? JSON.stringify(arg) : bad(verb, arg);
      case 't':
        return typeof arg === 'boolean' ? String(arg) : bad(verb, arg);
      case 'x':
        return typeof arg === 'number' && Number.isInteger(arg)
          ? arg.toString(16)
          : typeof arg === 'string'
            ? Buffer.from(arg).toString('hex')
            : bad(verb, arg);
      default:
        return bad(verb, arg);
    }
  });
  if (next < args.length)
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => `${goType(a)}=${goValue(a)}`)
      .join(', ')})`;
  return out;
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.message;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v); // a cycle or a bigint inside
    }
  }
  return String(v);
}

const goType = (v: unknown): string =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? 'int'
      : 'float64'
    : typeof v === 'boolean'
      ? 'bool'
      : typeof v;

const bad = (verb: string, v: unknown): string => `%!${verb}(${goType(v)}=${goValue(v)})`;
