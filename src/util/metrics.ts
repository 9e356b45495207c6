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
