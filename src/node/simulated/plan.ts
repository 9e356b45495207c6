/**
 * What a simulated container does, read from its pod's annotations (kwok's idea of behaviour as
 * data). Each value may be a comma-separated list, one entry per attempt (the last repeats), and
 * a `.<container>` suffix on the key overrides it for one container:
 *
 * - `sim.batchd.io/run-seconds`: how long the container runs (default 1)
 * - `sim.batchd.io/exit-code`: its exit code (default 0)
 * - `sim.batchd.io/log`: text it prints when it starts (`\n` separates lines; default none)
 * - `sim.batchd.io/stop-seconds`: how long it takes to stop after SIGTERM (default 0)
 */
export const SIM_PREFIX = 'sim.batchd.io/';
export const RUN_SECONDS = `${SIM_PREFIX}run-seconds`;
export const EXIT_CODE = `${SIM_PREFIX}exit-code`;
export const LOG = `${SIM_PREFIX}log`;
export const STOP_SECONDS = `${SIM_PREFIX}stop-seconds`;

export interface SimPlan {
  runMs: number;
  exitCode: number;
  log: string[];
  stopMs: number;
}

function pick(
  annotations: Readonly<Record<string, string>>,
  key: string,
  container: string,
  attempt: number,
): string | undefined {
  const raw = annotations[`${key}.${container}`] ?? annotations[key];
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((v) => v.trim());
  return values[Math.min(attempt, values.length - 1)];
}

function number(text: string | undefined, fallback: number): number {
  const n = text === undefined || text === '' ? Number.NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function simPlan(
  annotations: Readonly<Record<string, string>> | undefined,
  container: string,
  attempt: number,
): SimPlan {
  const a = annotations ?? {};
  const log = a[`${LOG}.${container}`] ?? a[LOG];
  return {
    runMs: number(pick(a, RUN_SECONDS, container, attempt), 1) * 1000,
    exitCode: Math.trunc(number(pick(a, EXIT_CODE, container, attempt), 0)) % 256,
    log:
      log === undefined
        ? []
        : log
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => `${l}\n`),
    stopMs: number(pick(a, STOP_SECONDS, container, attempt), 0) * 1000,
  };
}
