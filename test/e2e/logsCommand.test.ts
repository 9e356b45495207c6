/**
 * `batchd logs` with the real binary on the process runtime: a Job's pods print lines, the Job is
 * deleted (its pods go, so `kubectl logs` has nothing), and the kept files still answer by job
 * name, by pod name, with `--tail`; unknown names fail in one line.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { batchd, type ExecResult, eventually, type Server, serverForFile, tempDir } from '../helpers.js';

const server = serverForFile({ namespaces: ['kept'] });

async function ok(s: Server, args: string[], stdin?: string): Promise<string> {
  const res: ExecResult = await s.kubectl(args, stdin === undefined ? {} : { stdin });
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

const logs = (args: string[]) => batchd(['logs', '--data-dir', server.dataDir, ...args]);

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: printer
spec:
  completionMode: Indexed
  completions: 2
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", "echo first $JOB_COMPLETION_INDEX; echo second $JOB_COMPLETION_INDEX"]
`;

describe('batchd logs after the Job is deleted', () => {
  /** Pod names by completion index. */
  const pods: string[] = [];

  beforeAll(async () => {
    await ok(server, ['apply', '-n', 'kept', '-f', '-'], JOB);
    await ok(server, ['wait', '-n', 'kept', '--for=condition=complete', 'job/printer', '--timeout=30s']);
    const listed = await ok(server, [
      'get',
      'pods',
      '-n',
      'kept',
      '-l',
      'batch.kubernetes.io/job-name=printer',
      '-o',
      'jsonpath={range .items[*]}{.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index} {.metadata.name}{"\\n"}{end}',
    ]);
    for (const line of listed.trim().split('\n')) {
      const [index, name] = line.split(' ');
      pods[Number(index)] = name ?? '';
    }
    await ok(server, ['delete', 'job', 'printer', '-n', 'kept']);
    await eventually(
      async () => {
        const left = await ok(server, ['get', 'pods', '-n', 'kept', '-o', 'name']);
        expect(left.trim()).toBe('');
      },
      { timeoutMs: 20_000 },
    );
    // The API has forgotten the pods: kubectl logs is a 404, as upstream.
    const gone = await server.kubectl(['logs', '-n', 'kept', pods[0] ?? '']);
    expect(gone.code).not.toBe(0);
  });

  test("job/NAME prints every pod's lines, each prefixed by its pod and container", async () => {
    const res = await logs(['-n', 'kept', 'job/printer']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.trimEnd().split('\n').sort()).toEqual(
      [
        `[pod/${pods[0]}/main] first 0`,
        `[pod/${pods[0]}/main] second 0`,
        `[pod/${pods[1]}/main] first 1`,
        `[pod/${pods[1]}/main] second 1`,
      ].sort(),
    );
  });

  test('a pod name prints that pod alone, unprefixed', async () => {
    const res = await logs(['-n', 'kept', pods[1] ?? '']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('first 1\nsecond 1\n');
  });

  test('--tail keeps the last lines, and --timestamps adds when they were written', async () => {
    const res = await logs(['-n', 'kept', '--tail', '1', '--timestamps', `pod/${pods[0]}`]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z second 0\n$/);
  });
});

describe('batchd logs fails in one line, with exit code 1, for', () => {
  const cases: Array<{ name: string; args: string[]; stderr: string }> = [
    {
      name: 'a job with no kept logs',
      args: ['job/never-ran'],
      stderr: 'batchd: no logs kept for job "never-ran" in namespace "default"\n',
    },
    {
      name: 'a pod with no kept logs',
      args: ['-n', 'kept', 'ghost'],
      stderr: 'batchd: no logs kept for pod "ghost" in namespace "kept"\n',
    },
  ];
  test('a data dir that holds no logs', async () => {
    const dir = tempDir();
    const res = await batchd(['logs', '--data-dir', dir, 'job/printer']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `batchd: no container logs under ${dir}: give the --data-dir that batchd serve uses\n`,
    );
  });

  for (const tc of cases)
    test(tc.name, async () => {
      const res = await logs(tc.args);
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(tc.stderr);
      expect(res.stdout).toBe('');
    });
});
