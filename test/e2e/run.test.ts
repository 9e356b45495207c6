/**
 * `batchd run` with the real binary and the process runtime: Jobs run to their outcome with their
 * logs on stdout, bad input is refused before anything runs, --timeout and signals stop the
 * containers, and --port lets kubectl in while it runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import {
  BIN,
  type ExecResult,
  eventually,
  killAll,
  removeTempDirs,
  run,
  startProcess,
  startServer,
  tempDir,
} from '../helpers.js';

afterEach(async () => {
  await killAll();
});
afterAll(() => removeTempDirs());

/** A Job whose one container runs `script` under sh. */
function jobYaml(name: string, script: string, spec = ''): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sh", "-c", ${JSON.stringify(script)}]
`;
}

function manifest(text: string, name = 'job.yaml'): string {
  const file = join(tempDir('batchd-run-e2e-'), name);
  writeFileSync(file, text);
  return file;
}

const batchdRun = (args: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<ExecResult> =>
  run(process.execPath, [BIN, 'run', '--job-backoff-scale', '0.01', ...args], {
    timeoutMs: opts.timeoutMs ?? 25_000,
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
  });

/** The log lines of stdout, sorted (pods run in parallel). */
const lines = (stdout: string) => stdout.trimEnd().split('\n').sort();

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('batchd run', () => {
  test('a Job that succeeds exits 0, with each log line prefixed by its pod and container', async () => {
    const file = manifest(
      jobYaml(
        'hello',
        'echo "hi from $HOSTNAME"; printf "no newline"',
        '  completions: 2\n  parallelism: 2\n',
      ),
    );
    const res = await batchdRun([file]);
    expect(res.stderr).toBe('job/hello complete: 2 succeeded, 0 failed\n');
    expect(res.code).toBe(0);
    const got = lines(res.stdout);
    expect(got).toHaveLength(4);
    for (const line of got)
      expect(line).toMatch(/^\[pod\/hello-[a-z0-9]{5}\/main\] (hi from hello-[a-z0-9]{5}|no newline)$/);
    // Each pod's lines carry that pod's own name.
    for (const line of got.filter((l) => l.includes('hi from'))) {
      const [, pod, host] = /^\[pod\/(\S+)\/main\] hi from (\S+)$/.exec(line) ?? [];
      expect(host).toBe(pod);
    }
  });

  test('a Job that fails with backoffLimit 0 exits 1 and names the Failed reason', async () => {
    const file = manifest(jobYaml('boom', 'echo about to fail; exit 3', '  backoffLimit: 0\n'));
    const res = await batchdRun([file]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^\[pod\/boom-[a-z0-9]{5}\/main\] about to fail\n$/);
    expect(res.stderr).toBe(
      'job/boom failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n',
    );
  });

  test('two Jobs in one multi-document file both run, and the run ends when both are complete', async () => {
    const file = manifest(`${jobYaml('first', 'echo one')}---\n${jobYaml('second', 'echo two')}`);
    const res = await batchdRun([file]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^\[pod\/first-[a-z0-9]{5}\/main\] one$/m);
    expect(res.stdout).toMatch(/^\[pod\/second-[a-z0-9]{5}\/main\] two$/m);
    expect(res.stderr.trimEnd().split('\n').sort()).toEqual([
      'job/first complete: 1 succeeded, 0 failed',
      'job/second complete: 1 succeeded, 0 failed',
    ]);
  });

  test('- reads the manifests from stdin, into --namespace', async () => {
    const res = await batchdRun(['-n', 'batch', '-'], { stdin: jobYaml('piped', 'echo from stdin') });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^\[pod\/piped-[a-z0-9]{5}\/main\] from stdin\n$/);
    expect(res.stderr).toBe('job/piped complete: 1 succeeded, 0 failed\n');
  });

  test('--timeout ends the run with 1, names the Job, and stops its container', async () => {
    const dir = tempDir('batchd-run-e2e-');
    const pidFile = join(dir, 'pid');
    // `$$` is the API's escape for a literal `$`, so the shell sees `$$` (its pid).
    const file = manifest(jobYaml('sleepy', `echo $$$$ > ${pidFile}; echo sleeping; exec sleep 300`));
    const res = await batchdRun(['--timeout', '2s', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('timed out after 2s waiting for job/sleepy\n');
    expect(res.stdout).toMatch(/\/main\] sleeping\n$/);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    await eventually(() => expect(alive(pid)).toBe(false), { timeoutMs: 5000 });
  });

  test('the simulated runtime streams the log text its pods are annotated with', async () => {
    const file = manifest(
      jobYaml(
        'sim',
        'true',
        '  completions: 2\n  parallelism: 2\n  template:\n    metadata:\n      annotations:\n        sim.batchd.io/log: "simulated"\n',
      ).replace('  template:\n    spec:', '    spec:'),
    );
    const res = await batchdRun(['--runtime', 'simulated', file]);
    expect(res.code).toBe(0);
    expect(lines(res.stdout)).toEqual([
      expect.stringMatching(/^\[pod\/sim-[a-z0-9]{5}\/main\] simulated$/),
      expect.stringMatching(/^\[pod\/sim-[a-z0-9]{5}\/main\] simulated$/),
    ]);
    expect(res.stderr).toBe('job/sim complete: 2 succeeded, 0 failed\n');
  });

  test('CronJobs alone run until --timeout, which then ends the run with 0', async () => {
    const file = manifest(`apiVersion: batch/v1
kind: CronJob
metadata:
  name: yearly
spec:
  schedule: "* * * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
            command: ["true"]
`);
    const res = await batchdRun(['--timeout', '1s', file]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe('');
  });

  test('--port serves the API while the Jobs run, and SIGINT stops it with 130', async () => {
    const file = manifest(jobYaml('waiting', 'echo up; exec sleep 300'));
    const proc = startProcess(process.execPath, [BIN, 'run', '--port', '0', file]);
    const kubeconfig = await eventually(
      () => {
        const m = /export KUBECONFIG=(\S+)/.exec(proc.stderr());
        if (!m?.[1]) throw new Error(`no export line yet: ${proc.stderr()}`);
        return m[1];
      },
      { timeoutMs: 15_000 },
    );
    expect(proc.stderr()).toMatch(/^batchd \S+ serving https:\/\/127\.0\.0\.1:\d+ — export KUBECONFIG=/);
    const env = { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(tempDir('batchd-run-kube-'), 'cache') };
    await eventually(
      async () => {
        const got = await run('kubectl', ['get', 'jobs', '-o', 'name'], { env });
        expect(got.stdout).toBe('job.batch/waiting\n');
      },
      { timeoutMs: 15_000 },
    );
    await eventually(() => expect(proc.stdout()).toMatch(/\[pod\/waiting-[a-z0-9]{5}\/main\] up\n/), {
      timeoutMs: 15_000,
    });
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(130);
  });

  test('SIGTERM stops the run with 143, and its containers with it', async () => {
    const pidFile = join(tempDir('batchd-run-e2e-'), 'pid');
    const file = manifest(jobYaml('terminated', `echo $$$$ > ${pidFile}; echo up; exec sleep 300`));
    const proc = startProcess(process.execPath, [BIN, 'run', file]);
    await eventually(() => expect(proc.stdout()).toContain('] up\n'), { timeoutMs: 15_000 });
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(143);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });
});

describe('batchd run refuses bad input with exit code 2, before anything runs', () => {
  const good = jobYaml('good', 'echo should never run');
  const cases: Array<{ name: string; text: string; stderr: (file: string) => string }> = [
    {
      name: 'an invalid Job, printed as kubectl prints a 422',
      text: `${good}---\n${jobYaml('x', 'true').replace('restartPolicy: Never', 'restartPolicy: Always')}`,
      stderr: () =>
        'The Job "x" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n',
    },
    {
      name: 'an unknown kind',
      text: `${good}---\napiVersion: batch/v1\nkind: Jobx\nmetadata:\n  name: x\n`,
      stderr: (file) =>
        `error: resource mapping not found for name: "x" namespace: "" from "${file}": no matches for kind "Jobx" in version "batch/v1"\nensure CRDs are installed first\n`,
    },
    {
      name: 'YAML that does not parse',
      text: 'apiVersion: batch/v1\nkind: Job\n  metadata: [\n',
      stderr: (file) =>
        `error: error parsing ${file}: error converting YAML to JSON: yaml: Nested mappings are not allowed in compact mappings at line 2, column 7\n`,
    },
    {
      name: 'a field the Job type does not have, as kubectl’s strict validation rejects it',
      text: good.replace('spec:\n', 'spec:\n  bogus: 1\n'),
      stderr: (file) =>
        `Error from server (BadRequest): error when creating "${file}": Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.bogus"\n`,
    },
  ];
  for (const tc of cases)
    test(tc.name, async () => {
      const file = manifest(tc.text);
      const res = await batchdRun([file]);
      expect(res.stderr).toBe(tc.stderr(file));
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
    });

  test('a valid Job beside an invalid one is not created either', async () => {
    const dataDir = tempDir('batchd-run-e2e-');
    const bad = jobYaml('x', 'true').replace('restartPolicy: Never', 'restartPolicy: Always');
    const res = await batchdRun(['--data-dir', dataDir, manifest(`${good}---\n${bad}`)]);
    expect(res.code).toBe(2);
    const server = await startServer({ dataDir });
    try {
      const got = await server.kubectl(['get', 'jobs', '-A', '-o', 'name']);
      expect(got.stdout).toBe('');
      expect(got.code).toBe(0);
    } finally {
      await server.stop();
    }
  });

  test('a missing file', async () => {
    const res = await batchdRun(['no-such-file.yaml']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('error: the path "no-such-file.yaml" does not exist\n');
  });
});
