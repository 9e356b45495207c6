import type {
  Container,
  ContainerState,
  ContainerStatus,
  Pod,
  PodCondition,
} from 'kubernetes-types/core/v1.js';
import { expect, test } from 'vitest';
import { podPrinter, summarizePod } from './pod.js';
import { toTable } from './table.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

// Container states, as the kubelet (or batchd's node agent) reports them.
const running: ContainerState = { running: { startedAt: ago(60) } };
const waiting = (reason?: string): ContainerState => ({ waiting: reason ? { reason } : {} });
const exited = (exitCode: number, reason?: string, signal?: number): ContainerState => ({
  terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}), finishedAt: ago(30) },
});

function cs(name: string, state: ContainerState, extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, image: 'busybox', imageID: '', ready: false, restartCount: 0, state, ...extra };
}

const cond = (type: string, status = 'True', reason?: string): PodCondition => ({
  type,
  status,
  ...(reason ? { reason } : {}),
});

interface PodShape {
  containers?: string[];
  init?: Array<{ name: string; sidecar?: boolean }>;
  phase?: string;
  reason?: string;
  statuses?: ContainerStatus[];
  initStatuses?: ContainerStatus[];
  conditions?: PodCondition[];
  deleting?: boolean;
}

function pod(shape: PodShape): Pod {
  const container = (name: string): Container => ({ name, image: 'busybox' });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      creationTimestamp: ago(300),
      ...(shape.deleting ? { deletionTimestamp: ago(1) } : {}),
    },
    spec: {
      containers: (shape.containers ?? ['main']).map(container),
      ...(shape.init
        ? {
            initContainers: shape.init.map((i) => ({
              ...container(i.name),
              ...(i.sidecar ? { restartPolicy: 'Always' } : {}),
            })),
          }
        : {}),
    },
    status: {
      phase: shape.phase ?? 'Pending',
      ...(shape.reason ? { reason: shape.reason } : {}),
      ...(shape.statuses ? { containerStatuses: shape.statuses } : {}),
      ...(shape.initStatuses ? { initContainerStatuses: shape.initStatuses } : {}),
      ...(shape.conditions ? { conditions: shape.conditions } : {}),
    },
  };
}

const readyRunning = (name: string, extra: Partial<ContainerStatus> = {}) =>
  cs(name, running, { ready: true, started: true, ...extra });

const cases: Array<{ name: string; pod: Pod; want: { ready?: string; status?: string; restarts?: string } }> =
  [
    {
      name: 'a pod not yet bound shows its phase',
      pod: pod({}),
      want: { ready: '0/1', status: 'Pending', restarts: '0' },
    },
    {
      name: 'a gated pod shows SchedulingGated',
      pod: pod({ conditions: [cond('PodScheduled', 'False', 'SchedulingGated')] }),
      want: { status: 'SchedulingGated' },
    },
    {
      name: 'a container being created shows ContainerCreating',
      pod: pod({ statuses: [cs('main', waiting('ContainerCreating'))] }),
      want: { ready: '0/1', status: 'ContainerCreating' },
    },
    {
      name: 'a waiting container without a reason keeps the phase',
      pod: pod({ statuses: [cs('main', waiting())] }),
      want: { status: 'Pending' },
    },
    {
      name: 'a ready running container is Running',
      pod: pod({ phase: 'Running', statuses: [readyRunning('main')], conditions: [cond('Ready')] }),
      want: { ready: '1/1', status: 'Running' },
    },
    {
      name: 'a running but unready container counts as not ready',
      pod: pod({ phase: 'Running', statuses: [cs('main', running)] }),
      want: { ready: '0/1', status: 'Running' },
    },
    {
      name: 'a container that exited 0 is Completed',
      pod: pod({ phase: 'Succeeded', statuses: [cs('main', exited(0, 'Completed'))] }),
      want: { ready: '0/1', status: 'Completed' },
    },
    {
      name: 'a container that exited non-zero is Error',
      pod: pod({ phase: 'Failed', statuses: [cs('main', exited(1, 'Error'))] }),
      want: { status: 'Error' },
    },
    {
      name: 'an out-of-memory kill is OOMKilled',
      pod: pod({ phase: 'Failed', statuses: [cs('main', exited(137, 'OOMKilled'))] }),
      want: { status: 'OOMKilled' },
    },
    {
      name: 'a termination without a reason shows the signal',
      pod: pod({ phase: 'Failed', statuses: [cs('main', exited(137, undefined, 9))] }),
      want: { status: 'Signal:9' },
    },
    {
      name: 'a termination without reason or signal shows the exit code',
      pod: pod({ phase: 'Failed', statuses: [cs('main', exited(3))] }),
      want: { status: 'ExitCode:3' },
    },
    {
      name: 'a crash loop shows the waiting reason and the restart age',
      pod: pod({
        phase: 'Running',
        statuses: [
          cs('main', waiting('CrashLoopBackOff'), {
            restartCount: 4,
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(125) } },
          }),
        ],
      }),
      want: { status: 'CrashLoopBackOff', restarts: '4 (2m5s ago)' },
    },
    {
      name: 'restarts without a known last termination time print bare',
      pod: pod({ phase: 'Running', statuses: [readyRunning('main', { restartCount: 2 })] }),
      want: { restarts: '2' },
    },
    {
      name: 'the first container decides the status because the walk goes last to first',
      pod: pod({
        phase: 'Running',
        containers: ['a', 'b'],
        statuses: [cs('a', waiting('ImagePullBackOff')), cs('b', exited(1, 'Error'))],
      }),
      want: { status: 'ImagePullBackOff' },
    },
    {
      name: 'Completed with another container still running and ready reads Running',
      pod: pod({
        phase: 'Running',
        containers: ['a', 'b'],
        statuses: [cs('a', exited(0, 'Completed')), readyRunning('b')],
        conditions: [cond('Ready')],
      }),
      want: { ready: '1/2', status: 'Running' },
    },
    {
      name: 'Completed with another container running but the pod not Ready reads NotReady',
      pod: pod({
        phase: 'Running',
        containers: ['a', 'b'],
        statuses: [cs('a', exited(0, 'Completed')), readyRunning('b')],
        conditions: [cond('Ready', 'False')],
      }),
      want: { ready: '1/2', status: 'NotReady' },
    },
    // init containers
    {
      name: 'the first init container still running shows Init:0/2',
      pod: pod({
        init: [{ name: 'i1' }, { name: 'i2' }],
        initStatuses: [cs('i1', running), cs('i2', waiting('PodInitializing'))],
        statuses: [cs('main', waiting('PodInitializing'))],
      }),
      want: { ready: '0/1', status: 'Init:0/2' },
    },
    {
      name: 'a finished init container moves the count on',
      pod: pod({
        init: [{ name: 'i1' }, { name: 'i2' }],
        initStatuses: [cs('i1', exited(0, 'Completed')), cs('i2', running)],
      }),
      want: { status: 'Init:1/2' },
    },
    {
      name: 'a failed init container shows Init:Error',
      pod: pod({
        init: [{ name: 'i1' }],
        initStatuses: [cs('i1', exited(1, 'Error'))],
        statuses: [cs('main', waiting('PodInitializing'))],
      }),
      want: { status: 'Init:Error' },
    },
    {
      name: 'a failed init container without a reason shows its exit code',
      pod: pod({ init: [{ name: 'i1' }], initStatuses: [cs('i1', exited(2))] }),
      want: { status: 'Init:ExitCode:2' },
    },
    {
      name: 'an init container that cannot pull shows Init:ImagePullBackOff',
      pod: pod({ init: [{ name: 'i1' }], initStatuses: [cs('i1', waiting('ImagePullBackOff'))] }),
      want: { status: 'Init:ImagePullBackOff' },
    },
    {
      name: 'init restarts count only while initializing',
      pod: pod({
        init: [{ name: 'i1' }],
        initStatuses: [cs('i1', waiting('CrashLoopBackOff'), { restartCount: 3 })],
        statuses: [cs('main', waiting('PodInitializing'), { restartCount: 0 })],
      }),
      want: { status: 'Init:CrashLoopBackOff', restarts: '3' },
    },
    {
      name: 'after initialization only the regular containers restarts count',
      pod: pod({
        phase: 'Running',
        init: [{ name: 'i1' }],
        initStatuses: [cs('i1', exited(0, 'Completed'), { restartCount: 3 })],
        statuses: [readyRunning('main', { restartCount: 1 })],
        conditions: [cond('Initialized'), cond('Ready')],
      }),
      want: { status: 'Running', restarts: '1' },
    },
    // sidecars
    {
      name: 'a started ready sidecar counts in READY and its total',
      pod: pod({
        phase: 'Running',
        init: [{ name: 'proxy', sidecar: true }],
        initStatuses: [readyRunning('proxy', { restartCount: 2 })],
        statuses: [readyRunning('main', { restartCount: 1 })],
        conditions: [cond('Initialized'), cond('Ready')],
      }),
      want: { ready: '2/2', status: 'Running', restarts: '3' },
    },
    {
      name: 'a started sidecar that is not ready counts in the total only',
      pod: pod({
        phase: 'Running',
        init: [{ name: 'proxy', sidecar: true }],
        initStatuses: [cs('proxy', running, { started: true })],
        statuses: [readyRunning('main')],
        conditions: [cond('Initialized'), cond('Ready', 'False')],
      }),
      want: { ready: '1/2', status: 'Running' },
    },
    {
      name: 'a sidecar that has not started yet holds initialization',
      pod: pod({
        init: [{ name: 'proxy', sidecar: true }],
        initStatuses: [cs('proxy', running, { started: false })],
        statuses: [cs('main', waiting('PodInitializing'))],
      }),
      want: { ready: '0/2', status: 'Init:0/1' },
    },
    {
      name: 'a job pod whose main container finished while the sidecar runs reads Completed',
      pod: pod({
        phase: 'Running',
        init: [{ name: 'proxy', sidecar: true }],
        initStatuses: [readyRunning('proxy')],
        statuses: [cs('main', exited(0, 'Completed'))],
        conditions: [cond('Initialized'), cond('Ready', 'False')],
      }),
      want: { ready: '1/2', status: 'Completed' },
    },
    // deletion
    {
      name: 'a running pod being deleted is Terminating',
      pod: pod({ phase: 'Running', statuses: [readyRunning('main')], deleting: true }),
      want: { ready: '1/1', status: 'Terminating' },
    },
    {
      name: 'a finished pod being deleted keeps its final status',
      pod: pod({ phase: 'Succeeded', statuses: [cs('main', exited(0, 'Completed'))], deleting: true }),
      want: { status: 'Completed' },
    },
    {
      name: 'a pod on a lost node being deleted is Unknown',
      pod: pod({ phase: 'Running', reason: 'NodeLost', statuses: [readyRunning('main')], deleting: true }),
      want: { status: 'Unknown' },
    },
    {
      name: 'a pod evicted by the kubelet shows the status reason',
      pod: pod({ phase: 'Failed', reason: 'Evicted' }),
      want: { status: 'Evicted' },
    },
  ];

for (const tc of cases)
  test(`pod: ${tc.name}`, () => expect(summarizePod(tc.pod, NOW)).toMatchObject(tc.want));

test('pod wide cells: the IP, node, nominated node and readiness gates', () => {
  const base = pod({ phase: 'Running', statuses: [readyRunning('main')] });
  const p: Pod = {
    ...base,
    spec: {
      ...base.spec!,
      nodeName: 'node-1',
      readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }],
    },
    status: {
      ...base.status,
      podIP: '10.0.0.7',
      podIPs: [{ ip: '10.0.0.7' }, { ip: 'fd00::7' }],
      conditions: [cond('a'), cond('b', 'False')],
    },
  };
  expect(podPrinter.row(p, NOW)).toEqual([
    'p',
    '1/1',
    'Running',
    '0',
    '5m',
    '10.0.0.7',
    'node-1',
    '<none>',
    '1/2',
  ]);
});

test('pod wide cells are <none> when unscheduled', () => {
  expect(podPrinter.row(pod({}), NOW).slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
});

test('podIP is authoritative over podIPs, which is the fallback', () => {
  const ip = (status: NonNullable<Pod['status']>) => podPrinter.row({ ...pod({}), status }, NOW)[5];
  expect(ip({ podIPs: [{ ip: 'fd00::1' }] })).toBe('fd00::1');
  expect(ip({ podIP: '10.0.0.1', podIPs: [{ ip: 'fd00::1' }] })).toBe('10.0.0.1');
});

test('finished pods carry a Completed row condition', () => {
  const table = toTable(
    podPrinter,
    [pod({ phase: 'Succeeded' }), pod({ phase: 'Failed' }), pod({ phase: 'Running' })],
    { now: NOW, includeObject: 'None', listMeta: {} },
  );
  expect(table.rows.map((r) => r.conditions)).toEqual([
    [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ],
    [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
    undefined,
  ]);
});

test('pod columns are upstream names, types and priorities', () => {
  expect(podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
    ['Name', 'string', 'name', 0],
    ['Ready', 'string', '', 0],
    ['Status', 'string', '', 0],
    ['Restarts', 'string', '', 0],
    ['Age', 'string', '', 0],
    ['IP', 'string', '', 1],
    ['Node', 'string', '', 1],
    ['Nominated Node', 'string', '', 1],
    ['Readiness Gates', 'string', '', 1],
  ]);
});
