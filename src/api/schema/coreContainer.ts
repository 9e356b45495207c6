/** core/v1 container types: Container and EphemeralContainer with their ports, environment, resources, mounts, probes, hooks and security settings. */
import {
  arrayOf,
  boolean,
  CORE,
  coreRef,
  field as f,
  int32,
  int64,
  intOrString,
  mapOf,
  mergedBy,
  oneOf,
  quantity,
  string,
  types,
} from './schema.js';

const core = coreRef;

const pullPolicy = oneOf('Always', 'Never', 'IfNotPresent');
const terminationMessagePolicy = oneOf('File', 'FallbackToLogsOnError');

/** The fields Container and EphemeralContainerCommon share, in Go declaration order. */
const containerFields = {
  name: f(
    1,
    string,
    'The container name, a DNS label unique among the containers of the pod. Cannot be changed.',
    { presence: 'always', required: true },
  ),
  image: f(
    2,
    string,
    'The image to run. Optional here so that controllers working from templates can fill it in or override it.',
  ),
  command: f(
    3,
    arrayOf(string),
    'Replaces the image ENTRYPOINT; run directly, not through a shell. $(VAR) expands from the container environment and $$ escapes it. Unset keeps the image entrypoint. Cannot be changed.',
    { listType: 'atomic' },
  ),
  args: f(
    4,
    arrayOf(string),
    'Replaces the image CMD, passed as arguments to the entrypoint. $(VAR) expands from the container environment and $$ escapes it. Unset keeps the image arguments. Cannot be changed.',
    { listType: 'atomic' },
  ),
  workingDir: f(
    5,
    string,
    'The directory the process starts in. Unset leaves it to the runtime, usually as set by the image. Cannot be changed.',
  ),
  ports: f(
    6,
    arrayOf(core('ContainerPort')),
    'Ports the container listens on, for information and naming. Leaving a port out does not block it. Strategic merge patches of this list can lose entries. Cannot be changed.',
    {
      patchStrategy: 'merge',
      patchMergeKey: 'containerPort',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
    },
  ),
  envFrom: f(
    19,
    arrayOf(core('EnvFromSource')),
    'ConfigMaps and Secrets whose keys all become environment variables. A later source wins over an earlier one for the same key, and env wins over all of them. Cannot be changed.',
    { listType: 'atomic' },
  ),
  env: f(
    7,
    arrayOf(core('EnvVar')),
    'Environment variables set in the container, one per name. Cannot be changed.',
    mergedBy('name'),
  ),
  resources: f(
    8,
    core('ResourceRequirements'),
    'The compute resources (CPU, memory and so on) the container asks for and may not exceed. Cannot be changed.',
    { presence: 'always' },
  ),
  resizePolicy: f(
    23,
    arrayOf(core('ContainerResizePolicy')),
    'For each resource, whether changing it in place needs a container restart (in-place resize feature).',
    { listType: 'atomic' },
  ),
  restartPolicy: f(
    24,
    string,
    'Init containers only: Always turns the init container into a sidecar that keeps running (and is restarted) beside the regular containers. Unset follows the pod restart policy.',
    { presence: 'pointer' },
  ),
  volumeMounts: f(
    9,
    arrayOf(core('VolumeMount')),
    'Pod volumes mounted into the container filesystem, one per mount path. Cannot be changed.',
    mergedBy('mountPath'),
  ),
  volumeDevices: f(
    21,
    arrayOf(core('VolumeDevice')),
    'Raw block devices from the pod volumes exposed inside the container, one per device path.',
    mergedBy('devicePath'),
  ),
  livenessProbe: f(
    10,
    core('Probe'),
    'A check run periodically; the container is restarted when it fails. Cannot be changed.',
  ),
  readinessProbe: f(
    11,
    core('Probe'),
    'A check run periodically; while it fails the pod is taken out of service endpoints. Cannot be changed.',
  ),
  startupProbe: f(
    22,
    core('Probe'),
    'A check that must pass before the other probes start; failing it restarts the container as a liveness failure would. Useful for slow starters. Cannot be changed.',
  ),
  lifecycle: f(
    12,
    core('Lifecycle'),
    'Hooks run right after the container starts and just before it is stopped. Cannot be changed.',
  ),
  terminationMessagePath: f(
    13,
    string,
    'The file inside the container whose contents become the termination message (kept to 4096 bytes, 12KiB across the pod). Defaults to /dev/termination-log. Cannot be changed.',
  ),
  terminationMessagePolicy: f(
    20,
    terminationMessagePolicy,
    'Where the termination message comes from: File (the default) reads terminationMessagePath; FallbackToLogsOnError uses the log tail when that file is empty and the container failed. Cannot be changed.',
  ),
  imagePullPolicy: f(
    14,
    pullPolicy,
    'When the image is pulled: Always, Never or IfNotPresent. Defaults to Always for a :latest tag (or no tag) and IfNotPresent otherwise. Cannot be changed.',
  ),
  securityContext: f(
    15,
    core('SecurityContext'),
    'Security settings for this container; each field set here overrides the pod-level security context.',
  ),
  stdin: f(
    16,
    boolean,
    'True gives the container a stdin stream that can be attached to; otherwise reads from stdin see end of file. Defaults to false.',
  ),
  stdinOnce: f(
    17,
    boolean,
    'With stdin: true closes stdin after the first attached client disconnects, until the container restarts; false keeps it open across attaches. Defaults to false.',
  ),
  tty: f(18, boolean, 'True allocates a terminal for the container; needs stdin. Defaults to false.'),
};

export const coreContainerTypes = types(CORE, {
  Container: {
    doc: 'One application container run inside a pod.',
    fields: containerFields,
  },
  ContainerPort: {
    doc: 'A network port one container listens on.',
    fields: {
      name: f(
        1,
        string,
        'An IANA service name for the port, unique within the pod, that services can refer to.',
      ),
      hostPort: f(
        2,
        int32,
        'A port (1-65535) on the node forwarded to this one. Equal to containerPort with host networking. Seldom needed.',
      ),
      containerPort: f(3, int32, 'The port number (1-65535) on the pod IP address.', {
        presence: 'always',
        required: true,
      }),
      protocol: f(4, oneOf('TCP', 'UDP', 'SCTP'), 'TCP, UDP or SCTP. Defaults to TCP.', {
        default: 'TCP',
      }),
      hostIP: f(5, string, 'The node address the hostPort is bound to.'),
    },
  },
  EnvVar: {
    doc: 'One environment variable of a container.',
    fields: {
      name: f(1, string, 'The variable name, a C identifier.', { presence: 'always', required: true }),
      value: f(
        2,
        string,
        'A literal value. $(VAR) expands from variables defined earlier and from service variables, staying as written when unknown; $$ escapes it. Defaults to an empty string.',
      ),
      valueFrom: f(
        3,
        core('EnvVarSource'),
        'Where to read the value from instead. Not allowed with a non-empty value.',
      ),
    },
  },
  EnvVarSource: {
    doc: 'Where an environment variable takes its value. Exactly one field is set.',
    fields: {
      fieldRef: f(
        1,
        core('ObjectFieldSelector'),
        'A field of the pod: metadata.name, metadata.namespace, metadata.labels[KEY], metadata.annotations[KEY], spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP or status.podIPs.',
      ),
      resourceFieldRef: f(
        2,
        core('ResourceFieldSelector'),
        'A resource limit or request of the container: limits or requests of cpu, memory or ephemeral-storage.',
      ),
      configMapKeyRef: f(3, core('ConfigMapKeySelector'), 'A key of a ConfigMap.'),
      secretKeyRef: f(4, core('SecretKeySelector'), 'A key of a Secret in the namespace of the pod.'),
    },
  },
  ObjectFieldSelector: {
    doc: 'Picks one field of an object, named in a given API version.',
    mapType: 'atomic',
    fields: {
      apiVersion: f(1, string, 'The API version the fieldPath is written for. Defaults to v1.'),
      fieldPath: f(2, string, 'The path of the field, such as metadata.name.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  ResourceFieldSelector: {
    doc: 'Picks a resource limit or request of a container, scaled by a divisor.',
    mapType: 'atomic',
    fields: {
      containerName: f(
        1,
        string,
        'The container whose resources are read. Needed in volumes; in environment variables it defaults to the container itself.',
      ),
      resource: f(2, string, 'The resource to read, such as limits.cpu or requests.memory.', {
        presence: 'always',
        required: true,
      }),
      divisor: f(
        3,
        quantity,
        'The unit the value is expressed in (the value is divided by it and rounded up). Defaults to 1.',
        { presence: 'always' },
      ),
    },
  },
  ConfigMapKeySelector: {
    doc: 'Picks one key of a ConfigMap; the name of the ConfigMap comes from the embedded reference.',
    mapType: 'atomic',
    inline: [{ proto: 1, type: `${CORE}LocalObjectReference` }],
    fields: {
      key: f(2, string, 'The key whose value is used.', { presence: 'always', required: true }),
      optional: f(3, boolean, 'True lets the container start when the ConfigMap or the key is missing.', {
        presence: 'pointer',
      }),
    },
  },
  SecretKeySelector: {
    doc: 'Picks one key of a Secret in the namespace of the pod; the name of the Secret comes from the embedded reference.',
    mapType: 'atomic',
    inline: [{ proto: 1, type: `${CORE}LocalObjectReference` }],
    fields: {
      key: f(2, string, 'The key whose value is used; must be a valid Secret key.', {
        presence: 'always',
        required: true,
      }),
      optional: f(3, boolean, 'True lets the container start when the Secret or the key is missing.', {
        presence: 'pointer',
      }),
    },
  },
  EnvFromSource: {
    doc: 'A ConfigMap or Secret whose keys all become environment variables.',
    fields: {
      prefix: f(1, string, 'Text put in front of every key to form the variable name; a C identifier.'),
      configMapRef: f(2, core('ConfigMapEnvSource'), 'The ConfigMap to read.'),
      secretRef: f(3, core('SecretEnvSource'), 'The Secret to read.'),
    },
  },
  ConfigMapEnvSource: {
    doc: 'A ConfigMap whose data entries become environment variables; the name comes from the embedded reference.',
    inline: [{ proto: 1, type: `${CORE}LocalObjectReference` }],
    fields: {
      optional: f(2, boolean, 'True lets the container start when the ConfigMap is missing.', {
        presence: 'pointer',
      }),
    },
  },
  SecretEnvSource: {
    doc: 'A Secret whose data entries become environment variables; the name comes from the embedded reference.',
    inline: [{ proto: 1, type: `${CORE}LocalObjectReference` }],
    fields: {
      optional: f(2, boolean, 'True lets the container start when the Secret is missing.', {
        presence: 'pointer',
      }),
    },
  },
  LocalObjectReference: {
    doc: 'Names another object in the same namespace.',
    mapType: 'atomic',
    fields: {
      name: f(
        1,
        string,
        'The name of the object. An empty name is accepted for compatibility but is almost always a mistake.',
        { default: '' },
      ),
    },
  },
  ResourceRequirements: {
    doc: 'The compute resources a container asks for and may use at most.',
    fields: {
      limits: f(
        1,
        mapOf(quantity),
        'The most of each resource the container may use, by resource name (cpu, memory, ...).',
      ),
      requests: f(
        2,
        mapOf(quantity),
        'The amount of each resource reserved for the container, used for scheduling. Each defaults to its limit when one is given, and may not exceed it.',
      ),
      claims: f(
        3,
        arrayOf(core('ResourceClaim')),
        'Entries of the pod resourceClaims this container uses (dynamic resource allocation, alpha). Only for containers; cannot be changed.',
        { listType: 'map', listMapKeys: ['name'] },
      ),
    },
  },
  ResourceClaim: {
    doc: 'A use, by one container, of a resource claim listed in the pod spec.',
    fields: {
      name: f(1, string, 'The name of an entry in the pod spec.resourceClaims.', {
        presence: 'always',
        required: true,
      }),
      request: f(
        2,
        string,
        'A request within that claim whose result alone is made available. Empty makes the whole claim available.',
      ),
    },
  },
  VolumeMount: {
    doc: 'Where and how a pod volume appears inside a container.',
    fields: {
      name: f(1, string, 'The name of the pod volume.', { presence: 'always', required: true }),
      readOnly: f(2, boolean, 'True mounts the volume read-only. Defaults to false (read-write).'),
      recursiveReadOnly: f(
        7,
        string,
        'With readOnly: whether submounts are read-only too. Disabled (the behaviour when unset) does not; IfPossible does when the runtime can; Enabled does or the pod fails to start. The last two need mountPropagation None.',
        { presence: 'pointer' },
      ),
      mountPath: f(3, string, 'The path inside the container where the volume appears; no colons.', {
        presence: 'always',
        required: true,
      }),
      subPath: f(4, string, 'A path inside the volume to mount instead of its root. Defaults to the root.'),
      mountPropagation: f(
        5,
        oneOf('None', 'HostToContainer', 'Bidirectional'),
        'How mounts made later propagate between the host and the container: None (the default), HostToContainer or Bidirectional.',
        { presence: 'pointer' },
      ),
      subPathExpr: f(
        6,
        string,
        'Like subPath, with $(VAR) expanded from the container environment. Not allowed together with subPath. Defaults to the root.',
      ),
    },
  },
  VolumeDevice: {
    doc: 'A raw block volume exposed as a device inside a container.',
    fields: {
      name: f(1, string, 'The name of a persistentVolumeClaim volume of the pod.', {
        presence: 'always',
        required: true,
      }),
      devicePath: f(2, string, 'The device path inside the container.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  Probe: {
    doc: 'A periodic health check of a container, with its timing and thresholds. The check itself is in the embedded handler.',
    inline: [{ proto: 1, type: `${CORE}ProbeHandler` }],
    fields: {
      initialDelaySeconds: f(2, int32, 'Seconds to wait after the container starts before the first check.'),
      timeoutSeconds: f(3, int32, 'Seconds before a check times out. Defaults to 1, at least 1.'),
      periodSeconds: f(4, int32, 'Seconds between checks. Defaults to 10, at least 1.'),
      successThreshold: f(
        5,
        int32,
        'Passes in a row needed to count as healthy after a failure. Defaults to 1, which liveness and startup probes require.',
      ),
      failureThreshold: f(
        6,
        int32,
        'Failures in a row needed to count as unhealthy after a success. Defaults to 3, at least 1.',
      ),
      terminationGracePeriodSeconds: f(
        7,
        int64,
        'Seconds the pod may take to shut down after this probe fails, in place of the pod terminationGracePeriodSeconds (used when unset). 0 kills at once.',
        { presence: 'pointer' },
      ),
    },
  },
  ProbeHandler: {
    doc: 'What a probe does. Exactly one field is set.',
    fields: {
      exec: f(1, core('ExecAction'), 'Run a command in the container.'),
      httpGet: f(2, core('HTTPGetAction'), 'Send an HTTP GET request.'),
      tcpSocket: f(3, core('TCPSocketAction'), 'Open a TCP connection.'),
      grpc: f(4, core('GRPCAction'), 'Call the gRPC health checking service.'),
    },
  },
  ExecAction: {
    doc: 'A command run inside the container.',
    fields: {
      command: f(
        1,
        arrayOf(string),
        'The program and its arguments, started directly in / (no shell, so no pipes or globs unless a shell is called explicitly). Exit code 0 means healthy.',
        { listType: 'atomic' },
      ),
    },
  },
  HTTPGetAction: {
    doc: 'An HTTP GET request sent to the container; a 2xx or 3xx reply counts as a pass.',
    fields: {
      path: f(1, string, 'The request path.'),
      port: f(2, intOrString, 'The port to call: a number from 1 to 65535 or a named container port.', {
        presence: 'always',
        required: true,
      }),
      host: f(
        3,
        string,
        'The host to connect to. Defaults to the pod IP; setting a Host header in httpHeaders is usually what is wanted.',
      ),
      scheme: f(4, oneOf('HTTP', 'HTTPS'), 'HTTP or HTTPS. Defaults to HTTP.'),
      httpHeaders: f(5, arrayOf(core('HTTPHeader')), 'Extra request headers; a name may repeat.', {
        listType: 'atomic',
      }),
    },
  },
  HTTPHeader: {
    doc: 'One header of an HTTP request.',
    fields: {
      name: f(1, string, 'The header name; names differing only in case are the same header.', {
        presence: 'always',
        required: true,
      }),
      value: f(2, string, 'The header value.', { presence: 'always', required: true }),
    },
  },
  TCPSocketAction: {
    doc: 'A TCP connection opened to the container; connecting counts as a pass.',
    fields: {
      port: f(1, intOrString, 'The port to connect to: a number from 1 to 65535 or a named container port.', {
        presence: 'always',
        required: true,
      }),
      host: f(2, string, 'The host to connect to. Defaults to the pod IP.'),
    },
  },
  GRPCAction: {
    doc: 'A call to the standard gRPC health checking service of the container.',
    fields: {
      port: f(1, int32, 'The port of the gRPC server, from 1 to 65535.', {
        presence: 'always',
        required: true,
      }),
      service: f(
        2,
        string,
        'The service name sent in the health check request. Empty asks about the server as a whole, as gRPC defines.',
        { presence: 'pointer', default: '' },
      ),
    },
  },
  Lifecycle: {
    doc: 'Hooks run at container start and stop. The container is held in that phase until its hook finishes, unless the container process dies first.',
    fields: {
      postStart: f(
        1,
        core('LifecycleHandler'),
        'Runs right after the container is created. If it fails, the container is killed and restarted as its restart policy says.',
      ),
      preStop: f(
        2,
        core('LifecycleHandler'),
        'Runs right before the container is stopped by an API request or the system (probe failure, preemption, eviction), not when it crashes or exits. The grace period is already counting, and the container is stopped when it ends whatever the hook does.',
      ),
    },
  },
  LifecycleHandler: {
    doc: 'What a lifecycle hook does. Exactly one of exec, httpGet and sleep is set.',
    fields: {
      exec: f(1, core('ExecAction'), 'Run a command in the container.'),
      httpGet: f(2, core('HTTPGetAction'), 'Send an HTTP GET request.'),
      tcpSocket: f(
        3,
        core('TCPSocketAction'),
        'Deprecated and unsupported for hooks: accepted without checks for old clients, but the hook fails when it runs.',
      ),
      sleep: f(4, core('SleepAction'), 'Wait a number of seconds.'),
    },
  },
  SleepAction: {
    doc: 'A pause of a fixed length.',
    fields: {
      seconds: f(1, int64, 'How many seconds to wait.', { presence: 'always', required: true }),
    },
  },
  SecurityContext: {
    doc: 'Security settings of one container. Where a setting also exists in the pod security context, the value here wins.',
    fields: {
      capabilities: f(
        1,
        core('Capabilities'),
        'Linux capabilities to add to or remove from the runtime default set. Not allowed for Windows pods.',
      ),
      privileged: f(
        2,
        boolean,
        'True runs the container privileged, with much the same power as root on the node. Defaults to false. Not allowed for Windows pods.',
        { presence: 'pointer' },
      ),
      seLinuxOptions: f(
        3,
        core('SELinuxOptions'),
        'The SELinux context of the container. Unset lets the runtime pick a random one per container. Not allowed for Windows pods.',
      ),
      windowsOptions: f(
        10,
        core('WindowsSecurityContextOptions'),
        'Windows-specific settings. Unset takes those of the pod security context. Not allowed for Linux pods.',
      ),
      runAsUser: f(
        4,
        int64,
        'The user ID the container process runs as. Defaults to the user in the image metadata. Not allowed for Windows pods.',
        { presence: 'pointer' },
      ),
      runAsGroup: f(
        8,
        int64,
        'The primary group ID of the container process. Defaults to the runtime choice. Not allowed for Windows pods.',
        { presence: 'pointer' },
      ),
      runAsNonRoot: f(
        5,
        boolean,
        'True makes the kubelet refuse to start the container if its image would run as UID 0. Unset or false skips the check.',
        { presence: 'pointer' },
      ),
      readOnlyRootFilesystem: f(
        6,
        boolean,
        'True mounts the root filesystem of the container read-only. Defaults to false. Not allowed for Windows pods.',
        { presence: 'pointer' },
      ),
      allowPrivilegeEscalation: f(
        7,
        boolean,
        'Whether a process may gain more privileges than its parent (false sets no_new_privs). Always true for privileged containers or with CAP_SYS_ADMIN. Not allowed for Windows pods.',
        { presence: 'pointer' },
      ),
      procMount: f(
        9,
        oneOf('Default', 'Unmasked'),
        'How /proc is mounted: Default keeps the runtime masked and read-only paths, Unmasked does not. Needs the ProcMountType feature. Not allowed for Windows pods.',
        { presence: 'pointer' },
      ),
      seccompProfile: f(
        11,
        core('SeccompProfile'),
        'The seccomp profile of the container, in place of the pod one. Not allowed for Windows pods.',
      ),
      appArmorProfile: f(
        12,
        core('AppArmorProfile'),
        'The AppArmor profile of the container, in place of the pod one. Not allowed for Windows pods.',
      ),
    },
  },
  Capabilities: {
    doc: 'POSIX capabilities added to and removed from a container.',
    fields: {
      add: f(1, arrayOf(string), 'Capabilities to add, such as NET_ADMIN.', { listType: 'atomic' }),
      drop: f(2, arrayOf(string), 'Capabilities to remove, such as ALL.', { listType: 'atomic' }),
    },
  },
  SELinuxOptions: {
    doc: 'An SELinux label.',
    fields: {
      user: f(1, string, 'The SELinux user part of the label.'),
      role: f(2, string, 'The SELinux role part of the label.'),
      type: f(3, string, 'The SELinux type part of the label.'),
      level: f(4, string, 'The SELinux level part of the label.'),
    },
  },
  WindowsSecurityContextOptions: {
    doc: 'Security settings that apply on Windows nodes.',
    fields: {
      gmsaCredentialSpecName: f(1, string, 'The name of the GMSA credential spec resource to use.', {
        presence: 'pointer',
      }),
      gmsaCredentialSpec: f(
        2,
        string,
        'The contents of the named GMSA credential spec, filled in by the GMSA admission webhook.',
        { presence: 'pointer' },
      ),
      runAsUserName: f(
        3,
        string,
        'The Windows user name the entrypoint runs as. Defaults to the user in the image metadata.',
        { presence: 'pointer' },
      ),
      hostProcess: f(
        4,
        boolean,
        'True runs the container as a host process. Every container of the pod must agree, and hostNetwork must then be true.',
        { presence: 'pointer' },
      ),
    },
  },
  SeccompProfile: {
    doc: 'The seccomp profile of a pod or container.',
    fields: {
      type: f(
        1,
        oneOf('Unconfined', 'RuntimeDefault', 'Localhost'),
        'Unconfined (no filtering), RuntimeDefault (the runtime profile) or Localhost (a file on the node, named by localhostProfile).',
        { presence: 'always', required: true },
      ),
      localhostProfile: f(
        2,
        string,
        'With type Localhost only, and then required: the profile file, as a relative path below the kubelet seccomp directory.',
        { presence: 'pointer' },
      ),
    },
  },
  AppArmorProfile: {
    doc: 'The AppArmor profile of a pod or container.',
    fields: {
      type: f(
        1,
        oneOf('Unconfined', 'RuntimeDefault', 'Localhost'),
        'Unconfined (no enforcement), RuntimeDefault (the runtime profile) or Localhost (a profile loaded on the node, named by localhostProfile).',
        { presence: 'always', required: true },
      ),
      localhostProfile: f(
        2,
        string,
        'With type Localhost only, and then required: the name the profile was loaded under on the node.',
        { presence: 'pointer' },
      ),
    },
  },
  ContainerResizePolicy: {
    doc: 'Whether changing one resource of a running container needs a restart.',
    fields: {
      resourceName: f(1, string, 'The resource: cpu or memory.', { presence: 'always', required: true }),
      restartPolicy: f(
        2,
        string,
        'NotRequired (the default) resizes in place when possible; RestartContainer restarts the container to apply the change.',
        { presence: 'always', required: true },
      ),
    },
  },
  EphemeralContainer: {
    doc: 'A container added to a running pod, usually for debugging, through the ephemeralcontainers subresource. It has no resource or scheduling guarantees, is never restarted, and cannot be removed.',
    inline: [{ proto: 1, type: `${CORE}EphemeralContainerCommon` }],
    fields: {
      targetContainerName: f(
        2,
        string,
        'A container of the pod whose namespaces (process, IPC, ...) this one joins, if the runtime supports it. Unset uses the namespaces of the pod.',
      ),
    },
  },
  EphemeralContainerCommon: {
    doc: 'The Container fields of an ephemeral container, embedded in EphemeralContainer. Several of them are not allowed there.',
    fields: {
      ...containerFields,
      name: f(
        1,
        string,
        'The ephemeral container name, a DNS label unique among all the containers of the pod.',
        { presence: 'always', required: true },
      ),
      image: f(2, string, 'The image to run.'),
      ports: f(6, arrayOf(core('ContainerPort')), 'Not allowed for ephemeral containers.', {
        patchStrategy: 'merge',
        patchMergeKey: 'containerPort',
        listType: 'map',
        listMapKeys: ['containerPort', 'protocol'],
      }),
      resources: f(
        8,
        core('ResourceRequirements'),
        'Not allowed for ephemeral containers, which use resources the pod already has.',
        { presence: 'always' },
      ),
      restartPolicy: f(24, string, 'Not allowed for ephemeral containers.', { presence: 'pointer' }),
      volumeMounts: f(
        9,
        arrayOf(core('VolumeMount')),
        'Pod volumes mounted into the container filesystem, one per mount path; subPath mounts are not allowed. Cannot be changed.',
        mergedBy('mountPath'),
      ),
      livenessProbe: f(10, core('Probe'), 'Not allowed for ephemeral containers.'),
      readinessProbe: f(11, core('Probe'), 'Not allowed for ephemeral containers.'),
      startupProbe: f(22, core('Probe'), 'Not allowed for ephemeral containers.'),
      lifecycle: f(12, core('Lifecycle'), 'Not allowed for ephemeral containers.'),
      securityContext: f(
        15,
        core('SecurityContext'),
        'Security settings for this ephemeral container; each field set here overrides the pod-level security context.',
      ),
    },
  },
});
