/**
 * Child process for durability.test.ts: creates keys as fast as it can, ten at a time so writes
 * share group commits, and prints "<revision> <key>" for each write once the store has
 * acknowledged it, until it is killed.
 * Usage: node --import tsx writer.ts <db file>
 */
import { openSqliteStore } from '../store.js';

const file = process.argv[2];
if (!file) throw new Error('usage: writer.ts <db file>');
const store = openSqliteStore(file);
const value = JSON.stringify({ kind: 'Job', spec: { pad: 'x'.repeat(512) } });

async function writer(lane: number): Promise<never> {
  for (let i = lane; ; i += LANES) {
    const key = `/registry/jobs/durability/k${i}`;
    const res = await store.create(key, value);
    if (!res.ok) throw new Error(`create ${key} failed`);
    // Waiting for the write callback keeps the pipe drained even where stdout is asynchronous.
    await new Promise((resolve) => process.stdout.write(`${res.kv.modRevision} ${key}\n`, resolve));
  }
}

const LANES = 10;
await Promise.all(Array.from({ length: LANES }, (_, lane) => writer(lane)));
