/**
 * Pods as real local processes (the default runtime), driven by kubectl: the seeds' pi Job and
 * its logs, following and previous logs, restarts, graceful deletion of a SIGTERM-trapping
 * container, a failing init container, an unschedulable pod, and a `kill -9` of batchd while
 * containers run.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type ExecResult, eventually, ROOT, type Server, serverForFile, startServer } from '../helpers.js';

const server = serverForFile({ args: ['--job-backoff-scale', '0.01'] });

async function ok(s: Server, args: string[], stdin?: string): Promise<string> {
  const res: ExecResult = await s.kubectl(args, stdin === undefined ? {} : { stdin });
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${spec}`;

describe('processes', () => {
  test("the seeds' pi Job completes and kubectl logs prints the digits", async () => {
    await ok(server, ['create', 'namespace', 'pi']);
    await ok(server, ['apply', '-n', 'pi', '-f', join(ROOT, 'examples', 'pi-job.yaml')]);
    await ok(server, ['wait', '-n', 'pi', '--for=condition=complete', 'job/example-job', '--timeout=60s']);
    const digits = (await ok(server, ['logs', '-n', 'pi', 'job/example-job'])).trim();
    expect(digits.startsWith('3.14159265358979323846264338327950288419716939937510')).toBe(true);
    expect(digits.length).toBe(2001);
  });

  test('logs -f follows a running container, --tail keeps the last lines', async () => {
    await ok(server, ['create', 'namespace', 'follow']);
    const spec = `  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line $i; sleep 0.2; done"]
`;
    await ok(server, ['apply', '-n', 'follow', '-f', '-'], pod('counter', spec));
    await ok(server, ['wait', '-n', 'follow', '--for=condition=ready', 'pod/counter', '--timeout=30s']);
    const followed = await ok(server, ['logs', '-f', '-n', 'follow', 'counter']);
    expect(followed.trim().split('\n')).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect((await ok(server, ['logs', '--tail=2', '-n', 'follow', 'counter'])).trim().split('\n')).toEqual([
      'line 4',
      'line 5',
    ]);
    const stamped = await ok(server, ['logs', '--timestamps', '--tail=1', '-n', 'follow', 'counter']);
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 5\n$/);
  });

  test('OnFailure restarts are counted and --previous shows the last run', async () => {
    await ok(server, ['create', 'namespace', 'restarts']);
    const spec = `  restartPolicy: OnFailure
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "echo run at $(date +%s%N); exit 1"]
`;
    await ok(server, ['apply', '-n', 'restarts', '-f', '-'], pod('flaky', spec));
    await eventually(
      async () => {
        const count = await ok(server, [
          'get',
          'pod',
          'flaky',
          '-n',
          'restarts',
          '-o',
          'jsonpath={.status.containerStatuses[0].restartCount}',
        ]);
        expect(Number(count)).toBeGreaterThanOrEqual(1);
      },
      { timeoutMs: 30_000 },
    );
    expect(await ok(server, ['logs', '--previous', '-n', 'restarts', 'flaky'])).toMatch(/^run at \d+\n$/);
    const last = await ok(server, [
      'get',
      'pod',
      'flaky',
      '-n',
      'restarts',
      '-o',
      'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}',
    ]);
    expect(last).toBe('1');
  });

  test('kubectl delete pod stops a SIGTERM-trapping container gracefully and returns once it is gone', async () => {
    await ok(server, ['create', 'namespace', 'graceful']);
    const spec = `  terminationGracePeriodSeconds: 20
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "trap 'echo stopping; exit 0' TERM; echo up; while true; do sleep 0.1; done"]
`;
    await ok(server, ['apply', '-n', 'graceful', '-f', '-'], pod('trapper', spec));
    await ok(server, ['wait', '-n', 'graceful', '--for=condition=ready', 'pod/trapper', '--timeout=30s']);
    const started = performance.now();
    await ok(server, ['delete', 'pod', 'trapper', '-n', 'graceful']);
    // The trap exits at once: far sooner than the 20 s grace period.
    expect(performance.now() - started).toBeLessThan(10_000);
    const gone = await server.kubectl(['get', 'pod', 'trapper', '-n', 'graceful']);
    expect(gone.stderr).toContain('NotFound');
  });

  test('a failing init container fails the pod before its containers start', async () => {
    await ok(server, ['create', 'namespace', 'init']);
    const spec = `  restartPolicy: Never
  initContainers:
  - name: setup
    image: busybox
    command: ["sh", "-c", "echo setting up; exit 2"]
  containers:
  - name: main
    image: busybox
    command: ["true"]
`;
    await ok(server, ['apply', '-n', 'init', '-f', '-'], pod('broken', spec));
    await eventually(
      async () =>
        expect(
          await ok(server, ['get', 'pod', 'broken', '-n', 'init', '-o', 'jsonpath={.status.phase}']),
        ).toBe('Failed'),
      { timeoutMs: 30_000 },
    );
    const init = await ok(server, [
      'get',
      'pod',
      'broken',
      '-n',
      'init',
      '-o',
      'jsonpath={.status.initContainerStatuses[0].state.terminated.exitCode}',
    ]);
    expect(init).toBe('2');
    expect(await ok(server, ['get', 'pod', 'broken', '-n', 'init'])).toMatch(/Init:Error/);
  });

  test('a pod that does not fit stays Pending as Unschedulable', async () => {
    await ok(server, ['create', 'namespace', 'big']);
    const spec = `  containers:
  - name: c
    image: busybox
    command: ["true"]
    resources:
      requests:
        cpu: "1000"
`;
    await ok(server, ['apply', '-n', 'big', '-f', '-'], pod('huge', spec));
    await eventually(async () => {
      const reason = await ok(server, [
        'get',
        'pod',
        'huge',
        '-n',
        'big',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}',
      ]);
      expect(reason).toBe('Unschedulable');
    });
    expect(await ok(server, ['describe', 'pod', 'huge', '-n', 'big'])).toContain('FailedScheduling');
  });
});

describe('crash recovery', () => {
  test('after kill -9 of batchd, containers that finished while it was down are reported with their exit codes', async () => {
    const first = await startServer();
    try {
      await ok(first, ['create', 'namespace', 'crash']);
      const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: survivor
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "sleep 2; exit 3"]
`;
      await ok(first, ['apply', '-n', 'crash', '-f', '-'], job);
      await eventually(
        async () =>
          expect(
            await ok(first, ['get', 'pods', '-n', 'crash', '-o', 'jsonpath={.items[0].status.phase}']),
          ).toBe('Running'),
        { timeoutMs: 20_000 },
      );
    } finally {
      await first.stop('SIGKILL');
    }
    // The container finishes while batchd is down.
    await new Promise((r) => setTimeout(r, 3000));
    const second = await startServer({ dataDir: first.dataDir });
    try {
      await ok(second, ['wait', '-n', 'crash', '--for=condition=failed', 'job/survivor', '--timeout=30s']);
      const exit = await ok(second, [
        'get',
        'pods',
        '-n',
        'crash',
        '-o',
        'jsonpath={.items[0].status.containerStatuses[0].state.terminated.exitCode}',
      ]);
      expect(exit).toBe('3');
    } finally {
      await second.stop();
    }
  });
});
