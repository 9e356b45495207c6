/** Table printers for the core/v1 kinds batchd serves besides pods: events, namespaces, nodes. */
import type { Event, Namespace, Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { AGE_COLUMN, column, NAME_COLUMN, wideColumn } from './columns.js';
import { parseTime, translateTimestampSince } from './duration.js';
import type { TablePrinter } from './table.js';

/**
 * Upstream formatEventSource: `component[, host]`, each falling back to the reporting fields
 * that events.k8s.io-era recorders fill instead of `source`.
 */
function eventSource(event: Event): string {
  const component = event.source?.component || event.reportingComponent || '';
  const host = event.source?.host || event.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

/** The OBJECT column: `kind/name` in lower-case kind, or the bare kind for a nameless object. */
function eventObject(event: Event): string {
  const kind = (event.involvedObject?.kind ?? '').toLowerCase();
  const name = event.involvedObject?.name;
  return name ? `${kind}/${name}` : kind;
}

/**
 * `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE; wide adds SUBOBJECT SOURCE
 * (between OBJECT and MESSAGE) and FIRST SEEN COUNT NAME (after MESSAGE).
 */
export const eventPrinter: TablePrinter<Event> = {
  columns: [
    column('Last Seen', 'string', 'Time since the event was last observed.'),
    column('Type', 'string', 'Normal or Warning.'),
    column('Reason', 'string', 'A short machine-readable reason for the event.'),
    column('Object', 'string', 'The object the event is about.'),
    wideColumn('Subobject', 'string', 'The part of the object the event is about, such as a container.'),
    wideColumn('Source', 'string', 'The component (and host) that reported the event.'),
    column('Message', 'string', 'A human-readable description of what happened.'),
    wideColumn('First Seen', 'string', 'Time since the event was first observed.'),
    wideColumn('Count', 'string', 'How many times the event has occurred.'),
    { ...wideColumn('Name', 'string', 'The name of the event object.'), format: 'name' },
  ],
  row(event, now) {
    // Events written through events.k8s.io carry eventTime/series instead of the legacy
    // first/last timestamps and count; each legacy field falls back to its new counterpart.
    const first =
      parseTime(event.firstTimestamp) !== undefined
        ? translateTimestampSince(event.firstTimestamp, now)
        : translateTimestampSince(event.eventTime, now);
    let last =
      parseTime(event.lastTimestamp) !== undefined
        ? translateTimestampSince(event.lastTimestamp, now)
        : first;
    let count = event.count ?? 0;
    if (event.series) {
      last = translateTimestampSince(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    return [
      last,
      event.type ?? '',
      event.reason ?? '',
      eventObject(event),
      event.involvedObject?.fieldPath ?? '',
      eventSource(event),
      (event.message ?? '').trim(),
      first,
      count,
      event.metadata?.name ?? '',
    ];
  },
};

/** `kubectl get namespaces`: NAME STATUS AGE. */
export const namespacePrinter: TablePrinter<Namespace> = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The lifecycle phase of the namespace.'), AGE_COLUMN],
  row(ns, now) {
    return [
      ns.metadata?.name ?? '',
      ns.status?.phase ?? '',
      translateTimestampSince(ns.metadata?.creationTimestamp, now),
    ];
  },
};

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** Upstream findNodeRoles: `node-role.kubernetes.io/<role>` keys and the legacy role label, sorted. */
function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === NODE_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

/** STATUS: Ready / NotReady / Unknown from the Ready condition, plus SchedulingDisabled if cordoned. */
function nodeStatus(node: Node): string {
  // The last condition of a type wins, as upstream builds a map over the list.
  const byType = new Map<string, NodeCondition>();
  for (const c of node.status?.conditions ?? []) byType.set(c.type, c);
  const status: string[] = [];
  const ready = byType.get('Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

const nodeAddress = (node: Node, type: string) =>
  node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

/**
 * `kubectl get nodes`: NAME STATUS ROLES AGE VERSION; wide adds INTERNAL-IP EXTERNAL-IP
 * OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.
 */
export const nodePrinter: TablePrinter<Node> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Whether the node is ready, and whether it accepts new pods.'),
    column('Roles', 'string', 'The roles given to the node by node-role labels.'),
    AGE_COLUMN,
    column('Version', 'string', 'The kubelet version the node reports.'),
    wideColumn('Internal-IP', 'string', 'The first internal address of the node.'),
    wideColumn('External-IP', 'string', 'The first external address of the node.'),
    wideColumn('OS-Image', 'string', 'The operating system image the node reports.'),
    wideColumn('Kernel-Version', 'string', 'The kernel version the node reports.'),
    wideColumn('Container-Runtime', 'string', 'The container runtime and version the node reports.'),
  ],
  row(node, now) {
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      nodeRoles(node).join(',') || '<none>',
      translateTimestampSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};
