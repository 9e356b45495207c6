import type { ContainerStatus, PodCondition } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, test } from 'vitest';
import { eventually, newTestApi } from '../../../test/fakes/api.js';
import { nodes } from '../../api/core/v1/node.js';
import { type Pod, pods } from '../../api/core/v1/pod.js';
import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../controllers/events/types.js';
import { FakeClock } from '../../util/clock.js';
import { log } from '../../util/log.js';
import { SimulatedRuntime } from '../simulated/runtime.js';
import { NodeAgent } from './agent.js';
import type { MachineInfo } from './nodeObject.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const quiet = log.child({});
quiet.level = 'silent';

const machine = (over: Partial<MachineInfo> = {}): MachineInfo => ({
  nodeName: 'node-1',
  hostname: 'node-1',
  cpus: 2,
  memoryBytes: 4 * 1024 ** 3,
  maxPods: 110,
  address: '127.0.0.1',
  kernelVersion: '6.1.0',
  osImage: 'Test Linux',
  architecture: 'amd64',
  machineID: 'm',
  bootID: 'b',
  kubeletVersion: 'v1.32.0',
  runtimeName: 'simulated',
  runtimeVersion: '0.1.0',
  capabilities: 'simulated',
  ...over,
});

interface Env {
  clock: FakeClock;
  client: Client;
  agent: NodeAgent;
  events: string[];
  get(name: string): Promise<Pod>;
  create(pod: Pod): Promise<Pod>;
}

const running: NodeAgent[] = [];
afterEach(async () => {
  for (const a of running.splice(0)) await a.stop();
});

/** A settle time of 0 writes each status at once: the scenarios step the fake clock for exits only. */
async function setup(over: Partial<MachineInfo> = {}, statusSettleMs = 0): Promise<Env> {
  const clock = new FakeClock(T0);
  const { client } = await newTestApi(clock);
  const events: string[] = [];
  const recorder = (component: string): EventRecorder => ({
    event: (obj, type, reason, message) =>
      events.push(`${component} ${obj.metadata.name} ${type} ${reason}: ${message}`),
    eventf: (obj, type, reason, format) =>
      events.push(`${component} ${obj.metadata.name} ${type} ${reason}: ${format}`),
  });
  let agent: NodeAgent | undefined;
  const runtime = new SimulatedRuntime(clock, (spec) => agent?.podAnnotations(spec.podUid));
  agent = new NodeAgent({
    client,
    runtime,
    clock,
    log: quiet,
    recorders: { kubelet: recorder('kubelet'), scheduler: recorder('default-scheduler') },
    machine: machine(over),
    statusSettleMs,
  });
  await agent.start();
  running.push(agent);
  const podClient = client.resource(pods, 'default');
  return {
    clock,
    client,
    agent,
    events,
    get: (name) => podClient.get(name),
    create: (pod) => podClient.create(pod),
  };
}

function newPod(
  name: string,
  opts: { annotations?: Record<string, string>; spec?: Partial<NonNullable<Pod['spec']>> } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      containers: [{ name: 'main', image: 'busybox', command: ['true'] }],
      restartPolicy: 'Never',
      ...opts.spec,
    },
  };
}

const cond = (pod: Pod, type: string): PodCondition | undefined =>
  pod.status?.conditions?.find((c) => c.type === type);
const main = (pod: Pod): ContainerStatus | undefined => pod.status?.containerStatuses?.[0];

/** Waits until the pod satisfies check (the agent works asynchronously after each clock step). */
async function until(env: Env, name: string, check: (pod: Pod) => void): Promise<Pod> {
  let last: Pod | undefined;
  await eventually(async () => {
    last = await env.get(name);
    check(last);
  });
  return last as Pod;
}

describe('node', () => {
  test('the agent registers a Ready node with capacity, allocatable and node info', async () => {
    const env = await setup();
    const node = (await env.client.resource(nodes).get('node-1')) as {
      metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
      status?: {
        capacity?: Record<string, string>;
        conditions?: Array<{ type: string; status: string; reason?: string }>;
        nodeInfo?: { kubeletVersion?: string };
      };
    };
    expect(node.metadata.labels?.['kubernetes.io/hostname']).toBe('node-1');
    expect(node.metadata.annotations?.['batchd.io/runtime']).toBe('simulated');
    expect(node.status?.capacity).toEqual({ cpu: '2', memory: '4194304Ki', pods: '110' });
    expect(node.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'MemoryPressure=False',
      'DiskPressure=False',
      'PIDPressure=False',
      'Ready=True',
    ]);
    expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.32.0');
  });
});

describe('pod lifecycle', () => {
  test('a pod is bound, runs for its simulated second and succeeds, with the kubelet conditions', async () => {
    const env = await setup();
    await env.create(newPod('ok'));
    const runningPod = await until(env, 'ok', (p) => expect(p.status?.phase).toBe('Running'));
    expect(runningPod.spec?.nodeName).toBe('node-1');
    expect(runningPod.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(main(runningPod)).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: {} },
    });
    expect(runningPod.status).toMatchObject({
      hostIP: '127.0.0.1',
      podIP: '127.0.0.1',
      qosClass: 'BestEffort',
    });
    env.clock.step(1000);
    const done = await until(env, 'ok', (p) => expect(p.status?.phase).toBe('Succeeded'));
    expect(main(done)?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(main(done)?.containerID).toMatch(/^batchd:\/\//);
    expect(cond(done, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(cond(done, 'PodReadyToStartContainers')?.status).toBe('False');
    expect(env.events).toContain(
      'default-scheduler ok Normal Scheduled: Successfully assigned default/ok to node-1',
    );
    expect(env.events).toContain('kubelet ok Normal Started: Started container main');
  });

  const failures: Array<{
    name: string;
    annotations: Record<string, string>;
    phase: string;
    exitCode: number;
  }> = [
    {
      name: 'a non-zero exit under restartPolicy Never fails the pod',
      annotations: { 'sim.batchd.io/exit-code': '3' },
      phase: 'Failed',
      exitCode: 3,
    },
    {
      name: 'a zero exit under restartPolicy Never succeeds',
      annotations: {},
      phase: 'Succeeded',
      exitCode: 0,
    },
  ];
  for (const tc of failures) {
    test(tc.name, async () => {
      const env = await setup();
      await env.create(newPod('p', { annotations: tc.annotations }));
      await until(env, 'p', (p) => expect(p.status?.phase).toBe('Running'));
      env.clock.step(1000);
      const done = await until(env, 'p', (p) => expect(p.status?.phase).toBe(tc.phase));
      expect(main(done)?.state?.terminated?.exitCode).toBe(tc.exitCode);
    });
  }

  test('a container that ends within the settle time costs one status write, not Running and then Succeeded', async () => {
    const env = await setup({}, 50);
    const seen: string[] = [];
    const handle = await env.client
      .resource(pods, 'default')
      .watch({ fieldSelector: 'metadata.name=quick' }, (e) => {
        if (e.type !== 'MODIFIED') return;
        seen.push(
          `${e.object.status?.phase} ${main(e.object)?.state?.terminated ? 'terminated' : 'not exited'}`,
        );
      });
    const before = env.clock.pendingTimers();
    await env.create(newPod('quick', { annotations: { 'sim.batchd.io/run-seconds': '0' } }));
    // The simulated exit and the settle wait are both due within 50 ms.
    await eventually(() => expect(env.clock.pendingTimers()).toBe(before + 2));
    env.clock.step(50);
    await until(env, 'quick', (p) => expect(p.status?.phase).toBe('Succeeded'));
    handle.stop();
    // The binding is the first update; the agent's first status is the final one.
    expect(seen).toEqual(['Pending not exited', 'Succeeded terminated']);
  });

  test('a container still running after the settle time is reported Running', async () => {
    const env = await setup({}, 50);
    const before = env.clock.pendingTimers();
    await env.create(newPod('slow', { annotations: { 'sim.batchd.io/run-seconds': '5' } }));
    await eventually(() => expect(env.clock.pendingTimers()).toBe(before + 2));
    expect(main(await env.get('slow'))).toBeUndefined();
    env.clock.step(50);
    await until(env, 'slow', (p) => expect(main(p)?.state?.running).toBeDefined());
  });

  test('OnFailure restarts at once, then waits 10 s in CrashLoopBackOff, and counts restarts', async () => {
    const env = await setup();
    await env.create(
      newPod('crash', {
        annotations: { 'sim.batchd.io/exit-code': '1,1,0' },
        spec: { restartPolicy: 'OnFailure' },
      }),
    );
    await until(env, 'crash', (p) => expect(main(p)?.state?.running).toBeDefined());
    env.clock.step(1000);
    await until(env, 'crash', (p) =>
      expect(main(p)).toMatchObject({ restartCount: 1, state: { running: {} } }),
    );
    env.clock.step(1000);
    const backoff = await until(env, 'crash', (p) =>
      expect(main(p)?.state?.waiting?.reason).toBe('CrashLoopBackOff'),
    );
    expect(main(backoff)?.state?.waiting?.message).toMatch(
      /^back-off 10s restarting failed container=main pod=crash_default\(/,
    );
    expect(main(backoff)?.lastState?.terminated?.exitCode).toBe(1);
    expect(backoff.status?.phase).toBe('Running');
    env.clock.step(10_000);
    await until(env, 'crash', (p) =>
      expect(main(p)).toMatchObject({ restartCount: 2, state: { running: {} } }),
    );
    env.clock.step(1000);
    const done = await until(env, 'crash', (p) => expect(p.status?.phase).toBe('Succeeded'));
    expect(main(done)?.restartCount).toBe(2);
  });

  test('a failing init container under restartPolicy Never fails the pod before its containers start', async () => {
    const env = await setup();
    await env.create(
      newPod('init', {
        annotations: { 'sim.batchd.io/exit-code.setup': '2' },
        spec: { initContainers: [{ name: 'setup', image: 'busybox', command: ['false'] }] },
      }),
    );
    const pending = await until(env, 'init', (p) =>
      expect(p.status?.initContainerStatuses?.[0]?.state?.running).toBeDefined(),
    );
    expect(pending.status?.phase).toBe('Pending');
    expect(main(pending)?.state?.waiting?.reason).toBe('PodInitializing');
    expect(cond(pending, 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [setup]',
    });
    env.clock.step(1000);
    const failed = await until(env, 'init', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(failed.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(2);
    expect(main(failed)?.state?.waiting?.reason).toBe('PodInitializing');
  });

  test('a sidecar starts before the main container and is stopped once it finishes', async () => {
    const env = await setup();
    await env.create(
      newPod('side', {
        annotations: { 'sim.batchd.io/run-seconds.proxy': '1000' },
        spec: {
          initContainers: [{ name: 'proxy', image: 'envoy', command: ['envoy'], restartPolicy: 'Always' }],
        },
      }),
    );
    const both = await until(env, 'side', (p) => expect(main(p)?.state?.running).toBeDefined());
    expect(both.status?.initContainerStatuses?.[0]).toMatchObject({ ready: true, started: true });
    env.clock.step(1000);
    const done = await until(env, 'side', (p) => expect(p.status).toMatchObject({ phase: 'Succeeded' }));
    expect(done.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);
  });

  test('activeDeadlineSeconds fails a running pod with reason DeadlineExceeded', async () => {
    const env = await setup();
    await env.create(
      newPod('late', {
        annotations: { 'sim.batchd.io/run-seconds': '100' },
        spec: { activeDeadlineSeconds: 5 },
      }),
    );
    await until(env, 'late', (p) => expect(p.status?.phase).toBe('Running'));
    env.clock.step(5000);
    const failed = await until(env, 'late', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(failed.status).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
  });

  test('deleting a running pod stops its container within the grace period and removes the pod', async () => {
    const env = await setup();
    await env.create(
      newPod('del', {
        annotations: { 'sim.batchd.io/run-seconds': '100', 'sim.batchd.io/stop-seconds': '3' },
      }),
    );
    await until(env, 'del', (p) => expect(p.status?.phase).toBe('Running'));
    await env.client.resource(pods, 'default').delete('del', { gracePeriodSeconds: 30 });
    await until(env, 'del', (p) => expect(p.metadata.deletionTimestamp).toBeDefined());
    env.clock.step(3000);
    await eventually(async () => {
      await expect(env.get('del')).rejects.toMatchObject({ code: 404 });
    });
    expect(env.events).toContain('kubelet del Normal Killing: Stopping container main');
  });
});

describe('scheduling', () => {
  test('a pod beyond the pod limit stays Pending as Unschedulable until room frees up', async () => {
    const env = await setup({ maxPods: 1 });
    await env.create(newPod('first'));
    await until(env, 'first', (p) => expect(p.status?.phase).toBe('Running'));
    await env.create(newPod('second'));
    const waiting = await until(env, 'second', (p) => expect(cond(p, 'PodScheduled')?.status).toBe('False'));
    const message =
      '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    expect(cond(waiting, 'PodScheduled')).toMatchObject({ reason: 'Unschedulable', message });
    expect(waiting.spec?.nodeName).toBeUndefined();
    expect(env.events).toContain(`default-scheduler second Warning FailedScheduling: ${message}`);
    env.clock.step(1000);
    await until(env, 'second', (p) => expect(p.status?.phase).toBe('Running'));
  });

  test('a pod requesting more cpu than the node has is Unschedulable for Insufficient cpu', async () => {
    const env = await setup();
    await env.create(
      newPod('big', {
        spec: {
          containers: [
            { name: 'main', image: 'busybox', command: ['true'], resources: { requests: { cpu: '4' } } },
          ],
        },
      }),
    );
    const p = await until(env, 'big', (x) => expect(cond(x, 'PodScheduled')?.status).toBe('False'));
    expect(cond(p, 'PodScheduled')?.message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
  });
});
