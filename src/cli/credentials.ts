import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname, type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type * as X509 from '@peculiar/x509';

/** What `batchd serve` needs for TLS and bearer-token authentication. */
export interface Credentials {
  caCertPem: string;
  serverCertPem: string;
  /** PKCS#8 PEM, as `tls.createServer({ key })` accepts it. */
  serverKeyPem: string;
  token: string;
}

export interface EnsureCredentialsOptions {
  /** Extra names or addresses clients use to reach the server (bind address, --tls-san, …). */
  hosts: readonly string[];
  /** The wall clock unless a test moves it to exercise renewal. */
  now?: Date;
}

/** The SANs of a serving certificate, split as X.509 stores them. */
export interface SubjectAltNames {
  dns: string[];
  ips: string[];
}

/** Where the files live inside the data dir; exported so tests and `batchd` docs agree on the layout. */
export function credentialPaths(dataDir: string) {
  const pki = join(dataDir, 'pki');
  return {
    pki,
    caCert: join(pki, 'ca.crt'),
    caKey: join(pki, 'ca.key'),
    serverCert: join(pki, 'server.crt'),
    serverKey: join(pki, 'server.key'),
    token: join(dataDir, 'token'),
  };
}

type Paths = ReturnType<typeof credentialPaths>;

const DAY_MS = 24 * 60 * 60 * 1000;
// kubeadm's split: a long-lived CA that goes into kubeconfigs, a short-lived serving cert that
// is re-issued from it at start-up, so rotating the serving cert never invalidates a kubeconfig.
const CA_VALIDITY_DAYS = 3650;
const SERVING_VALIDITY_DAYS = 365;
const RENEW_WITHIN_DAYS = 30;
// Backdated like client-go's cert helpers, so a clock a little behind still accepts a fresh cert.
const BACKDATE_MS = 60 * 60 * 1000;
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const EC_SIGN = { ...EC_KEY, hash: 'SHA-256' } as const;

/**
 * Loads the CA, serving certificate and bearer token from `dataDir`, creating whatever is
 * missing. The serving certificate alone is re-issued from the stored CA when it lacks a SAN in
 * `opts.hosts` (or the defaults), expires within 30 days, or no longer matches its key or CA;
 * the CA and token are kept, so existing kubeconfigs stay valid.
 *
 * @example
 * const creds = await ensureCredentials('/var/lib/batchd', { hosts: ['0.0.0.0'] });
 * https.createServer({ key: creds.serverKeyPem, cert: creds.serverCertPem }, handler);
 */
export async function ensureCredentials(
  dataDir: string,
  opts: EnsureCredentialsOptions,
): Promise<Credentials> {
  const now = opts.now ?? new Date();
  const paths = credentialPaths(dataDir);
  await mkdir(paths.pki, { recursive: true, mode: 0o700 });

  const wanted = subjectAltNames(opts.hosts, { hostname: hostname(), interfaces: networkInterfaces() });
  let ca = await loadCa(paths, now);
  const caIsNew = ca === undefined;
  if (ca === undefined) {
    ca = await generateCa(now);
    // Key before cert: a crash in between leaves a pair that fails checkPrivateKey and is redone.
    await writeFileAtomic(paths.caKey, ca.keyPem, 0o600);
    await writeFileAtomic(paths.caCert, ca.certPem, 0o644);
  }

  let server = caIsNew ? undefined : await loadServing(paths, ca, wanted, now);
  if (server === undefined) {
    server = await issueServing(ca, wanted, now);
    await writeFileAtomic(paths.serverKey, server.keyPem, 0o600);
    await writeFileAtomic(paths.serverCert, server.certPem, 0o644);
  }

  let token = (await readOptional(paths.token))?.trim();
  if (!token) {
    token = randomBytes(32).toString('base64url');
    await writeFileAtomic(paths.token, `${token}\n`, 0o600);
  }

  return { caCertPem: ca.certPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem, token };
}

/**
 * The SANs a serving certificate needs: loopback names, the machine's hostname, and every extra
 * host (IP literals as IP SANs, anything else as a DNS name), deduplicated. A wildcard bind
 * address (`0.0.0.0`, `::`) is replaced by every local interface address, since clients can then
 * reach the server through any of them.
 *
 * @example
 * subjectAltNames(['10.0.0.5', 'batch.example'], { hostname: 'box', interfaces: {} });
 * // { dns: ['localhost', 'box', 'batch.example'], ips: ['127.0.0.1', '::1', '10.0.0.5'] }
 */
export function subjectAltNames(
  hosts: readonly string[],
  machine: { hostname: string; interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> },
): SubjectAltNames {
  const dns = new Set<string>();
  const ips = new Set<string>();
  const add = (host: string, expandWildcard: boolean): void => {
    // Accept the bracketed and zoned forms people copy from URLs and `ip addr` (`[::1]`, `fe80::1%eth0`).
    const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
    const unzoned = bare.replace(/%.*$/, '');
    if (isIP(unzoned) !== 0) {
      const ip = canonicalIp(unzoned);
      if (!WILDCARD_ADDRESSES.has(ip)) ips.add(ip);
      else if (expandWildcard) {
        for (const info of Object.values(machine.interfaces).flat()) if (info) add(info.address, false);
      }
    } else if (bare !== '') {
      // DNS names compare case-insensitively (RFC 4343); lower-casing keeps the set free of duplicates.
      dns.add(bare.toLowerCase());
    }
  };
  for (const host of ['localhost', '127.0.0.1', '::1', machine.hostname, ...hosts]) add(host, true);
  return { dns: [...dns], ips: [...ips] };
}

interface KeyPair {
  certPem: string;
  keyPem: string;
}

async function loadCa(paths: Paths, now: Date): Promise<KeyPair | undefined> {
  const [certPem, keyPem] = await Promise.all([readOptional(paths.caCert), readOptional(paths.caKey)]);
  if (certPem === undefined || keyPem === undefined) return undefined;
  const cert = parseCert(paths.caCert, certPem);
  const key = parseKey(paths.caKey, keyPem);
  // A file that does not parse or a cert that is no CA is not ours: report it rather than replace
  // someone's CA. A key that does not match is the torn pair a crash between our two writes leaves.
  if (!cert.ca) throw new Error(`${paths.caCert} is not a CA certificate`);
  if (!cert.checkPrivateKey(key)) return undefined;
  if (expiresSoon(cert, now)) return undefined;
  return { certPem, keyPem };
}

async function loadServing(
  paths: Paths,
  ca: KeyPair,
  wanted: SubjectAltNames,
  now: Date,
): Promise<KeyPair | undefined> {
  const [certPem, keyPem] = await Promise.all([
    readOptional(paths.serverCert),
    readOptional(paths.serverKey),
  ]);
  if (certPem === undefined || keyPem === undefined) return undefined;
  const cert = parseCert(paths.serverCert, certPem);
  const caCert = new X509Certificate(ca.certPem);
  if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return undefined;
  if (!cert.checkPrivateKey(parseKey(paths.serverKey, keyPem))) return undefined;
  if (expiresSoon(cert, now) || new Date(cert.validFrom) > now) return undefined;
  const have = certSans(cert);
  const covered =
    wanted.dns.every((d) => have.dns.includes(d)) && wanted.ips.every((ip) => have.ips.includes(ip));
  return covered ? { certPem, keyPem } : undefined;
}

async function generateCa(now: Date): Promise<KeyPair> {
  const x509 = await loadX509();
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // A timestamped CN, as kube-apiserver's self-signed CA uses, tells one generated CA from the next.
    name: `CN=batchd-ca@${Math.floor(now.getTime() / 1000)}`,
    keys,
    signingAlgorithm: EC_SIGN,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: pem(cert.toString('pem')), keyPem: await exportKey(keys.privateKey) };
}

async function issueServing(ca: KeyPair, sans: SubjectAltNames, now: Date): Promise<KeyPair> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey('pkcs8', pemBody(ca.keyPem), EC_KEY, false, ['sign']);
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=batchd',
    issuer: caCert.subjectName,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: EC_SIGN,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + SERVING_VALIDITY_DAYS * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      // ECDSA keys only sign during the handshake; keyEncipherment is an RSA key-exchange usage.
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...sans.dns.map((value) => ({ type: 'dns' as const, value })),
        ...sans.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: pem(cert.toString('pem')), keyPem: await exportKey(keys.privateKey) };
}

// Read with node:crypto rather than @peculiar/x509 so a start that reuses the files never loads
// the library (about 150 ms). Node quotes entries holding `,` or `"` as JSON strings (since 17.3.1).
function certSans(cert: X509Certificate): SubjectAltNames {
  const sans: SubjectAltNames = { dns: [], ips: [] };
  for (const [, type, raw = ''] of (cert.subjectAltName ?? '').matchAll(
    /(?:^|, )(DNS|IP Address):("(?:[^"\\]|\\.)*"|[^,]*)/g,
  )) {
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (type === 'DNS') sans.dns.push(value.toLowerCase());
    else if (isIP(value) !== 0) sans.ips.push(canonicalIp(value));
  }
  return sans;
}

async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const x509 = await loadX509();
  return pem(x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY'));
}

function expiresSoon(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validTo).getTime() - now.getTime() < RENEW_WITHIN_DAYS * DAY_MS;
}

// The URL parser serialises IPv6 per RFC 5952 (lower case, longest zero run as `::`), so `::1`,
// `0:0:0:0:0:0:0:1` and a certificate's decoded form compare equal.
function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip;
}

function parseCert(path: string, text: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch (cause) {
    throw new Error(`${path} is not a PEM certificate`, { cause });
  }
}

function parseKey(path: string, text: string) {
  try {
    return createPrivateKey(text);
  } catch (cause) {
    throw new Error(`${path} is not a PEM private key`, { cause });
  }
}

function pemBody(text: string): Buffer {
  return Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function pem(text: string): string {
  return `${text.replace(/\r\n/g, '\n').trimEnd()}\n`;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Replaces `path` with `data` so readers see the old file or the new one, never a torn write:
 * a temp file in the same directory (same filesystem, so rename is atomic), fsynced, renamed over
 * the target, then the directory fsynced so the rename itself survives a crash.
 *
 * @example
 * await writeFileAtomic('/var/lib/batchd/token', `${token}\n`, 0o600);
 */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const file = await open(tmp, 'wx', mode);
    try {
      // Explicit chmod because open's mode is filtered by the umask; done before the secret is written.
      await file.chmod(mode);
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    renamed = true;
  } finally {
    if (!renamed) await rm(tmp, { force: true });
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory (Windows: EPERM); the data itself is already synced.
  }
}

let x509Module: Promise<typeof X509> | undefined;

// @peculiar/x509 2.x resolves its algorithms through tsyringe, which refuses to load without the
// Reflect metadata API; the polyfill must be installed before the library's first (dynamic) import.
function loadX509(): Promise<typeof X509> {
  x509Module ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto);
    return x509;
  })();
  return x509Module;
}
