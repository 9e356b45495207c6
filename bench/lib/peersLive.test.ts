// The peer benchmarks against the real daemons, tiny: each case runs only where its packages are
// installed (and, for Slurm, as root), and checks that nothing it started is left running.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runEtcd } from '../etcd.js';
import { runSlurm } from '../slurm.js';
import { findAll, findExecutable } from './peers.js';

/** Live processes whose command line mentions `needle` (a benchmark's temp dir prefix). */
function leftovers(needle: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(needle)) out.push(`${entry} ${cmd}`);
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

const quiet = () => {};
const hasEtcd = findExecutable('etcd') !== undefined;
const slurmTools = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'unshare', 'nsenter'];
const hasSlurm = 'found' in findAll(slurmTools) && process.getuid?.() === 0;

describe('peer benchmarks against the real daemons', () => {
  test.skipIf(!hasEtcd)('a short etcd run measures both modes and stops its member', async () => {
    const res = await runEtcd(
      { sequential: 50, concurrent: 200, inflight: 10, runs: 1, valueBytes: 1024 },
      quiet,
    );
    if (!res.ran) throw new Error(res.reason);
    expect(res.version).toMatch(/^3\./);
    expect(res.sequential[0]?.perSecond).toBeGreaterThan(0);
    expect(res.concurrent[0]?.n).toBe(200);
    expect(leftovers('batchd-bench-etcd-')).toEqual([]);
  });

  test.skipIf(!hasSlurm)('a short Slurm array completes and every daemon is stopped', async () => {
    const res = await runSlurm({ tasks: 10, throttle: 5, runs: 1, tuned: true, deadlineS: 90 }, quiet);
    if (!res.ran) throw new Error(res.reason);
    expect(res.version).toMatch(/slurm/);
    expect(res.runs).toHaveLength(1);
    expect(res.runs[0]?.complete).toBe(true);
    expect(leftovers('batchd-bench-slurm-')).toEqual([]);
  });
});
