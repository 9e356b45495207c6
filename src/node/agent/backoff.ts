/**
 * The kubelet's container restart back-off (flowcontrol.Backoff with 10 s initial, 5 min cap):
 * the first restart is immediate, later ones wait 10 s, 20 s, 40 s, ... up to 5 min; a container
 * that ran for longer than twice the cap since the last restart starts over at 10 s.
 */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  private expired(entry: Entry, eventTime: number): boolean {
    return eventTime - entry.lastUpdate > this.maxMs * 2;
  }

  /** How long from now the restart must wait after a container that finished at finishedAt (0: restart now). */
  remaining(key: string, finishedAt: Date, now: Date): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAt.getTime())) return 0;
    return Math.max(0, finishedAt.getTime() + e.backoffMs - now.getTime());
  }

  /** The current delay, as the CrashLoopBackOff message prints it. */
  current(key: string): number {
    return this.entries.get(key)?.backoffMs ?? this.initialMs;
  }

  /** Records a restart: the next one waits twice as long (or starts over after a long run). */
  next(key: string, finishedAt: Date, now: Date): void {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAt.getTime())) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now.getTime() });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = now.getTime();
  }

  /** Forgets every key with this prefix (a pod that is gone). */
  forget(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** `5m0s`, `10s`, `1m20s`: Go's time.Duration text for whole seconds. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m ? `${m}m${s % 60}s` : `${s}s`;
}
