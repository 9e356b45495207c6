/**
 * The launcher: one long-lived bash process that forks the containers' shims, so batchd's own
 * (large) process never forks per container. A fork of Node blocks its event loop for
 * milliseconds (the page tables of the whole heap are copied); bash forks in a fraction of that,
 * and the API server stays responsive while a Job of 1,000 pods starts.
 *
 * batchd writes one line per container on the launcher's stdin (`run <dir> <cgroup.procs>
 * <cwd> <log> <n> <n env entries> <argv...>`, every word $'…'-quoted, so one line each). The
 * launcher runs `set -m`: each shim is a background subshell in a process group of its own (and,
 * unlike a background job without job control, with SIGINT and SIGQUIT not ignored). The shim
 * catches SIGTERM with a no-op trap (exec resets a caught signal, an ignored one would be
 * inherited), records its pid, runs the command in the foreground with stdout and stderr
 * appended to the log, writes the exit code to `<dir>/exit` (its mtime is the finish time) and
 * tells batchd on fd 3: `S <pid> <dir>` when started, `E <code> <dir>` when done. The shims
 * outlive the launcher and batchd; a shim whose batchd is gone dies on the closed pipe after
 * having written its exit file, which adopt() reads.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export const LAUNCHER_SCRIPT = `# batchd launcher (generated; see src/node/runtime/launcher.ts)
set -m
export -n PWD OLDPWD SHLVL
run() {
  local d=$1 cg=$2 cwd=$3 log=$4 n=$5
  shift 5
  (
    trap : TERM
    exec 0</dev/null
    : >>"$log"
    echo "$BASHPID" >"$d/pid"
    [ -z "$cg" ] || echo "$BASHPID" >"$cg" || echo "batchd: could not join cgroup $cg: limits not enforced" >>"$log"
    echo "S $BASHPID $d" >&3
    while [ "$n" -gt 0 ]; do export "$1"; shift; n=$((n - 1)); done
    cd "$cwd" && "$@" >>"$log" 2>&1 3>&-
    rc=$?
    echo "$rc" >"$d/exit"
    echo "E $rc $d" >&3
  ) &
}
while IFS= read -r line; do eval "$line"; done
`;

export interface LaunchRequest {
  readonly dir: string;
  readonly cgroupProcs: string | undefined;
  readonly cwd: string;
  readonly log: string;
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
}

export type LauncherEvent =
  | { readonly kind: 'started'; readonly dir: string; readonly pid: number }
  | { readonly kind: 'exited'; readonly dir: string; readonly code: number };

/** A word for bash's `$'…'` quoting: backslash, quote and control characters escaped, one line. */
export function ansiQuote(s: string): string {
  let body = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (c === '\\' || c === "'") body += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, '0')}`;
    else body += c;
  }
  return `$'${body}'`;
}

/** The request line for one container. */
export function launchLine(r: LaunchRequest): string {
  const env = Object.entries(r.env).map(([k, v]) => `${k}=${v}`);
  const words = [r.dir, r.cgroupProcs ?? '', r.cwd, r.log, String(env.length), ...env, ...r.argv];
  return `run ${words.map(ansiQuote).join(' ')}\n`;
}

/** Parses a line of fd 3. */
export function parseEvent(line: string): LauncherEvent | undefined {
  const m = /^([SE]) (\d+) (.+)$/.exec(line);
  if (!m?.[3]) return undefined;
  return m[1] === 'S'
    ? { kind: 'started', dir: m[3], pid: Number(m[2]) }
    : { kind: 'exited', dir: m[3], code: Number(m[2]) };
}

export function installLauncher(stateDir: string): string {
  const path = join(stateDir, 'launcher.sh');
  if (!existsSync(path) || readFileSync(path, 'utf8') !== LAUNCHER_SCRIPT)
    writeFileSync(path, LAUNCHER_SCRIPT);
  return path;
}

/** The running launcher; started on first use and again if it ever dies. */
export class Launcher {
  private child: ChildProcess | undefined;

  constructor(
    private readonly scriptPath: string,
    private readonly onEvent: (e: LauncherEvent) => void,
    /** The launcher exited (requests not yet answered with `S` will never be). */
    private readonly onDeath: (err: Error) => void,
  ) {}

  launch(r: LaunchRequest): void {
    const child = this.child ?? this.spawn();
    (child.stdio[0] as Writable).write(launchLine(r));
  }

  private spawn(): ChildProcess {
    const child = spawn('/bin/bash', [this.scriptPath], {
      // No environment of batchd's leaks into containers: each gets exactly its own.
      env: {},
      cwd: '/',
      stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
      detached: true,
    });
    this.child = child;
    const events = createInterface({ input: child.stdio[3] as Readable });
    events.on('line', (line) => {
      const e = parseEvent(line);
      if (e) this.onEvent(e);
    });
    (child.stdio[0] as Writable).on('error', () => {});
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.onDeath(new Error(`the container launcher exited (${signal ?? code})`));
    });
    child.once('error', (err) => {
      if (this.child === child) this.child = undefined;
      this.onDeath(err);
    });
    return child;
  }

  /** Ends the launcher (its shims keep running) and stops listening. */
  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    (child.stdio[0] as Writable).end();
    (child.stdio[3] as Readable).destroy();
  }
}
