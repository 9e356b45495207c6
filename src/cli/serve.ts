/**
 * `batchd serve`: the long-running server with its data dir, TLS, kubeconfig and clean shutdown.
 * `startBatchd` is the same process without the listener, for `batchd run`'s embedded one-shot use.
 */

import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiServer } from '../apiserver/server.js';
import { InProcessClient } from '../client/inprocess.js';
import { PriorityGate } from '../client/priority.js';
import { CronJobController } from '../controllers/cronjob/controller.js';
import { CRONJOB_CONTROLLER_COMPONENT } from '../controllers/cronjob/events.js';
import { EventBroadcaster } from '../controllers/events/recorder.js';
import { GarbageCollector } from '../controllers/gc/controller.js';
import { JobController } from '../controllers/job/controller.js';
import { NamespaceController } from '../controllers/namespace/controller.js';
import { TtlAfterFinishedController } from '../controllers/ttl/controller.js';
import { NodeAgent } from '../node/agent/agent.js';
import { machineInfo } from '../node/agent/machine.js';
import { ProcessRuntime } from '../node/runtime/process.js';
import type { ContainerRuntime } from '../node/runtime/types.js';
import { SimulatedRuntime } from '../node/simulated/runtime.js';
import { startCompactor } from '../storage/compactor.js';
import { openSqliteStore } from '../storage/sqlite/store.js';
import { realClock } from '../util/clock.js';
import { log as defaultLog, type Logger } from '../util/log.js';
import { type Metrics, MetricsRegistry } from '../util/metrics.js';
import { ensureCredentials } from './credentials.js';
import { writeKubeconfig } from './kubeconfig.js';
import { lockDataDir } from './lock.js';

export type RuntimeKind = 'process' | 'simulated';

/** Everything of batchd but its listener: the store, the API, the controllers, the node agent. */
export interface BatchdOptions {
  dataDir: string;
  /** Serve HTTPS and write the kubeconfig; without it nothing listens (`batchd run` without --port). */
  listen?: { port: number; host: string };
  /** The Node's name (default: the host name). */
  nodeName?: string;
  /** The node's pod limit (upstream kubelet --max-pods). */
  maxPods?: number;
  runtime?: RuntimeKind;
  /** Run containers in a bubblewrap sandbox (process runtime). */
  sandbox?: boolean;
  /** Logs of deleted pods are kept this long (ms) ... */
  logRetentionMs?: number;
  /** ... and within this many bytes in all. */
  logMaxBytes?: number;
  /** Jobs synced at once (upstream --concurrent-job-syncs). */
  jobWorkers?: number;
  /** Multiplies the Job controller's pod-recreation backoff (10 s doubling to 10 min); for tests and CI. */
  jobBackoffScale?: number;
  /** Serve batch/v1beta1 CronJobs (`--runtime-config batch/v1beta1=false` turns them off). */
  batchV1beta1?: boolean;
  /** The zone of CronJob schedules without spec.timeZone (default: this machine's). */
  cronJobTimeZone?: string;
  /**
   * Which controllers run, as kube-controller-manager's `--controllers`: `*` for all, a name to
   * add one, `-name` to leave one out (`*,-job` runs all but the Job controller). Default `*`.
   */
  controllers?: readonly string[];
  /** The process logger (default: the shared one, on stdout); `batchd run` keeps stdout for pod logs. */
  log?: Logger;
  /** Wraps the container runtime the flags chose: `batchd run` watches container starts and stops them at exit. */
  wrapRuntime?: (runtime: ContainerRuntime) => ContainerRuntime;
}

export interface ServeOptions extends Omit<BatchdOptions, 'listen'> {
  port: number;
  host: string;
}

/**
 * Pod events of one Job within this window are handled by one sync. A sync reads every pod of its
 * Job, so syncing per event costs the square of the Job's size; upstream waits 1 s, which caps it
 * near 50 pods/s. 100 ms keeps both the cost and the latency small.
 */
const JOB_SYNC_BATCH_MS = 100;

/** The controllers `--controllers` can name; `node` is the node agent (the kubelet's part). */
export const CONTROLLERS = ['namespace', 'garbage-collector', 'job', 'cronjob', 'ttl-after-finished', 'node'];

/** kube-controller-manager's rule: named wins, then `-name`, then `*`. */
export function controllerEnabled(list: readonly string[], name: string): boolean {
  if (list.includes(name)) return true;
  if (list.includes(`-${name}`)) return false;
  return list.includes('*');
}

export interface RunningServer {
  url: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

/** Logs of deleted pods are kept a day, and 1 GiB in all, unless the flags say otherwise. */
export const DEFAULT_LOG_RETENTION_MS = 24 * 3600 * 1000;
export const DEFAULT_LOG_MAX_BYTES = 1024 ** 3;

/** A one-line error for the user: no stack trace, exit code 1. */
export class UserError extends Error {}

/** An embedded batchd; `url` and `kubeconfig` are set when it listens. */
export interface Batchd {
  api: ApiServer;
  dataDir: string;
  url?: string;
  kubeconfig?: string;
  stop(): Promise<void>;
}

export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const { port, host, ...rest } = opts;
  const started = await startBatchd({ ...rest, listen: { port, host } });
  return { url: started.url ?? '', kubeconfig: started.kubeconfig ?? '', stop: started.stop };
}

/**
 * Takes the data dir and starts batchd in this process; with `listen`, the port opens before the
 * controllers start (a taken port fails fast) and the kubeconfig is written last, as serve does.
 */
export async function startBatchd(opts: BatchdOptions): Promise<Batchd> {
  const log = opts.log ?? defaultLog;
  const dataDir = resolve(opts.dataDir);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    throw new UserError(`cannot use data dir ${opts.dataDir}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  let unlock: () => void;
  try {
    unlock = lockDataDir(dataDir);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const cleanup: Array<() => void | Promise<void>> = [unlock];
  const stop = async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup.length = 0;
  };
  try {
    // Without a listener no client ever connects: the certificates (a second to make) are skipped.
    const creds = opts.listen ? await ensureCredentials(dataDir, { hosts: [opts.listen.host] }) : undefined;
    const store = openSqliteStore(join(dataDir, 'state.db'));
    cleanup.push(() => store.close());
    cleanup.push(startCompactor(store, realClock));
    const metrics = new MetricsRegistry();
    const api = new ApiServer({
      store,
      clock: realClock,
      log,
      tls: { cert: creds?.serverCertPem ?? '', key: creds?.serverKeyPem ?? '' },
      ...(creds ? { token: creds.token } : {}),
      metrics,
      scheme: { batchV1beta1: opts.batchV1beta1 !== false },
    });
    let address: { port: number } | undefined;
    if (opts.listen) {
      address = await listen(api, opts.listen);
      cleanup.push(() => api.close());
    } else {
      await api.registries.bootstrap();
    }
    // CronJobs due go first: the other controllers and the node agent wait on this gate.
    const gate = new PriorityGate();
    await startControllers(opts, api, metrics, log, cleanup, gate);
    if (controllerEnabled(opts.controllers ?? ['*'], 'node')) {
      const agent = await startNodeAgent(opts, dataDir, api, metrics, log, gate);
      if (agent) cleanup.push(agent);
    }
    if (!opts.listen || !address || !creds) return { api, dataDir, stop };
    const url = `https://${urlHost(opts.listen.host)}:${address.port}`;
    const kubeconfig = join(dataDir, 'kubeconfig');
    await writeKubeconfig(kubeconfig, { server: url, caCertPem: creds.caCertPem, token: creds.token });
    return { api, dataDir, url, kubeconfig, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Listens, turning the usual socket errors into one-line user errors. */
async function listen(api: ApiServer, at: { port: number; host: string }): Promise<{ port: number }> {
  try {
    return await api.listen(at.port, at.host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new UserError(
        `port ${at.port} on ${at.host} is already in use: stop what holds it, or pick another with --port (0 picks a free one)`,
      );
    }
    if (code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen on ${at.host}: no such local address`);
    if (code === 'EACCES') throw new UserError(`not allowed to listen on ${at.host}:${at.port}`);
    throw err;
  }
}

/** Starts the enabled controllers; each one's stop joins cleanup (run in reverse at shutdown). */
async function startControllers(
  opts: BatchdOptions,
  api: ApiServer,
  metrics: Metrics,
  log: Logger,
  cleanup: Array<() => void | Promise<void>>,
  gate: PriorityGate,
): Promise<void> {
  const client = new InProcessClient(api.registries);
  // Cleanup runs in reverse: queued events are written after the controllers stop, before the API closes.
  const controllerEvents = new EventBroadcaster({ client, clock: realClock, log });
  cleanup.push(() => controllerEvents.shutdown());
  const enabled = (name: string) => controllerEnabled(opts.controllers ?? ['*'], name);
  if (enabled('namespace')) {
    const namespaceController = new NamespaceController(
      client,
      api.scheme.stored.filter((t) => t.namespaced),
      realClock,
      log,
    );
    await namespaceController.start();
    cleanup.push(() => namespaceController.stop());
  }
  if (enabled('garbage-collector')) {
    const gc = new GarbageCollector(client, api.scheme.stored, realClock, log, gate);
    await gc.start();
    cleanup.push(() => gc.stop());
  }
  if (enabled('job')) {
    const jobController = new JobController({
      client,
      clock: realClock,
      log,
      recorder: controllerEvents.newRecorder({ component: 'job-controller' }),
      metrics,
      workers: opts.jobWorkers ?? 5,
      backoffScale: opts.jobBackoffScale ?? 1,
      syncBatchPeriodMs: JOB_SYNC_BATCH_MS,
      gate,
    });
    await jobController.start();
    cleanup.push(() => jobController.stop());
  }
  if (enabled('cronjob')) {
    const cronJobController = new CronJobController({
      client,
      clock: realClock,
      log,
      metrics,
      recorder: controllerEvents.newRecorder({ component: CRONJOB_CONTROLLER_COMPONENT }),
      localZone: opts.cronJobTimeZone ?? 'Local',
      gate,
    });
    await cronJobController.start();
    cleanup.push(() => cronJobController.stop());
  }
  if (enabled('ttl-after-finished')) {
    const ttlController = new TtlAfterFinishedController({ client, clock: realClock, log, metrics, gate });
    await ttlController.start();
    cleanup.push(() => ttlController.stop());
  }
}

/** The container runtime the flags ask for. */
function openRuntime(
  opts: BatchdOptions,
  dataDir: string,
  log: Logger,
  annotations: (podUid: string) => Record<string, string> | undefined,
): { runtime: ContainerRuntime; capabilities: string; sandboxed: boolean } {
  if (opts.runtime === 'simulated') {
    return {
      runtime: new SimulatedRuntime(realClock, (spec) => annotations(spec.podUid)),
      capabilities: 'simulated: no processes run; limits and isolation do not apply',
      sandboxed: false,
    };
  }
  const runtime = new ProcessRuntime(join(dataDir, 'runtime'), realClock, log, { sandbox: !!opts.sandbox });
  const caps = runtime.capabilities();
  return {
    runtime,
    capabilities: caps.notEnforced.length
      ? `not enforced: ${caps.notEnforced.join('; ')}`
      : 'limits and isolation enforced',
    sandboxed: caps.sandbox.enabled,
  };
}

/** Starts the node agent after the controllers; returns its shutdown (agent, then runtime). */
async function startNodeAgent(
  opts: BatchdOptions,
  dataDir: string,
  api: ApiServer,
  metrics: Metrics,
  log: Logger,
  gate: PriorityGate,
): Promise<(() => Promise<void>) | undefined> {
  let agent: NodeAgent | undefined;
  const opened = openRuntime(opts, dataDir, log, (uid) => agent?.podAnnotations(uid));
  const { capabilities, sandboxed } = opened;
  const runtime = opts.wrapRuntime ? opts.wrapRuntime(opened.runtime) : opened.runtime;
  const machine = machineInfo({
    runtimeName: runtime.name,
    ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
    ...(opts.maxPods !== undefined ? { maxPods: opts.maxPods } : {}),
    capabilities,
  });
  // The kubelet's writes and events are its own (field manager and event source), as upstream.
  const kubeletClient = new InProcessClient(api.registries, 'kubelet');
  // The kubelet and the scheduler send events at 50/s, burst 100 (their --event-qps/--event-burst).
  const events = new EventBroadcaster({
    client: kubeletClient,
    clock: realClock,
    log,
    writeLimit: { qps: 50, burst: 100 },
  });
  agent = new NodeAgent({
    client: kubeletClient,
    runtime,
    clock: realClock,
    log,
    metrics,
    recorders: {
      kubelet: events.newRecorder({ component: 'kubelet', host: machine.nodeName }),
      scheduler: events.newRecorder({ component: 'default-scheduler' }),
    },
    machine,
    gate,
    volumesDir: join(dataDir, 'pods'),
    volumeEnv: !sandboxed,
    logRetention: {
      maxAgeMs: opts.logRetentionMs ?? DEFAULT_LOG_RETENTION_MS,
      maxBytes: opts.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES,
    },
  });
  await agent.start();
  api.setLogSource(agent);
  const started = agent;
  return async () => {
    api.setLogSource(undefined);
    await started.stop();
    await events.shutdown();
    await runtime.close();
  };
}

/** The host clients should dial: a wildcard listen address is reached on loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
