/**
 * The container runtime contract between the node agent (pod lifecycle, status, API) and a
 * runtime that runs containers: local processes started by a launcher, or the simulated runtime. The
 * agent decides what runs and when; the runtime starts, watches, stops and remembers containers,
 * and owns their log files. A runtime survives batchd restarts: what it started before is listed
 * again by `adopt()`.
 */

/** One run of one container: a restart is a new attempt with its own id and log file. */
export interface ContainerSpec {
  /** Unique and stable: `<podUid>/<containerName>/<attempt>`; safe as a directory name once `/` is mapped. */
  readonly id: string;
  readonly podUid: string;
  readonly namespace: string;
  readonly podName: string;
  readonly containerName: string;
  /** 0 for the first run, restartCount after restarts. */
  readonly attempt: number;
  /** The pod's labels, kept beside its logs so `batchd logs job/NAME` finds a deleted Job's pods. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The image, recorded only (nothing is pulled). */
  readonly image: string;
  /** command + args with `$(VAR)` already expanded. Empty: the container cannot start (StartError). */
  readonly argv: readonly string[];
  /** The container's whole environment (the runtime adds nothing but what it documents). */
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  /** Host directories to expose (emptyDir volumes): at mountPath in the sandbox, else via env. */
  readonly mounts?: ReadonlyArray<{
    readonly hostPath: string;
    readonly containerPath: string;
    readonly readOnly?: boolean;
  }>;
  /** Enforced when the runtime can (cgroup v2); reported as not enforced otherwise. */
  readonly limits?: { readonly cpuMillis?: number; readonly memoryBytes?: number };
  /** Where the container writes its termination message (read after exit). */
  readonly terminationMessagePath?: string;
  readonly terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
}

export type ContainerState =
  | { readonly state: 'running'; readonly startedAt: Date; readonly pid?: number }
  | {
      readonly state: 'exited';
      readonly exitCode: number;
      /** The signal that ended it, when one did (`SIGTERM`, `SIGKILL`). */
      readonly signal?: string;
      /** Completed (0), Error, OOMKilled, StartError (127/126: no command, missing executable), ... */
      readonly reason: string;
      readonly message?: string;
      readonly startedAt?: Date;
      readonly finishedAt: Date;
    };

export interface ContainerRecord {
  readonly spec: ContainerSpec;
  readonly state: ContainerState;
}

/** Options of `GET pods/{name}/log`, as upstream's PodLogOptions. */
export interface LogOptions {
  readonly follow?: boolean;
  readonly tailLines?: number;
  readonly sinceTime?: Date;
  readonly timestamps?: boolean;
  readonly limitBytes?: number;
}

export interface ContainerRuntime {
  /** A short name for `describe node` / logs: `process`, `simulated`. */
  readonly name: string;
  /** Starts one container; resolves once it runs (state running) or failed to start (state exited). */
  start(spec: ContainerSpec): Promise<ContainerState>;
  /** Called once per container when it exits (also for containers found exited by adopt()). */
  onExit(listener: (record: ContainerRecord) => void): void;
  /** SIGTERM to the container's process group, SIGKILL after graceSeconds; resolves when it is gone. */
  stop(id: string, graceSeconds: number): Promise<void>;
  /** After a restart: every container this runtime knows of (running ones are watched again). */
  adopt(): Promise<ContainerRecord[]>;
  /** Forgets a container's record (its logs stay until pruneLogs). */
  remove(id: string): Promise<void>;
  /** The log of one container attempt; follow streams until it exits. Undefined: no log exists. */
  readLog(id: string, opts: LogOptions, signal?: AbortSignal): AsyncIterable<Buffer> | undefined;
  /** Deletes logs of attempts finished before `before`, then the oldest until under maxBytes. */
  pruneLogs(opts: { before?: Date; maxBytes?: number }): Promise<void>;
  close(): Promise<void>;
}
