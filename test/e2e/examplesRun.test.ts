/**
 * Every manifest in examples/ run with `batchd run`, the second way the README offers: each Job
 * example exits with its outcome and shows its pods' output, and the CronJob examples run their
 * first Jobs within the minute and end cleanly at --timeout.
 */
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BIN, type ExecResult, ROOT, removeTempDirs, run } from '../helpers.js';

afterAll(() => removeTempDirs());

const example = (name: string) => join(ROOT, 'examples', name);

const batchdRun = (args: string[], timeoutMs = 60_000): Promise<ExecResult> =>
  run(process.execPath, [BIN, 'run', '--job-backoff-scale', '0.01', ...args], { timeoutMs });

const jobCases: Array<{ file: string; code: number; stdout: string[]; stderr?: string[] }> = [
  { file: 'pi-job.yaml', code: 0, stdout: ['[pod/example-job-', '3.14159265358979323846'] },
  { file: 'parallel-job.yaml', code: 0, stdout: ['working'] },
  { file: 'indexed-job.yaml', code: 0, stdout: ['shard 0:', 'shard 3:'] },
  { file: 'success-policy-job.yaml', code: 0, stdout: ['leader: work done'] },
  { file: 'ttl-job.yaml', code: 0, stdout: ['report written'] },
  {
    // The first Job fails at once through its FailJob rule, which ends the run.
    file: 'pod-failure-policy-job.yaml',
    code: 1,
    stdout: ['input is corrupt, giving up'],
    stderr: ['job/pod-failure-policy failed: PodFailurePolicy'],
  },
];

for (const tc of jobCases) {
  test.concurrent(`batchd run examples/${tc.file} exits ${tc.code} with the pods' output`, async () => {
    const res = await batchdRun([example(tc.file)]);
    expect(res.code, res.stderr).toBe(tc.code);
    for (const s of tc.stdout) expect(res.stdout).toContain(s);
    for (const s of tc.stderr ?? []) expect(res.stderr).toContain(s);
  });
}

test.concurrent('batchd run of the four CronJob examples runs a Job of each within the minute and exits 0 at --timeout', async () => {
  const files = [
    'hello-cronjob.yaml',
    'hello-cronjob-v1beta1.yaml',
    'deadline-cronjob.yaml',
    'timezone-cronjob.yaml',
  ];
  const res = await batchdRun(['--timeout', '75s', ...files.map(example)], 100_000);
  expect(res.code, res.stderr).toBe(0);
  for (const cronJob of ['hello', 'hello-v1beta1', 'hello-deadline']) {
    expect(res.stdout).toMatch(
      new RegExp(`\\[pod/${cronJob}-\\d+-[a-z0-9]+/hello\\] Hello from the Kubernetes cluster`),
    );
  }
  expect(res.stdout).toMatch(
    /\[pod\/tokyo-report-\d+-[a-z0-9]+\/report\] report for \d{4}-\d\d-\d\d \d\d:\d\d, Tokyo time/,
  );
}, 110_000);
