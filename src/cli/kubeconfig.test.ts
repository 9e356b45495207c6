import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type Credentials, ensureCredentials } from './credentials.js';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';

const run = promisify(execFile);

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('kubeconfigYaml', () => {
  const cases: Array<{ name: string; opts: Parameters<typeof kubeconfigYaml>[0]; want: unknown }> = [
    {
      name: 'one cluster, user and context named batchd, that context current',
      opts: { server: 'https://127.0.0.1:6443', caCertPem: CA, token: 'tok' },
      want: {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'batchd',
            cluster: {
              server: 'https://127.0.0.1:6443',
              'certificate-authority-data': Buffer.from(CA).toString('base64'),
            },
          },
        ],
        users: [{ name: 'batchd', user: { token: 'tok' } }],
        contexts: [{ name: 'batchd', context: { cluster: 'batchd', user: 'batchd' } }],
        'current-context': 'batchd',
        preferences: {},
      },
    },
    {
      name: 'a given name names the cluster, user and context',
      opts: { server: 'https://[::1]:6443', caCertPem: CA, token: 'tok', name: 'lab' },
      want: {
        clusters: [{ name: 'lab', cluster: { server: 'https://[::1]:6443' } }],
        users: [{ name: 'lab' }],
        contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'lab' } }],
        'current-context': 'lab',
      },
    },
  ];
  for (const tc of cases)
    test(tc.name, () => expect(parse(kubeconfigYaml(tc.opts))).toMatchObject(tc.want as object));

  test('the embedded CA stays on one line however long it is', () => {
    const long = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(2000)}\n-----END CERTIFICATE-----\n`;
    const line = kubeconfigYaml({ server: 'https://x', caCertPem: long, token: 't' })
      .split('\n')
      .find((l) => l.includes('certificate-authority-data'));
    expect(line).toContain(Buffer.from(long).toString('base64'));
  });
});

describe('writeKubeconfig', () => {
  let dir: string;
  let creds: Credentials;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batchd-kubeconfig-'));
    creds = await ensureCredentials(join(dir, 'data'), { hosts: [] });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('writes mode 0600, creating the directory, replacing an older world-readable file', async () => {
    const path = join(dir, 'home', '.kube', 'config');
    await writeKubeconfig(path, { server: 'https://127.0.0.1:1', caCertPem: creds.caCertPem, token: 'old' });
    await writeFile(path, 'stale', { mode: 0o644 });
    await writeKubeconfig(path, {
      server: 'https://127.0.0.1:1',
      caCertPem: creds.caCertPem,
      token: creds.token,
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(parse(await readFile(path, 'utf8'))).toMatchObject({ users: [{ user: { token: creds.token } }] });
  });

  test('writes through a symlink rather than replacing it', async () => {
    const target = join(dir, 'real-config');
    const link = join(dir, 'config');
    await writeFile(target, '');
    await symlink(target, link);
    await writeKubeconfig(link, {
      server: 'https://127.0.0.1:1',
      caCertPem: creds.caCertPem,
      token: creds.token,
    });
    expect((await stat(link)).isFile()).toBe(true);
    expect(await readFile(target, 'utf8')).toContain(creds.token);
  });

  test('kubectl reads back the server, token and CA', async () => {
    const path = join(dir, 'kubeconfig');
    await writeKubeconfig(path, {
      server: 'https://127.0.0.1:6443',
      caCertPem: creds.caCertPem,
      token: creds.token,
    });
    const { stdout } = await run('kubectl', ['config', 'view', '--raw', '--kubeconfig', path, '-o', 'json']);
    const view = JSON.parse(stdout) as {
      clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
      users: Array<{ name: string; user: { token: string } }>;
      'current-context': string;
    };
    expect(view['current-context']).toBe('batchd');
    expect(view.clusters[0]?.cluster.server).toBe('https://127.0.0.1:6443');
    expect(
      Buffer.from(view.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(),
    ).toBe(creds.caCertPem);
    expect(view.users[0]?.user.token).toBe(creds.token);
  });

  // kubectl is Go: stricter about certificates than Node (SANs required, key usages checked), so
  // this is the check that the real client accepts what we issue and sends the token.
  test.each(['127.0.0.1', 'localhost'])('kubectl reaches a TLS server at %s with the token', async (host) => {
    const server = createServer({ key: creds.serverKeyPem, cert: creds.serverCertPem }, (req, res) => {
      const ok = req.headers.authorization === `Bearer ${creds.token}`;
      res.writeHead(ok ? 200 : 401).end(ok ? 'ok' : 'unauthorized');
    });
    await new Promise<void>((resolve) => server.listen(0, resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const path = join(dir, 'kubeconfig');
      await writeKubeconfig(path, {
        server: `https://${host}:${port}`,
        caCertPem: creds.caCertPem,
        token: creds.token,
      });
      const args = ['get', '--raw', '/healthz', '--kubeconfig', path, '--cache-dir', join(dir, 'cache')];
      const { stdout } = await run('kubectl', [...args, '--request-timeout', '10s']);
      expect(stdout).toBe('ok');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
