/**
 * The container runtime of a one-shot `batchd run`: the runtime the flags chose, which also follows
 * the log of every container attempt the moment it starts (so no pod is missed, however short) and,
 * unlike `batchd serve`'s, does not leave containers running when batchd exits.
 */
import type {
  ContainerRecord,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  LogOptions,
} from '../node/runtime/types.js';

/** Where followed logs go: chunks of one attempt in order, then its end. */
export interface LogFollower {
  chunk(spec: ContainerSpec, chunk: Buffer): Promise<void>;
  end(spec: ContainerSpec): Promise<void>;
}

export interface OneShotRuntimeOptions {
  readonly logs: LogFollower;
  /** SIGTERM, then SIGKILL after this many seconds, for containers still running at exit. */
  readonly stopGraceSeconds: number;
  /** How long close waits for followers to print what exited containers wrote. */
  readonly drainMs: number;
}

/** How long followers get to notice the abort at exit. */
const ABORT_WAIT_MS = 1000;

/** Waits for p, or ms, whichever comes first. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([p, late]);
  clearTimeout(timer);
}

export class OneShotRuntime implements ContainerRuntime {
  private readonly running = new Set<string>();
  private readonly followers = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly inner: ContainerRuntime,
    private readonly opts: OneShotRuntimeOptions,
  ) {
    inner.onExit((r) => this.running.delete(r.spec.id));
  }

  get name(): string {
    return this.inner.name;
  }

  async start(spec: ContainerSpec): Promise<ContainerState> {
    const state = await this.inner.start(spec);
    if (state.state === 'running') this.running.add(spec.id);
    this.follow(spec);
    return state;
  }

  onExit(listener: (record: ContainerRecord) => void): void {
    this.inner.onExit(listener);
  }

  stop(id: string, graceSeconds: number): Promise<void> {
    return this.inner.stop(id, graceSeconds);
  }

  adopt(): Promise<ContainerRecord[]> {
    return this.inner.adopt();
  }

  remove(id: string): Promise<void> {
    return this.inner.remove(id);
  }

  readLog(id: string, opts: LogOptions, signal?: AbortSignal): AsyncIterable<Buffer> | undefined {
    return this.inner.readLog(id, opts, signal);
  }

  pruneLogs(opts: { before?: Date; maxBytes?: number }): Promise<void> {
    return this.inner.pruneLogs(opts);
  }

  /** Stops what still runs, lets the followers print the rest, then closes the runtime. */
  async close(): Promise<void> {
    const grace = this.opts.stopGraceSeconds;
    await Promise.all([...this.running].map((id) => this.inner.stop(id, grace).catch(() => {})));
    const drained = Promise.all([...this.followers]);
    await within(drained, this.opts.drainMs);
    // A follower stuck on a full stdout (nobody reading) must not hold the exit forever.
    this.abort.abort();
    await within(drained, ABORT_WAIT_MS);
    await this.inner.close();
  }

  /** Reads the attempt's log until it exits (or batchd does), handing each chunk on in order. */
  private follow(spec: ContainerSpec): void {
    const stream = this.inner.readLog(spec.id, { follow: true }, this.abort.signal);
    if (!stream) return;
    const logs = this.opts.logs;
    const done = (async () => {
      try {
        for await (const chunk of stream) await logs.chunk(spec, chunk);
      } catch {
        // A log that cannot be read any more (batchd stopping) ends the stream early.
      }
      await logs.end(spec);
    })();
    this.followers.add(done);
    void done.finally(() => this.followers.delete(done));
  }
}
