/**
 * How the peer benchmarks read next to batchd's own numbers: etcd's put rate beside batchd's
 * create rate and the SQLite floor, Slurm's array time beside batchd's Indexed Job time.
 */
import { type EtcdResult, etcdMedians } from '../etcd.js';
import { arraySpec, type SlurmResult, slurmMedianSeconds } from '../slurm.js';
import { fixed, int, markdownTable } from './report.js';

/** batchd's figures from the same `npm run bench` (NaN when that benchmark was not run). */
export interface BatchdFigures {
  /** Median creates/s of the create benchmark, and the floor's. */
  createsPerSecond: number;
  floorCreatesPerSecond: number;
  /** Seconds for the Indexed Job on the process runtime, and its completions and parallelism. */
  jobSeconds: number;
  jobCompletions: number;
  jobParallelism: number;
}

const ratio = (x: number, y: number): string => (Number.isFinite(x / y) ? `${fixed(x / y, 2)}×` : '');

/**
 * Rows in the shape of RESULTS.md's summary table (benchmark, batchd, floor, batchd / floor,
 * target, result): the peer's figure goes in the floor column, and a peer that did not run
 * shows its reason there.
 */
export function peerSummaryRows(etcd: EtcdResult, slurm: SlurmResult, b: BatchdFigures): string[][] {
  const e = etcdMedians(etcd);
  const inflight = etcd.ran ? etcd.options.inflight : 50;
  const s = slurmMedianSeconds(slurm);
  return [
    [
      `peer: etcd 3.4 single member, 1 KB puts, ${inflight} in flight (batchd: creates/s; peer: puts/s)`,
      int(b.createsPerSecond),
      etcd.ran ? int(e.concurrent) : etcd.reason,
      ratio(b.createsPerSecond, e.concurrent),
      '',
      '',
    ],
    [
      `peer: Slurm tuned, ${int(b.jobCompletions)} × /bin/true, ${b.jobParallelism} at a time (s)`,
      fixed(b.jobSeconds, 1),
      slurm.ran ? (Number.isFinite(s) ? fixed(s, 1) : 'no run finished') : slurm.reason,
      ratio(b.jobSeconds, s),
      '',
      '',
    ],
  ];
}

/** The peers section: each peer's median beside batchd's comparable figure. */
export function peersTable(etcd: EtcdResult, slurm: SlurmResult, b: BatchdFigures): string {
  const e = etcdMedians(etcd);
  const s = slurmMedianSeconds(slurm);
  const etcdName = etcd.ran ? `etcd ${etcd.version}, single member` : 'etcd 3.4';
  const slurmName = slurm.ran ? `${slurm.version}, ${slurm.options.tuned ? 'tuned' : 'default'}` : 'Slurm';
  const rows: string[][] = [];
  if (!etcd.ran) rows.push([etcdName, '1 KB puts', etcd.reason, '', '']);
  else
    rows.push(
      [etcdName, '1 KB puts, one at a time', `${int(e.sequential)} puts/s`, '', ''],
      [
        etcdName,
        `1 KB puts, ${etcd.options.inflight} in flight`,
        `**${int(e.concurrent)} puts/s**`,
        `${int(b.createsPerSecond)} creates/s (floor ${int(b.floorCreatesPerSecond)})`,
        ratio(b.createsPerSecond, e.concurrent),
      ],
    );
  const array = slurm.ran ? arraySpec(slurm.options.tasks, slurm.options.throttle) : '0-999%50';
  rows.push([
    slurmName,
    `array ${array} of /bin/true, submit → last task gone`,
    !slurm.ran
      ? slurm.reason
      : Number.isFinite(s)
        ? `**${fixed(s, 1)} s** (${int(slurm.options.tasks / s)} tasks/s)`
        : 'no run finished before the deadline',
    `${fixed(b.jobSeconds, 1)} s (Indexed Job, ${int(b.jobCompletions)} × ${b.jobParallelism})`,
    ratio(b.jobSeconds, s),
  ]);
  return markdownTable(['peer', 'workload', 'peer median', 'batchd', 'batchd / peer'], rows);
}
