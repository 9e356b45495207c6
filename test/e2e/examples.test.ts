/**
 * Every manifest in examples/ (the seeds' examples, in valid form) applied with kubectl as a user
 * would, and seen to run: the Jobs complete, each CronJob creates a Job at its next minute.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { eventually, ROOT, serverForFile } from '../helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const server = serverForFile();

async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const res = await server.kubectl(args);
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res;
}

test('examples/ holds the five seed examples', () => {
  expect(readdirSync(EXAMPLES).sort()).toEqual([
    'deadline-cronjob.yaml',
    'hello-cronjob-v1beta1.yaml',
    'hello-cronjob.yaml',
    'parallel-job.yaml',
    'pi-job.yaml',
  ]);
});

test('kubectl apply of every example; the Jobs complete and every CronJob runs within its minute', async () => {
  await ok(['create', 'namespace', 'examples']);
  const applied = await ok(['apply', '-n', 'examples', '-f', EXAMPLES]);
  expect(applied.stdout).toContain('job.batch/my-job created');
  expect(applied.stdout).toContain('cronjob.batch/hello-v1beta1 created');
  expect(applied.stderr).toContain('Warning: batch/v1beta1 CronJob is deprecated');
  await ok([
    'wait',
    '-n',
    'examples',
    '--for=condition=complete',
    'job/my-job',
    'job/example-job',
    '--timeout=60s',
  ]);
  expect(
    (await ok(['get', 'job', 'my-job', '-n', 'examples', '-o', 'jsonpath={.status.succeeded}'])).stdout,
  ).toBe('5');
  // Every-minute schedules: each CronJob creates its first Job at the next minute.
  await eventually(
    async () => {
      const owners = (
        await ok([
          'get',
          'jobs',
          '-n',
          'examples',
          '-o',
          'jsonpath={range .items[*]}{.metadata.ownerReferences[0].name}{"\\n"}{end}',
        ])
      ).stdout;
      for (const cj of ['hello', 'hello-v1beta1', 'hello-deadline']) expect(owners.split('\n')).toContain(cj);
    },
    { timeoutMs: 75_000, intervalMs: 1000 },
  );
}, 120_000);
