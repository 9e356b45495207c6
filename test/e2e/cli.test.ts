/**
 * The batchd command line as a user meets it: version, the errors `serve` reports in one line,
 * the data-dir lock, clean shutdown, and state, token and CA surviving a restart.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  API_ONLY,
  batchd,
  type KubeObjectLike,
  killAll,
  newJob,
  readKubeconfig,
  removeTempDirs,
  startServer,
  tempDir,
} from '../helpers.js';

afterEach(async () => {
  await killAll();
  removeTempDirs();
});

/** The lines a failed command wrote on stderr. */
const lines = (text: string) => text.trimEnd().split('\n');

describe('batchd version', () => {
  test('prints its version and the Kubernetes API version it serves', async () => {
    const res = await batchd(['version']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^batchd \d+\.\d+\.\d+\S* \(Kubernetes API v1\.32\)\n$/);
    expect(res.stderr).toBe('');
  });
});

describe('batchd serve refuses to start, in one line, when', () => {
  test('the port is taken', async () => {
    const blocker: NetServer = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dataDir = tempDir();
      const res = await batchd(['serve', '--data-dir', dataDir, '--port', String(port)]);
      expect(res.code).toBe(1);
      expect(lines(res.stderr)).toEqual([
        `batchd: port ${port} on 127.0.0.1 is already in use: stop what holds it, or pick another with --port (0 picks a free one)`,
      ]);
      // The failed start let go of the data dir.
      expect(existsSync(join(dataDir, 'batchd.lock'))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('the data dir cannot be created (a path under a regular file)', async () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'not a directory');
    const dataDir = join(file, 'state');
    const res = await batchd(['serve', '--data-dir', dataDir, '--port', '0']);
    expect(res.code).toBe(1);
    expect(lines(res.stderr)).toEqual([`batchd: cannot use data dir ${dataDir}: ENOTDIR`]);
  });

  test('another batchd serves the same data dir, naming its pid', async () => {
    const first = await startServer({ args: API_ONLY });
    const res = await batchd(['serve', '--data-dir', first.dataDir, '--port', '0']);
    expect(res.code).toBe(1);
    expect(lines(res.stderr)).toEqual([
      `batchd: data dir ${first.dataDir} is in use by another batchd (pid ${first.pid}); stop it or pick another --data-dir`,
    ]);
    // The refused process must not have taken anything from the running one.
    expect((await first.request('GET', '/healthz')).code).toBe(200);
    expect(await first.stop()).toBe(0);
  });
});

describe('lifecycle', () => {
  test('SIGTERM exits 0 and releases the lock, so a new serve on the same dir starts', async () => {
    const first = await startServer({ args: API_ONLY });
    expect(statSync(join(first.dataDir, 'batchd.lock')).isFile()).toBe(true);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(first.dataDir, 'batchd.lock'))).toBe(false);
    const second = await startServer({ dataDir: first.dataDir, args: API_ONLY });
    expect((await second.request('GET', '/healthz')).code).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  const stops: Array<{ name: string; signal: NodeJS.Signals }> = [
    { name: 'a job survives a SIGTERM and a restart on the same data dir', signal: 'SIGTERM' },
    { name: 'a job survives kill -9 (a stale lock) and a restart on the same data dir', signal: 'SIGKILL' },
  ];
  for (const tc of stops) {
    test(tc.name, async () => {
      const first = await startServer({ args: API_ONLY });
      const created = await first.request<KubeObjectLike>('POST', '/apis/batch/v1/namespaces/default/jobs', {
        body: newJob('durable'),
      });
      expect(created.code, created.text).toBe(201);
      await first.stop(tc.signal);

      const second = await startServer({ dataDir: first.dataDir, args: API_ONLY });
      const res = await second.kubectl(['get', 'job', 'durable', '-o', 'json']);
      expect(res.code, res.stderr).toBe(0);
      const job = JSON.parse(res.stdout) as KubeObjectLike;
      expect(job.metadata.uid).toBe(created.body.metadata.uid);
      expect(job.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
      // The revision counter resumes after the stored history.
      const next = await second.request<KubeObjectLike>('POST', '/apis/batch/v1/namespaces/default/jobs', {
        body: newJob('after-restart'),
      });
      expect(Number(next.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.body.metadata.resourceVersion),
      );
      expect(await second.stop()).toBe(0);
    });
  }

  test('the kubeconfig is mode 0600, and a restart keeps its token and CA', async () => {
    const first = await startServer({ args: API_ONLY });
    expect(statSync(first.kubeconfig).mode & 0o777).toBe(0o600);
    const before = readKubeconfig(first.kubeconfig);
    expect(before.server).toBe(first.url);
    expect(await first.stop()).toBe(0);

    const second = await startServer({ dataDir: first.dataDir, args: API_ONLY });
    expect(second.kubeconfig).toBe(first.kubeconfig);
    expect(statSync(second.kubeconfig).mode & 0o777).toBe(0o600);
    const after = readKubeconfig(second.kubeconfig);
    expect(after.token).toBe(before.token);
    expect(after.ca).toBe(before.ca);
    expect(after.server).toBe(second.url);
    // Credentials kept by the restart still work against the new process.
    const res = await second.kubectl(['get', 'ns', 'default', '-o', 'name']);
    expect(res.stdout).toBe('namespace/default\n');
    expect(await second.stop()).toBe(0);
  });
});
