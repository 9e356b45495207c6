/**
 * Starting and stopping the processes a benchmark needs. Each child runs in its own process group
 * (detached) and is stopped by group id, on success, on failure and on Ctrl-C, so no server or
 * client outlives the run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BENCH_DIR = join(ROOT, 'bench');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone: the group has no members left.
  }
}

// Last resort if the benchmark dies without reaching its own cleanup: SIGKILL synchronously.
process.on('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping children`);
    process.exit(code);
  });
}

/** A temp dir removed by `cleanupAll` (or at exit). */
export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `batchd-bench-${tag}-`));
  tempDirs.add(dir);
  return dir;
}

/** Stops a child's process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  // Anything the child left behind in its group (ESRCH, ignored, when there is nothing).
  killGroup(child, 'SIGKILL');
  children.delete(child);
}

/** Stops every child still running and removes the temp dirs. */
export async function cleanupAll(): Promise<void> {
  await Promise.all([...children].map((c) => stop(c)));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/**
 * Spawns a server and resolves once a stdout line matches `ready` (with the match), rejecting if
 * it exits or stays silent for `timeoutMs`. stderr is kept for the error message.
 */
export function startServer(
  name: string,
  command: string,
  args: string[],
  ready: RegExp,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  return new Promise((resolvePromise, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop(child);
      reject(new Error(`${name}: ${why}\nstdout: ${out.slice(-2000)}\nstderr: ${err.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail('not ready in time'), opts.timeoutMs ?? 30_000);
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      if (err.length < 100_000) err += s;
    });
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      if (out.length < 100_000) out += s;
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout?.removeAllListeners('data').resume();
        resolvePromise({ child, match });
      }
    });
    child.once('exit', (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
    child.once('error', (e) => fail(e.message));
  });
}

/** Puts a child started elsewhere under the same clean-up (it must be `detached`). */
export function register(child: ChildProcess): void {
  children.add(child);
}
