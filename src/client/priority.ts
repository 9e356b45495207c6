/**
 * Work that is late the moment it waits (a CronJob's Job at its scheduled time) goes before work
 * that only has to happen soon (pods, status, garbage). All controllers share one event loop:
 * while an urgent queue holds keys, the other queues' workers wait before taking their next key.
 * What they are already doing finishes; the API server itself is never held.
 */
export class PriorityGate {
  private readonly urgent = new Set<object>();
  private waiters: Array<() => void> = [];

  /** Marks a source busy (it has urgent keys) or idle; the last to go idle releases the waiters. */
  set(source: object, busy: boolean): void {
    if (busy) {
      this.urgent.add(source);
      return;
    }
    if (!this.urgent.delete(source) || this.urgent.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Undefined when nothing urgent is pending; else resolves once it is done. */
  wait(): Promise<void> | undefined {
    if (this.urgent.size === 0) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
