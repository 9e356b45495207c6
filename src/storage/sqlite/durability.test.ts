import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { openSqliteStore, type SqliteStore } from './store.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const writer = fileURLToPath(new URL('./testdata/writer.ts', import.meta.url));
const ACKS_BEFORE_KILL = 500;

let dir: string | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the writer until it has acknowledged `count` writes, then kills it with SIGKILL. */
function writeUntilKilled(file: string, count: number): Promise<Array<{ rev: number; key: string }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Array<{ rev: number; key: string }> = [];
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      // Only complete lines are acknowledgements; a line cut by the kill is not.
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [rev, key] = line.split(' ');
        if (rev && key) acks.push({ rev: Number(rev), key });
      }
      if (acks.length >= count && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited with ${String(code)} before it was killed: ${stderr}`));
    });
  });
}

test('every acknowledged write survives kill -9 and the revision continues above the last ack', async () => {
  dir = mkdtempSync(join(tmpdir(), 'batchd-durability-'));
  const file = join(dir, 'state.db');
  const acks = await writeUntilKilled(file, ACKS_BEFORE_KILL);
  expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

  store = openSqliteStore(file);
  const lost = [];
  for (const { rev, key } of acks) {
    const kv = await store.get(key);
    if (kv?.modRevision !== rev || kv.createRevision !== rev) lost.push({ key, rev, got: kv?.modRevision });
  }
  expect(lost).toEqual([]);

  const lastAck = Math.max(0, ...acks.map((a) => a.rev));
  expect(await store.currentRevision()).toBeGreaterThanOrEqual(lastAck);
  const next = await store.create('/registry/jobs/durability/after-restart', '{}');
  expect(next.ok && next.kv.modRevision).toBeGreaterThan(lastAck);
});
