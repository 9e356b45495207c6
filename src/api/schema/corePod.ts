/** core/v1 pod types: Pod, its spec (scheduling, security, DNS) and its status (conditions, container states). */
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
  oneOf,
  quantity,
  string,
  TYPE_META,
  time,
  types,
} from './schema.js';

const core = coreRef;
const meta = metaRef;

const always = { presence: 'always' } as const;
const pointer = { presence: 'pointer' } as const;
const needed = { presence: 'always', required: true } as const;

export const corePodTypes = types(CORE, {
  Pod: {
    doc: 'A Pod is a group of containers that are scheduled together onto one node and share its network and storage.',
    inline: [TYPE_META],
    fields: {
      metadata: f(1, meta('ObjectMeta'), 'Standard object metadata.', always),
      spec: f(2, core('PodSpec'), 'What the pod should run and how it is placed and secured.', always),
      status: f(
        3,
        core('PodStatus'),
        'What the node and control plane last reported about the pod. Written by the system; may lag behind reality.',
        always,
      ),
    },
  },
  PodList: {
    doc: 'A list of Pods.',
    inline: [TYPE_META],
    fields: {
      metadata: f(1, meta('ListMeta'), 'Standard list metadata.', always),
      items: f(2, arrayOf(core('Pod')), 'The pods.', needed),
    },
  },
  PodTemplateSpec: {
    doc: 'The metadata and spec given to each pod created from a template.',
    fields: {
      metadata: f(
        1,
        meta('ObjectMeta'),
        'Labels, annotations and other metadata copied to each created pod.',
        always,
      ),
      spec: f(2, core('PodSpec'), 'The spec of each created pod.', always),
    },
  },
  PodSpec: {
    doc: 'The desired contents and behaviour of a pod.',
    fields: {
      volumes: f(
        1,
        arrayOf(core('Volume')),
        'Storage the containers of this pod can mount, each under a unique name.',
        { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      ),
      initContainers: f(
        20,
        arrayOf(core('Container')),
        'Containers that run one after another, each to completion, before the main containers start. A failure is handled by restartPolicy. They cannot be added, removed or changed later.',
        mergedBy('name'),
      ),
      containers: f(
        2,
        arrayOf(core('Container')),
        'The main containers of the pod; at least one. They cannot be added, removed or changed later.',
        {
          presence: 'always',
          required: true,
          patchStrategy: 'merge',
          patchMergeKey: 'name',
          listType: 'map',
          listMapKeys: ['name'],
        },
      ),
      ephemeralContainers: f(
        34,
        arrayOf(core('EphemeralContainer')),
        'Temporary containers added to a running pod, for example to debug it. Set only through the ephemeralcontainers subresource, never on create or update.',
        mergedBy('name'),
      ),
      restartPolicy: f(
        3,
        oneOf('Always', 'OnFailure', 'Never'),
        'When containers that exit are restarted: Always (default), OnFailure or Never. Some owners allow only some of these.',
      ),
      terminationGracePeriodSeconds: f(
        4,
        int64,
        'Seconds between the polite stop signal and the forced kill when the pod is deleted. 0 kills at once. Defaults to 30; a delete request may shorten it.',
        pointer,
      ),
      activeDeadlineSeconds: f(
        5,
        int64,
        'Seconds after the pod start time at which the system marks the pod failed and kills its containers. Must be positive.',
        pointer,
      ),
      dnsPolicy: f(
        6,
        oneOf('ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'),
        'How the pod resolver is set up: ClusterFirst (default), ClusterFirstWithHostNet (needed for cluster DNS with hostNetwork), Default (the node settings) or None (only dnsConfig).',
      ),
      nodeSelector: f(
        7,
        mapOf(string),
        'Node labels that must all be present, with these values, on a node for the pod to be placed there.',
        { mapType: 'atomic' },
      ),
      serviceAccountName: f(8, string, 'The service account whose identity the pod runs with.'),
      serviceAccount: f(9, string, 'Deprecated older name of serviceAccountName.'),
      automountServiceAccountToken: f(
        21,
        boolean,
        'Whether an API token for the service account is mounted into the containers.',
        pointer,
      ),
      nodeName: f(
        10,
        string,
        'The node the pod is bound to. Empty means the scheduler has yet to place it; once set, that node runs the pod. Not meant for expressing placement wishes.',
      ),
      hostNetwork: f(
        11,
        boolean,
        'True puts the pod in the node network namespace; its ports must then be declared. Defaults to false.',
      ),
      hostPID: f(12, boolean, 'True puts the pod in the node process ID namespace. Defaults to false.'),
      hostIPC: f(13, boolean, 'True puts the pod in the node IPC namespace. Defaults to false.'),
      shareProcessNamespace: f(
        27,
        boolean,
        'True makes all containers of the pod share one process namespace, so they can see and signal each other (the first process of a container is then not PID 1). Cannot be combined with hostPID. Defaults to false.',
        pointer,
      ),
      securityContext: f(
        14,
        core('PodSecurityContext'),
        'Security settings for the whole pod, and defaults for the container-level ones. Empty when unset.',
      ),
      imagePullSecrets: f(
        15,
        arrayOf(core('LocalObjectReference')),
        'Secrets in the pod namespace holding registry credentials used to pull the container images.',
        mergedBy('name'),
      ),
      hostname: f(16, string, 'The host name of the pod. Unset means a name chosen by the system.'),
      subdomain: f(
        17,
        string,
        'When set, the pod gets the fully qualified name <hostname>.<subdomain>.<namespace>.svc.<cluster domain>; otherwise it has no domain name.',
      ),
      affinity: f(
        18,
        core('Affinity'),
        'Node and pod affinity rules that constrain where the pod is scheduled.',
      ),
      schedulerName: f(19, string, 'The scheduler that places this pod. Unset means the default scheduler.'),
      tolerations: f(
        22,
        arrayOf(core('Toleration')),
        'Node taints this pod accepts, so it may be scheduled onto (or stay on) tainted nodes.',
        { listType: 'atomic' },
      ),
      hostAliases: f(
        23,
        arrayOf(core('HostAlias')),
        'Extra IP to host name entries written into the hosts file of the pod.',
        mergedBy('ip'),
      ),
      priorityClassName: f(
        24,
        string,
        'The PriorityClass that sets the pod priority. system-node-critical and system-cluster-critical are built in (the former highest). Unset means the default class, or priority 0.',
      ),
      priority: f(
        25,
        int32,
        'The pod priority; higher is more important. Normally filled in from priorityClassName by admission rather than set directly.',
        pointer,
      ),
      dnsConfig: f(26, core('PodDNSConfig'), 'Resolver settings merged into those that dnsPolicy produces.'),
      readinessGates: f(
        28,
        arrayOf(core('PodReadinessGate')),
        'Extra pod conditions that must be True, besides all containers being ready, for the pod to count as ready.',
        { listType: 'atomic' },
      ),
      runtimeClassName: f(
        29,
        string,
        'The node.k8s.io RuntimeClass used to run the pod; the pod does not run if it does not exist. Unset or empty means the implicit legacy class with the default runtime handler.',
        pointer,
      ),
      enableServiceLinks: f(
        30,
        boolean,
        'Whether environment variables describing services, in the Docker links style, are injected into the containers. Defaults to true.',
        pointer,
      ),
      preemptionPolicy: f(
        31,
        oneOf('PreemptLowerPriority', 'Never'),
        'Whether this pod may evict pods of lower priority to make room: PreemptLowerPriority (default) or Never.',
        pointer,
      ),
      overhead: f(
        32,
        mapOf(quantity),
        'Resources consumed by the pod sandbox itself for its RuntimeClass. Filled in at admission from the RuntimeClass; must not be set on create when that admission runs. Unset counts as zero.',
      ),
      topologySpreadConstraints: f(
        33,
        arrayOf(core('TopologySpreadConstraint')),
        'How this group of pods is to be spread across topology domains such as zones or nodes. All constraints apply together.',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'topologyKey',
          listType: 'map',
          listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
        },
      ),
      setHostnameAsFQDN: f(
        35,
        boolean,
        'True makes the kernel host name of the pod its fully qualified name instead of the short one. No effect without a domain. Defaults to false.',
        pointer,
      ),
      os: f(
        36,
        core('PodOS'),
        'The operating system the containers need. When set, fields that do not apply to that OS must be left unset.',
      ),
      hostUsers: f(
        37,
        boolean,
        'False gives the pod its own user namespace, so root inside is not root on the node. True or unset shares the node user namespace. Defaults to true.',
        pointer,
      ),
      schedulingGates: f(
        38,
        arrayOf(core('PodSchedulingGate')),
        'While any gate remains, the pod is not scheduled. Gates are set at creation and may only be removed afterwards.',
        mergedBy('name'),
      ),
      resourceClaims: f(
        39,
        arrayOf(core('PodResourceClaim')),
        'Dynamically allocated resources (ResourceClaims) that must be ready before the pod starts; containers refer to them by name. Cannot be changed. Alpha (DynamicResourceAllocation).',
        { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      ),
      resources: f(
        40,
        core('ResourceRequirements'),
        'CPU and memory requests and limits for the pod as a whole, shared by its containers. Only cpu and memory are allowed. Alpha (PodLevelResources).',
      ),
    },
  },
  PodSecurityContext: {
    doc: 'Security settings for a whole pod. Where a container sets the same field, its own value wins.',
    fields: {
      seLinuxOptions: f(
        1,
        core('SELinuxOptions'),
        'The SELinux context for every container. Unset lets the runtime pick a random one per container. Not for Windows pods.',
      ),
      windowsOptions: f(
        8,
        core('WindowsSecurityContextOptions'),
        'Windows-specific settings for every container. Not for Linux pods.',
      ),
      runAsUser: f(
        2,
        int64,
        'The user ID the container processes run as. Unset means the user in the image. Not for Windows pods.',
        pointer,
      ),
      runAsGroup: f(
        6,
        int64,
        'The primary group ID the container processes run as. Unset means the runtime default. Not for Windows pods.',
        pointer,
      ),
      runAsNonRoot: f(
        3,
        boolean,
        'True makes the kubelet refuse to start a container whose process would run as UID 0.',
        pointer,
      ),
      supplementalGroups: f(
        4,
        arrayOf(int64),
        'Extra group IDs given to the first process of each container, beside its primary group and fsGroup. Not for Windows pods.',
        { listType: 'atomic' },
      ),
      supplementalGroupsPolicy: f(
        12,
        oneOf('Merge', 'Strict'),
        'Merge (default) adds the groups the image defines for the user to supplementalGroups and fsGroup; Strict uses only those given here. Alpha. Not for Windows pods.',
        pointer,
      ),
      fsGroup: f(
        5,
        int64,
        'A group added to every container; volumes that support it are made owned by and writable for this group. Unset leaves volume ownership alone. Not for Windows pods.',
        pointer,
      ),
      sysctls: f(
        7,
        arrayOf(core('Sysctl')),
        'Namespaced kernel parameters set for the pod. Not for Windows pods.',
        { listType: 'atomic' },
      ),
      fsGroupChangePolicy: f(
        9,
        oneOf('OnRootMismatch', 'Always'),
        'When volume ownership is changed to fsGroup: Always (default) at every mount, or OnRootMismatch only when the volume root does not already match. Not for Windows pods.',
        pointer,
      ),
      seccompProfile: f(
        10,
        core('SeccompProfile'),
        'The seccomp profile for the containers. Not for Windows pods.',
      ),
      appArmorProfile: f(
        11,
        core('AppArmorProfile'),
        'The AppArmor profile for the containers. Not for Windows pods.',
      ),
      seLinuxChangePolicy: f(
        13,
        string,
        'How volumes get the SELinux label of the pod: Recursive (every file relabelled) or MountOption (mounted with a context option, where the volume supports it). The default depends on the SELinuxMount feature gate. Not for Windows pods.',
        pointer,
      ),
    },
  },
  Sysctl: {
    doc: 'A kernel parameter and the value to set it to.',
    fields: {
      name: f(1, string, 'The parameter name.', needed),
      value: f(2, string, 'The value to set.', needed),
    },
  },
  Affinity: {
    doc: 'Scheduling rules relating the pod to nodes and to other pods.',
    fields: {
      nodeAffinity: f(1, core('NodeAffinity'), 'Rules on which nodes the pod may or should run on.'),
      podAffinity: f(
        2,
        core('PodAffinity'),
        'Rules for running the pod in the same topology domain (node, zone, ...) as certain other pods.',
      ),
      podAntiAffinity: f(
        3,
        core('PodAntiAffinity'),
        'Rules for keeping the pod out of topology domains where certain other pods run.',
      ),
    },
  },
  NodeAffinity: {
    doc: 'Node affinity rules: hard requirements and weighted preferences.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: f(
        1,
        core('NodeSelector'),
        'Nodes the pod must be scheduled onto. If the node stops matching later, the pod may or may not be evicted.',
      ),
      preferredDuringSchedulingIgnoredDuringExecution: f(
        2,
        arrayOf(core('PreferredSchedulingTerm')),
        'Weighted node preferences. Among feasible nodes, the one whose matching terms add up to the largest weight is preferred, but others may still be chosen.',
        { listType: 'atomic' },
      ),
    },
  },
  NodeSelector: {
    doc: 'A set of node selector terms; a node matches when any one term matches.',
    mapType: 'atomic',
    fields: {
      nodeSelectorTerms: f(1, arrayOf(core('NodeSelectorTerm')), 'The terms, combined with OR.', {
        presence: 'always',
        required: true,
        listType: 'atomic',
      }),
    },
  },
  NodeSelectorTerm: {
    doc: 'Requirements that must all hold for a node to match. A null or empty term matches no node.',
    mapType: 'atomic',
    fields: {
      matchExpressions: f(1, arrayOf(core('NodeSelectorRequirement')), 'Requirements on node labels.', {
        listType: 'atomic',
      }),
      matchFields: f(2, arrayOf(core('NodeSelectorRequirement')), 'Requirements on node fields.', {
        listType: 'atomic',
      }),
    },
  },
  NodeSelectorRequirement: {
    doc: 'A test of one node label or field against a set of values.',
    fields: {
      key: f(1, string, 'The label or field key to test.', needed),
      operator: f(
        2,
        oneOf('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'),
        'How the key relates to the values: In, NotIn, Exists, DoesNotExist, Gt or Lt.',
        needed,
      ),
      values: f(
        3,
        arrayOf(string),
        'The values to compare with. In and NotIn need at least one; Exists and DoesNotExist need none; Gt and Lt need exactly one, read as an integer. Replaced as a whole by strategic merge patch.',
        { listType: 'atomic' },
      ),
    },
  },
  PreferredSchedulingTerm: {
    doc: 'A weighted node preference. An empty term matches every node with weight 0; a null one matches none.',
    fields: {
      weight: f(1, int32, 'The weight added when the term matches, from 1 to 100.', needed),
      preference: f(2, core('NodeSelectorTerm'), 'The term a node must match to gain the weight.', needed),
    },
  },
  PodAffinity: {
    doc: 'Rules for placing the pod near other pods.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: f(
        1,
        arrayOf(core('PodAffinityTerm')),
        'Terms that must all be met for the pod to be scheduled onto a node. If they stop being met later, the pod may or may not be evicted.',
        { listType: 'atomic' },
      ),
      preferredDuringSchedulingIgnoredDuringExecution: f(
        2,
        arrayOf(core('WeightedPodAffinityTerm')),
        'Weighted preferences: nodes whose matching terms add up to the largest weight are preferred, but others may still be chosen.',
        { listType: 'atomic' },
      ),
    },
  },
  PodAntiAffinity: {
    doc: 'Rules for keeping the pod away from other pods.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: f(
        1,
        arrayOf(core('PodAffinityTerm')),
        'Terms that must all be met (no matching pods in the domain) for the pod to be scheduled onto a node. If they stop being met later, the pod may or may not be evicted.',
        { listType: 'atomic' },
      ),
      preferredDuringSchedulingIgnoredDuringExecution: f(
        2,
        arrayOf(core('WeightedPodAffinityTerm')),
        'Weighted preferences for avoiding pods: nodes with the largest sum of weights are preferred, but others may still be chosen.',
        { listType: 'atomic' },
      ),
    },
  },
  PodAffinityTerm: {
    doc: 'A set of pods, and the topology key that defines what counts as running near them.',
    fields: {
      labelSelector: f(1, meta('LabelSelector'), 'Which pods the term is about. Null matches no pods.'),
      namespaces: f(
        2,
        arrayOf(string),
        'Namespaces to look for the pods in, in addition to those chosen by namespaceSelector. Both empty means the namespace of this pod.',
        { listType: 'atomic' },
      ),
      topologyKey: f(
        3,
        string,
        'The node label whose value defines a domain: the pod is near the selected pods when its node has the same value for this label as one of theirs. Must not be empty.',
        needed,
      ),
      namespaceSelector: f(
        4,
        meta('LabelSelector'),
        'Selects namespaces to look for the pods in, in addition to namespaces. An empty selector matches every namespace; null and no namespaces means the namespace of this pod.',
      ),
      matchLabelKeys: f(
        5,
        arrayOf(string),
        'Labels of the incoming pod whose values are added to labelSelector as key in (value). Keys the pod lacks are skipped. Needs labelSelector; must not repeat its keys. Beta.',
        { listType: 'atomic' },
      ),
      mismatchLabelKeys: f(
        6,
        arrayOf(string),
        'Labels of the incoming pod whose values are added to labelSelector as key notin (value). Keys the pod lacks are skipped. Needs labelSelector; must not repeat its keys. Beta.',
        { listType: 'atomic' },
      ),
    },
  },
  WeightedPodAffinityTerm: {
    doc: 'A pod affinity term with a weight, summed per node to rank candidate nodes.',
    fields: {
      weight: f(1, int32, 'The weight added when the term matches, from 1 to 100.', needed),
      podAffinityTerm: f(2, core('PodAffinityTerm'), 'The term that must match to add the weight.', needed),
    },
  },
  Toleration: {
    doc: 'Lets the pod be scheduled onto, or stay on, nodes with a matching taint.',
    fields: {
      key: f(1, string, 'The taint key to match. Empty matches every key, and then operator must be Exists.'),
      operator: f(
        2,
        oneOf('Exists', 'Equal'),
        'Equal (default) matches the taint value; Exists matches any value.',
      ),
      value: f(3, string, 'The taint value to match with Equal. Leave empty with Exists.'),
      effect: f(
        4,
        oneOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
        'The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute. Empty matches every effect.',
      ),
      tolerationSeconds: f(
        5,
        int64,
        'For NoExecute taints only: how many seconds the pod may stay on the node once the taint appears. Unset tolerates it forever; 0 or less evicts right away.',
        pointer,
      ),
    },
  },
  TopologySpreadConstraint: {
    doc: 'A rule for spreading matching pods evenly across the domains of a topology.',
    fields: {
      maxSkew: f(
        1,
        int32,
        'The largest allowed gap between the number of matching pods in a domain and the smallest such number over eligible domains. With ScheduleAnyway it only ranks domains. Must be at least 1.',
        needed,
      ),
      topologyKey: f(
        2,
        string,
        'The node label that defines the domains: nodes with the same value for it form one domain, such as a zone or a host.',
        needed,
      ),
      whenUnsatisfiable: f(
        3,
        oneOf('DoNotSchedule', 'ScheduleAnyway'),
        'What to do when no placement keeps within maxSkew: DoNotSchedule leaves the pod pending; ScheduleAnyway places it anywhere, favouring domains that reduce the skew.',
        needed,
      ),
      labelSelector: f(4, meta('LabelSelector'), 'Which pods are counted in each domain.'),
      minDomains: f(
        5,
        int32,
        'The least number of eligible domains. With fewer, the minimum count is taken as 0, which limits how many pods go into the existing ones. Unset acts as 1. Needs DoNotSchedule.',
        pointer,
      ),
      nodeAffinityPolicy: f(
        6,
        oneOf('Ignore', 'Honor'),
        'Honor (default when unset) counts only nodes matching the nodeAffinity and nodeSelector of the pod; Ignore counts every node.',
        pointer,
      ),
      nodeTaintsPolicy: f(
        7,
        oneOf('Ignore', 'Honor'),
        'Honor counts only untainted nodes and nodes whose taints the pod tolerates; Ignore (default when unset) counts every node.',
        pointer,
      ),
      matchLabelKeys: f(
        8,
        arrayOf(string),
        'Labels of the incoming pod whose values are added to labelSelector to choose the pods counted. Keys the pod lacks are skipped. Needs labelSelector; must not repeat its keys.',
        { listType: 'atomic' },
      ),
    },
  },
  HostAlias: {
    doc: 'An entry added to the hosts file of the pod.',
    fields: {
      ip: f(1, string, 'The IP address of the entry.', needed),
      hostnames: f(2, arrayOf(string), 'The host names that resolve to the IP.', { listType: 'atomic' }),
    },
  },
  PodDNSConfig: {
    doc: 'Resolver settings added to those produced by the DNS policy of the pod.',
    fields: {
      nameservers: f(1, arrayOf(string), 'Name server IPs appended to the base list; repeats are dropped.', {
        listType: 'atomic',
      }),
      searches: f(2, arrayOf(string), 'Search domains appended to the base list; repeats are dropped.', {
        listType: 'atomic',
      }),
      options: f(
        3,
        arrayOf(core('PodDNSConfigOption')),
        'Resolver options merged into the base ones; these win where both set the same option.',
        { listType: 'atomic' },
      ),
    },
  },
  PodDNSConfigOption: {
    doc: 'One resolver option.',
    fields: {
      name: f(1, string, 'The option name. Needed.'),
      value: f(2, string, 'The option value, if it takes one.', pointer),
    },
  },
  PodReadinessGate: {
    doc: 'A pod condition that must be True for the pod to count as ready.',
    fields: {
      conditionType: f(1, string, 'The type of the pod condition to check.', needed),
    },
  },
  PodOS: {
    doc: 'The operating system the pod runs on.',
    fields: {
      name: f(
        1,
        string,
        'linux or windows. Other values may appear later; clients should treat one they do not know as if os were unset.',
        needed,
      ),
    },
  },
  PodSchedulingGate: {
    doc: 'A named gate that holds the pod back from scheduling while present.',
    fields: {
      name: f(1, string, 'The gate name, unique within the pod.', needed),
    },
  },
  PodResourceClaim: {
    doc: 'Names one ResourceClaim for the pod, either an existing claim or a template from which one is made. Containers refer to it by name.',
    fields: {
      name: f(1, string, 'The name of this claim within the pod (a DNS label).', needed),
      resourceClaimName: f(
        3,
        string,
        'An existing ResourceClaim in the pod namespace. Exactly one of this and resourceClaimTemplateName is set.',
        pointer,
      ),
      resourceClaimTemplateName: f(
        4,
        string,
        'A ResourceClaimTemplate in the pod namespace; a claim is made from it for this pod, named in status.resourceClaimStatuses, and deleted with the pod. Cannot be changed. Exactly one of this and resourceClaimName is set.',
        pointer,
      ),
    },
  },
  PodStatus: {
    doc: 'The last observed state of a pod. It can trail reality, for example when the node is unreachable.',
    fields: {
      phase: f(
        1,
        oneOf('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
        'A summary of where the pod is in its life: Pending (accepted, not all containers started yet, including scheduling and image pulls), Running (on a node, containers created, at least one running or restarting), Succeeded (all exited 0 and will not restart), Failed (all stopped, at least one in failure) or Unknown (deprecated).',
      ),
      conditions: f(
        2,
        arrayOf(core('PodCondition')),
        'Conditions of the pod, such as PodScheduled, Initialized, ContainersReady and Ready.',
        mergedBy('type'),
      ),
      message: f(3, string, 'A human-readable explanation of the current state.'),
      reason: f(4, string, 'A short CamelCase reason for the current state, such as Evicted.'),
      nominatedNodeName: f(
        11,
        string,
        'The node where this pod preempted other pods and is waiting for them to go. It may still end up elsewhere.',
      ),
      hostIP: f(5, string, 'The IP of the node the pod is assigned to. Empty until the pod has started.'),
      hostIPs: f(
        16,
        arrayOf(core('HostIP')),
        'The IPs of the node, the first equal to hostIP. Empty until the pod has started.',
        { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
      ),
      podIP: f(
        6,
        string,
        'The IP allocated to the pod, routable at least inside the cluster. Empty until allocated.',
      ),
      podIPs: f(
        12,
        arrayOf(core('PodIP')),
        'The IPs allocated to the pod, the first equal to podIP; at most one IPv4 and one IPv6. Empty until allocated.',
        mergedBy('ip'),
      ),
      startTime: f(7, time, 'When the kubelet accepted the pod, before pulling any images.'),
      initContainerStatuses: f(10, arrayOf(core('ContainerStatus')), 'One status per init container.', {
        listType: 'atomic',
      }),
      containerStatuses: f(8, arrayOf(core('ContainerStatus')), 'One status per main container.', {
        listType: 'atomic',
      }),
      qosClass: f(
        9,
        oneOf('Guaranteed', 'Burstable', 'BestEffort'),
        'The quality of service class the pod falls in, derived from its requests and limits.',
      ),
      ephemeralContainerStatuses: f(
        13,
        arrayOf(core('ContainerStatus')),
        'One status per ephemeral container that has run in the pod.',
        { listType: 'atomic' },
      ),
      resize: f(
        14,
        string,
        'Progress of a requested in-place resize of container resources: Proposed, InProgress, Deferred or Infeasible. Empty when none is pending.',
      ),
      resourceClaimStatuses: f(
        15,
        arrayOf(core('PodResourceClaimStatus')),
        'The ResourceClaims generated for this pod from templates.',
        { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      ),
    },
  },
  PodCondition: {
    doc: 'One observation about a pod.',
    fields: {
      type: f(
        1,
        string,
        'Which condition this is, such as PodScheduled, Initialized, ContainersReady, Ready or DisruptionTarget.',
        needed,
      ),
      status: f(2, string, 'True, False or Unknown.', needed),
      lastProbeTime: f(3, time, 'When the condition was last checked.', always),
      lastTransitionTime: f(4, time, 'When the status last changed.', always),
      reason: f(5, string, 'A single CamelCase word giving the reason for the last change.'),
      message: f(6, string, 'A human-readable explanation of the last change.'),
    },
  },
  PodIP: {
    doc: 'An IP address allocated to a pod.',
    fields: {
      ip: f(1, string, 'The address.', needed),
    },
  },
  HostIP: {
    doc: 'An IP address of the node running a pod.',
    fields: {
      ip: f(1, string, 'The address.', needed),
    },
  },
  PodResourceClaimStatus: {
    doc: 'The ResourceClaim generated for one template-based entry of spec.resourceClaims.',
    fields: {
      name: f(1, string, 'The name of the entry in spec.resourceClaims this is for.', needed),
      resourceClaimName: f(
        2,
        string,
        'The name of the ResourceClaim generated in the pod namespace. Unset when none was needed, in which case the entry can be ignored.',
        pointer,
      ),
    },
  },
  ContainerStatus: {
    doc: 'The observed state of one container of a pod.',
    fields: {
      name: f(1, string, 'The container name, as given in the pod spec.', needed),
      state: f(2, core('ContainerState'), 'What the container is doing now.', always),
      lastState: f(
        3,
        core('ContainerState'),
        'How the previous run of the container ended, to help debug restarts. Empty while the first run is still going.',
        always,
      ),
      ready: f(
        4,
        boolean,
        'Whether the container passes its readiness probe (without one, true once it has started). Usually decides whether it receives traffic.',
        needed,
      ),
      restartCount: f(
        5,
        int32,
        'How many times the container has been restarted. Never negative; may go back to 0 if the node loses its state.',
        needed,
      ),
      image: f(6, string, 'The image the container runs, possibly as resolved by the runtime.', needed),
      imageID: f(
        7,
        string,
        'The ID of the image the container runs, possibly as resolved by the runtime.',
        needed,
      ),
      containerID: f(8, string, 'The container ID, as <runtime>://<id>.'),
      started: f(
        9,
        boolean,
        'Whether the postStart hook has finished and the startup probe has passed. False again after a restart; null means false.',
        pointer,
      ),
      allocatedResources: f(
        10,
        mapOf(quantity),
        'The resources the node has allocated to the container: its requests as admitted, updated by accepted resizes.',
      ),
      resources: f(
        11,
        core('ResourceRequirements'),
        'The requests and limits actually in force for the running container, after start or after a completed resize.',
      ),
      volumeMounts: f(
        12,
        arrayOf(core('VolumeMountStatus')),
        'The state of each volume mount.',
        mergedBy('mountPath'),
      ),
      user: f(
        13,
        core('ContainerUser'),
        'The user and groups the first process of the container started with.',
      ),
      allocatedResourcesStatus: f(
        14,
        arrayOf(core('ResourceStatus')),
        'The health of the devices and other resources allocated to the container.',
        mergedBy('name'),
      ),
    },
  },
  ContainerState: {
    doc: 'The state of a container: at most one member is set; none means waiting.',
    fields: {
      waiting: f(1, core('ContainerStateWaiting'), 'Set while the container has not started.'),
      running: f(2, core('ContainerStateRunning'), 'Set while the container runs.'),
      terminated: f(3, core('ContainerStateTerminated'), 'Set once the container has exited.'),
    },
  },
  ContainerStateWaiting: {
    doc: 'A container that is not running yet.',
    fields: {
      reason: f(
        1,
        string,
        'A short reason it is not running, such as ContainerCreating or ImagePullBackOff.',
      ),
      message: f(2, string, 'More detail about why it is not running.'),
    },
  },
  ContainerStateRunning: {
    doc: 'A running container.',
    fields: {
      startedAt: f(1, time, 'When the container last started.', always),
    },
  },
  ContainerStateTerminated: {
    doc: 'A container that has exited.',
    fields: {
      exitCode: f(1, int32, 'The exit code of the last run.', needed),
      signal: f(2, int32, 'The signal that ended the last run, if any.'),
      reason: f(3, string, 'A short reason for the exit, such as Completed, Error or OOMKilled.'),
      message: f(4, string, 'More detail about the exit.'),
      startedAt: f(5, time, 'When the last run started.', always),
      finishedAt: f(6, time, 'When the last run ended.', always),
      containerID: f(7, string, 'The ID of the exited container, as <runtime>://<id>.'),
    },
  },
  ContainerUser: {
    doc: 'The identity the first process of a container started with.',
    fields: {
      linux: f(
        1,
        core('LinuxContainerUser'),
        'The identity on Linux. A privileged process may have changed it since.',
      ),
    },
  },
  LinuxContainerUser: {
    doc: 'The user and groups of the first process of a Linux container.',
    fields: {
      uid: f(1, int64, 'The user ID.', needed),
      gid: f(2, int64, 'The primary group ID.', needed),
      supplementalGroups: f(3, arrayOf(int64), 'The supplemental group IDs.', { listType: 'atomic' }),
    },
  },
  VolumeMountStatus: {
    doc: 'The observed state of one volume mount of a container.',
    fields: {
      name: f(1, string, 'The name of the volume mount this is for.', needed),
      mountPath: f(2, string, 'The mount path of that volume mount.', needed),
      readOnly: f(3, boolean, 'Whether the mount is read-only.'),
      recursiveReadOnly: f(
        4,
        string,
        'Whether read-only applies recursively to submounts: Enabled or Disabled (an IfPossible request is reported as the outcome). Unset for writable mounts.',
        pointer,
      ),
    },
  },
  ResourceStatus: {
    doc: 'The health of one resource allocated to a pod.',
    fields: {
      name: f(
        1,
        string,
        'The resource name, unique in the pod: a resource from the pod spec, or claim:<claim>/<request> for dynamically allocated ones.',
        needed,
      ),
      resources: f(
        2,
        arrayOf(core('ResourceHealth')),
        'The health of each allocated device, by unique resource ID.',
        { listType: 'map', listMapKeys: ['resourceID'] },
      ),
    },
  },
  ResourceHealth: {
    doc: 'The latest known health of one allocated device.',
    fields: {
      resourceID: f(
        1,
        string,
        'Identifies the device on the node: the device plugin ID, or <driver>/<pool>/<device> for dynamic allocation.',
        needed,
      ),
      health: f(
        2,
        string,
        'Healthy, Unhealthy (possibly temporary) or Unknown (the health cannot be told, for example while the plugin is unregistered).',
      ),
    },
  },
});
