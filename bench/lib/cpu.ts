/**
 * CPU accounting from /proc, so a run on the shared 2-core machine can say how much CPU the server
 * spent per request and how much other processes (not part of the benchmark) took meanwhile.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in seconds; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine, all cores together. */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    TICKS_PER_SECOND
  );
}

export interface CpuUsage {
  seconds: number;
  /** CPU seconds of each watched process, by label. */
  byLabel: Record<string, number>;
  /** Cores busy with anything else on the machine (other sessions, the kernel), on average. */
  otherCores: number;
}

/**
 * Starts measuring: returns a function that reports the CPU the labelled processes used since,
 * and the average number of cores everything else kept busy.
 * @example
 * const done = meterCpu({ server: server.pid, client: client.pid });
 * await run(); const { byLabel, otherCores } = done();
 */
export function meterCpu(pids: Record<string, number | undefined>): () => CpuUsage {
  const entries = Object.entries(pids).filter((e): e is [string, number] => e[1] !== undefined);
  const withSelf: Array<[string, number]> = [...entries, ['orchestrator', process.pid]];
  const before = withSelf.map(([, pid]) => processCpuSeconds(pid));
  const busy0 = machineBusySeconds();
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const used = withSelf.map(([, pid], i) => processCpuSeconds(pid) - (before[i] ?? 0));
    const byLabel = Object.fromEntries(entries.map(([label], i) => [label, used[i] ?? 0]));
    const ours = used.reduce((a, b) => a + b, 0);
    const other = Math.max(0, machineBusySeconds() - busy0 - ours);
    return { seconds, byLabel, otherCores: other / seconds };
  };
}
