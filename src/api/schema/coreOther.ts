/** core/v1 types outside pods: object references, Namespace, Event (core/v1) and Node. */
import {
  arrayOf,
  boolean,
  CORE,
  coreRef,
  field as f,
  int32,
  int64,
  mapOf,
  mergedBy,
  metaRef,
  microTime,
  oneOf,
  quantity,
  string,
  TYPE_META,
  time,
  types,
} from './schema.js';

const core = coreRef;
const meta = metaRef;

const objectMeta = f(1, meta('ObjectMeta'), 'Standard object metadata.', { presence: 'always' });
const listMeta = f(1, meta('ListMeta'), 'Standard list metadata.', { presence: 'always' });

export const coreOtherTypes = types(CORE, {
  ObjectReference: {
    doc: 'Points at another object (or a part of one) by kind, namespace, name and uid. Which fields matter depends on where it is used.',
    mapType: 'atomic',
    fields: {
      kind: f(1, string, 'Kind of the object referred to, such as Pod or Job.'),
      namespace: f(2, string, 'Namespace of the object referred to; empty for cluster-scoped objects.'),
      name: f(3, string, 'Name of the object referred to.'),
      uid: f(4, string, 'UID of the object referred to.'),
      apiVersion: f(5, string, 'API version of the object referred to, such as batch/v1.'),
      resourceVersion: f(
        6,
        string,
        'The revision of the object this reference was taken at, when it matters.',
      ),
      fieldPath: f(
        7,
        string,
        'When the reference targets a part of the object, the path to it, such as spec.containers{app}.',
      ),
    },
  },

  // Namespace

  Namespace: {
    doc: 'A namespace groups named objects: names only need to be unique inside one namespace.',
    inline: [TYPE_META],
    fields: {
      metadata: objectMeta,
      spec: f(2, core('NamespaceSpec'), 'The finalizers that hold the namespace while it is deleted.', {
        presence: 'always',
      }),
      status: f(3, core('NamespaceStatus'), 'The lifecycle phase and conditions of the namespace.', {
        presence: 'always',
      }),
    },
  },
  NamespaceList: {
    doc: 'A list of Namespaces.',
    inline: [TYPE_META],
    fields: {
      metadata: listMeta,
      items: f(2, arrayOf(core('Namespace')), 'The namespaces.', { presence: 'always', required: true }),
    },
  },
  NamespaceSpec: {
    doc: 'The desired state of a namespace.',
    fields: {
      finalizers: f(
        1,
        arrayOf(string),
        'Cleanup steps (such as kubernetes) that must all be removed before a terminating namespace is gone for good.',
        { listType: 'atomic' },
      ),
    },
  },
  NamespaceStatus: {
    doc: 'The observed state of a namespace.',
    fields: {
      phase: f(
        1,
        oneOf('Active', 'Terminating'),
        'Active while the namespace is in use; Terminating once its deletion has begun.',
      ),
      conditions: f(
        2,
        arrayOf(core('NamespaceCondition')),
        'What the namespace controller has observed, mostly problems met while deleting its contents.',
        mergedBy('type'),
      ),
    },
  },
  NamespaceCondition: {
    doc: 'One observation about a namespace.',
    fields: {
      type: f(
        1,
        string,
        'Which condition this is, such as NamespaceContentRemaining or NamespaceDeletionDiscoveryFailure.',
        { presence: 'always', required: true },
      ),
      status: f(2, string, 'True, False or Unknown.', { presence: 'always', required: true }),
      lastTransitionTime: f(4, time, 'When the status last changed.', { presence: 'always' }),
      reason: f(5, string, 'A CamelCase word explaining the last change.'),
      message: f(6, string, 'A human-readable explanation of the last change.'),
    },
  },

  // Event (core/v1)

  Event: {
    doc: 'A record of something that happened to an object, kept for a limited time. Informational only: do not build logic on it.',
    inline: [TYPE_META],
    fields: {
      metadata: f(1, meta('ObjectMeta'), 'Standard object metadata.', { presence: 'always', required: true }),
      involvedObject: f(2, core('ObjectReference'), 'The object the event is about.', {
        presence: 'always',
        required: true,
      }),
      reason: f(
        3,
        string,
        'A short CamelCase word for why this happened, meant for programs (such as BackOff).',
      ),
      message: f(4, string, 'A human-readable description of what happened.'),
      source: f(5, core('EventSource'), 'The component and host that reported the event.', {
        presence: 'always',
      }),
      firstTimestamp: f(6, time, 'When the event was first recorded.', { presence: 'always' }),
      lastTimestamp: f(7, time, 'When the latest occurrence of the event was recorded.', {
        presence: 'always',
      }),
      count: f(8, int32, 'How many times the event has happened.'),
      type: f(9, string, 'Normal or Warning; more types may come.'),
      eventTime: f(10, microTime, 'When the event was first seen, with microsecond precision.', {
        presence: 'always',
      }),
      series: f(
        11,
        core('EventSeries'),
        'Set when the event stands for a repeating series; unset for a one-off.',
      ),
      action: f(12, string, 'What was done (or failed) to the object concerned.'),
      related: f(13, core('ObjectReference'), 'A second object involved, for more complex actions.'),
      reportingComponent: f(
        14,
        string,
        'The controller that emitted the event, such as kubernetes.io/kubelet.',
        { presence: 'always' },
      ),
      reportingInstance: f(
        15,
        string,
        'Which instance of the controller emitted it, such as kubelet-node1.',
        {
          presence: 'always',
        },
      ),
    },
  },
  EventList: {
    doc: 'A list of Events.',
    inline: [TYPE_META],
    fields: {
      metadata: listMeta,
      items: f(2, arrayOf(core('Event')), 'The events.', { presence: 'always', required: true }),
    },
  },
  EventSource: {
    doc: 'Who reported an event.',
    fields: {
      component: f(1, string, 'The component that produced the event.'),
      host: f(2, string, 'The node the event was produced on.'),
    },
  },
  EventSeries: {
    doc: 'Data on an event that keeps happening over a period of time.',
    fields: {
      count: f(1, int32, 'How many times it has happened so far, as of the last heartbeat.'),
      lastObservedTime: f(2, microTime, 'When it was last seen.', { presence: 'always' }),
    },
  },

  // Node

  Node: {
    doc: 'A machine (physical or virtual) that runs pods. Names are cluster-wide.',
    inline: [TYPE_META],
    fields: {
      metadata: objectMeta,
      spec: f(2, core('NodeSpec'), 'How the node is set up: pod address ranges, taints, schedulability.', {
        presence: 'always',
      }),
      status: f(
        3,
        core('NodeStatus'),
        'What the node reports about itself: resources, conditions, addresses, system details. Read only.',
        { presence: 'always' },
      ),
    },
  },
  NodeList: {
    doc: 'A list of Nodes.',
    inline: [TYPE_META],
    fields: {
      metadata: listMeta,
      items: f(2, arrayOf(core('Node')), 'The nodes.', { presence: 'always', required: true }),
    },
  },
  NodeSpec: {
    doc: 'The configuration a node is registered with.',
    fields: {
      podCIDR: f(1, string, 'The IP range pods on this node take their addresses from.'),
      podCIDRs: f(
        7,
        arrayOf(string),
        'The pod IP ranges of this node, at most one IPv4 and one IPv6. When set, the first equals podCIDR.',
        { patchStrategy: 'merge', listType: 'set' },
      ),
      providerID: f(3, string, 'The identity the cloud provider gives the machine, as <provider>://<id>.'),
      unschedulable: f(
        4,
        boolean,
        'True keeps new pods from being scheduled here (cordon); running pods stay. Defaults to false.',
      ),
      taints: f(5, arrayOf(core('Taint')), 'Taints that repel pods which do not tolerate them.', {
        listType: 'atomic',
      }),
      configSource: f(
        6,
        core('NodeConfigSource'),
        'Deprecated and unused: the source of dynamic kubelet configuration, a feature that has been removed.',
      ),
      externalID: f(2, string, 'Deprecated: an external identity some kubelets still report.'),
    },
  },
  Taint: {
    doc: 'A mark on a node that has an effect on every pod that does not tolerate it.',
    fields: {
      key: f(1, string, 'The taint key.', { presence: 'always', required: true }),
      value: f(2, string, 'The taint value.'),
      effect: f(
        3,
        oneOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
        'NoSchedule keeps intolerant pods off the node; PreferNoSchedule only avoids it when possible; NoExecute also evicts intolerant pods already running.',
        { presence: 'always', required: true },
      ),
      timeAdded: f(4, time, 'When the taint was put on the node. Set for NoExecute taints only.'),
    },
  },
  NodeConfigSource: {
    doc: 'Deprecated (since 1.22): where a node took its kubelet configuration from. Only one source may be set.',
    fields: {
      configMap: f(2, core('ConfigMapNodeConfigSource'), 'A ConfigMap holding the kubelet configuration.'),
    },
  },
  ConfigMapNodeConfigSource: {
    doc: 'Deprecated (since 1.22): a ConfigMap used as a kubelet configuration source.',
    fields: {
      namespace: f(1, string, 'Namespace of the ConfigMap. Always required.', {
        presence: 'always',
        required: true,
      }),
      name: f(2, string, 'Name of the ConfigMap. Always required.', { presence: 'always', required: true }),
      uid: f(3, string, 'UID of the ConfigMap. Not allowed in the node spec; required in the node status.'),
      resourceVersion: f(
        4,
        string,
        'The resourceVersion of the ConfigMap. Not allowed in the node spec; required in the node status.',
      ),
      kubeletConfigKey: f(
        5,
        string,
        'The ConfigMap key whose value is the kubelet configuration. Always required.',
        {
          presence: 'always',
          required: true,
        },
      ),
    },
  },
  NodeStatus: {
    doc: 'The observed state of a node.',
    fields: {
      capacity: f(
        1,
        mapOf(quantity),
        'All the resources of the node, by resource name (cpu, memory, pods, ...).',
      ),
      allocatable: f(
        2,
        mapOf(quantity),
        'The part of the resources that pods may be scheduled against. Defaults to capacity.',
      ),
      phase: f(
        3,
        oneOf('Pending', 'Running', 'Terminated'),
        'Deprecated: a lifecycle phase that is no longer filled in.',
      ),
      conditions: f(
        4,
        arrayOf(core('NodeCondition')),
        'The current health conditions of the node: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.',
        mergedBy('type'),
      ),
      addresses: f(
        5,
        arrayOf(core('NodeAddress')),
        'Host names and IP addresses the node can be reached at. The type key is not unique, so replace the whole list rather than merging it. May change over time.',
        mergedBy('type'),
      ),
      daemonEndpoints: f(6, core('NodeDaemonEndpoints'), 'Ports of the daemons running on the node.', {
        presence: 'always',
      }),
      nodeInfo: f(7, core('NodeSystemInfo'), 'Identifiers and versions of the machine and its software.', {
        presence: 'always',
      }),
      images: f(8, arrayOf(core('ContainerImage')), 'Container images present on the node.', {
        listType: 'atomic',
      }),
      volumesInUse: f(9, arrayOf(string), 'Unique names of attachable volumes mounted on the node.', {
        listType: 'atomic',
      }),
      volumesAttached: f(10, arrayOf(core('AttachedVolume')), 'Volumes attached to the node.', {
        listType: 'atomic',
      }),
      config: f(
        11,
        core('NodeConfigStatus'),
        'Status of the dynamic kubelet configuration (deprecated feature).',
      ),
      runtimeHandlers: f(
        12,
        arrayOf(core('NodeRuntimeHandler')),
        'The container runtime handlers available on the node and what each supports.',
        { listType: 'atomic' },
      ),
      features: f(13, core('NodeFeatures'), 'Features the container runtime (CRI) implementation supports.'),
    },
  },
  NodeAddress: {
    doc: 'One address of a node.',
    fields: {
      type: f(
        1,
        string,
        'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS; providers may add others.',
        {
          presence: 'always',
          required: true,
        },
      ),
      address: f(2, string, 'The host name or IP address.', { presence: 'always', required: true }),
    },
  },
  NodeCondition: {
    doc: 'One observation about a node.',
    fields: {
      type: f(
        1,
        string,
        'Which condition this is: Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable (providers may add others).',
        { presence: 'always', required: true },
      ),
      status: f(2, string, 'True, False or Unknown.', { presence: 'always', required: true }),
      lastHeartbeatTime: f(3, time, 'When the condition was last reported.', { presence: 'always' }),
      lastTransitionTime: f(4, time, 'When the status last changed.', { presence: 'always' }),
      reason: f(5, string, 'A short CamelCase word explaining the last change.'),
      message: f(6, string, 'A human-readable explanation of the last change.'),
    },
  },
  NodeDaemonEndpoints: {
    doc: 'Ports opened by daemons on a node.',
    fields: {
      kubeletEndpoint: f(1, core('DaemonEndpoint'), 'Where the kubelet listens.', { presence: 'always' }),
    },
  },
  DaemonEndpoint: {
    doc: 'The port of one daemon.',
    fields: {
      Port: f(1, int32, 'The port number.', { presence: 'always', required: true }),
    },
  },
  NodeSystemInfo: {
    doc: 'Identifiers and software versions a node reports about itself.',
    fields: {
      machineID: f(1, string, 'The machine-id of the host; the preferred way to tell machines apart.', {
        presence: 'always',
        required: true,
      }),
      systemUUID: f(2, string, 'The system UUID of the host (from the firmware).', {
        presence: 'always',
        required: true,
      }),
      bootID: f(3, string, 'An identifier that changes each time the host boots.', {
        presence: 'always',
        required: true,
      }),
      kernelVersion: f(4, string, 'The kernel release, as uname -r prints it.', {
        presence: 'always',
        required: true,
      }),
      osImage: f(5, string, 'The operating system name and version, from /etc/os-release.', {
        presence: 'always',
        required: true,
      }),
      containerRuntimeVersion: f(
        6,
        string,
        'The container runtime and its version, such as containerd://1.7.0.',
        { presence: 'always', required: true },
      ),
      kubeletVersion: f(7, string, 'The kubelet version.', { presence: 'always', required: true }),
      kubeProxyVersion: f(8, string, 'Deprecated: the kube-proxy version.', {
        presence: 'always',
        required: true,
      }),
      operatingSystem: f(9, string, 'The operating system family, such as linux or windows.', {
        presence: 'always',
        required: true,
      }),
      architecture: f(10, string, 'The CPU architecture, such as amd64 or arm64.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  ContainerImage: {
    doc: 'A container image stored on a node.',
    fields: {
      names: f(1, arrayOf(string), 'The references the image is known by (repository:tag or digest).', {
        presence: 'always',
        listType: 'atomic',
      }),
      sizeBytes: f(2, int64, 'Size of the image in bytes.'),
    },
  },
  AttachedVolume: {
    doc: 'A volume attached to a node.',
    fields: {
      name: f(1, string, 'The unique name of the volume.', { presence: 'always', required: true }),
      devicePath: f(2, string, 'The device the volume shows up as on the node.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  NodeConfigStatus: {
    doc: 'Deprecated: how the kubelet handled the configuration named in spec.configSource.',
    fields: {
      assigned: f(
        1,
        core('NodeConfigSource'),
        'The configuration the node has saved locally and will try to use.',
      ),
      active: f(2, core('NodeConfigSource'), 'The configuration the node is using now.'),
      lastKnownGood: f(
        3,
        core('NodeConfigSource'),
        'The configuration the node falls back to when the assigned one fails.',
      ),
      error: f(
        4,
        string,
        'A human-readable description of any problem applying the configuration; empty when none.',
      ),
    },
  },
  NodeRuntimeHandler: {
    doc: 'A runtime handler of the node and the features it supports.',
    fields: {
      name: f(1, string, 'The handler name; empty for the default handler.', { presence: 'always' }),
      features: f(2, core('NodeRuntimeHandlerFeatures'), 'What the handler supports.'),
    },
  },
  NodeRuntimeHandlerFeatures: {
    doc: 'Features a runtime handler supports.',
    fields: {
      recursiveReadOnlyMounts: f(1, boolean, 'True when the handler supports recursive read-only mounts.', {
        presence: 'pointer',
      }),
      userNamespaces: f(2, boolean, 'True when the handler supports user namespaces, volumes included.', {
        presence: 'pointer',
      }),
    },
  },
  NodeFeatures: {
    doc: 'Features of the container runtime (CRI) implementation, whatever the handler.',
    fields: {
      supplementalGroupsPolicy: f(
        1,
        boolean,
        'True when the runtime supports supplementalGroupsPolicy and the container user report.',
        { presence: 'pointer' },
      ),
    },
  },
});
