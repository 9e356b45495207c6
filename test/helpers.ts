/**
 * Shared helpers for the e2e tests: start the real built binary (`bin/batchd.js serve`) on port 0
 * in a temp dir, drive it with the installed kubectl and with raw HTTPS requests, and poll with
 * `eventually` instead of sleeping.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { parse as parseYaml } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'batchd.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

const READY_LINE = /^batchd \S+ serving (https:\/\/\S+) — export KUBECONFIG=(.+)$/;

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface HttpResult<T = unknown> {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: T;
}

export interface RequestOptions {
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** false sends no Authorization header; a string replaces the token. */
  token?: string | false;
}

/** A process started in its own process group, whose output is collected as it arrives. */
export interface Proc {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** Signals the whole process group (the gcloud kubectl dispatcher forks the real kubectl). */
  kill(signal?: NodeJS.Signals): void;
}

export interface Server {
  url: string;
  kubeconfig: string;
  dataDir: string;
  pid: number;
  proc: Proc;
  kubectl(args: string[], opts?: { stdin?: string; env?: NodeJS.ProcessEnv }): Promise<ExecResult>;
  /** Starts a long-running kubectl (e.g. `get -w`) whose stdout can be read while it runs. */
  kubectlBackground(args: string[]): Proc;
  request<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<HttpResult<T>>;
  /** Opens a watch and collects its events until closed; `done` resolves when the server ends it. */
  watch(path: string): Promise<WatchStream>;
  /** SIGTERM (or the given signal) to the process group; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface WatchEvent<T = KubeObjectLike> {
  type: string;
  object: T;
}

export interface KubeObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    creationTimestamp?: string;
    generateName?: string;
    continue?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  items?: KubeObjectLike[];
}

export interface WatchStream {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  events: WatchEvent[];
  /** Resolves when the server closes the stream. */
  done: Promise<void>;
  close(): void;
}

const live = new Set<Proc>();

/** Starts a process in a new process group and tracks it, so `killAll` can clean up after a failed test. */
export function startProcess(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {},
): Proc {
  const child = spawn(command, args, {
    detached: true,
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  const exited = new Promise<number | null>((res, rej) => {
    child.on('error', rej);
    child.on('close', (code) => res(code));
  });
  const proc: Proc = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    },
  };
  live.add(proc);
  void exited.finally(() => live.delete(proc)).catch(() => {});
  return proc;
}

/** Runs a command to completion and returns its exit code and output. */
export async function run(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const proc = startProcess(command, args, opts);
  const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  try {
    const code = await proc.exited;
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** Kills every process group the helpers started and that is still running (afterEach/afterAll). */
export async function killAll(): Promise<void> {
  const procs = [...live];
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited.catch(() => null)));
}

/** A fresh directory under the OS temp dir, removed by `removeTempDirs`. */
const tempDirs: string[] = [];
export function tempDir(prefix = 'batchd-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** `node bin/batchd.js <args>` run to completion. */
export function batchd(args: string[], opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
  return run(process.execPath, [BIN, ...args], opts);
}

/**
 * Starts `batchd serve --port 0` on dataDir (a new temp dir unless given) and resolves once it
 * prints its ready line. Rejects with its stderr when it exits first.
 */
export async function startServer(
  opts: { dataDir?: string; timeoutMs?: number; args?: string[] } = {},
): Promise<Server> {
  const dataDir = opts.dataDir ?? tempDir();
  const proc = startProcess(process.execPath, [
    BIN,
    'serve',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    ...(opts.args ?? []),
  ]);
  const ready = await new Promise<RegExpExecArray>((res, rej) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      rej(new Error(`batchd did not get ready in time; stderr: ${proc.stderr()}`));
    }, opts.timeoutMs ?? 20_000);
    const check = () => {
      for (const line of proc.stdout().split('\n')) {
        const m = READY_LINE.exec(line);
        if (m) {
          clearTimeout(timer);
          proc.child.stdout?.off('data', check);
          res(m);
          return;
        }
      }
    };
    proc.child.stdout?.on('data', check);
    void proc.exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`batchd exited (${code}) before it was ready; stderr: ${proc.stderr()}`));
    });
  });
  const url = ready[1] ?? '';
  const kubeconfig = resolve(ROOT, ready[2] ?? '');
  const creds = readKubeconfig(kubeconfig);
  const env = { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dataDir, 'kube-cache') };
  const server: Server = {
    url,
    kubeconfig,
    dataDir,
    pid: proc.child.pid ?? 0,
    proc,
    kubectl: (args, o = {}) =>
      run('kubectl', args, {
        env: { ...env, ...o.env },
        ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
      }),
    kubectlBackground: (args) => startProcess('kubectl', args, { env }),
    request: (method, path, o) => httpsCall(url, creds, method, path, o),
    watch: (path) => openWatch(url, creds, path),
    async stop(signal = 'SIGTERM') {
      proc.kill(signal);
      return proc.exited;
    },
  };
  return server;
}

export interface KubeCredentials {
  server: string;
  ca: string;
  token: string;
}

/** The server URL, CA (PEM) and bearer token of a batchd kubeconfig. */
export function readKubeconfig(path: string): KubeCredentials {
  const doc = parseYaml(readFileSync(path, 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = doc.clusters[0]?.cluster;
  const user = doc.users[0]?.user;
  if (!cluster || !user) throw new Error(`${path} has no cluster or user`);
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: user.token,
  };
}

function requestHeaders(creds: KubeCredentials, opts: RequestOptions, body: Buffer | undefined) {
  const headers: Record<string, string | number> = { accept: opts.accept ?? 'application/json' };
  if (opts.token !== false) headers.authorization = `Bearer ${opts.token ?? creds.token}`;
  if (body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = body.length;
  }
  return headers;
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

/** One HTTPS request with the kubeconfig's CA and token; never throws on an HTTP error status. */
export function httpsCall<T = unknown>(
  base: string,
  creds: KubeCredentials,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<HttpResult<T>> {
  const body = encodeBody(opts.body);
  return new Promise((res, rej) => {
    const req = httpsRequest(
      new URL(path, base),
      { method, ca: creds.ca, headers: requestHeaders(creds, opts, body) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', rej);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          res({ code: response.statusCode ?? 0, headers: response.headers, text, body: parsed as T });
        });
      },
    );
    req.on('error', rej);
    req.end(body);
  });
}

/** Opens a watch request and parses its newline-delimited JSON events as they arrive. */
export function openWatch(base: string, creds: KubeCredentials, path: string): Promise<WatchStream> {
  return new Promise((res, rej) => {
    const req = httpsRequest(
      new URL(path, base),
      { method: 'GET', ca: creds.ca, headers: requestHeaders(creds, {}, undefined) },
      (response) => {
        const events: WatchEvent[] = [];
        let partial = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          partial += chunk;
          const lines = partial.split('\n');
          partial = lines.pop() ?? '';
          for (const l of lines) if (l.trim()) events.push(JSON.parse(l) as WatchEvent);
        });
        const done = new Promise<void>((resolveDone) => {
          response.on('end', () => resolveDone());
          response.on('close', () => resolveDone());
          response.on('error', () => resolveDone());
        });
        res({
          code: response.statusCode ?? 0,
          headers: response.headers,
          events,
          done,
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', rej);
    req.end();
  });
}

/**
 * Calls fn until it returns without throwing, and returns its value; rethrows fn's last error
 * after timeoutMs. This is how e2e tests wait for something to happen, instead of sleeping.
 */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

/** A minimal valid Job, named and labelled as asked. */
export function newJob(
  name: string,
  opts: { namespace?: string; labels?: Record<string, string>; command?: string[] } = {},
): KubeObjectLike & { spec: Record<string, unknown> } {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.labels ? { labels: opts.labels } : {}),
    },
    spec: {
      template: {
        spec: {
          containers: [{ name: 'main', image: 'busybox', command: opts.command ?? ['true'] }],
          restartPolicy: 'Never',
        },
      },
    },
  };
}

export function newNamespace(name: string): KubeObjectLike {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/**
 * The API server with only the controllers the API itself relies on (namespaces, garbage
 * collection): for tests of API semantics, whose objects no Job or CronJob controller may touch.
 */
export const API_ONLY = ['--controllers=*,-job,-cronjob,-ttl-after-finished,-node'];

/**
 * One batchd for a whole test file: started before its tests (with these namespaces created) and
 * stopped after them, with every process the file started. Use the result as a Server inside tests.
 */
export function serverForFile(opts: { namespaces?: string[]; args?: string[] } = {}): Server {
  let started: Server | undefined;
  beforeAll(async () => {
    started = await startServer(opts.args ? { args: opts.args } : {});
    for (const ns of opts.namespaces ?? []) await createNamespace(started, ns);
  });
  afterAll(async () => {
    await started?.stop();
    await killAll();
    removeTempDirs();
  });
  return new Proxy({} as Server, {
    get(_, key) {
      if (!started) throw new Error('the server starts in beforeAll: use it inside tests and hooks');
      const value = Reflect.get(started, key) as unknown;
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

/** Creates a namespace through the API. */
export async function createNamespace(server: Server, name: string): Promise<string> {
  const res = await server.request('POST', '/api/v1/namespaces', { body: newNamespace(name) });
  if (res.code !== 201) throw new Error(`creating namespace ${name}: ${res.code} ${res.text}`);
  return name;
}

/** A Job for the simulated runtime: its pods run `seconds` and exit with `exitCode`, printing `log`. */
export function simulatedJob(
  name: string,
  spec: string,
  pod: { seconds?: number; exitCode?: number | string; log?: string } = {},
) {
  const annotations: Record<string, string> = { 'sim.batchd.io/run-seconds': String(pod.seconds ?? 0.2) };
  if (pod.exitCode !== undefined) annotations['sim.batchd.io/exit-code'] = String(pod.exitCode);
  if (pod.log !== undefined) annotations['sim.batchd.io/log'] = pod.log;
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    metadata:
      annotations: ${JSON.stringify(annotations)}
    spec:
      containers:
      - name: main
        image: busybox
        command: ["work"]
      restartPolicy: Never
`;
}
