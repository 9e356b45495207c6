/** The two servers under test, each started fresh in a temp data dir, in its own process group. */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, ROOT, startServer, stop, tempDir } from './processes.js';
import { type Target, targetFromDataDir, targetFromKubeconfig } from './target.js';

export interface RunningServer {
  target: Target;
  child: ChildProcess;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra node flags for the server process, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
  /** Extra `batchd serve` flags, e.g. ['--runtime', 'simulated']. */
  args?: string[];
}

/**
 * The API server benchmarks compare batchd's API with a bare HTTPS + SQLite floor, so the Job
 * and CronJob controllers and the node agent stay off (the benchmark's suspended Jobs would
 * otherwise each get a status write); namespaces and the garbage collector keep running.
 */
export const API_SERVER_ONLY = ['--controllers', '*,-job,-cronjob,-ttl-after-finished,-node'];

/** The real built binary (bin/batchd.js → dist/), as a user runs it. */
export async function startBatchd(opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = tempDir('batchd');
  const { child } = await startServer(
    'batchd',
    process.execPath,
    [
      ...(opts.nodeArgs ?? []),
      join(ROOT, 'bin', 'batchd.js'),
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      ...(opts.args ?? []),
    ],
    /^batchd \S+ serving https:\/\/\S+/m,
  );
  const target = targetFromKubeconfig('batchd', join(dataDir, 'kubeconfig'));
  return { target, child, dataDir, stop: () => stop(child) };
}

/** bench/floor.ts: node:https + better-sqlite3 and nothing else. */
export async function startFloor(opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = tempDir('floor');
  const { child, match } = await startServer(
    'floor',
    process.execPath,
    [...(opts.nodeArgs ?? []), '--import', 'tsx', join(BENCH_DIR, 'floor.ts'), '--data-dir', dataDir],
    /^floor serving (https:\/\/\S+)/m,
  );
  const target = targetFromDataDir('floor', match[1] ?? '', dataDir);
  return { target, child, dataDir, stop: () => stop(child) };
}

/** Node flags that make a server write a CPU profile to `dir/name` when it exits (none without `dir`). */
export function profileFlags(dir: string | undefined, name: string): StartOptions {
  return dir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`] } : {};
}
