/**
 * The in-process write path alone: what one pod of a Job costs in API writes, without HTTP,
 * controllers or processes. Each pod gets the writes a pod of a Job gets (create by the Job
 * controller, binding, two status patches by the kubelet, the finalizer's removal), through
 * InProcessClient on a real SQLite store, with one informer-like watcher on pods. Reports CPU µs
 * per pod and per write, for A/B comparisons of the registry pipeline.
 *
 *   node --import tsx bench/writes.ts [--pods 2000]
 *
 * To profile it, use node's own flag, then read the main thread's profile (the first file):
 *   node --cpu-prof --cpu-prof-dir=/tmp/profw --import tsx bench/writes.ts --pods 4000
 *   node --import tsx bench/profile.ts --top 50 /tmp/profw/*.001.cpuprofile
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { namespaces } from '../src/api/core/v1/namespace.js';
import { pods } from '../src/api/core/v1/pod.js';
import { newScheme } from '../src/api/resources.js';
import { Registries } from '../src/apiserver/registries.js';
import { InProcessClient } from '../src/client/inprocess.js';
import { openSqliteStore } from '../src/storage/sqlite/store.js';
import { realClock } from '../src/util/clock.js';
import { int, isMain } from './lib/report.js';

const WRITES_PER_POD = 5;

function podFor(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'bench-',
      labels: {
        'batch.kubernetes.io/job-name': 'bench',
        'batch.kubernetes.io/job-completion-index': String(i),
      },
      annotations: { 'batch.kubernetes.io/job-completion-index': String(i) },
      finalizers: ['batch.kubernetes.io/job-tracking'],
    },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'busybox', command: ['/bin/true'], env: [{ name: 'A', value: 'b' }] }],
    },
  };
}

function status(phase: string, now: string) {
  const terminated = phase === 'Succeeded';
  return {
    phase,
    startTime: now,
    hostIP: '127.0.0.1',
    podIP: '127.0.0.1',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'Ready', status: terminated ? 'False' : 'True', lastTransitionTime: now },
    ],
    containerStatuses: [
      {
        name: 'c',
        image: 'busybox',
        imageID: '',
        ready: !terminated,
        restartCount: 0,
        state: terminated
          ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } }
          : { running: { startedAt: now } },
      },
    ],
  };
}

export async function benchWrites(n: number): Promise<{ perPodMicros: number; perWriteMicros: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'batchd-writes-'));
  const store = openSqliteStore(join(dir, 'state.db'));
  const registries = new Registries(newScheme(), store, realClock);
  const controller = new InProcessClient(registries);
  const kubelet = new InProcessClient(registries, 'kubelet');
  await controller.resource(namespaces).create({ metadata: { name: 'default' } });
  let seen = 0;
  const watch = await controller.resource(pods, 'default').watch({}, () => seen++);
  const podsApi = controller.resource(pods, 'default');
  const kubeletPods = kubelet.resource(pods, 'default');
  const onePod = async (i: number) => {
    const pod = await podsApi.create(podFor(i) as never);
    const name = pod.metadata.name ?? '';
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await kubeletPods.updateSubresource('binding', {
      ...pod,
      spec: { ...pod.spec, nodeName: 'node' },
      status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now }] },
    } as never);
    for (const phase of ['Running', 'Succeeded']) {
      await kubeletPods.patch(name, 'json', [{ op: 'add', path: '/status', value: status(phase, now) }], {
        subresource: 'status',
      });
    }
    await podsApi.patch(name, 'strategic', {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] },
    });
  };
  const before = process.cpuUsage();
  // 50 pods in flight, as a Job of parallelism 50.
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < n) await onePod(next++);
    }),
  );
  const used = process.cpuUsage(before);
  watch.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  if (seen < n) throw new Error(`the watcher saw ${seen} events for ${n} pods`);
  const micros = used.user + used.system;
  return { perPodMicros: micros / n, perWriteMicros: micros / n / WRITES_PER_POD };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { pods: { type: 'string' } } });
  const n = Number(values.pods ?? 2000);
  await benchWrites(Math.min(200, n)); // warm-up
  const r = await benchWrites(n);
  console.log(`${int(n)} pods: ${int(r.perPodMicros)} µs CPU per pod, ${int(r.perWriteMicros)} µs per write`);
}
