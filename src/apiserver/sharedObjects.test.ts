import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { namespaces } from '../api/core/v1/namespace.js';
import { type Pod, pods } from '../api/core/v1/pod.js';
import { newScheme } from '../api/resources.js';
import { InProcessClient } from '../client/inprocess.js';
import { openSqliteStore, type SqliteStore } from '../storage/sqlite/store.js';
import { FakeClock } from '../util/clock.js';
import { Registries } from './registries.js';

// The registry shares one decoded object per stored revision between watchers and later writes:
// these check that sharing is invisible (same JSON as a cold read, never changed afterwards).

let dir: string;
let store: SqliteStore;
let client: InProcessClient;
const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'batchd-shared-'));
  store = openSqliteStore(join(dir, 'state.db'));
  client = new InProcessClient(new Registries(newScheme(), store, clock));
  await client.resource(namespaces).create({ metadata: { name: 'default' } });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const pod = (): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { a: 'b' }, finalizers: ['example.com/f'] },
  spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
});

/** Every kind of write a pod gets, scribbling over every object handed back. */
async function writes(): Promise<void> {
  const api = client.resource(pods, 'default');
  const scribble = (p: Pod) => {
    p.metadata.labels = { scribbled: 'yes' };
    if (p.spec?.containers[0]) p.spec.containers[0].image = 'scribbled';
    if (p.status) p.status.phase = 'Scribbled';
  };
  const created = await api.create(pod());
  scribble(created);
  const bound = await api.updateSubresource('binding', { ...pod(), spec: { ...pod().spec!, nodeName: 'n' } });
  scribble(bound);
  const running = await api.patch(
    'p',
    'json',
    [{ op: 'add', path: '/status', value: { phase: 'Running' } }],
    {
      subresource: 'status',
    },
  );
  scribble(running);
  const read = await api.get('p');
  scribble(read);
  const labelled = await api.patch('p', 'strategic', { metadata: { labels: { x: 'y' } } });
  scribble(labelled);
  const unchanged = await api.patch('p', 'strategic', { metadata: { labels: { x: 'y' } } });
  scribble(unchanged);
  const current = await api.get('p');
  const updated = await api.update({
    ...current,
    metadata: { ...current.metadata, annotations: { k: 'v' } },
  });
  scribble(updated);
  const released = await api.patch('p', 'strategic', {
    metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/f'] },
  });
  scribble(released);
}

test('objects handed to a watcher never change afterwards, whatever callers do to theirs', async () => {
  const seen: Array<{ object: unknown; json: string }> = [];
  const watch = await client.resource(pods, 'default').watch({}, (ev) => {
    seen.push({ object: ev.object, json: JSON.stringify(ev.object) });
  });
  await writes();
  watch.stop();
  expect(seen.length).toBeGreaterThanOrEqual(5);
  for (const s of seen) expect(JSON.stringify(s.object)).toBe(s.json);
});

test('a read after writes returns what a cold read of the store returns, key order included', async () => {
  await writes();
  const warm = await client.resource(pods, 'default').get('p');
  const cold = await new InProcessClient(new Registries(newScheme(), store, clock))
    .resource(pods, 'default')
    .get('p');
  expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
  expect(warm.metadata.labels).toEqual({ a: 'b', x: 'y' });
  expect(warm.spec?.containers[0]?.image).toBe('busybox');
});

test('a watcher with a selector sees the same objects a cold read gives', async () => {
  const seen: string[] = [];
  const watch = await client
    .resource(pods, 'default')
    .watch({ labelSelector: 'a=b' }, (ev) => seen.push(`${ev.type} ${JSON.stringify(ev.object)}`));
  await writes();
  watch.stop();
  const cold = await new InProcessClient(new Registries(newScheme(), store, clock))
    .resource(pods, 'default')
    .get('p');
  expect(seen.at(-1)).toBe(`MODIFIED ${JSON.stringify(cold)}`);
});
