import { X509Certificate } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, get, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type Credentials,
  credentialPaths,
  ensureCredentials,
  type SubjectAltNames,
  subjectAltNames,
  writeFileAtomic,
} from './credentials.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('subjectAltNames', () => {
  const machine = {
    hostname: 'Box',
    interfaces: {
      lo: [iface('127.0.0.1', 'IPv4'), iface('::1', 'IPv6')],
      eth0: [iface('192.0.2.2', 'IPv4'), iface('fe80::fc:ff:fe00:1', 'IPv6')],
    },
  };
  const defaults = { dns: ['localhost', 'box'], ips: ['127.0.0.1', '::1'] };
  const cases: Array<{ name: string; hosts: string[]; want: SubjectAltNames }> = [
    { name: 'no extra hosts gives loopback names and the hostname', hosts: [], want: defaults },
    {
      name: 'an IP literal becomes an IP SAN and a name a DNS SAN',
      hosts: ['10.0.0.5', 'batch.example', '2001:db8::1'],
      want: { dns: [...defaults.dns, 'batch.example'], ips: [...defaults.ips, '10.0.0.5', '2001:db8::1'] },
    },
    {
      name: 'duplicates collapse across case, brackets, zones and IPv6 spellings',
      hosts: [
        'LOCALHOST',
        '[::1]',
        '0:0:0:0:0:0:0:1',
        'box',
        '10.0.0.5',
        ' 10.0.0.5 ',
        'fe80::1%eth0',
        'FE80::1',
      ],
      want: { dns: defaults.dns, ips: [...defaults.ips, '10.0.0.5', 'fe80::1'] },
    },
    {
      name: 'the IPv4 wildcard is replaced by every interface address',
      hosts: ['0.0.0.0'],
      want: { dns: defaults.dns, ips: [...defaults.ips, '192.0.2.2', 'fe80::fc:ff:fe00:1'] },
    },
    {
      name: 'the IPv6 wildcard, in any spelling, is replaced by every interface address',
      hosts: ['[::]', '0::0'],
      want: { dns: defaults.dns, ips: [...defaults.ips, '192.0.2.2', 'fe80::fc:ff:fe00:1'] },
    },
    { name: 'empty hosts are ignored', hosts: ['', '  '], want: defaults },
  ];
  for (const tc of cases) test(tc.name, () => expect(subjectAltNames(tc.hosts, machine)).toEqual(tc.want));
});

describe('ensureCredentials', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'batchd-credentials-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a first start writes a CA, a serving cert it signed, and a token, with secrets 0600', async () => {
    const creds = await ensureCredentials(dataDir, { hosts: ['batch.example', '10.1.2.3'] });
    const paths = credentialPaths(dataDir);

    const ca = new X509Certificate(creds.caCertPem);
    const server = new X509Certificate(creds.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(server.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(daysBetween(ca.validFrom, ca.validTo)).toBeGreaterThan(3640);
    expect(daysBetween(server.validFrom, server.validTo)).toBeGreaterThan(360);
    expect(sanList(server)).toEqual(
      expect.arrayContaining([
        'DNS:localhost',
        `DNS:${hostname().toLowerCase()}`,
        'DNS:batch.example',
        'IP Address:127.0.0.1',
        'IP Address:0:0:0:0:0:0:0:1',
        'IP Address:10.1.2.3',
      ]),
    );
    expect(creds.serverKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(creds.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await readFile(paths.caCert, 'utf8')).toBe(creds.caCertPem);
    expect(await readFile(paths.serverCert, 'utf8')).toBe(creds.serverCertPem);
    expect(await readFile(paths.serverKey, 'utf8')).toBe(creds.serverKeyPem);
    expect((await readFile(paths.token, 'utf8')).trim()).toBe(creds.token);
    for (const secret of [paths.caKey, paths.serverKey, paths.token]) expect(await mode(secret)).toBe(0o600);
    expect(await mode(paths.pki)).toBe(0o700);
  });

  test('a second start reuses every file unchanged, however the hosts are spelled', async () => {
    // Node prints IPv6 SANs expanded and upper-case, and quotes names holding a comma.
    const hosts = ['Batch.Example', '2001:DB8::1', 'odd,name', '0.0.0.0'];
    const first = await ensureCredentials(dataDir, { hosts });
    const before = await snapshot(dataDir);
    const second = await ensureCredentials(dataDir, { hosts });
    expect(second).toEqual(first);
    expect(await snapshot(dataDir)).toEqual(before);
  });

  test('a newly requested host re-issues only the serving cert', async () => {
    const first = await ensureCredentials(dataDir, { hosts: [] });
    const second = await ensureCredentials(dataDir, { hosts: ['new.example'] });
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.token).toBe(first.token);
    expect(second.serverCertPem).not.toBe(first.serverCertPem);
    expect(second.serverKeyPem).not.toBe(first.serverKeyPem);
    expect(sanList(new X509Certificate(second.serverCertPem))).toContain('DNS:new.example');
    // Dropping the host again keeps the wider cert: a superset still serves every name.
    expect(await ensureCredentials(dataDir, { hosts: [] })).toEqual(second);
  });

  test('a serving cert within 30 days of expiry is re-issued; one with 31 days left is kept', async () => {
    const first = await ensureCredentials(dataDir, { hosts: [] });
    const validTo = new Date(new X509Certificate(first.serverCertPem).validTo).getTime();

    const kept = await ensureCredentials(dataDir, { hosts: [], now: new Date(validTo - 31 * DAY_MS) });
    expect(kept).toEqual(first);

    const now = new Date(validTo - 29 * DAY_MS);
    const renewed = await ensureCredentials(dataDir, { hosts: [], now });
    expect(renewed.caCertPem).toBe(first.caCertPem);
    expect(renewed.token).toBe(first.token);
    expect(new Date(new X509Certificate(renewed.serverCertPem).validTo).getTime()).toBeGreaterThan(
      now.getTime() + 300 * DAY_MS,
    );
  });

  test('a lost serving key re-issues the serving cert, a lost token only the token', async () => {
    const first = await ensureCredentials(dataDir, { hosts: [] });
    const paths = credentialPaths(dataDir);

    await unlink(paths.serverKey);
    const reissued = await ensureCredentials(dataDir, { hosts: [] });
    expect(reissued).toMatchObject({ caCertPem: first.caCertPem, token: first.token });
    expect(reissued.serverCertPem).not.toBe(first.serverCertPem);

    await unlink(paths.token);
    const retokened = await ensureCredentials(dataDir, { hosts: [] });
    expect(retokened).toMatchObject({ caCertPem: first.caCertPem, serverCertPem: reissued.serverCertPem });
    expect(retokened.token).not.toBe(first.token);
  });

  test('a CA key that does not match its cert (a crash mid-write) regenerates the CA and serving cert', async () => {
    const first = await ensureCredentials(dataDir, { hosts: [] });
    const paths = credentialPaths(dataDir);
    await copyFile(paths.serverKey, paths.caKey);

    const second = await ensureCredentials(dataDir, { hosts: [] });
    expect(second.caCertPem).not.toBe(first.caCertPem);
    expect(second.token).toBe(first.token);
    expect(new X509Certificate(second.serverCertPem).checkIssued(new X509Certificate(second.caCertPem))).toBe(
      true,
    );
  });

  test('a ca.crt that is not a CA is reported rather than overwritten', async () => {
    await ensureCredentials(dataDir, { hosts: [] });
    const paths = credentialPaths(dataDir);
    await copyFile(paths.serverCert, paths.caCert);
    await copyFile(paths.serverKey, paths.caKey);
    await expect(ensureCredentials(dataDir, { hosts: [] })).rejects.toThrow(/is not a CA certificate/);
  });

  test('a garbled ca.crt is reported with its path', async () => {
    await ensureCredentials(dataDir, { hosts: [] });
    await writeFile(credentialPaths(dataDir).caCert, 'not a certificate');
    await expect(ensureCredentials(dataDir, { hosts: [] })).rejects.toThrow(
      /ca\.crt is not a PEM certificate/,
    );
  });

  test('the wildcard host puts every local interface address in the serving cert', async () => {
    const creds = await ensureCredentials(dataDir, { hosts: ['0.0.0.0'] });
    const sans = sanList(new X509Certificate(creds.serverCertPem));
    const v4 = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i?.family === 'IPv4')
      .map((i) => `IP Address:${i?.address}`);
    expect(sans).toEqual(expect.arrayContaining(v4));
  });

  describe('served over real TLS', () => {
    let creds: Credentials;
    let port: number;
    let close: () => Promise<void>;
    beforeEach(async () => {
      creds = await ensureCredentials(dataDir, { hosts: ['batch.example'] });
      ({ port, close } = await serve(creds));
    });
    afterEach(async () => close());

    const cases: Array<{ name: string; request: RequestOptions; trustCa?: false; want: string | RegExp }> = [
      { name: 'a client trusting the CA reaches localhost', request: { host: 'localhost' }, want: 'ok' },
      { name: 'a client trusting the CA reaches 127.0.0.1', request: { host: '127.0.0.1' }, want: 'ok' },
      {
        name: 'an extra host is accepted as a server name',
        request: { host: '127.0.0.1', servername: 'batch.example' },
        want: 'ok',
      },
      {
        name: 'a name outside the SANs is refused',
        request: { host: '127.0.0.1', servername: 'elsewhere.example' },
        want: /ERR_TLS_CERT_ALTNAME_INVALID/,
      },
      {
        name: 'a client not trusting the CA is refused',
        request: { host: '127.0.0.1' },
        trustCa: false,
        want: /UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
      },
    ];
    for (const tc of cases) {
      test(tc.name, async () => {
        const ca = tc.trustCa === false ? undefined : creds.caCertPem;
        const result = await fetchText({ ...tc.request, port, ca, path: '/healthz', agent: false }).catch(
          (err: NodeJS.ErrnoException) => `${err.code}: ${err.message}`,
        );
        if (typeof tc.want === 'string') expect(result).toBe(tc.want);
        else expect(result).toMatch(tc.want);
      });
    }
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batchd-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('replacing a world-readable file leaves only the new content at the requested mode', async () => {
    const path = join(dir, 'secret');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, 'new', 0o600);
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await mode(path)).toBe(0o600);
    expect(Object.keys(await snapshot(dir))).toEqual(['secret']);
  });

  test('a rename that fails leaves the target untouched and no temp file behind', async () => {
    // A directory in the way makes rename(2) fail after the temp file was fully written.
    await mkdir(join(dir, 'target'));
    await writeFile(join(dir, 'target', 'inner'), 'old');
    await expect(writeFileAtomic(join(dir, 'target'), 'new', 0o600)).rejects.toThrow(/EISDIR/);
    expect(await snapshot(dir)).toEqual({ 'target/inner': 'old' });
  });
});

function iface(address: string, family: 'IPv4' | 'IPv6') {
  const common = { address, netmask: '', mac: '00:00:00:00:00:00', internal: false, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

function sanList(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '').split(', ');
}

function daysBetween(from: string, to: string): number {
  return (new Date(to).getTime() - new Date(from).getTime()) / DAY_MS;
}

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

// Every file under dir (relative path → content), to show that a start touched nothing.
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = await readFile(path, 'utf8');
  }
  return out;
}

async function serve(creds: Credentials): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer({ key: creds.serverKeyPem, cert: creds.serverCertPem }, (_req, res) => {
    res.end('ok');
  });
  // No host: listen on the dual-stack wildcard so `localhost` works whether it resolves to ::1 or 127.0.0.1.
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fetchText(options: RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    get(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
