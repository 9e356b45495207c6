/**
 * Assembles the API server: store → registries → HTTP handler → HTTPS listener. The CLI and the
 * tests both start batchd through here.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { newScheme, type SchemeOptions } from '../api/resources.js';
import type { Scheme } from '../api/scheme.js';
import type { Store } from '../storage/store.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { type Metrics, MetricsRegistry } from '../util/metrics.js';
import { versionInfo } from '../version.js';
import { createHandler } from './handler.js';
import type { LogSource } from './logs.js';
import { instrumentHandler, RequestMetrics } from './metrics.js';
import { Registries } from './registries.js';

export interface ApiServerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  tls: { cert: string; key: string };
  token?: string;
  /** The node agent's pod logs; set later with setLogSource when the agent starts after the server. */
  logSource?: LogSource;
  /** The process's metrics registry, served on /metrics; API requests are counted into it. */
  metrics?: Metrics;
  /** Which optional API versions to serve (`--runtime-config`). */
  scheme?: SchemeOptions;
}

export class ApiServer {
  readonly scheme: Scheme;
  readonly registries: Registries;
  readonly server: Server;
  private address: AddressInfo | undefined;
  private logSource: LogSource | undefined;

  constructor(opts: ApiServerOptions) {
    this.scheme = newScheme(opts.scheme);
    const metrics = opts.metrics ?? new MetricsRegistry();
    this.registries = new Registries(this.scheme, opts.store, opts.clock);
    const handler = createHandler({
      scheme: this.scheme,
      registries: this.registries,
      clock: opts.clock,
      log: opts.log.child({ component: 'apiserver' }),
      ...(opts.token ? { token: opts.token } : {}),
      serverAddress: () => this.hostPort(),
      version: versionInfo,
      // The agent starts after the server listens, so logs are looked up through this indirection.
      logSource: { podLogs: (pod, req, signal) => this.logs(pod, req, signal) },
      metrics,
    });
    this.logSource = opts.logSource;
    this.server = createServer(
      { cert: opts.tls.cert, key: opts.tls.key },
      instrumentHandler(handler, {
        metrics: new RequestMetrics(metrics),
        served: (g, v, r) => this.registries.lookup(g, v, r) !== undefined,
      }),
    );
    // Watches are long-lived; Node's default 5 s keep-alive and request timeouts must not cut them.
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 60_000;
  }

  /** Creates the system namespaces, then listens; port 0 picks a free port. */
  async listen(port: number, host: string): Promise<AddressInfo> {
    await this.registries.bootstrap();
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    return this.address;
  }

  /** Where pods/log reads from (the node agent, once it runs). */
  setLogSource(source: LogSource | undefined): void {
    this.logSource = source;
  }

  private async logs(...args: Parameters<LogSource['podLogs']>): Promise<AsyncIterable<Buffer>> {
    if (!this.logSource) return (async function* () {})();
    return this.logSource.podLogs(...args);
  }

  hostPort(): string {
    const a = this.address;
    if (!a) return '';
    return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
