/**
 * The launcher: one long-lived native process (native/launcher.c) that is the parent of every
 * container, so batchd's own large process never forks per container. It makes the container's
 * directories and writes its files (spec.json), vforks it into its own process group with stdout
 * and stderr appended to its log, records `<dir>/pid` and,
 * when the container ends, `<dir>/exit`, and reports both on its stdout. It outlives batchd: a
 * batchd killed with `-9` leaves it recording the exits that adopt() later reads.
 *
 * The launcher is compiled from its C source with the machine's C compiler on first use and kept
 * under `build/` (or the state directory when the package is read-only), named by a hash of the
 * source, so an edited source is rebuilt and concurrent builders never see a half-written binary.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { PidRecord } from './records.js';

/** The source, found from src/ (tsx) and from dist/ (the built package) alike. */
const SOURCE = fileURLToPath(new URL('../../../native/launcher.c', import.meta.url));
const PACKAGE_BUILD_DIR = fileURLToPath(new URL('../../../build/', import.meta.url));

export interface LaunchRequest {
  readonly dir: string;
  readonly cgroupProcs: string | undefined;
  readonly cwd: string;
  readonly log: string;
  /** The file to execute, already resolved against the container's PATH. */
  readonly exe: string;
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
  /** Written (their directories made) before the fork; `exclusive` keeps a file that exists. */
  readonly files?: readonly LaunchFile[];
}

export interface LaunchFile {
  readonly path: string;
  readonly content: string;
  readonly exclusive?: boolean;
}

export type LauncherEvent =
  | { readonly kind: 'started'; readonly dir: string; readonly process: PidRecord }
  | { readonly kind: 'failed'; readonly dir: string; readonly message: string }
  | { readonly kind: 'exited'; readonly dir: string; readonly code: number };

/** One request on the launcher's stdin: NUL-terminated fields, the counts before the lists. */
export function encodeRequest(seq: number, r: LaunchRequest): Buffer {
  const env = Object.entries(r.env).map(([k, v]) => `${k}=${v}`);
  const fields = [
    String(seq),
    r.dir,
    r.cgroupProcs ?? '',
    r.cwd,
    r.log,
    r.exe,
    String(env.length),
    String(r.argv.length),
    String(r.files?.length ?? 0),
    ...env,
    ...r.argv,
    ...(r.files ?? []).flatMap((f) => [f.path, f.exclusive ? 'x' : 'w', f.content]),
  ];
  // A NUL inside a field would shift every later one: exec could not pass it anyway.
  return Buffer.from(`${fields.map((f) => f.replaceAll('\0', '')).join('\0')}\0`);
}

/** A line of the launcher's stdout: the request's sequence number and what became of it. */
export type RawEvent =
  | { readonly kind: 'started'; readonly seq: number; readonly process: PidRecord }
  | { readonly kind: 'failed'; readonly seq: number; readonly message: string }
  | { readonly kind: 'exited'; readonly seq: number; readonly code: number };

export function parseEvent(line: string): RawEvent | undefined {
  const m = /^([SFE]) (\d+) (.*)$/.exec(line);
  if (!m) return undefined;
  const seq = Number(m[2]);
  const rest = m[3] ?? '';
  if (m[1] === 'F') return { kind: 'failed', seq, message: rest };
  if (m[1] === 'E') return /^\d+$/.test(rest) ? { kind: 'exited', seq, code: Number(rest) } : undefined;
  const started = /^(\d+) (\d+)$/.exec(rest);
  return started
    ? { kind: 'started', seq, process: { pid: Number(started[1]), startTime: Number(started[2]) } }
    : undefined;
}

/** Compiles the launcher unless a binary of this source exists; returns its path. */
export function buildLauncher(fallbackDir: string): string {
  const source = readFileSync(SOURCE);
  const name = `batchd-launcher-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
  for (const dir of [PACKAGE_BUILD_DIR, fallbackDir]) {
    const out = join(dir, name);
    if (existsSync(out)) return out;
  }
  const cc = process.env.CC || 'cc';
  let lastError: unknown;
  for (const dir of [PACKAGE_BUILD_DIR, fallbackDir]) {
    const out = join(dir, name);
    const tmp = `${out}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      execFileSync(cc, ['-O2', '-o', tmp, SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
      renameSync(tmp, out);
      return out;
    } catch (err) {
      rmSync(tmp, { force: true });
      lastError = err;
    }
  }
  const detail = (lastError as { stderr?: Buffer }).stderr?.toString().trim() || (lastError as Error).message;
  throw new Error(
    `cannot build the container launcher with ${cc} (the process runtime needs a C compiler, e.g. apt-get install gcc): ${detail}`,
  );
}

/** The running launcher; started on first use and again if it ever dies. */
export class Launcher {
  private child: ChildProcess | undefined;
  private seq = 0;
  /** Requests not yet exited, by sequence number: their state directories. */
  private readonly dirs = new Map<number, string>();

  constructor(
    private readonly binary: string,
    private readonly onEvent: (e: LauncherEvent) => void,
    /** The launcher exited: its containers' exits will not be reported on the pipe. */
    private readonly onDeath: (err: Error) => void,
  ) {}

  launch(r: LaunchRequest): void {
    const child = this.child ?? this.spawn();
    const seq = ++this.seq;
    this.dirs.set(seq, r.dir);
    (child.stdio[0] as Writable).write(encodeRequest(seq, r));
  }

  private spawn(): ChildProcess {
    const child = spawn(this.binary, [], {
      // No environment of batchd's leaks into containers: each gets exactly its own.
      env: {},
      cwd: '/',
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    this.child = child;
    createInterface({ input: child.stdio[1] as Readable }).on('line', (line) => {
      const e = parseEvent(line);
      const dir = e && this.dirs.get(e.seq);
      if (!e || dir === undefined) return;
      if (e.kind !== 'started') this.dirs.delete(e.seq);
      if (e.kind === 'started') this.onEvent({ kind: 'started', dir, process: e.process });
      else if (e.kind === 'failed') this.onEvent({ kind: 'failed', dir, message: e.message });
      else this.onEvent({ kind: 'exited', dir, code: e.code });
    });
    (child.stdio[0] as Writable).on('error', () => {});
    const died = (err: Error) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.dirs.clear();
      this.onDeath(err);
    };
    child.once('exit', (code, signal) =>
      died(new Error(`the container launcher exited (${signal ?? code})`)),
    );
    child.once('error', died);
    return child;
  }

  /** Closes the launcher's input: it leaves once its last container has ended. */
  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    (child.stdio[0] as Writable).end();
    (child.stdio[1] as Readable).destroy();
    child.unref();
  }
}
