/** core/v1 volume types: a pod's Volume, every source it can be backed by, and the claim template of ephemeral volumes. */
import {
  arrayOf,
  boolean,
  CORE,
  coreRef,
  field as f,
  int32,
  int64,
  mapOf,
  metaRef,
  oneOf,
  quantity,
  string,
  types,
} from './schema.js';

const core = coreRef;
const meta = metaRef;

export const coreVolumeTypes = types(CORE, {
  Volume: {
    doc: 'A named volume of a pod, which its containers can mount. Exactly one source is set; none means an emptyDir.',
    inline: [{ proto: 2, type: CORE + 'VolumeSource' }],
    fields: {
      name: f(
        1,
        string,
        'The name containers use to mount this volume. A DNS label, unique among the volumes of the pod.',
        { presence: 'always', required: true },
      ),
    },
  },
  VolumeSource: {
    doc: 'Where the content of a volume comes from. Set exactly one member.',
    fields: {
      hostPath: f(
        1,
        core('HostPathVolumeSource'),
        'A file or directory of the node, exposed as is. Meant for privileged system agents; most workloads should not use it.',
      ),
      emptyDir: f(
        2,
        core('EmptyDirVolumeSource'),
        'A scratch directory, created empty, that lives as long as the pod.',
      ),
      gcePersistentDisk: f(
        3,
        core('GCEPersistentDiskVolumeSource'),
        'A Google Compute Engine disk attached to the node. Deprecated: handled by the pd.csi.storage.gke.io CSI driver.',
      ),
      awsElasticBlockStore: f(
        4,
        core('AWSElasticBlockStoreVolumeSource'),
        'An Amazon EBS disk attached to the node. Deprecated: handled by the ebs.csi.aws.com CSI driver.',
      ),
      gitRepo: f(
        5,
        core('GitRepoVolumeSource'),
        'A clone of a git repository. Deprecated: clone into an emptyDir from an init container instead.',
      ),
      secret: f(6, core('SecretVolumeSource'), 'Files made from the keys of a Secret.'),
      nfs: f(7, core('NFSVolumeSource'), 'An NFS export mounted for the life of the pod.'),
      iscsi: f(8, core('ISCSIVolumeSource'), 'An iSCSI disk attached to the node.'),
      glusterfs: f(
        9,
        core('GlusterfsVolumeSource'),
        'A GlusterFS volume. Deprecated: the in-tree plugin is no longer supported.',
      ),
      persistentVolumeClaim: f(
        10,
        core('PersistentVolumeClaimVolumeSource'),
        'The volume bound to a PersistentVolumeClaim in the namespace of the pod.',
      ),
      rbd: f(
        11,
        core('RBDVolumeSource'),
        'A Ceph RADOS block device. Deprecated: the in-tree plugin is no longer supported.',
      ),
      flexVolume: f(
        12,
        core('FlexVolumeSource'),
        'A volume set up by an exec-based FlexVolume driver. Deprecated: use a CSI driver.',
      ),
      cinder: f(
        13,
        core('CinderVolumeSource'),
        'An OpenStack Cinder volume. Deprecated: handled by the cinder.csi.openstack.org CSI driver.',
      ),
      cephfs: f(
        14,
        core('CephFSVolumeSource'),
        'A CephFS file system. Deprecated: the in-tree plugin is no longer supported.',
      ),
      flocker: f(
        15,
        core('FlockerVolumeSource'),
        'A Flocker dataset (needs the Flocker control service). Deprecated: the in-tree plugin is no longer supported.',
      ),
      downwardAPI: f(
        16,
        core('DownwardAPIVolumeSource'),
        'Files holding fields and resource values of the pod itself.',
      ),
      fc: f(17, core('FCVolumeSource'), 'A Fibre Channel disk attached to the node.'),
      azureFile: f(
        18,
        core('AzureFileVolumeSource'),
        'An Azure Files share. Deprecated: handled by the file.csi.azure.com CSI driver.',
      ),
      configMap: f(19, core('ConfigMapVolumeSource'), 'Files made from the keys of a ConfigMap.'),
      vsphereVolume: f(
        20,
        core('VsphereVirtualDiskVolumeSource'),
        'A vSphere virtual disk. Deprecated: handled by the csi.vsphere.vmware.com CSI driver.',
      ),
      quobyte: f(
        21,
        core('QuobyteVolumeSource'),
        'A Quobyte volume. Deprecated: the in-tree plugin is no longer supported.',
      ),
      azureDisk: f(
        22,
        core('AzureDiskVolumeSource'),
        'An Azure data disk. Deprecated: handled by the disk.csi.azure.com CSI driver.',
      ),
      photonPersistentDisk: f(
        23,
        core('PhotonPersistentDiskVolumeSource'),
        'A Photon Controller persistent disk. Deprecated: the in-tree plugin is no longer supported.',
      ),
      projected: f(
        26,
        core('ProjectedVolumeSource'),
        'One directory combining secrets, config maps, downward API data, service account tokens and trust bundles.',
      ),
      portworxVolume: f(
        24,
        core('PortworxVolumeSource'),
        'A Portworx volume. Deprecated: handled by the pxd.portworx.com CSI driver when CSIMigrationPortworx is on.',
      ),
      scaleIO: f(
        25,
        core('ScaleIOVolumeSource'),
        'A ScaleIO volume. Deprecated: the in-tree plugin is no longer supported.',
      ),
      storageos: f(
        27,
        core('StorageOSVolumeSource'),
        'A StorageOS volume. Deprecated: the in-tree plugin is no longer supported.',
      ),
      csi: f(
        28,
        core('CSIVolumeSource'),
        'An inline ephemeral volume provided by a CSI driver that supports that mode.',
      ),
      ephemeral: f(
        29,
        core('EphemeralVolumeSource'),
        'A volume from a PersistentVolumeClaim created for this pod from a template, and deleted with the pod. Suits scratch space that needs a storage class, snapshots or capacity tracking.',
      ),
      image: f(
        30,
        core('ImageVolumeSource'),
        'The content of an OCI image or artifact, pulled by the kubelet and mounted read-only and noexec; subPath mounts are not allowed. Needs the ImageVolume feature gate.',
      ),
    },
  },
  HostPathVolumeSource: {
    doc: 'A path on the node mapped into the pod. No ownership management or SELinux relabeling.',
    fields: {
      path: f(1, string, 'The path on the node. Symbolic links are followed.', {
        presence: 'always',
        required: true,
      }),
      type: f(
        2,
        oneOf(
          '',
          'DirectoryOrCreate',
          'Directory',
          'FileOrCreate',
          'File',
          'Socket',
          'CharDevice',
          'BlockDevice',
        ),
        'What must exist at the path, or be created there (the *OrCreate kinds). Empty (the default) checks nothing.',
        { presence: 'pointer' },
      ),
    },
  },
  EmptyDirVolumeSource: {
    doc: 'An initially empty directory that lives as long as the pod. Supports ownership management and SELinux relabeling.',
    fields: {
      medium: f(
        1,
        string,
        'The storage backing the directory: empty (the default) uses the disk of the node, Memory uses tmpfs.',
      ),
      sizeLimit: f(
        2,
        quantity,
        'The most local storage the directory may use; for Memory, also bounded by the memory limits of the pod. Unset means no limit of its own.',
        { presence: 'pointer' },
      ),
    },
  },
  GCEPersistentDiskVolumeSource: {
    doc: 'A Google Compute Engine persistent disk, in the same project and zone as the node. Writable by one node, or read-only by many.',
    fields: {
      pdName: f(1, string, 'The name of the disk in GCE.', { presence: 'always', required: true }),
      fsType: f(2, string, 'The file system of the disk (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      partition: f(
        3,
        int32,
        'The partition to mount, such as 1 for /dev/sda1. Empty or 0 mounts the whole device.',
      ),
      readOnly: f(4, boolean, 'True mounts the disk read-only in every container. Defaults to false.'),
    },
  },
  AWSElasticBlockStoreVolumeSource: {
    doc: 'An Amazon EBS volume, in the same zone as the node. Writable by one node at a time.',
    fields: {
      volumeID: f(1, string, 'The ID of the EBS volume.', { presence: 'always', required: true }),
      fsType: f(2, string, 'The file system of the disk (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      partition: f(
        3,
        int32,
        'The partition to mount, such as 1 for /dev/sda1. Empty or 0 mounts the whole device.',
      ),
      readOnly: f(4, boolean, 'True mounts the volume read-only in every container.'),
    },
  },
  GitRepoVolumeSource: {
    doc: 'A directory holding a clone of a git repository. Deprecated.',
    fields: {
      repository: f(1, string, 'The URL of the repository to clone.', { presence: 'always', required: true }),
      revision: f(2, string, 'The commit to check out.'),
      directory: f(
        3,
        string,
        'The directory to clone into, relative to the volume and without "..". "." clones into the volume root; empty clones into a subdirectory named after the repository.',
      ),
    },
  },
  SecretVolumeSource: {
    doc: 'A volume whose files are the keys of a Secret. Supports ownership management and SELinux relabeling.',
    fields: {
      secretName: f(1, string, 'The Secret, in the namespace of the pod.'),
      items: f(
        2,
        arrayOf(core('KeyToPath')),
        'Which keys to write and where. Unset writes every key as a file named after it. A listed key missing from the Secret is an error unless optional is true.',
        { listType: 'atomic' },
      ),
      defaultMode: f(
        3,
        int32,
        'Permission bits of the files, 0 to 0777 (decimal in JSON). Defaults to 0644. Directories are not affected; fsGroup may add bits.',
        { presence: 'pointer' },
      ),
      optional: f(4, boolean, 'True lets the pod start when the Secret or a listed key is missing.', {
        presence: 'pointer',
      }),
    },
  },
  NFSVolumeSource: {
    doc: 'An NFS export mounted for the life of the pod. No ownership management or SELinux relabeling.',
    fields: {
      server: f(1, string, 'Host name or IP address of the NFS server.', {
        presence: 'always',
        required: true,
      }),
      path: f(2, string, 'The exported path on the server.', { presence: 'always', required: true }),
      readOnly: f(3, boolean, 'True mounts the export read-only. Defaults to false.'),
    },
  },
  ISCSIVolumeSource: {
    doc: 'An iSCSI disk. Writable by one node at a time; supports ownership management and SELinux relabeling.',
    fields: {
      targetPortal: f(
        1,
        string,
        'The target portal: an IP, or ip:port when the port is not the usual one (860 or 3260).',
        { presence: 'always', required: true },
      ),
      iqn: f(2, string, 'The iSCSI qualified name of the target.', { presence: 'always', required: true }),
      lun: f(3, int32, 'The logical unit number on the target.', { presence: 'always', required: true }),
      iscsiInterface: f(4, string, 'The iSCSI interface (transport) to use. Defaults to "default" (TCP).', {
        default: 'default',
      }),
      fsType: f(5, string, 'The file system of the disk (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      readOnly: f(6, boolean, 'True mounts the disk read-only in every container. Defaults to false.'),
      portals: f(7, arrayOf(string), 'More target portals, each an IP or ip:port, for multipath access.', {
        listType: 'atomic',
      }),
      chapAuthDiscovery: f(8, boolean, 'True enables CHAP authentication for iSCSI discovery.'),
      chapAuthSession: f(11, boolean, 'True enables CHAP authentication for iSCSI sessions.'),
      secretRef: f(10, core('LocalObjectReference'), 'The Secret holding the CHAP credentials.'),
      initiatorName: f(
        12,
        string,
        'A custom initiator name. Set together with iscsiInterface, it creates a new interface named <target portal>:<volume name>.',
        { presence: 'pointer' },
      ),
    },
  },
  GlusterfsVolumeSource: {
    doc: 'A GlusterFS volume mounted for the life of the pod. No ownership management or SELinux relabeling.',
    fields: {
      endpoints: f(1, string, 'The Endpoints object listing the GlusterFS servers.', {
        presence: 'always',
        required: true,
      }),
      path: f(2, string, 'The GlusterFS volume name.', { presence: 'always', required: true }),
      readOnly: f(3, boolean, 'True mounts the volume read-only. Defaults to false.'),
    },
  },
  PersistentVolumeClaimVolumeSource: {
    doc: 'A claim in the namespace of the pod; the pod mounts whichever persistent volume the claim is bound to.',
    fields: {
      claimName: f(1, string, 'The name of the PersistentVolumeClaim.', {
        presence: 'always',
        required: true,
      }),
      readOnly: f(2, boolean, 'True mounts the volume read-only in every container. Defaults to false.'),
    },
  },
  RBDVolumeSource: {
    doc: 'A Ceph RADOS block device mounted for the life of the pod. Supports ownership management and SELinux relabeling.',
    fields: {
      monitors: f(1, arrayOf(string), 'Addresses of the Ceph monitors.', {
        presence: 'always',
        required: true,
        listType: 'atomic',
      }),
      image: f(2, string, 'The RADOS image name.', { presence: 'always', required: true }),
      fsType: f(3, string, 'The file system of the device (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      pool: f(4, string, 'The RADOS pool. Defaults to rbd.', { default: 'rbd' }),
      user: f(5, string, 'The RADOS user. Defaults to admin.', { default: 'admin' }),
      keyring: f(6, string, 'Path of the keyring file for the user. Defaults to /etc/ceph/keyring.', {
        default: '/etc/ceph/keyring',
      }),
      secretRef: f(
        7,
        core('LocalObjectReference'),
        'A Secret with the key of the user; when set it is used instead of the keyring.',
      ),
      readOnly: f(8, boolean, 'True mounts the device read-only in every container. Defaults to false.'),
    },
  },
  FlexVolumeSource: {
    doc: 'A volume attached and mounted by an exec-based FlexVolume driver.',
    fields: {
      driver: f(1, string, 'The name of the FlexVolume driver.', { presence: 'always', required: true }),
      fsType: f(2, string, 'The file system to mount (ext4, xfs, ntfs). The driver picks one when empty.'),
      secretRef: f(
        3,
        core('LocalObjectReference'),
        'A Secret whose entries are all handed to the driver scripts. May be unset.',
      ),
      readOnly: f(4, boolean, 'True mounts the volume read-only in every container. Defaults to false.'),
      options: f(5, mapOf(string), 'Extra options passed to the driver.'),
    },
  },
  CinderVolumeSource: {
    doc: 'An OpenStack Cinder volume, in the same region as the node. It must exist beforehand. Supports ownership management and SELinux relabeling.',
    fields: {
      volumeID: f(1, string, 'The ID of the Cinder volume.', { presence: 'always', required: true }),
      fsType: f(2, string, 'The file system of the volume (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      readOnly: f(3, boolean, 'True mounts the volume read-only in every container. Defaults to false.'),
      secretRef: f(
        4,
        core('LocalObjectReference'),
        'A Secret with the parameters for connecting to OpenStack.',
      ),
    },
  },
  CephFSVolumeSource: {
    doc: 'A CephFS file system mounted for the life of the pod. No ownership management or SELinux relabeling.',
    fields: {
      monitors: f(1, arrayOf(string), 'Addresses of the Ceph monitors.', {
        presence: 'always',
        required: true,
        listType: 'atomic',
      }),
      path: f(2, string, 'The directory of the file system to mount as the root. Defaults to /.'),
      user: f(3, string, 'The RADOS user. Defaults to admin.'),
      secretFile: f(4, string, 'Path of the keyring file for the user. Defaults to /etc/ceph/user.secret.'),
      secretRef: f(
        5,
        core('LocalObjectReference'),
        'A Secret with the key of the user, used instead of secretFile. Unset by default.',
      ),
      readOnly: f(6, boolean, 'True mounts the file system read-only in every container. Defaults to false.'),
    },
  },
  FlockerVolumeSource: {
    doc: 'A Flocker dataset, mounted by the Flocker agent. Set one of datasetName and datasetUUID.',
    fields: {
      datasetName: f(
        1,
        string,
        'The name of the dataset as stored in its metadata. Deprecated; prefer datasetUUID.',
      ),
      datasetUUID: f(2, string, 'The UUID that identifies the dataset.'),
    },
  },
  DownwardAPIVolumeSource: {
    doc: 'A volume of files holding information about the pod. Supports ownership management and SELinux relabeling.',
    fields: {
      items: f(1, arrayOf(core('DownwardAPIVolumeFile')), 'The files to write.', { listType: 'atomic' }),
      defaultMode: f(
        2,
        int32,
        'Permission bits of the files, 0 to 0777 (decimal in JSON). Defaults to 0644. Directories are not affected; fsGroup may add bits.',
        { presence: 'pointer' },
      ),
    },
  },
  DownwardAPIVolumeFile: {
    doc: 'One file of a downward API volume and the pod field or container resource it holds. Set one of fieldRef and resourceFieldRef.',
    fields: {
      path: f(
        1,
        string,
        'Where to write the file: a relative UTF-8 path that contains no ".." element and does not start with "..".',
        { presence: 'always', required: true },
      ),
      fieldRef: f(
        2,
        core('ObjectFieldSelector'),
        'A field of the pod to write: metadata.name, metadata.namespace, metadata.uid, metadata.labels or metadata.annotations (or one label or annotation).',
      ),
      resourceFieldRef: f(
        3,
        core('ResourceFieldSelector'),
        'A container resource limit or request to write (cpu, memory, ephemeral-storage).',
      ),
      mode: f(
        4,
        int32,
        'Permission bits of this file, 0 to 0777 (decimal in JSON). Unset uses the defaultMode of the volume; fsGroup may add bits.',
        { presence: 'pointer' },
      ),
    },
  },
  FCVolumeSource: {
    doc: 'A Fibre Channel disk. Writable by one node at a time; supports ownership management and SELinux relabeling. Set either wwids, or targetWWNs with lun.',
    fields: {
      targetWWNs: f(1, arrayOf(string), 'World wide names of the FC targets.', { listType: 'atomic' }),
      lun: f(2, int32, 'The logical unit number on the targets.', { presence: 'pointer' }),
      fsType: f(3, string, 'The file system of the disk (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      readOnly: f(4, boolean, 'True mounts the disk read-only in every container. Defaults to false.'),
      wwids: f(5, arrayOf(string), 'World wide identifiers of the volume.', { listType: 'atomic' }),
    },
  },
  AzureFileVolumeSource: {
    doc: 'An Azure Files share mounted on the node and bound into the pod.',
    fields: {
      secretName: f(1, string, 'The Secret holding the storage account name and key.', {
        presence: 'always',
        required: true,
      }),
      shareName: f(2, string, 'The name of the file share.', { presence: 'always', required: true }),
      readOnly: f(3, boolean, 'True mounts the share read-only in every container. Defaults to false.'),
    },
  },
  ConfigMapVolumeSource: {
    doc: 'A volume whose files are the keys of a ConfigMap, or the chosen ones. Supports ownership management and SELinux relabeling.',
    inline: [{ proto: 1, type: CORE + 'LocalObjectReference' }],
    fields: {
      items: f(
        2,
        arrayOf(core('KeyToPath')),
        'Which keys to write and where. Unset writes every key as a file named after it. A listed key missing from the ConfigMap is an error unless optional is true.',
        { listType: 'atomic' },
      ),
      defaultMode: f(
        3,
        int32,
        'Permission bits of the files, 0 to 0777 (decimal in JSON). Defaults to 0644. Directories are not affected; fsGroup may add bits.',
        { presence: 'pointer' },
      ),
      optional: f(4, boolean, 'True lets the pod start when the ConfigMap or a listed key is missing.', {
        presence: 'pointer',
      }),
    },
  },
  VsphereVirtualDiskVolumeSource: {
    doc: 'A vSphere virtual disk (VMDK).',
    fields: {
      volumePath: f(1, string, 'The path that identifies the VMDK.', { presence: 'always', required: true }),
      fsType: f(2, string, 'The file system of the disk (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      storagePolicyName: f(3, string, 'Name of the storage policy (SPBM profile) for the disk.'),
      storagePolicyID: f(4, string, 'ID of the storage policy (SPBM profile) named by storagePolicyName.'),
    },
  },
  QuobyteVolumeSource: {
    doc: 'A Quobyte volume mounted for the life of the pod. No ownership management or SELinux relabeling.',
    fields: {
      registry: f(1, string, 'The Quobyte registry service or services, as host:port, comma separated.', {
        presence: 'always',
        required: true,
      }),
      volume: f(2, string, 'The name of an existing Quobyte volume.', { presence: 'always', required: true }),
      readOnly: f(3, boolean, 'True mounts the volume read-only. Defaults to false.'),
      user: f(4, string, 'The user the volume is accessed as. Defaults to the service account user.'),
      group: f(5, string, 'The group the volume is accessed as. No group by default.'),
      tenant: f(
        6,
        string,
        'The tenant that owns the volume in the Quobyte backend; set by the plugin for provisioned volumes.',
      ),
    },
  },
  AzureDiskVolumeSource: {
    doc: 'An Azure data disk mounted on the node and bound into the pod.',
    fields: {
      diskName: f(1, string, 'The name of the data disk in blob storage.', {
        presence: 'always',
        required: true,
      }),
      diskURI: f(2, string, 'The URI of the data disk in blob storage.', {
        presence: 'always',
        required: true,
      }),
      cachingMode: f(
        3,
        oneOf('None', 'ReadOnly', 'ReadWrite'),
        'Host caching of the disk. Defaults to ReadWrite.',
        {
          presence: 'pointer',
          default: 'ReadWrite',
        },
      ),
      fsType: f(4, string, 'The file system of the disk (ext4, xfs, ntfs). Defaults to ext4.', {
        presence: 'pointer',
        default: 'ext4',
      }),
      readOnly: f(5, boolean, 'True mounts the disk read-only in every container. Defaults to false.', {
        presence: 'pointer',
        default: false,
      }),
      kind: f(
        6,
        oneOf('Shared', 'Dedicated', 'Managed'),
        'Shared: several blob disks per storage account; Dedicated: one blob disk per account; Managed: an Azure managed disk (managed availability sets only). Defaults to Shared.',
        { presence: 'pointer', default: 'Shared' },
      ),
    },
  },
  PhotonPersistentDiskVolumeSource: {
    doc: 'A Photon Controller persistent disk.',
    fields: {
      pdID: f(1, string, 'The ID of the persistent disk.', { presence: 'always', required: true }),
      fsType: f(2, string, 'The file system of the disk (ext4, xfs, ntfs). Taken as ext4 when empty.'),
    },
  },
  ProjectedVolumeSource: {
    doc: 'A volume that gathers several sources into one directory.',
    fields: {
      sources: f(1, arrayOf(core('VolumeProjection')), 'The sources, each entry naming one of them.', {
        presence: 'always',
        listType: 'atomic',
      }),
      defaultMode: f(
        2,
        int32,
        'Permission bits of the files, 0 to 0777 (decimal in JSON). Defaults to 0644. Directories are not affected; fsGroup may add bits.',
        { presence: 'pointer' },
      ),
    },
  },
  VolumeProjection: {
    doc: 'One source of a projected volume. Set exactly one member.',
    fields: {
      secret: f(1, core('SecretProjection'), 'Keys of a Secret.'),
      downwardAPI: f(2, core('DownwardAPIProjection'), 'Fields and resource values of the pod.'),
      configMap: f(3, core('ConfigMapProjection'), 'Keys of a ConfigMap.'),
      serviceAccountToken: f(
        4,
        core('ServiceAccountTokenProjection'),
        'A token of the service account of the pod, renewed by the kubelet.',
      ),
      clusterTrustBundle: f(
        5,
        core('ClusterTrustBundleProjection'),
        'The certificates of ClusterTrustBundle objects, chosen by name or by signer and labels, written as one PEM file that the kubelet keeps current. The kubelet normalizes the PEM and removes duplicate certificates, in no fixed order. Alpha; needs the ClusterTrustBundleProjection feature gate.',
      ),
    },
  },
  SecretProjection: {
    doc: 'The keys of a Secret in a projected volume. Like a secret volume, but without defaultMode.',
    inline: [{ proto: 1, type: CORE + 'LocalObjectReference' }],
    fields: {
      items: f(
        2,
        arrayOf(core('KeyToPath')),
        'Which keys to write and where. Unset writes every key as a file named after it. A listed key missing from the Secret is an error unless optional is true.',
        { listType: 'atomic' },
      ),
      optional: f(4, boolean, 'True lets the pod start when the Secret or a listed key is missing.', {
        presence: 'pointer',
      }),
    },
  },
  ConfigMapProjection: {
    doc: 'The keys of a ConfigMap in a projected volume. Like a configMap volume, but without defaultMode.',
    inline: [{ proto: 1, type: CORE + 'LocalObjectReference' }],
    fields: {
      items: f(
        2,
        arrayOf(core('KeyToPath')),
        'Which keys to write and where. Unset writes every key as a file named after it. A listed key missing from the ConfigMap is an error unless optional is true.',
        { listType: 'atomic' },
      ),
      optional: f(4, boolean, 'True lets the pod start when the ConfigMap or a listed key is missing.', {
        presence: 'pointer',
      }),
    },
  },
  DownwardAPIProjection: {
    doc: 'Pod information in a projected volume. Like a downwardAPI volume, but without defaultMode.',
    fields: {
      items: f(1, arrayOf(core('DownwardAPIVolumeFile')), 'The files to write.', { listType: 'atomic' }),
    },
  },
  ServiceAccountTokenProjection: {
    doc: 'A token of the service account of the pod written into a projected volume, for use against the API server or other services.',
    fields: {
      audience: f(
        1,
        string,
        'Who the token is meant for; recipients must reject tokens not addressed to them. Defaults to the identifier of the API server.',
      ),
      expirationSeconds: f(
        2,
        int64,
        'How long the requested token is valid, at least 600 seconds. Defaults to 3600. The kubelet renews the token once 80% of that time or 24 hours has passed.',
        { presence: 'pointer' },
      ),
      path: f(3, string, 'Where to write the token, relative to the mount point.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  ClusterTrustBundleProjection: {
    doc: 'Which ClusterTrustBundle objects to write into a projected volume, and where.',
    fields: {
      name: f(1, string, 'One bundle, by object name. Excludes signerName and labelSelector.', {
        presence: 'pointer',
      }),
      signerName: f(2, string, 'Every bundle of this signer, merged without duplicates. Excludes name.', {
        presence: 'pointer',
      }),
      labelSelector: f(
        3,
        meta('LabelSelector'),
        'With signerName, only the bundles with matching labels. Unset matches none; empty matches all. Excludes name.',
      ),
      optional: f(
        5,
        boolean,
        'True lets the pod start when no bundle matches (or the named one does not exist).',
        { presence: 'pointer' },
      ),
      path: f(4, string, 'Where to write the bundle, relative to the volume root.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  KeyToPath: {
    doc: 'Writes one key of a Secret or ConfigMap to a chosen file.',
    fields: {
      key: f(1, string, 'The key to write.', { presence: 'always', required: true }),
      path: f(
        2,
        string,
        'The file to write it to: a relative path that contains no ".." element and does not start with "..".',
        { presence: 'always', required: true },
      ),
      mode: f(
        3,
        int32,
        'Permission bits of this file, 0 to 0777 (decimal in JSON). Unset uses the defaultMode of the volume; fsGroup may add bits.',
        { presence: 'pointer' },
      ),
    },
  },
  PortworxVolumeSource: {
    doc: 'A Portworx volume.',
    fields: {
      volumeID: f(1, string, 'The ID of the Portworx volume.', { presence: 'always', required: true }),
      fsType: f(2, string, 'The file system of the volume (ext4, xfs). Taken as ext4 when empty.'),
      readOnly: f(3, boolean, 'True mounts the volume read-only in every container. Defaults to false.'),
    },
  },
  ScaleIOVolumeSource: {
    doc: 'A ScaleIO volume.',
    fields: {
      gateway: f(1, string, 'Address of the ScaleIO API gateway.', { presence: 'always', required: true }),
      system: f(2, string, 'The ScaleIO storage system name.', { presence: 'always', required: true }),
      secretRef: f(
        3,
        core('LocalObjectReference'),
        'A Secret with the ScaleIO user and other credentials. Login fails without it.',
        { required: true },
      ),
      sslEnabled: f(4, boolean, 'True uses SSL to talk to the gateway. Defaults to false.'),
      protectionDomain: f(5, string, 'The ScaleIO protection domain of the storage.'),
      storagePool: f(6, string, 'The ScaleIO storage pool within the protection domain.'),
      storageMode: f(7, string, 'ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.', {
        default: 'ThinProvisioned',
      }),
      volumeName: f(8, string, 'The name of an existing volume in the ScaleIO system.'),
      fsType: f(9, string, 'The file system of the volume (ext4, xfs, ntfs). Defaults to xfs.', {
        default: 'xfs',
      }),
      readOnly: f(10, boolean, 'True mounts the volume read-only in every container. Defaults to false.'),
    },
  },
  StorageOSVolumeSource: {
    doc: 'A StorageOS volume.',
    fields: {
      volumeName: f(1, string, 'The StorageOS volume name, unique within its StorageOS namespace.'),
      volumeNamespace: f(
        2,
        string,
        'The StorageOS namespace of the volume; missing namespaces are created. Empty uses the namespace of the pod; "default" suits setups without StorageOS namespaces.',
      ),
      fsType: f(3, string, 'The file system of the volume (ext4, xfs, ntfs). Taken as ext4 when empty.'),
      readOnly: f(4, boolean, 'True mounts the volume read-only in every container. Defaults to false.'),
      secretRef: f(
        5,
        core('LocalObjectReference'),
        'A Secret with the StorageOS API credentials. Unset tries default credentials.',
      ),
    },
  },
  CSIVolumeSource: {
    doc: 'An inline volume provided by an external CSI driver.',
    fields: {
      driver: f(1, string, 'The name of the CSI driver, as registered in the cluster.', {
        presence: 'always',
        required: true,
      }),
      readOnly: f(2, boolean, 'True asks the driver for a read-only volume. Defaults to false.', {
        presence: 'pointer',
      }),
      fsType: f(
        3,
        string,
        'The file system to mount (ext4, xfs, ntfs). Unset leaves the choice to the driver.',
        { presence: 'pointer' },
      ),
      volumeAttributes: f(4, mapOf(string), 'Driver-specific settings; see the documentation of the driver.'),
      nodePublishSecretRef: f(
        5,
        core('LocalObjectReference'),
        'A Secret whose entries are all passed to the driver when it publishes and unpublishes the volume on the node. May be unset.',
      ),
    },
  },
  EphemeralVolumeSource: {
    doc: 'A volume backed by a claim made for the pod by the usual storage provisioning.',
    fields: {
      volumeClaimTemplate: f(
        1,
        core('PersistentVolumeClaimTemplate'),
        'The claim to create, named <pod name>-<volume name> and owned by the pod, so it is deleted with it. A claim of that name not owned by the pod blocks the pod. Must be set; later changes are not applied to the claim.',
      ),
    },
  },
  PersistentVolumeClaimTemplate: {
    doc: 'The claim an ephemeral volume creates.',
    fields: {
      metadata: f(
        1,
        meta('ObjectMeta'),
        'Labels and annotations to copy into the claim; other metadata is rejected.',
        { presence: 'always' },
      ),
      spec: f(2, core('PersistentVolumeClaimSpec'), 'The spec of the claim, copied into it as is.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  PersistentVolumeClaimSpec: {
    doc: 'What storage a claim asks for.',
    fields: {
      accessModes: f(
        1,
        arrayOf(oneOf('ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod')),
        'How the volume may be mounted: read-write by one node, read-only by many, read-write by many, or read-write by a single pod.',
        { listType: 'atomic' },
      ),
      selector: f(4, meta('LabelSelector'), 'Only volumes with matching labels can be bound to the claim.'),
      resources: f(
        2,
        core('VolumeResourceRequirements'),
        'The least storage the volume must have. With RecoverVolumeExpansionFailure, it may be lowered again, but not below the capacity in the status.',
        { presence: 'always' },
      ),
      volumeName: f(3, string, 'The PersistentVolume this claim is bound to.'),
      storageClassName: f(5, string, 'The StorageClass the claim needs.', { presence: 'pointer' }),
      volumeMode: f(
        6,
        oneOf('Block', 'Filesystem'),
        'Block for a raw device, Filesystem for a formatted volume. Filesystem when unset.',
        { presence: 'pointer' },
      ),
      dataSource: f(
        7,
        core('TypedLocalObjectReference'),
        'A VolumeSnapshot or PersistentVolumeClaim to fill the new volume from, when the provisioner supports it. Kept in step with dataSourceRef when that has no namespace.',
      ),
      dataSourceRef: f(
        8,
        core('TypedObjectReference'),
        'The object to fill the volume from: a PersistentVolumeClaim or any object of a non-core group that a volume populator handles. Unlike dataSource, disallowed values are errors rather than dropped, and a namespace may be given (alpha, CrossNamespaceVolumeDataSource). Must equal dataSource when both are set without a namespace.',
      ),
      volumeAttributesClassName: f(
        9,
        string,
        'The VolumeAttributesClass the CSI driver applies to the volume. Unlike storageClassName it can change later, but not back to empty. Unset on an unbound claim takes the default class, if any; a missing class leaves the claim Pending. Beta; needs the VolumeAttributesClass feature gate.',
        { presence: 'pointer' },
      ),
    },
  },
  VolumeResourceRequirements: {
    doc: 'How much storage a volume asks for.',
    fields: {
      limits: f(1, mapOf(quantity), 'The most of each resource allowed.'),
      requests: f(
        2,
        mapOf(quantity),
        'The least of each resource required. Unset requests take the limits when those are given; requests may not exceed limits.',
      ),
    },
  },
  TypedLocalObjectReference: {
    doc: 'A reference to an object of any kind in the same namespace.',
    mapType: 'atomic',
    fields: {
      apiGroup: f(
        1,
        string,
        'The API group of the object. Unset means the core group; required for any other kind.',
        { presence: 'pointer' },
      ),
      kind: f(2, string, 'The kind of the object.', { presence: 'always', required: true }),
      name: f(3, string, 'The name of the object.', { presence: 'always', required: true }),
    },
  },
  TypedObjectReference: {
    doc: 'A reference to an object of any kind, possibly in another namespace.',
    fields: {
      apiGroup: f(
        1,
        string,
        'The API group of the object. Unset means the core group; required for any other kind.',
        { presence: 'pointer' },
      ),
      kind: f(2, string, 'The kind of the object.', { presence: 'always', required: true }),
      name: f(3, string, 'The name of the object.', { presence: 'always', required: true }),
      namespace: f(
        4,
        string,
        'The namespace of the object. A namespace other than that of the claim needs a ReferenceGrant there that allows it. Alpha; needs the CrossNamespaceVolumeDataSource feature gate.',
        { presence: 'pointer' },
      ),
    },
  },
  ImageVolumeSource: {
    doc: 'An OCI image or artifact mounted as a volume.',
    fields: {
      reference: f(
        1,
        string,
        'The image or artifact to mount, written as for a container image; pull credentials are found the same way. Optional so that workload controllers can fill it in.',
      ),
      pullPolicy: f(
        2,
        oneOf('Always', 'Never', 'IfNotPresent'),
        'Always pulls every time; Never uses only what is on the node; IfNotPresent pulls when missing. Failing either way stops the containers from starting. Defaults to Always for a :latest tag, IfNotPresent otherwise.',
      ),
    },
  },
});
