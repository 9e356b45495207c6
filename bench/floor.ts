/**
 * The bare floor batchd is compared against: node:https + better-sqlite3 and nothing else, the
 * B6 recipe of reference/performance.md served over TLS. A create parses the JSON, assigns a
 * revision, inserts one row (WAL, synchronous=NORMAL, one transaction per row) and answers 201
 * with the object; a watch is a chunked response that every later insert is written to.
 *
 * It checks the bearer token (one string compare) so clients send the same requests to both
 * servers, and uses a certificate from batchd's own ensureCredentials (ECDSA P-256).
 *
 *   node --import tsx bench/floor.ts --data-dir DIR [--port 0]
 */
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ensureCredentials } from '../src/cli/credentials.js';
import { JOBS_PATH } from './lib/target.js';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '0' } },
});
const dataDir = values['data-dir'];
if (!dataDir) throw new Error('floor: --data-dir is required');

const creds = await ensureCredentials(dataDir, { hosts: ['127.0.0.1'] });
const db = new Database(join(dataDir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, rv INTEGER NOT NULL, value TEXT NOT NULL)');
const insert = db.prepare<[string, number, string]>('INSERT INTO kv (key, rv, value) VALUES (?, ?, ?)');
let rv = 0;

const authorization = `Bearer ${creds.token}`;
const watchers = new Set<ServerResponse>();

const server = createServer({ cert: creds.serverCertPem, key: creds.serverKeyPem }, (req, res) => {
  if (req.headers.authorization !== authorization) {
    req.resume();
    res.writeHead(401).end();
    return;
  }
  const [path, query = ''] = (req.url ?? '/').split('?');
  if (path !== JOBS_PATH) {
    req.resume();
    res.writeHead(404).end();
    return;
  }
  if (req.method === 'GET') {
    req.resume();
    if (!/(^|&)watch=(true|1)(&|$)/.test(query)) {
      // Only what a watcher needs to start from "now".
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"kind":"JobList","apiVersion":"batch/v1","metadata":{"resourceVersion":"${rv}"},"items":[]}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    watchers.add(res);
    res.on('close', () => watchers.delete(res));
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let obj: { metadata: { name: string; resourceVersion?: string } };
    try {
      obj = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof obj;
    } catch {
      res.writeHead(400).end();
      return;
    }
    rv++;
    obj.metadata.resourceVersion = String(rv);
    const out = JSON.stringify(obj);
    try {
      insert.run(`/registry/batch/jobs/default/${obj.metadata.name}`, rv, out);
    } catch {
      res.writeHead(409).end();
      return;
    }
    // As batchd does: watchers are written to right after the commit, before the 201.
    if (watchers.size) {
      const line = `{"type":"ADDED","object":${out}}\n`;
      for (const w of watchers) w.write(line);
    }
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(out);
  });
});
server.requestTimeout = 0;
server.keepAliveTimeout = 65_000;

server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`floor serving https://127.0.0.1:${port}`);
});

const shutdown = () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
