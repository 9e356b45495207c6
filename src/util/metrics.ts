/** Prometheus metrics: the registry controllers, the node agent and the API server count into; served on `/metrics`. */

export interface Counter {
  inc(labels?: Readonly<Record<string, string>>, by?: number): void;
}

export interface Gauge {
  set(value: number, labels?: Readonly<Record<string, string>>): void;
  inc(labels?: Readonly<Record<string, string>>, by?: number): void;
  dec(labels?: Readonly<Record<string, string>>, by?: number): void;
}

export interface Histogram {
  observe(value: number, labels?: Readonly<Record<string, string>>): void;
}

/** A registry of metrics; `render()` is the Prometheus text exposition served on /metrics. */
export interface Metrics {
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  gauge(name: string, help: string, labelNames?: readonly string[]): Gauge;
  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames?: readonly string[],
  ): Histogram;
  render(): string;
}

/** The media type of `render()`'s output (Prometheus text format 0.0.4). */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** A metric registered wrongly or used against its declaration: a programming error, as client_golang panics. */
export class MetricsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsError';
  }
}

/** `count` upper bounds from `start`, each `factor` times the last (client_golang's ExponentialBuckets). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (count < 1 || start <= 0 || factor <= 1)
    throw new MetricsError('exponential buckets need count ≥ 1, start > 0, factor > 1');
  const out: number[] = [];
  for (let i = 0, b = start; i < count; i++, b *= factor) out.push(b);
  return out;
}

/** `count` upper bounds from `start`, `width` apart (client_golang's LinearBuckets). */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (count < 1 || width <= 0) throw new MetricsError('linear buckets need count ≥ 1 and width > 0');
  return Array.from({ length: count }, (_, i) => start + i * width);
}

type Labels = Readonly<Record<string, string>> | undefined;
type MetricType = 'counter' | 'gauge' | 'histogram';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * One metric family: its series live in a trie of Maps keyed by label value in declaration
 * order, so the hot path is one `Map.get` per label and builds no string.
 */
abstract class Family<S extends { values: readonly string[] }> {
  private single: S | undefined;
  private readonly root = new Map<string, unknown>();
  private readonly all: S[] = [];
  /** Label positions in name order: the exposition sorts labels by name, as client_golang does. */
  private readonly byName: number[];

  constructor(
    readonly type: MetricType,
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    this.byName = labelNames.map((_, i) => i).sort((a, b) => cmp(labelNames[a]!, labelNames[b]!));
  }

  protected abstract newSeries(values: readonly string[]): S;
  protected abstract renderSeries(out: string[], s: S, labels: string): void;

  protected series(labels: Labels): S {
    const names = this.labelNames;
    if (names.length === 0) return (this.single ??= this.create(labels));
    let node: Map<string, unknown> | undefined = this.root;
    const last = names.length - 1;
    for (let i = 0; i < last && node; i++) node = node.get(labels?.[names[i]!] as string) as typeof node;
    const hit = node?.get(labels?.[names[last]!] as string) as S | undefined;
    return hit ?? this.create(labels);
  }

  /** The slow path, once per series: check the label set, then insert it into the trie. */
  private create(labels: Labels): S {
    const names = this.labelNames;
    const given = labels ? Object.keys(labels) : [];
    for (const k of given) {
      if (!names.includes(k)) throw new MetricsError(`${this.name}: unknown label "${k}"`);
    }
    const values = names.map((n) => {
      const v = labels?.[n];
      if (typeof v !== 'string') throw new MetricsError(`${this.name}: label "${n}" needs a string value`);
      return v;
    });
    const s = this.newSeries(values);
    this.all.push(s);
    if (names.length === 0) return s;
    let node = this.root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = node.get(values[i]!) as Map<string, unknown> | undefined;
      if (!next) node.set(values[i]!, (next = new Map()));
      node = next;
    }
    node.set(values[values.length - 1]!, s);
    return s;
  }

  /** A labelled family with no series yet is left out, as client_golang leaves out an empty vector. */
  render(out: string[]): void {
    if (this.labelNames.length === 0) this.series(undefined);
    if (this.all.length === 0) return;
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`);
    const sorted = [...this.all].sort((a, b) => {
      for (const i of this.byName) {
        const c = cmp(a.values[i]!, b.values[i]!);
        if (c) return c;
      }
      return 0;
    });
    for (const s of sorted) {
      const labels = this.byName.map((i) => `${this.labelNames[i]}="${escapeLabel(s.values[i]!)}"`).join(',');
      this.renderSeries(out, s, labels);
    }
  }
}

interface ValueSeries {
  values: readonly string[];
  value: number;
}

class CounterFamily extends Family<ValueSeries> implements Counter {
  inc(labels?: Labels, by = 1): void {
    if (!(by >= 0)) throw new MetricsError(`${this.name}: a counter cannot decrease (inc by ${by})`);
    this.series(labels).value += by;
  }
  protected newSeries(values: readonly string[]): ValueSeries {
    return { values, value: 0 };
  }
  protected renderSeries(out: string[], s: ValueSeries, labels: string): void {
    out.push(`${this.name}${braces(labels)} ${formatFloat(s.value)}`);
  }
}

class GaugeFamily extends Family<ValueSeries> implements Gauge {
  set(value: number, labels?: Labels): void {
    this.series(labels).value = value;
  }
  inc(labels?: Labels, by = 1): void {
    this.series(labels).value += by;
  }
  dec(labels?: Labels, by = 1): void {
    this.series(labels).value -= by;
  }
  protected newSeries(values: readonly string[]): ValueSeries {
    return { values, value: 0 };
  }
  protected renderSeries(out: string[], s: ValueSeries, labels: string): void {
    out.push(`${this.name}${braces(labels)} ${formatFloat(s.value)}`);
  }
}

interface HistogramSeries {
  values: readonly string[];
  /** Observations per bucket, not cumulative (summed when rendered). */
  counts: Float64Array;
  sum: number;
  count: number;
}

class HistogramFamily extends Family<HistogramSeries> implements Histogram {
  private readonly les: string[];

  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[],
    labelNames: readonly string[],
  ) {
    super('histogram', name, help, labelNames);
    this.les = buckets.map((b) => `le="${formatFloat(b)}"`);
  }

  observe(value: number, labels?: Labels): void {
    const s = this.series(labels);
    const b = this.buckets;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    if (i < b.length) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  protected newSeries(values: readonly string[]): HistogramSeries {
    return { values, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
  }
  protected renderSeries(out: string[], s: HistogramSeries, labels: string): void {
    const sep = labels ? ',' : '';
    let cumulative = 0;
    for (let i = 0; i < this.les.length; i++) {
      cumulative += s.counts[i]!;
      out.push(`${this.name}_bucket{${labels}${sep}${this.les[i]}} ${formatFloat(cumulative)}`);
    }
    out.push(`${this.name}_bucket{${labels}${sep}le="+Inf"} ${formatFloat(s.count)}`);
    out.push(`${this.name}_sum${braces(labels)} ${formatFloat(s.sum)}`);
    out.push(`${this.name}_count${braces(labels)} ${formatFloat(s.count)}`);
  }
}

/**
 * The process's metrics, rendered in the Prometheus text format with client_golang's layout
 * (families by name, labels by name, series by label values). Registering a name again with the
 * same shape returns the existing metric, so two components may declare a shared one.
 * @example
 * const metrics = new MetricsRegistry();
 * const syncs = metrics.counter('job_controller_job_syncs_total', 'Job syncs.', ['result']);
 * syncs.inc({ result: 'success' });
 * metrics.render(); // '# HELP job_controller_job_syncs_total Job syncs.\n...'
 */
export class MetricsRegistry implements Metrics {
  private readonly families = new Map<string, CounterFamily | GaugeFamily | HistogramFamily>();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(
      name,
      'counter',
      help,
      labelNames,
      undefined,
      () => new CounterFamily('counter', name, help, labelNames),
    );
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.register(
      name,
      'gauge',
      help,
      labelNames,
      undefined,
      () => new GaugeFamily('gauge', name, help, labelNames),
    );
  }

  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    const bounds = checkBuckets(name, buckets);
    if (labelNames.includes('le')) throw new MetricsError(`${name}: "le" is reserved for histogram buckets`);
    return this.register(
      name,
      'histogram',
      help,
      labelNames,
      bounds,
      () => new HistogramFamily(name, help, bounds, labelNames),
    );
  }

  render(): string {
    const out: string[] = [];
    for (const name of [...this.families.keys()].sort(cmp)) this.families.get(name)!.render(out);
    return out.length ? `${out.join('\n')}\n` : '';
  }

  private register<F extends CounterFamily | GaugeFamily | HistogramFamily>(
    name: string,
    type: MetricType,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[] | undefined,
    make: () => F,
  ): F {
    const existing = this.families.get(name);
    if (existing) {
      const same =
        existing.type === type &&
        existing.help === help &&
        sameList(existing.labelNames, labelNames) &&
        (!(existing instanceof HistogramFamily) || sameList(existing.buckets, buckets ?? []));
      if (!same)
        throw new MetricsError(`${name}: already registered with a different type, help, labels or buckets`);
      return existing as F;
    }
    if (!METRIC_NAME.test(name)) throw new MetricsError(`"${name}" is not a valid metric name`);
    const seen = new Set<string>();
    for (const l of labelNames) {
      if (!LABEL_NAME.test(l) || l.startsWith('__'))
        throw new MetricsError(`${name}: "${l}" is not a valid label name`);
      if (seen.has(l)) throw new MetricsError(`${name}: label "${l}" is declared twice`);
      seen.add(l);
    }
    const family = make();
    this.families.set(name, family);
    return family;
  }
}

/** Upper bounds must increase strictly; a trailing +Inf is implied, as in client_golang. */
function checkBuckets(name: string, buckets: readonly number[]): number[] {
  const bounds = buckets.at(-1) === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : [...buckets];
  for (let i = 0; i < bounds.length; i++) {
    if (Number.isNaN(bounds[i]) || (i > 0 && !(bounds[i]! > bounds[i - 1]!)))
      throw new MetricsError(`${name}: histogram buckets must be in strictly increasing order`);
  }
  return bounds;
}

/**
 * A number as Go's strconv.FormatFloat(f, 'g', -1, 64) writes it, which is what client_golang
 * puts on the wire: shortest digits, exponent form below 1e-4 and from 1e6 (`1e+06`).
 */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6)
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

const braces = (labels: string): string => (labels ? `{${labels}}` : '');

const escapeHelp = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

const escapeLabel = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Code-unit order, which is Go's byte order for ASCII names and values (not locale order). */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
