/**
 * Jobs and CronJobs run end to end: the real binary with its controllers and the node agent on
 * the simulated runtime (pods behave as their `sim.batchd.io/*` annotations say, so no test waits
 * on real programs), driven by kubectl as a user drives a cluster.
 */
import { describe, expect, test } from 'vitest';
import { type ExecResult, eventually, serverForFile, simulatedJob } from '../helpers.js';

const server = serverForFile({ args: ['--runtime', 'simulated', '--job-backoff-scale', '0.01'] });

async function ok(args: string[], stdin?: string): Promise<string> {
  const res: ExecResult = await server.kubectl(args, stdin === undefined ? {} : { stdin });
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

const jsonpath = (ns: string, what: string, path: string) =>
  ok(['get', what, '-n', ns, '-o', `jsonpath=${path}`]);

const job = simulatedJob;

async function namespace(name: string): Promise<string> {
  await ok(['create', 'namespace', name]);
  return name;
}

describe('Jobs', () => {
  test('a 3-completion Job runs 2 at a time, completes, and kubectl wait, describe and logs see it', async () => {
    const ns = await namespace('complete');
    await ok(
      ['apply', '-n', ns, '-f', '-'],
      job('three', '  completions: 3\n  parallelism: 2', { log: 'hello' }),
    );
    await ok(['wait', '-n', ns, '--for=condition=complete', 'job/three', '--timeout=30s']);
    expect(await jsonpath(ns, 'job/three', '{.status.succeeded}/{.status.active}')).toBe('3/');
    expect(await jsonpath(ns, 'job/three', '{.status.completionTime}')).toMatch(/Z$/);
    const described = await ok(['describe', 'job', 'three', '-n', ns]);
    expect(described).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 3 Succeeded \/ 0 Failed/);
    expect(described).toContain('SuccessfulCreate');
    expect(described).toContain('Completed');
    const table = await ok(['get', 'job', 'three', '-n', ns]);
    expect(table).toMatch(/three\s+Complete\s+3\/3/);
    expect(await ok(['logs', 'job/three', '-n', ns])).toContain('hello');
  });

  test('failing pods use up the backoffLimit and the Job fails with BackoffLimitExceeded', async () => {
    const ns = await namespace('backoff');
    await ok(['apply', '-n', ns, '-f', '-'], job('fails', '  backoffLimit: 1', { exitCode: 1 }));
    await ok(['wait', '-n', ns, '--for=condition=failed', 'job/fails', '--timeout=30s']);
    expect(await jsonpath(ns, 'job/fails', '{.status.failed}')).toBe('2');
    expect(await jsonpath(ns, 'job/fails', '{.status.conditions[?(@.type=="Failed")].reason}')).toBe(
      'BackoffLimitExceeded',
    );
  });

  test('a pod failure policy fails the Job at once on its exit code', async () => {
    const ns = await namespace('pfp');
    const spec = `  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        operator: In
        values: [42]`;
    await ok(['apply', '-n', ns, '-f', '-'], job('policy', spec, { exitCode: 42 }));
    await ok(['wait', '-n', ns, '--for=condition=failed', 'job/policy', '--timeout=30s']);
    expect(await jsonpath(ns, 'job/policy', '{.status.conditions[?(@.type=="Failed")].reason}')).toBe(
      'PodFailurePolicy',
    );
    expect(await jsonpath(ns, 'job/policy', '{.status.failed}')).toBe('1');
  });

  test('an Indexed Job reports its completed indexes and gives each pod its index', async () => {
    const ns = await namespace('indexed');
    await ok(
      ['apply', '-n', ns, '-f', '-'],
      job('idx', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed'),
    );
    await ok(['wait', '-n', ns, '--for=condition=complete', 'job/idx', '--timeout=30s']);
    expect(await jsonpath(ns, 'job/idx', '{.status.completedIndexes}')).toBe('0-2');
    const indexes = await ok([
      'get',
      'pods',
      '-n',
      ns,
      '-l',
      'job-name=idx',
      '-o',
      'jsonpath={.items[*].metadata.labels.batch\\.kubernetes\\.io/job-completion-index}',
    ]);
    expect(indexes.split(' ').sort()).toEqual(['0', '1', '2']);
  });

  test('a suspended Job creates no pods until it is resumed', async () => {
    const ns = await namespace('suspend');
    await ok(['apply', '-n', ns, '-f', '-'], job('later', '  suspend: true'));
    await eventually(async () =>
      expect(await jsonpath(ns, 'job/later', '{.status.conditions[?(@.type=="Suspended")].status}')).toBe(
        'True',
      ),
    );
    expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe('');
    await ok(['patch', 'job/later', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await ok(['wait', '-n', ns, '--for=condition=complete', 'job/later', '--timeout=30s']);
  });

  test('activeDeadlineSeconds fails a Job that runs too long', async () => {
    const ns = await namespace('deadline');
    await ok(['apply', '-n', ns, '-f', '-'], job('slow', '  activeDeadlineSeconds: 1', { seconds: 30 }));
    await ok(['wait', '-n', ns, '--for=condition=failed', 'job/slow', '--timeout=30s']);
    expect(await jsonpath(ns, 'job/slow', '{.status.conditions[?(@.type=="Failed")].reason}')).toBe(
      'DeadlineExceeded',
    );
    await eventually(async () => expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe(''), {
      timeoutMs: 15_000,
    });
  });

  test('ttlSecondsAfterFinished deletes the finished Job and its pods', async () => {
    const ns = await namespace('ttl');
    await ok(['apply', '-n', ns, '-f', '-'], job('brief', '  ttlSecondsAfterFinished: 2'));
    // The Job may finish and go before a wait for Complete starts: watch for it to go.
    await ok(['wait', '-n', ns, '--for=delete', 'job/brief', '--timeout=30s']);
    await eventually(async () => expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe(''), {
      timeoutMs: 15_000,
    });
  });

  const cascades = [
    { cascade: 'background', podsLeft: false },
    { cascade: 'foreground', podsLeft: false },
    { cascade: 'orphan', podsLeft: true },
  ];
  test.each(cascades)(
    'kubectl delete --cascade=$cascade: pods left is $podsLeft',
    async ({ cascade, podsLeft }) => {
      const ns = await namespace(`cascade-${cascade}`);
      await ok(
        ['apply', '-n', ns, '-f', '-'],
        job('c', '  parallelism: 2\n  completions: 2', { seconds: 60 }),
      );
      await eventually(async () => expect(await jsonpath(ns, 'job/c', '{.status.active}')).toBe('2'), {
        timeoutMs: 15_000,
      });
      await ok(['delete', 'job/c', '-n', ns, `--cascade=${cascade}`]);
      if (podsLeft) {
        const pods = await ok([
          'get',
          'pods',
          '-n',
          ns,
          '-o',
          'jsonpath={.items[*].metadata.ownerReferences}',
        ]);
        expect(pods).toBe('');
        expect((await ok(['get', 'pods', '-n', ns, '-o', 'name'])).trim().split('\n')).toHaveLength(2);
      } else {
        await eventually(async () => expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe(''), {
          timeoutMs: 20_000,
        });
      }
    },
  );
});

describe('CronJobs', () => {
  test('an @every 2s CronJob creates Jobs on time, and the history limit prunes them', async () => {
    const ns = await namespace('cron');
    await ok([
      'create',
      'cronjob',
      'tick',
      '-n',
      ns,
      '--image=busybox',
      '--schedule=@every 2s',
      '--',
      'date',
    ]);
    await ok([
      'patch',
      'cronjob/tick',
      '-n',
      ns,
      '--type=merge',
      '-p',
      '{"spec":{"successfulJobsHistoryLimit":1}}',
    ]);
    await eventually(
      async () => expect(await jsonpath(ns, 'cronjob/tick', '{.status.lastSuccessfulTime}')).not.toBe(''),
      { timeoutMs: 20_000 },
    );
    const jobs = await ok(['get', 'jobs', '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(jobs).toMatch(/^tick-\d+/);
    await eventually(
      async () => {
        const names = (await ok(['get', 'jobs', '-n', ns, '-o', 'name'])).trim().split('\n');
        const complete = await ok([
          'get',
          'jobs',
          '-n',
          ns,
          '-o',
          'jsonpath={range .items[?(@.status.succeeded==1)]}{.metadata.name} {end}',
        ]);
        expect(complete.trim().split(' ').filter(Boolean).length).toBeLessThanOrEqual(1);
        expect(names.length).toBeGreaterThan(0);
      },
      { timeoutMs: 20_000 },
    );
  });

  test('create job --from=cronjob runs the template now', async () => {
    const ns = await namespace('from');
    await ok([
      'create',
      'cronjob',
      'nightly',
      '-n',
      ns,
      '--image=busybox',
      '--schedule=0 3 * * *',
      '--',
      'date',
    ]);
    await ok(['create', 'job', 'now', '-n', ns, '--from=cronjob/nightly']);
    await ok(['wait', '-n', ns, '--for=condition=complete', 'job/now', '--timeout=30s']);
  });
});
