import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type EtcdResult, etcdArgs, etcdTable, putBody } from '../etcd.js';
import {
  arrayGone,
  arraySpec,
  countRequeues,
  parseJobId,
  type SlurmResult,
  slurmConf,
  slurmTable,
} from '../slurm.js';
import {
  findAll,
  findExecutable,
  median,
  netNamespace,
  processesInNamespace,
  processName,
  readPidFile,
  stopPid,
  WaitTimeout,
  waitFor,
} from './peers.js';
import { type BatchdFigures, peerSummaryRows, peersTable } from './peersSummary.js';

const scratch = mkdtempSync(join(tmpdir(), 'batchd-peers-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('findExecutable', () => {
  const cases: Array<{ name: string; path: string; present: string[]; want: string | undefined }> = [
    {
      name: 'the first PATH directory holding the name wins',
      path: '/opt/a:/opt/b',
      present: ['/opt/b/etcd', '/opt/a/etcd'],
      want: '/opt/a/etcd',
    },
    {
      name: 'a daemon in /usr/sbin is found even when PATH leaves sbin out',
      path: '/opt/a',
      present: ['/usr/sbin/etcd'],
      want: '/usr/sbin/etcd',
    },
    { name: 'a name found nowhere is undefined', path: '/opt/a:', present: [], want: undefined },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      expect(findExecutable('etcd', tc.path, (f) => tc.present.includes(f))).toBe(tc.want);
    });

  test('findAll lists every missing tool, in the order asked', () => {
    const have: Record<string, string> = { munged: '/usr/sbin/munged' };
    expect(findAll(['slurmd', 'munged', 'sbatch'], (n) => have[n])).toEqual({
      missing: ['slurmd', 'sbatch'],
    });
    expect(findAll(['munged'], (n) => have[n])).toEqual({ found: { munged: '/usr/sbin/munged' } });
  });
});

describe('median', () => {
  const cases: Array<{ name: string; xs: number[]; want: number }> = [
    { name: 'the middle of three unsorted runs', xs: [30, 10, 20], want: 20 },
    { name: 'the lower middle of an even count', xs: [4, 1, 3, 2], want: 2 },
    { name: 'nothing has no median', xs: [], want: Number.NaN },
  ];
  for (const tc of cases) test(tc.name, () => expect(median(tc.xs)).toBe(tc.want));
});

describe('waitFor', () => {
  test('returns the first value the check produces', async () => {
    let calls = 0;
    await expect(
      waitFor('third call', () => (++calls === 3 ? 'ready' : undefined), { timeoutMs: 5000, intervalMs: 1 }),
    ).resolves.toBe('ready');
  });

  test('a check that keeps throwing times out with its last error as the cause', async () => {
    const err = await waitFor(
      'never',
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 20, intervalMs: 5 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeout);
    expect((err as WaitTimeout).cause).toEqual(new Error('connection refused'));
  });
});

describe('pid files and processes', () => {
  const cases: Array<{ name: string; content: string | undefined; want: number | undefined }> = [
    { name: 'a pid with a trailing newline is read', content: '4242\n', want: 4242 },
    { name: 'garbage is no pid', content: 'slurmctld\n', want: undefined },
    { name: 'pid 1 is never taken from a pid file', content: '1', want: undefined },
    { name: 'a missing file is no pid', content: undefined, want: undefined },
  ];
  for (const [i, tc] of cases.entries())
    test(tc.name, () => {
      const file = join(scratch, `pid-${i}`);
      if (tc.content !== undefined) writeFileSync(file, tc.content);
      expect(readPidFile(file)).toBe(tc.want);
    });

  test('stopPid leaves a process alone when its name is not the one expected', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid ?? 0;
    try {
      await stopPid(pid, 'slurmctld', 100);
      expect(processName(pid)).toBe('sleep');
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('stopPid stops a process that has the expected name', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    await stopPid(child.pid ?? 0, 'sleep', 2000);
    await exited;
    expect(child.signalCode).toBe('SIGTERM');
  });

  test('this process is among the processes of its own network namespace', () => {
    const ns = netNamespace('self');
    expect(ns).toMatch(/^net:\[\d+\]$/);
    expect(processesInNamespace(ns ?? '', () => [String(process.pid)])).toEqual([
      { pid: process.pid, name: processName(process.pid) },
    ]);
  });
});

describe('etcd', () => {
  test('a put body carries key and value base64-encoded, as the JSON gateway expects', () => {
    const body = JSON.parse(putBody('/bench/seq/1/7', Buffer.from('xyz'))) as { key: string; value: string };
    expect(Buffer.from(body.key, 'base64').toString()).toBe('/bench/seq/1/7');
    expect(Buffer.from(body.value, 'base64').toString()).toBe('xyz');
  });

  test('the member listens on loopback only and keeps its data in the given dir', () => {
    const args = etcdArgs('/tmp/x', 4001, 4002);
    const urls = args.filter((a) => a.includes('://'));
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^(bench=)?http:\/\/127\.0\.0\.1:400[12]$/);
    expect(args[args.indexOf('--data-dir') + 1]).toBe('/tmp/x/member-data');
  });

  test('a skipped run is reported as one sentence with its reason', () => {
    expect(etcdTable({ ran: false, reason: 'not installed' })).toBe('etcd: not installed.');
  });
});

describe('slurm', () => {
  test('the tuned config adds the scheduler parameters and a short MinJobAge to the defaults', () => {
    const base = { dir: '/tmp/s', host: 'vm', maxArraySize: 1001 };
    const plain = slurmConf({ ...base, tuned: false });
    const tuned = slurmConf({ ...base, tuned: true });
    expect(plain).not.toContain('SchedulerParameters');
    expect(tuned).toBe(
      `${plain}SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,default_queue_depth=1000\nMinJobAge=2\n`,
    );
  });

  test('every path in the config is under the temp dir and every address is loopback', () => {
    const conf = slurmConf({ dir: '/tmp/s', host: 'vm', tuned: true, maxArraySize: 1001 });
    for (const path of conf.match(/=\/\S+/g) ?? []) expect(path.startsWith('=/tmp/s/')).toBe(true);
    for (const ip of conf.match(/\d+\.\d+\.\d+\.\d+/g) ?? []) expect(ip).toBe('127.0.0.1');
    expect(conf).toContain('NodeName=vm NodeAddr=127.0.0.1 CPUs=64');
  });

  const specs: Array<{ name: string; tasks: number; throttle: number; want: string }> = [
    { name: 'a thousand tasks fifty at a time', tasks: 1000, throttle: 50, want: '0-999%50' },
    { name: 'no throttle leaves the %N off', tasks: 10, throttle: 0, want: '0-9' },
  ];
  for (const tc of specs)
    test(`array spec: ${tc.name}`, () => expect(arraySpec(tc.tasks, tc.throttle)).toBe(tc.want));

  const ids: Array<{ name: string; stdout: string; want: string | undefined }> = [
    { name: 'a bare id', stdout: '101\n', want: '101' },
    { name: 'an id with its cluster', stdout: '7;bench\n', want: '7' },
    {
      name: 'an error message is no id',
      stdout: 'sbatch: error: Batch job submission failed\n',
      want: undefined,
    },
  ];
  for (const tc of ids)
    test(`sbatch --parsable: ${tc.name}`, () => expect(parseJobId(tc.stdout)).toBe(tc.want));

  const queues: Array<{
    name: string;
    q: { code: number | null; stdout: string; stderr: string };
    want: boolean;
  }> = [
    { name: 'an empty queue means every task is gone', q: { code: 0, stdout: '', stderr: '' }, want: true },
    {
      name: 'a listed task means the array is still running',
      q: { code: 0, stdout: '  101_7 debug wrap root R 0:01 1 vm\n', stderr: '' },
      want: false,
    },
    {
      name: 'a purged job id means every task is gone',
      q: { code: 1, stdout: '', stderr: 'slurm_load_jobs error: Invalid job id specified\n' },
      want: true,
    },
    {
      name: 'a controller that does not answer is not taken for done',
      q: { code: 1, stdout: '', stderr: 'slurm_load_jobs error: Socket timed out on send/recv operation\n' },
      want: false,
    },
  ];
  for (const tc of queues) test(tc.name, () => expect(arrayGone(tc.q)).toBe(tc.want));

  test('requeues are counted for the array asked about only', () => {
    const log = [
      '[2026-11-23T19:11:23.999] Requeuing JobId=201_13(215)',
      '[2026-11-23T19:11:24.100] Requeuing JobId=2010_1(2300)',
      '[2026-11-23T19:11:25.000] Requeuing JobId=201_40(242)',
    ].join('\n');
    expect(countRequeues(log, '201')).toBe(2);
    expect(countRequeues(log, '99')).toBe(0);
  });

  test('a skipped run is reported as one sentence with its reason', () => {
    expect(slurmTable({ ran: false, reason: 'not root' })).toBe('Slurm: not root.');
  });
});

describe('peer summary', () => {
  const figures: BatchdFigures = {
    createsPerSecond: 1500,
    floorCreatesPerSecond: 4500,
    jobSeconds: 24,
    jobCompletions: 1000,
    jobParallelism: 50,
  };
  const putRun = (perSecond: number) => ({
    n: 100,
    inflight: 1,
    seconds: 100 / perSecond,
    perSecond,
    p50: 1,
    p99: 2,
    serverCpuUs: 500,
    otherCores: 0,
  });
  const etcd: EtcdResult = {
    ran: true,
    version: '3.4.23',
    options: { sequential: 100, concurrent: 100, inflight: 50, runs: 3, valueBytes: 1024 },
    sequential: [putRun(900), putRun(1000), putRun(1100)],
    concurrent: [putRun(2000), putRun(3000), putRun(2500)],
  };
  const slurmRun = (seconds: number, complete = true) => ({ seconds, complete, busyCores: 1, requeued: 0 });
  const slurm: SlurmResult = {
    ran: true,
    version: 'slurm-wlm 22.05.8',
    options: { tasks: 1000, throttle: 50, runs: 3, tuned: true, deadlineS: 160 },
    runs: [slurmRun(21), slurmRun(20), slurmRun(60, false)],
    setupSeconds: 1,
  };

  test('batchd is compared with the median of the concurrent puts and of the finished arrays', () => {
    const [e, s] = peerSummaryRows(etcd, slurm, figures);
    expect(e?.slice(1, 4)).toEqual(['1,500', '2,500', '0.60×']);
    // The cut run is left out: the median of 21 and 20 alone is 20.
    expect(s?.slice(1, 4)).toEqual(['24.0', '20.0', '1.20×']);
  });

  test('a peer that did not run shows its reason instead of a number', () => {
    const rows = peerSummaryRows(
      { ran: false, reason: 'not installed (Debian package etcd-server)' },
      { ran: false, reason: 'not root' },
      figures,
    );
    expect(rows.map((r) => r.slice(2, 4))).toEqual([
      ['not installed (Debian package etcd-server)', ''],
      ['not root', ''],
    ]);
    expect(
      peersTable({ ran: false, reason: 'not installed' }, { ran: false, reason: 'not root' }, figures),
    ).toContain('not root');
  });
});
