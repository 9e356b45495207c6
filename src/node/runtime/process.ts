/**
 * ProcessRuntime: containers as local processes, children of the launcher (launcher.ts). batchd
 * never sits on a container's output: the log file is the process's stdout and stderr. Exits of
 * containers started by this instance arrive on the launcher's event pipe; containers adopted
 * after a restart (or whose launcher died) are watched through their state directory (inotify)
 * with a slow poll as a safety net.
 */
import { existsSync, type FSWatcher, mkdirSync, readdirSync, watch } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import {
  type CgroupHost,
  type CgroupSupport,
  createContainerCgroup,
  currentHost,
  finishContainerCgroup,
  prepareCgroups,
} from './cgroup.js';
import { checkWorkingDir, DEFAULT_PATH, resolveExecutable } from './executable.js';
import { buildLauncher, Launcher, type LauncherEvent } from './launcher.js';
import { type LogFile, listLogs, logPath, logsRoot, podLabelsPath, pruneLogFiles } from './logFiles.js';
import { LogIndex } from './logIndex.js';
import { readLogFile } from './logs.js';
import { dateToNs } from './logTime.js';
import {
  containerDir,
  containersDir,
  exitedState,
  isRunning,
  type PersistedSpec,
  type PidRecord,
  readExit,
  readPid,
  readSpec,
  readStatus,
  writeExit,
  writeSpec,
  writeStatus,
} from './records.js';
import { detectSandbox, hostPathOf, type SandboxSupport, sandboxArgv } from './sandbox.js';
import { FALLBACK_LOG_BYTES, FALLBACK_LOG_LINES, terminationMessage } from './termination.js';
import type {
  ContainerRecord,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  LogOptions,
} from './types.js';

export interface ProcessRuntimeOptions {
  /** Run containers under bubblewrap when it is installed. */
  readonly sandbox?: boolean;
  /** false: leave cgroups alone (no limits); a CgroupHost: detect from it (tests). Default: this host. */
  readonly cgroups?: boolean | CgroupHost;
  /** How often adopted containers are checked besides the directory watch, in ms (default 2000). */
  readonly adoptPollMs?: number;
}

/** What this runtime enforces, for the Node object and `describe node`. */
export interface RuntimeCapabilities {
  readonly cgroups: CgroupSupport;
  readonly sandbox: SandboxSupport;
  /** One line per thing not enforced on this machine. */
  readonly notEnforced: readonly string[];
}

type Exited = Extract<ContainerState, { state: 'exited' }>;

interface Live {
  readonly spec: ContainerSpec;
  readonly dir: string;
  readonly logPath: string;
  readonly startedAt: Date;
  readonly index: LogIndex;
  readonly cgroup: string | undefined;
  readonly done: Promise<ContainerRecord>;
  readonly resolveDone: (r: ContainerRecord) => void;
  process: PidRecord | undefined;
  /** Resolves when the launcher reports the container started (or it ended first). */
  started?: () => void;
  finishing?: boolean;
  cancelKill?: () => void;
  killAt?: number;
  /** A signal asked for while the container was being spawned, delivered once it has a pid. */
  pendingSignal?: NodeJS.Signals;
  cancelPoll?: () => void;
  dirWatcher?: FSWatcher;
}

export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  private readonly live = new Map<string, Live>();
  private readonly exited = new Map<string, ContainerRecord>();
  private readonly listeners: Array<(r: ContainerRecord) => void> = [];
  private readonly launcher: Launcher;
  /** Live containers by state directory, as the launcher names them. */
  private readonly byDir = new Map<string, Live>();
  private readonly cgroupSupport: CgroupSupport;
  private readonly sandboxSupport: SandboxSupport;
  private readonly isRoot = process.getuid?.() === 0;
  private readonly log: Logger;
  private closed = false;

  constructor(
    private readonly stateDir: string,
    private readonly clock: Clock,
    logger: Logger,
    private readonly opts: ProcessRuntimeOptions = {},
  ) {
    this.log = logger.child({ component: 'runtime' });
    // Startup only: the directories, the launcher and the host's abilities, synchronously.
    mkdirSync(containersDir(stateDir), { recursive: true });
    mkdirSync(logsRoot(stateDir), { recursive: true });
    this.launcher = new Launcher(
      buildLauncher(join(stateDir, 'bin')),
      (e) => this.onLauncherEvent(e),
      (err) => this.onLauncherDeath(err),
    );
    const cg = opts.cgroups ?? true;
    this.cgroupSupport =
      cg === false
        ? { enabled: false, detail: 'cgroups disabled by configuration' }
        : prepareCgroups(cg === true ? currentHost() : cg);
    this.sandboxSupport = detectSandbox(opts.sandbox === true);
    this.log.info(
      { cgroups: this.cgroupSupport.detail, sandbox: this.sandboxSupport.detail },
      'process runtime ready',
    );
  }

  capabilities(): RuntimeCapabilities {
    const notEnforced: string[] = [];
    if (!this.cgroupSupport.enabled) notEnforced.push(`memory and CPU limits: ${this.cgroupSupport.detail}`);
    if (!this.sandboxSupport.enabled) {
      notEnforced.push(
        `isolation (PID/IPC/mount namespaces, volume mountPath, runAsUser): ${this.sandboxSupport.detail}`,
      );
    } else if (!this.isRoot) notEnforced.push('runAsUser/runAsGroup: batchd does not run as root');
    return { cgroups: this.cgroupSupport, sandbox: this.sandboxSupport, notEnforced };
  }

  onExit(listener: (record: ContainerRecord) => void): void {
    this.listeners.push(listener);
  }

  async start(spec: ContainerSpec): Promise<ContainerState> {
    const known = this.live.get(spec.id);
    if (known) return running(known);
    const done = this.exited.get(spec.id);
    if (done) return done.state;

    const dir = containerDir(this.stateDir, spec.id);
    const log = logPath(this.stateDir, spec);
    const startedAt = this.clock.now();
    const env = spec.env.PATH === undefined ? { ...spec.env, PATH: DEFAULT_PATH } : spec.env;
    const sandboxed = this.sandboxSupport.enabled;
    const hostWorkingDir = spec.workingDir
      ? sandboxed
        ? hostPathOf(spec, spec.workingDir)
        : spec.workingDir
      : '/';

    const cgroup =
      this.cgroupSupport.root && spec.limits
        ? await createContainerCgroup(
            this.cgroupSupport.root,
            dir.slice(dir.lastIndexOf('/') + 1),
            spec.limits,
          )
        : undefined;
    const persisted: PersistedSpec = {
      spec,
      startedAt: startedAt.toISOString(),
      logPath: log,
      ...(cgroup ? { cgroup } : {}),
    };

    // No workingDir: the container runs in /, which exists.
    const wd = spec.workingDir ? await checkWorkingDir(hostWorkingDir) : { ok: true as const, path: '/' };
    const exe = wd.ok
      ? await resolveExecutable(
          spec.argv.map((a, i) => (i === 0 && sandboxed ? hostPathOf(spec, a) : a)),
          env.PATH,
          hostWorkingDir,
        )
      : wd;
    const entry = this.track(spec, dir, log, startedAt, cgroup, LogIndex.empty(log));
    if (!exe.ok) {
      // The launcher never sees it: the records adopt() reads are written here.
      await mkdir(dir, { recursive: true });
      await writeSpec(dir, persisted);
      await writeExit(dir, exe.exitCode);
      await this.finish(entry, {
        code: exe.exitCode,
        finishedAt: this.clock.now(),
        reason: 'StartError',
        message: exe.message,
      });
      return (await entry.done).state;
    }

    const argv = sandboxed ? sandboxArgv(this.sandboxSupport, spec, this.isRoot) : [...spec.argv];
    const file = sandboxed ? argv[0] : exe.path;
    const started = new Promise<void>((resolve) => {
      entry.started = resolve;
    });
    this.launcher.launch({
      dir,
      cgroupProcs: cgroup && join(cgroup, 'cgroup.procs'),
      cwd: sandboxed ? '/' : hostWorkingDir,
      log,
      exe: file ?? '',
      env,
      argv,
      files: [
        { path: join(dir, 'spec.json'), content: JSON.stringify(persisted) },
        ...(spec.labels
          ? [
              {
                path: podLabelsPath(this.stateDir, spec),
                content: JSON.stringify(spec.labels),
                exclusive: true,
              },
            ]
          : []),
      ],
    });
    await started;
    // A container that ran reports running even if its exit is in already: onExit brings that.
    if (entry.process === undefined) return (await entry.done).state;
    if (entry.finishing) return running(entry);
    if (entry.pendingSignal) void this.signal(entry, entry.pendingSignal);
    entry.index.watch(this.clock);
    return running(entry);
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    const entry = this.live.get(id);
    if (!entry) return;
    const killAt = this.clock.now().getTime() + Math.max(0, graceSeconds) * 1000;
    if (entry.killAt === undefined) {
      await this.signal(entry, 'SIGTERM');
    }
    // A second stop may shorten the grace period, as a second delete does.
    if (entry.killAt === undefined || killAt < entry.killAt) {
      entry.killAt = killAt;
      entry.cancelKill?.();
      if (graceSeconds <= 0) await this.signal(entry, 'SIGKILL');
      else
        entry.cancelKill = this.clock.setTimer(graceSeconds * 1000, () => void this.signal(entry, 'SIGKILL'));
    }
    await entry.done;
  }

  async adopt(): Promise<ContainerRecord[]> {
    const names = await readdir(containersDir(this.stateDir)).catch(() => [] as string[]);
    const out: ContainerRecord[] = [];
    for (const name of names) {
      const dir = join(containersDir(this.stateDir), name);
      const persisted = await readSpec(dir);
      if (!persisted) continue;
      const { spec } = persisted;
      const known = this.live.get(spec.id);
      if (known) {
        out.push({ spec, state: running(known) });
        continue;
      }
      const seen = this.exited.get(spec.id);
      if (seen) {
        out.push(seen);
        continue;
      }
      const status = await readStatus(dir);
      if (status) {
        const record = { spec, state: status };
        this.exited.set(spec.id, record);
        this.emit(record);
        out.push(record);
        continue;
      }
      const entry = this.track(
        spec,
        dir,
        persisted.logPath,
        new Date(persisted.startedAt),
        persisted.cgroup,
        await LogIndex.load(persisted.logPath),
      );
      entry.process = await readPid(dir);
      const exit = await readExit(dir);
      if (exit) {
        await this.finish(entry, exit);
      } else if (entry.process && (await isRunning(entry.process))) {
        this.watchAdopted(entry);
        void entry.index.sync();
        out.push({ spec, state: running(entry) });
        continue;
      } else {
        await this.finishLost(entry);
      }
      out.push(await entry.done);
    }
    return out;
  }

  async remove(id: string): Promise<void> {
    if (this.live.has(id)) await this.stop(id, 0);
    const record = this.exited.get(id);
    this.exited.delete(id);
    const dir = containerDir(this.stateDir, record?.spec.id ?? id);
    await rm(dir, { recursive: true, force: true });
  }

  readLog(id: string, opts: LogOptions, signal?: AbortSignal): AsyncIterable<Buffer> | undefined {
    const now = () => dateToNs(this.clock.now());
    const entry = this.live.get(id);
    if (entry)
      return readLogFile({ path: entry.logPath, index: entry.index, exited: entry.done, now }, opts, signal);
    const spec = this.exited.get(id)?.spec;
    const path = spec ? logPath(this.stateDir, spec) : this.findLog(id);
    if (!path || !existsSync(path)) return undefined;
    return (async function* () {
      yield* readLogFile({ path, index: await LogIndex.load(path), now }, opts, signal);
    })();
  }

  async pruneLogs(opts: { before?: Date; maxBytes?: number }): Promise<void> {
    const inUse = new Set([...this.live.values()].map((e) => e.logPath));
    const removed = await pruneLogFiles(this.stateDir, opts, inUse);
    if (removed.length) this.log.info({ removed: removed.length }, 'pruned container logs');
  }

  /** Every log file kept under the state dir (for `batchd logs` by pod or job name). */
  listLogs(): Promise<LogFile[]> {
    return listLogs(this.stateDir);
  }

  async close(): Promise<void> {
    this.closed = true;
    const closing: Promise<void>[] = [];
    for (const entry of this.live.values()) {
      // Containers outlive batchd: stop watching, keep them running.
      entry.cancelKill?.();
      entry.cancelPoll?.();
      entry.dirWatcher?.close();
      closing.push(entry.index.close());
    }
    this.launcher.close();
    await Promise.all(closing);
  }

  private onLauncherEvent(e: LauncherEvent): void {
    const entry = this.byDir.get(e.dir);
    if (!entry || this.closed) return;
    if (e.kind === 'started') {
      entry.process = e.process;
      entry.started?.();
    } else if (e.kind === 'failed') {
      void writeExit(entry.dir, 128)
        .catch(() => {})
        .then(() =>
          this.finish(entry, {
            code: 128,
            finishedAt: this.clock.now(),
            reason: 'StartError',
            message: e.message,
          }),
        );
    } else void this.finish(entry, { code: e.code, finishedAt: this.clock.now() });
  }

  /**
   * Containers the launcher had not started yet never will: they end as start errors. Those
   * running go on without it; they are watched as adopted ones, and end as lost (no exit code).
   */
  private onLauncherDeath(err: Error): void {
    if (this.closed) return;
    this.log.warn({ err }, 'container launcher exited');
    for (const entry of this.byDir.values()) {
      if (entry.finishing) continue;
      if (entry.process) {
        this.watchAdopted(entry);
        continue;
      }
      void this.finish(entry, {
        code: 128,
        finishedAt: this.clock.now(),
        reason: 'StartError',
        message: err.message,
      });
    }
  }

  private track(
    spec: ContainerSpec,
    dir: string,
    log: string,
    startedAt: Date,
    cgroup: string | undefined,
    index: LogIndex,
  ): Live {
    let resolveDone!: (r: ContainerRecord) => void;
    const done = new Promise<ContainerRecord>((r) => {
      resolveDone = r;
    });
    const entry: Live = {
      spec,
      dir,
      logPath: log,
      startedAt,
      index,
      cgroup,
      done,
      resolveDone,
      process: undefined,
    };
    this.live.set(spec.id, entry);
    this.byDir.set(dir, entry);
    return entry;
  }

  /** An adopted container gone without an exit record: its launcher was killed, or it never started. */
  private async finishLost(entry: Live): Promise<void> {
    if (entry.process === undefined) {
      await this.finish(entry, {
        code: 128,
        finishedAt: this.clock.now(),
        reason: 'StartError',
        message: 'batchd stopped before the container started',
      });
      return;
    }
    await writeExit(entry.dir, 137).catch(() => {});
    await this.finish(entry, {
      code: 137,
      finishedAt: this.clock.now(),
      message: 'the container ended while its launcher was not running: its exit code is unknown',
    });
  }

  private async finish(
    entry: Live,
    e: { code: number; finishedAt: Date; reason?: string; message?: string },
  ): Promise<void> {
    if (entry.finishing) return;
    entry.finishing = true;
    entry.cancelKill?.();
    entry.cancelPoll?.();
    entry.dirWatcher?.close();
    await entry.index.close();
    const oomKilled = entry.cgroup ? (await finishContainerCgroup(entry.cgroup)).oomKilled : false;
    const base = exitedState({
      exitCode: e.code,
      oomKilled: oomKilled && e.code === 137,
      ...(e.reason ? { reason: e.reason } : {}),
      startedAt: entry.startedAt,
      finishedAt: e.finishedAt,
    });
    const tail = async () => {
      const chunks: Buffer[] = [];
      const src = { path: entry.logPath, index: entry.index, now: () => dateToNs(this.clock.now()) };
      for await (const c of readLogFile(src, {
        tailLines: FALLBACK_LOG_LINES,
        limitBytes: FALLBACK_LOG_BYTES,
      }))
        chunks.push(c);
      return Buffer.concat(chunks).toString('utf8');
    };
    const text = await terminationMessage(entry.spec, base, tail).catch((err: Error) => err.message);
    const message = [e.message, text].filter(Boolean).join(': ');
    const state: Exited = { ...base, ...(message ? { message } : {}) };
    await writeStatus(entry.dir, state).catch((err) =>
      this.log.warn({ err, id: entry.spec.id }, 'cannot persist exit'),
    );
    const record = { spec: entry.spec, state };
    this.live.delete(entry.spec.id);
    this.byDir.delete(entry.dir);
    this.exited.set(entry.spec.id, record);
    entry.started?.();
    entry.resolveDone(record);
    this.emit(record);
  }

  private emit(record: ContainerRecord): void {
    for (const l of this.listeners) {
      try {
        l(record);
      } catch (err) {
        this.log.error({ err, id: record.spec.id }, 'onExit listener failed');
      }
    }
  }

  /** Signals the container's process group, which its main process leads. */
  private async signal(entry: Live, sig: NodeJS.Signals): Promise<void> {
    if (entry.finishing) return;
    if (entry.process === undefined) {
      entry.pendingSignal = sig;
      return;
    }
    kill(-entry.process.pid, sig);
  }

  private watchAdopted(entry: Live): void {
    const check = async () => {
      if (entry.finishing || this.closed) return;
      const exit = await readExit(entry.dir);
      if (exit) return this.finish(entry, exit);
      if (entry.process === undefined || !(await isRunning(entry.process))) {
        // The launcher writes the exit record before reaping: read it once more after the check.
        const late = await readExit(entry.dir);
        return late ? this.finish(entry, late) : this.finishLost(entry);
      }
    };
    try {
      entry.dirWatcher = watch(entry.dir, { persistent: false }, (_event, file) => {
        if (file === 'exit') void check();
      });
    } catch {
      // No inotify: the poll below still finds the exit.
    }
    const every = this.opts.adoptPollMs ?? 2000;
    const tick = () => {
      entry.cancelPoll = this.clock.setTimer(every, () => {
        void check().then(() => {
          if (!entry.finishing && !this.closed) tick();
        });
      });
    };
    tick();
    entry.index.watch(this.clock);
    void check();
  }

  /** The log of an attempt this instance has no record of, found by pod uid in the logs dir. */
  private findLog(id: string): string | undefined {
    const [podUid, containerName, attempt] = id.split('/');
    if (!podUid || !containerName || attempt === undefined) return undefined;
    const podDir = readdirSync(logsRoot(this.stateDir)).find((d) => d.endsWith(`_${podUid}`));
    return podDir ? join(logsRoot(this.stateDir), podDir, containerName, `${attempt}.log`) : undefined;
  }
}

const running = (e: Live): ContainerState => ({
  state: 'running',
  startedAt: e.startedAt,
  ...(e.process ? { pid: e.process.pid } : {}),
});

/** process.kill that reports whether the target existed. */
function kill(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}
