/**
 * The Node object for this machine, as a kubelet registers and heartbeats it: labels, capacity
 * and allocatable, addresses, node info, and the four conditions with their upstream reasons.
 */
import type { NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import type { Node } from '../../api/core/v1/node.js';

export interface MachineInfo {
  nodeName: string;
  hostname: string;
  cpus: number;
  memoryBytes: number;
  maxPods: number;
  address: string;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  machineID: string;
  bootID: string;
  kubeletVersion: string;
  runtimeName: string;
  runtimeVersion: string;
  /** What the runtime enforces, shown by `kubectl describe node` (e.g. `limits not enforced`). */
  capabilities: string;
}

/** Annotations batchd adds so `describe node` tells what this node really isolates. */
export const RUNTIME_ANNOTATION = 'batchd.io/runtime';
export const CAPABILITIES_ANNOTATION = 'batchd.io/runtime-capabilities';

const time = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/** Capacity as the kubelet reports it: whole CPUs, memory in Ki, and the pod limit. */
export function capacity(info: MachineInfo): Record<string, string> {
  return {
    cpu: String(info.cpus),
    memory: `${Math.floor(info.memoryBytes / 1024)}Ki`,
    pods: String(info.maxPods),
  };
}

export function newNode(info: MachineInfo): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: info.nodeName,
      labels: {
        'beta.kubernetes.io/arch': info.architecture,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': info.architecture,
        'kubernetes.io/hostname': info.nodeName,
        'kubernetes.io/os': 'linux',
      },
      annotations: {
        [CAPABILITIES_ANNOTATION]: info.capabilities,
        [RUNTIME_ANNOTATION]: info.runtimeName,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {},
  };
}

const CONDITIONS: ReadonlyArray<Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>> = [
  {
    type: 'MemoryPressure',
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
  },
  {
    type: 'DiskPressure',
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
  },
  {
    type: 'PIDPressure',
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
  },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** The node status for a heartbeat at now; transition times carry over while a condition holds. */
export function nodeStatus(info: MachineInfo, old: NodeStatus | undefined, now: Date): NodeStatus {
  const cap = capacity(info);
  const conditions = CONDITIONS.map((c) => {
    const prev = old?.conditions?.find((o) => o.type === c.type);
    const transition = prev && prev.status === c.status ? prev.lastTransitionTime : time(now);
    return { ...c, lastHeartbeatTime: time(now), lastTransitionTime: transition as string };
  });
  return {
    capacity: cap,
    allocatable: cap,
    conditions,
    addresses: [
      { type: 'InternalIP', address: info.address },
      { type: 'Hostname', address: info.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
    nodeInfo: {
      machineID: info.machineID,
      systemUUID: info.machineID,
      bootID: info.bootID,
      kernelVersion: info.kernelVersion,
      osImage: info.osImage,
      containerRuntimeVersion: `${info.runtimeName}://${info.runtimeVersion}`,
      kubeletVersion: info.kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: info.architecture,
    },
  };
}
