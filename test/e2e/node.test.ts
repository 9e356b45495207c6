/**
 * The node agent end to end: the real binary with `--runtime simulated`, driven by kubectl.
 * Pod behaviour comes from `sim.batchd.io/*` annotations, so no test waits on real processes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type ExecResult, eventually, killAll, type Proc, removeTempDirs, startServer } from '../helpers.js';

interface NodeServer {
  proc: Proc;
  kubectl(args: string[], stdin?: string): Promise<ExecResult>;
}

async function startSimulated(extra: string[] = []): Promise<NodeServer> {
  const server = await startServer({ args: ['--runtime', 'simulated', '--node-name', 'e2e-node', ...extra] });
  return {
    proc: server.proc,
    kubectl: (args, stdin) => server.kubectl(args, stdin === undefined ? {} : { stdin }),
  };
}

const pod = (name: string, annotations: Record<string, string>, restartPolicy = 'Never') => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
  restartPolicy: ${restartPolicy}
  containers:
  - name: main
    image: busybox
    command: ["echo", "hello"]
`;

let server: NodeServer;

beforeAll(async () => {
  server = await startSimulated(['--max-pods', '3']);
});
afterAll(async () => {
  await killAll();
  removeTempDirs();
});
afterEach(async () => {
  await server.kubectl(['delete', 'pods', '--all', '--wait=false']);
});

describe('the node agent with the simulated runtime', () => {
  test('kubectl get nodes shows this machine Ready with the simulated runtime', async () => {
    const got = await server.kubectl(['get', 'nodes', '-o', 'wide']);
    expect(got.stderr).toBe('');
    expect(got.stdout).toMatch(/^e2e-node\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\+batchd/m);
    expect(got.stdout).toContain('simulated://');
    const described = await server.kubectl(['describe', 'node', 'e2e-node']);
    expect(described.stdout).toContain('batchd.io/runtime-capabilities: simulated');
    expect(described.stdout).toMatch(/Ready\s+True\s.*KubeletReady/);
  });

  test('a pod runs, prints its log, completes, and kubectl logs reads it with --tail', async () => {
    const manifest = pod('hello', {
      'sim.batchd.io/log': 'one\ntwo\nthree',
      'sim.batchd.io/run-seconds': '1',
    });
    expect((await server.kubectl(['apply', '-f', '-'], manifest)).code).toBe(0);
    const followed = await server.kubectl(['logs', '-f', 'hello']);
    expect(followed.stdout).toBe('one\ntwo\nthree\n');
    await eventually(async () => {
      const got = await server.kubectl(['get', 'pod', 'hello', '-o', 'jsonpath={.status.phase}']);
      expect(got.stdout).toBe('Succeeded');
    });
    expect((await server.kubectl(['logs', 'hello', '--tail', '1'])).stdout).toBe('three\n');
    const previous = await server.kubectl(['logs', 'hello', '--previous']);
    expect(previous.stderr).toContain('previous terminated container "main" in pod "hello" not found');
  });

  test('OnFailure restarts are counted and --previous shows the last run', async () => {
    const manifest = pod(
      'flaky',
      { 'sim.batchd.io/exit-code': '1,0', 'sim.batchd.io/run-seconds': '0', 'sim.batchd.io/log': 'attempt' },
      'OnFailure',
    );
    expect((await server.kubectl(['apply', '-f', '-'], manifest)).code).toBe(0);
    await eventually(async () => {
      const got = await server.kubectl([
        'get',
        'pod',
        'flaky',
        '-o',
        'jsonpath={.status.phase} {.status.containerStatuses[0].restartCount}',
      ]);
      expect(got.stdout).toBe('Succeeded 1');
    });
    expect((await server.kubectl(['logs', 'flaky', '--previous'])).stdout).toBe('attempt\n');
  });

  test('a pod that needs more cpu than the node has stays Pending as Unschedulable', async () => {
    const manifest = `${pod('huge', {})}    resources: {requests: {cpu: "1000"}}\n`;
    expect((await server.kubectl(['apply', '-f', '-'], manifest)).code).toBe(0);
    await eventually(async () => {
      const got = await server.kubectl([
        'get',
        'pod',
        'huge',
        '-o',
        'jsonpath={.status.conditions[0].reason}: {.status.conditions[0].message}',
      ]);
      expect(got.stdout).toMatch(/^Unschedulable: 0\/1 nodes are available: 1 Insufficient cpu\./);
    });
  });

  test('kubectl delete pod returns once the container stopped within its grace period', async () => {
    const manifest = pod('long', { 'sim.batchd.io/run-seconds': '1000', 'sim.batchd.io/stop-seconds': '1' });
    expect((await server.kubectl(['apply', '-f', '-'], manifest)).code).toBe(0);
    await eventually(async () => {
      const got = await server.kubectl(['get', 'pod', 'long', '-o', 'jsonpath={.status.phase}']);
      expect(got.stdout).toBe('Running');
    });
    const deleted = await server.kubectl(['delete', 'pod', 'long']);
    expect(deleted.stdout).toBe('pod "long" deleted\n');
    const after = await server.kubectl(['get', 'pod', 'long']);
    expect(after.stderr).toContain('pods "long" not found');
  });
});
