/**
 * Every manifest in examples/ applied with kubectl as a user would, and seen to do what its
 * comment says: the seeds' examples (in valid form) run, and each feature example ends with the
 * conditions, indexes, pods and logs its comment promises.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ExpectStatic, expect, test } from 'vitest';
import { batchd, eventually, ROOT, run, serverForFile } from '../helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const server = serverForFile();

/** kubectl against the server, killed after timeoutMs (kubectl wait gets longer than the default). */
async function ok(args: string[], timeoutMs = 20_000): Promise<{ stdout: string; stderr: string }> {
  const env = { KUBECONFIG: server.kubeconfig, KUBECACHEDIR: join(server.dataDir, 'kube-cache') };
  const res = await run('kubectl', args, { env, timeoutMs });
  // An Error rather than expect(): the cases run concurrently and each checks with its own expect.
  if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
  return res;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface JobJson {
  status?: {
    conditions?: Condition[];
    succeeded?: number;
    failed?: number;
    active?: number;
    completedIndexes?: string;
    failedIndexes?: string;
  };
}

interface PodJson {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { phase?: string };
}

const INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';

async function getJob(ns: string, name: string): Promise<JobJson> {
  return JSON.parse((await ok(['get', 'job', name, '-n', ns, '-o', 'json'])).stdout) as JobJson;
}

/** The Job's pods (by the job-name label the controller adds), sorted by index then name. */
async function podsOf(ns: string, job: string): Promise<PodJson[]> {
  const out = await ok(['get', 'pods', '-n', ns, '-l', `batch.kubernetes.io/job-name=${job}`, '-o', 'json']);
  const pods = (JSON.parse(out.stdout) as { items: PodJson[] }).items;
  const key = (p: PodJson) => `${p.metadata.labels?.[INDEX_LABEL] ?? ''}/${p.metadata.name}`;
  return pods.sort((a, b) => key(a).localeCompare(key(b)));
}

/** The Job's finishing condition (Complete or Failed), as `type/reason`. */
function outcome(job: JobJson): string {
  const c = job.status?.conditions?.find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return c ? `${c.type}/${c.reason ?? ''}` : 'unfinished';
}

/** kubectl apply -f of one example in a namespace of its own. */
async function applyExample(file: string): Promise<string> {
  const ns = `ex-${file.replace(/\.yaml$/, '')}`;
  await ok(['create', 'namespace', ns]);
  await ok(['apply', '-n', ns, '-f', join(EXAMPLES, file)]);
  return ns;
}

const waitFor = (ns: string, condition: string, jobs: string[]) =>
  ok(
    ['wait', '-n', ns, `--for=condition=${condition}`, ...jobs.map((j) => `job/${j}`), '--timeout=90s'],
    100_000,
  );

test('examples/ holds the five seed examples and the five feature examples', () => {
  expect(readdirSync(EXAMPLES).sort()).toEqual([
    'deadline-cronjob.yaml',
    'hello-cronjob-v1beta1.yaml',
    'hello-cronjob.yaml',
    'indexed-job.yaml',
    'parallel-job.yaml',
    'pi-job.yaml',
    'pod-failure-policy-job.yaml',
    'success-policy-job.yaml',
    'timezone-cronjob.yaml',
    'ttl-job.yaml',
  ]);
});

test.concurrent('kubectl apply of the whole directory; the seed Jobs complete and every CronJob runs within its minute', async ({
  expect,
}) => {
  await ok(['create', 'namespace', 'examples']);
  const applied = await ok(['apply', '-n', 'examples', '-f', EXAMPLES]);
  expect(applied.stdout).toContain('job.batch/my-job created');
  expect(applied.stdout).toContain('cronjob.batch/hello-v1beta1 created');
  expect(applied.stdout).toContain('cronjob.batch/tokyo-report created');
  expect(applied.stderr).toContain('Warning: batch/v1beta1 CronJob is deprecated');
  await waitFor('examples', 'complete', ['my-job', 'example-job']);
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
      ).stdout.split('\n');
      for (const cj of ['hello', 'hello-v1beta1', 'hello-deadline', 'tokyo-report'])
        expect(owners).toContain(cj);
    },
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
}, 200_000);

/** One case per feature example: apply it alone, then check what its comment promises. */
const features: Array<{
  name: string;
  file: string;
  check: (ns: string, expect: ExpectStatic) => Promise<void>;
}> = [
  {
    name: 'indexed-job.yaml: each index prints its own shard and the Job completes with indexes 0-3',
    file: 'indexed-job.yaml',
    async check(ns, expect) {
      await waitFor(ns, 'complete', ['indexed-job']);
      const job = await getJob(ns, 'indexed-job');
      expect(outcome(job)).toBe('Complete/CompletionsReached');
      expect(job.status).toMatchObject({ completedIndexes: '0-3', succeeded: 4 });
      const logs: string[] = [];
      for (const pod of await podsOf(ns, 'indexed-job'))
        logs.push((await ok(['logs', '-n', ns, pod.metadata.name])).stdout.trim());
      expect(logs).toEqual(['shard 0: apple', 'shard 1: banana', 'shard 2: cherry', 'shard 3: damson']);
    },
  },
  {
    name: 'pod-failure-policy-job.yaml: exit code 42 fails the Job after one pod, and index 1 fails alone after one retry',
    file: 'pod-failure-policy-job.yaml',
    async check(ns, expect) {
      await waitFor(ns, 'failed', ['pod-failure-policy', 'per-index-retries']);
      const policy = await getJob(ns, 'pod-failure-policy');
      expect(outcome(policy)).toBe('Failed/PodFailurePolicy');
      expect(policy.status?.conditions?.find((c) => c.type === 'Failed')?.message).toMatch(
        /^Container main for pod .+ failed with exit code 42 matching FailJob rule at index 0$/,
      );
      expect(policy.status?.failed).toBe(1);
      expect((await podsOf(ns, 'pod-failure-policy')).map((p) => p.status?.phase)).toEqual(['Failed']);

      const perIndex = await getJob(ns, 'per-index-retries');
      expect(outcome(perIndex)).toBe('Failed/FailedIndexes');
      expect(perIndex.status).toMatchObject({ completedIndexes: '0,2,3', failedIndexes: '1', failed: 2 });
      const pods = (await podsOf(ns, 'per-index-retries')).map(
        (p) => `${p.metadata.labels?.[INDEX_LABEL]}:${p.status?.phase}`,
      );
      expect(pods).toEqual(['0:Succeeded', '1:Failed', '1:Failed', '2:Succeeded', '3:Succeeded']);
    },
  },
  {
    name: 'success-policy-job.yaml: the leader succeeding completes the Job and the workers are terminated',
    file: 'success-policy-job.yaml',
    async check(ns, expect) {
      await waitFor(ns, 'complete', ['success-policy']);
      const job = await getJob(ns, 'success-policy');
      expect(outcome(job)).toBe('Complete/SuccessPolicy');
      expect(job.status?.conditions?.find((c) => c.type === 'SuccessCriteriaMet')).toMatchObject({
        status: 'True',
        reason: 'SuccessPolicy',
        message: 'Matched rules at index 0',
      });
      expect(job.status).toMatchObject({ completedIndexes: '0', succeeded: 1 });
      // The workers' pods are deleted; only the leader's is left.
      await eventually(async () => {
        const pods = (await podsOf(ns, 'success-policy')).map(
          (p) => `${p.metadata.labels?.[INDEX_LABEL]}:${p.status?.phase}`,
        );
        expect(pods).toEqual(['0:Succeeded']);
      });
    },
  },
  {
    name: 'ttl-job.yaml: the Job and its pod are deleted five seconds after it completes, and batchd logs still reads its log',
    file: 'ttl-job.yaml',
    async check(ns, expect) {
      await waitFor(ns, 'complete', ['ttl-job']);
      await ok(['wait', '-n', ns, '--for=delete', 'job/ttl-job', '--timeout=60s'], 70_000);
      await eventually(async () => expect(await podsOf(ns, 'ttl-job')).toEqual([]), { timeoutMs: 15_000 });
      const logs = await batchd(['logs', '--data-dir', server.dataDir, '-n', ns, 'job/ttl-job']);
      expect(logs).toMatchObject({ code: 0, stdout: 'report written\n' });
    },
  },
  {
    name: 'timezone-cronjob.yaml: the CronJob shows its zone, creates a Job at the next minute, and records the successful run',
    file: 'timezone-cronjob.yaml',
    async check(ns, expect) {
      const listed = (await ok(['get', 'cronjob', 'tokyo-report', '-n', ns])).stdout;
      expect(listed).toMatch(/tokyo-report\s+\* \* \* \* \*\s+Asia\/Tokyo\s+False/);
      const job = await eventually(
        async () => {
          const name = (await ok(['get', 'jobs', '-n', ns, '-o', 'jsonpath={.items[0].metadata.name}']))
            .stdout;
          expect(name).toMatch(/^tokyo-report-\d+$/);
          return name;
        },
        { timeoutMs: 90_000, intervalMs: 1000 },
      );
      await waitFor(ns, 'complete', [job]);
      expect((await ok(['logs', '-n', ns, `job/${job}`])).stdout).toMatch(
        /^report for \d{4}-\d\d-\d\d \d\d:\d\d, Tokyo time\n$/,
      );
      await eventually(async () => {
        const cj = JSON.parse(
          (await ok(['get', 'cronjob', 'tokyo-report', '-n', ns, '-o', 'json'])).stdout,
        ) as {
          status?: { lastScheduleTime?: string; lastSuccessfulTime?: string };
        };
        expect(cj.status?.lastScheduleTime).toMatch(/:00Z$/);
        expect(cj.status?.lastSuccessfulTime).toBeDefined();
      });
      // Stop it before it fires again while the other cases run.
      await ok(['delete', 'cronjob', 'tokyo-report', '-n', ns]);
    },
  },
];

for (const tc of features)
  test.concurrent(tc.name, async ({ expect }) => tc.check(await applyExample(tc.file), expect), 200_000);
