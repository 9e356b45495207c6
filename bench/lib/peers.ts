/**
 * Shared plumbing for the peer benchmarks (bench/etcd.ts, bench/slurm.ts): finding an installed
 * peer, free loopback ports, bounded waits, and stopping daemons that detach from us and can only
 * be reached through the pid files they write.
 */
import { accessSync, constants, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A peer benchmark that did not run, and why (shown as is in the report). */
export interface Skipped {
  ran: false;
  reason: string;
}

/** Where system daemons live on Debian even when root's PATH in some shells leaves them out. */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The absolute path of `name` on PATH (then the system dirs), or undefined.
 * @example
 * findExecutable('etcd'); // '/usr/bin/etcd' when etcd-server is installed
 */
export function findExecutable(
  name: string,
  path = process.env.PATH ?? '',
  executable: (file: string) => boolean = isExecutable,
): string | undefined {
  const dirs = [...path.split(delimiter).filter((d) => d !== ''), ...SYSTEM_DIRS];
  for (const dir of new Set(dirs)) {
    const file = join(dir, name);
    if (executable(file)) return file;
  }
  return undefined;
}

/**
 * Resolves every name, or says which are missing: `{ found }` or `{ missing }`.
 * @example
 * findAll(['munged', 'slurmctld']); // { found: { munged: '/usr/sbin/munged', ... } }
 */
export function findAll(
  names: readonly string[],
  find: (name: string) => string | undefined = (n) => findExecutable(n),
): { found: Record<string, string> } | { missing: string[] } {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const file = find(name);
    if (file === undefined) missing.push(name);
    else found[name] = file;
  }
  return missing.length > 0 ? { missing } : { found };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Thrown by `waitFor` when its condition stays false until the deadline. */
export class WaitTimeout extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${what}: not after ${Math.round(timeoutMs / 1000)} s`, options);
    this.name = 'WaitTimeout';
  }
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined; a throw inside
 * `check` counts as "not yet" (kept as the cause if the wait times out).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  opts: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (performance.now() >= deadline) throw new WaitTimeout(what, opts.timeoutMs, { cause: last });
    await sleep(opts.intervalMs ?? 100);
  }
}

/** The pid a daemon wrote, or undefined when the file is missing or holds no number. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The command name of a live process, or undefined once it is gone. A zombie counts as gone only
 * when it has no threads left: a daemon whose main thread returned first shows as a zombie while
 * its other threads are still shutting down.
 */
export function processName(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if ((state === 'Z' || state === 'X') && readdirSync(`/proc/${pid}/task`).length <= 1) return undefined;
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

const signal = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: it exited between the check and the signal.
  }
};

/**
 * Stops one daemon by pid: SIGTERM, then SIGKILL after `graceMs`. `expect` is the command name
 * the pid must still have, so a stale pid file never lets us signal a stranger that reused it.
 */
export async function stopPid(pid: number, expect: string, graceMs = 5000): Promise<void> {
  if (processName(pid) !== expect) return;
  signal(pid, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  while (processName(pid) === expect) {
    if (performance.now() >= deadline) {
      signal(pid, 'SIGKILL');
      // SIGKILL cannot be ignored; this only waits for the kernel to finish the job.
      for (let i = 0; i < 40 && processName(pid) === expect; i++) await sleep(50);
      return;
    }
    await sleep(50);
  }
}

/** Synchronous last resort for process exit: SIGKILL if the pid still runs `expect`. */
export function killPidNow(pid: number, expect: string): void {
  if (processName(pid) === expect) signal(pid, 'SIGKILL');
}

/** The network namespace a process lives in (`net:[4026531840]`), or undefined once it is gone. */
export function netNamespace(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/** Every live process in network namespace `ns` (from /proc), with its command name. */
export function processesInNamespace(
  ns: string,
  list: () => string[] = () => readdirSync('/proc').filter((e) => /^\d+$/.test(e)),
): Array<{ pid: number; name: string }> {
  const out: Array<{ pid: number; name: string }> = [];
  for (const entry of list()) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    if (netNamespace(pid) !== ns) continue;
    const name = processName(pid);
    if (name !== undefined) out.push({ pid, name });
  }
  return out;
}

/**
 * SIGKILLs whatever is left in network namespace `ns` (except `spare`), round after round until a
 * round finds nothing: a daemon signalled a moment ago may still have forked a child. Returns how
 * many processes it killed.
 */
export async function sweepNamespace(ns: string, spare?: number, rounds = 20): Promise<number> {
  let killed = 0;
  for (let r = 0; r < rounds; r++) {
    const left = processesInNamespace(ns).filter((p) => p.pid !== spare);
    if (left.length === 0) break;
    for (const p of left) killPidNow(p.pid, p.name);
    killed += left.length;
    await sleep(100);
  }
  return killed;
}

/** `sweepNamespace` for process exit, where nothing asynchronous runs any more. */
export function sweepNamespaceNow(ns: string, spare?: number, rounds = 5): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let r = 0; r < rounds; r++) {
    const left = processesInNamespace(ns).filter((p) => p.pid !== spare);
    if (left.length === 0) return;
    for (const p of left) killPidNow(p.pid, p.name);
    Atomics.wait(pause, 0, 0, 50);
  }
}

/** The median of `xs` (the middle run of three); NaN when empty. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}
