/**
 * `--runtime simulated`: a ContainerRuntime that runs nothing. Containers go through the same
 * states as real ones on timings read from pod annotations (see plan.ts), so the agent, the Job
 * controller and kubectl can be exercised with tens of thousands of pods. Logs are kept in
 * memory; nothing survives a batchd restart (`adopt()` finds nothing).
 */
import type { Clock } from '../../util/clock.js';
import type {
  ContainerRecord,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  LogOptions,
} from '../runtime/types.js';
import { type LogLine, limit, render, selectLines } from './logText.js';
import { simPlan } from './plan.js';

interface Sim {
  spec: ContainerSpec;
  state: ContainerState;
  log: LogLine[];
  cancel: () => void;
  /** Wakes followers of this container's log. */
  waiters: Array<() => void>;
  stopping?: Promise<void>;
}

/** Looks up the annotations of the pod a container belongs to. */
export type AnnotationsOf = (spec: ContainerSpec) => Readonly<Record<string, string>> | undefined;

export class SimulatedRuntime implements ContainerRuntime {
  readonly name = 'simulated';
  private readonly sims = new Map<string, Sim>();
  private readonly listeners: Array<(r: ContainerRecord) => void> = [];

  constructor(
    private readonly clock: Clock,
    private readonly annotationsOf: AnnotationsOf = () => undefined,
  ) {}

  async start(spec: ContainerSpec): Promise<ContainerState> {
    const existing = this.sims.get(spec.id);
    if (existing) return existing.state;
    const plan = simPlan(this.annotationsOf(spec), spec.containerName, spec.attempt);
    const startedAt = this.clock.now();
    const sim: Sim = {
      spec,
      state: { state: 'running', startedAt },
      log: plan.log.map((text) => ({ time: startedAt, text })),
      cancel: () => {},
      waiters: [],
    };
    this.sims.set(spec.id, sim);
    sim.cancel = this.clock.setTimer(plan.runMs, () =>
      this.exit(sim, plan.exitCode, plan.exitCode === 0 ? 'Completed' : 'Error'),
    );
    return sim.state;
  }

  private exit(sim: Sim, exitCode: number, reason: string, signal?: string): void {
    if (sim.state.state !== 'running') return;
    const startedAt = sim.state.startedAt;
    sim.cancel();
    sim.state = {
      state: 'exited',
      exitCode,
      reason,
      startedAt,
      finishedAt: this.clock.now(),
      ...(signal ? { signal } : {}),
    };
    for (const w of sim.waiters.splice(0)) w();
    const record = { spec: sim.spec, state: sim.state };
    for (const l of this.listeners) l(record);
  }

  onExit(listener: (record: ContainerRecord) => void): void {
    this.listeners.push(listener);
  }

  /** SIGTERM: the container takes its stop-seconds to exit (143); past the grace period it is killed (137). */
  stop(id: string, graceSeconds: number): Promise<void> {
    const sim = this.sims.get(id);
    if (sim?.state.state !== 'running') return Promise.resolve();
    if (sim.stopping !== undefined) return sim.stopping;
    const plan = simPlan(this.annotationsOf(sim.spec), sim.spec.containerName, sim.spec.attempt);
    const graceMs = Math.max(0, graceSeconds) * 1000;
    sim.cancel();
    sim.stopping = new Promise<void>((resolve) => {
      const done = (code: number, signal: string) => {
        this.exit(sim, code, 'Error', signal);
        resolve();
      };
      // A container that stops at once does so now, not on the clock's next tick.
      if (plan.stopMs === 0) queueMicrotask(() => done(143, 'SIGTERM'));
      else if (plan.stopMs < graceMs) {
        sim.cancel = this.clock.setTimer(plan.stopMs, () => done(143, 'SIGTERM'));
      } else sim.cancel = this.clock.setTimer(graceMs, () => done(137, 'SIGKILL'));
    });
    return sim.stopping;
  }

  async adopt(): Promise<ContainerRecord[]> {
    return [...this.sims.values()].map((s) => ({ spec: s.spec, state: s.state }));
  }

  async remove(id: string): Promise<void> {
    const sim = this.sims.get(id);
    if (!sim) return;
    sim.cancel();
    for (const w of sim.waiters.splice(0)) w();
    this.sims.delete(id);
  }

  readLog(id: string, opts: LogOptions, signal?: AbortSignal): AsyncIterable<Buffer> | undefined {
    const sim = this.sims.get(id);
    if (!sim) return undefined;
    return this.stream(sim, opts, signal);
  }

  private async *stream(sim: Sim, opts: LogOptions, signal?: AbortSignal): AsyncIterable<Buffer> {
    let remaining = opts.limitBytes;
    const emit = function* (text: string) {
      const cut = limit(text, remaining);
      remaining = cut.remaining;
      if (cut.chunk.length) yield cut.chunk;
    };
    const first = selectLines(sim.log, opts).join('');
    if (first) yield* emit(first);
    let sent = sim.log.length;
    while (opts.follow && sim.state.state === 'running' && !signal?.aborted && remaining !== 0) {
      await new Promise<void>((resolve) => {
        sim.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      const more = sim.log.slice(sent).map((l) => render(l, opts));
      sent = sim.log.length;
      if (more.length) yield* emit(more.join(''));
    }
  }

  async pruneLogs(): Promise<void> {
    // Logs live only as long as their container record.
  }

  async close(): Promise<void> {
    for (const sim of this.sims.values()) sim.cancel();
    for (const sim of this.sims.values()) for (const w of sim.waiters.splice(0)) w();
  }
}
