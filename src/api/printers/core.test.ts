import type { Event, Namespace, Node } from 'kubernetes-types/core/v1.js';
import { expect, test } from 'vitest';
import { eventPrinter, namespacePrinter, nodePrinter } from './core.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

function event(over: Partial<Event> = {}): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'pi.17d1', namespace: 'default' },
    involvedObject: { kind: 'Job', name: 'pi', namespace: 'default' },
    reason: 'SuccessfulCreate',
    message: 'Created pod: pi-abcde\n',
    type: 'Normal',
    source: { component: 'job-controller' },
    firstTimestamp: ago(600),
    lastTimestamp: ago(90),
    count: 3,
    ...over,
  };
}

function eventCells(e: Event): Record<string, unknown> {
  const cells = eventPrinter.row(e, NOW);
  return Object.fromEntries(eventPrinter.columns.map((c, i) => [c.name, cells[i]]));
}

const eventCases: Array<{ name: string; event: Event; want: Record<string, unknown> }> = [
  {
    name: 'a legacy event prints every column, the message trimmed',
    event: event(),
    want: {
      'Last Seen': '90s',
      Type: 'Normal',
      Reason: 'SuccessfulCreate',
      Object: 'job/pi',
      Subobject: '',
      Source: 'job-controller',
      Message: 'Created pod: pi-abcde',
      'First Seen': '10m',
      Count: 3,
      Name: 'pi.17d1',
    },
  },
  {
    name: 'the source host follows the component',
    event: event({ source: { component: 'kubelet', host: 'node-1' } }),
    want: { Source: 'kubelet, node-1' },
  },
  {
    name: 'reporting fields stand in for a missing source',
    event: event({ source: {}, reportingComponent: 'batchd', reportingInstance: 'host-a' }),
    want: { Source: 'batchd, host-a' },
  },
  {
    name: 'the subobject is the involved field path',
    event: event({
      involvedObject: { kind: 'Pod', name: 'pi-abcde', fieldPath: 'spec.containers{pi}' },
    }),
    want: { Object: 'pod/pi-abcde', Subobject: 'spec.containers{pi}' },
  },
  {
    name: 'an object without a name prints its kind alone',
    event: event({ involvedObject: { kind: 'Node' } }),
    want: { Object: 'node' },
  },
  {
    name: 'without a last timestamp LAST SEEN falls back to FIRST SEEN',
    event: event({ lastTimestamp: undefined as unknown as string }),
    want: { 'Last Seen': '10m', 'First Seen': '10m' },
  },
  {
    name: 'a new-style event uses eventTime and counts as one',
    event: event({
      firstTimestamp: undefined as unknown as string,
      lastTimestamp: undefined as unknown as string,
      count: undefined as unknown as number,
      eventTime: '2025-06-01T11:59:00.000000Z',
    }),
    want: { 'Last Seen': '60s', 'First Seen': '60s', Count: 1 },
  },
  {
    name: 'a series gives LAST SEEN and COUNT',
    event: event({ series: { count: 7, lastObservedTime: '2025-06-01T11:59:30.000000Z' } }),
    want: { 'Last Seen': '30s', Count: 7 },
  },
  {
    name: 'no timestamps at all print <unknown>',
    event: event({
      firstTimestamp: undefined as unknown as string,
      lastTimestamp: undefined as unknown as string,
    }),
    want: { 'Last Seen': '<unknown>', 'First Seen': '<unknown>' },
  },
];

for (const tc of eventCases)
  test(`event: ${tc.name}`, () => expect(eventCells(tc.event)).toMatchObject(tc.want));

test('event columns are upstream order with the wide ones interleaved', () => {
  expect(eventPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
    ['Last Seen', 'string', '', 0],
    ['Type', 'string', '', 0],
    ['Reason', 'string', '', 0],
    ['Object', 'string', '', 0],
    ['Subobject', 'string', '', 1],
    ['Source', 'string', '', 1],
    ['Message', 'string', '', 0],
    ['First Seen', 'string', '', 1],
    ['Count', 'string', '', 1],
    ['Name', 'string', 'name', 1],
  ]);
});

const ns = (phase?: string, created: string | undefined = ago(7200)): Namespace => ({
  metadata: { name: 'team-a', ...(created ? { creationTimestamp: created } : {}) },
  ...(phase ? { status: { phase } } : {}),
});

const nsCases: Array<{ name: string; ns: Namespace; want: unknown[] }> = [
  { name: 'an active namespace', ns: ns('Active'), want: ['team-a', 'Active', '120m'] },
  { name: 'a terminating namespace', ns: ns('Terminating'), want: ['team-a', 'Terminating', '120m'] },
  {
    name: 'a namespace without status or creation time',
    ns: ns(undefined, ''),
    want: ['team-a', '', '<unknown>'],
  },
];

for (const tc of nsCases)
  test(`namespace: ${tc.name}`, () => expect(namespacePrinter.row(tc.ns, NOW)).toEqual(tc.want));

function node(over: { labels?: Record<string, string>; ready?: string; unschedulable?: boolean } = {}): Node {
  return {
    metadata: {
      name: 'node-1',
      creationTimestamp: ago(86400 * 30),
      ...(over.labels ? { labels: over.labels } : {}),
    },
    spec: over.unschedulable ? { unschedulable: true } : {},
    status: {
      ...(over.ready ? { conditions: [{ type: 'Ready', status: over.ready }] } : {}),
      addresses: [
        { type: 'Hostname', address: 'node-1' },
        { type: 'InternalIP', address: '192.168.1.10' },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0',
        osImage: 'Ubuntu 24.04',
        kernelVersion: '6.8.0',
        containerRuntimeVersion: 'batchd://0.1.0',
        architecture: 'amd64',
        bootID: '',
        kubeProxyVersion: '',
        machineID: '',
        operatingSystem: 'linux',
        systemUUID: '',
      },
    },
  };
}

const nodeCases: Array<{ name: string; node: Node; want: unknown[] }> = [
  {
    name: 'a ready node with the control-plane role',
    node: node({ ready: 'True', labels: { 'node-role.kubernetes.io/control-plane': '' } }),
    want: [
      'node-1',
      'Ready',
      'control-plane',
      '30d',
      'v1.32.0',
      '192.168.1.10',
      '<none>',
      'Ubuntu 24.04',
      '6.8.0',
      'batchd://0.1.0',
    ],
  },
  {
    name: 'a cordoned node that is not ready, roles sorted and deduplicated',
    node: node({
      ready: 'False',
      unschedulable: true,
      labels: {
        'node-role.kubernetes.io/worker': '',
        'kubernetes.io/role': 'batch',
        'node-role.kubernetes.io/': '',
      },
    }),
    want: ['node-1', 'NotReady,SchedulingDisabled', 'batch,worker'],
  },
  {
    name: 'a node without a Ready condition is Unknown',
    node: node(),
    want: ['node-1', 'Unknown', '<none>'],
  },
];

for (const tc of nodeCases)
  test(`node: ${tc.name}`, () =>
    expect(nodePrinter.row(tc.node, NOW).slice(0, tc.want.length)).toEqual(tc.want));

test('node wide cells print <unknown> for missing node info', () => {
  const n: Node = { ...node(), status: { conditions: [{ type: 'Ready', status: 'True' }] } };
  expect(nodePrinter.row(n, NOW).slice(4)).toEqual([
    '',
    '<none>',
    '<none>',
    '<unknown>',
    '<unknown>',
    '<unknown>',
  ]);
});
