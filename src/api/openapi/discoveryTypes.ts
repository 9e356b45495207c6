/**
 * The meta/v1 types the OpenAPI documents reference but no stored object carries: watch events,
 * the PATCH body, the discovery documents and the version answer. They extend the schema catalog
 * for the documents only; the decoder never sees them.
 */
import { catalog } from '../schema/index.js';
import {
  arrayOf,
  boolean,
  Catalog,
  field as f,
  META,
  metaRef,
  raw,
  string,
  TYPE_META,
  type TypeDef,
  types,
} from '../schema/schema.js';

/** The component name of the `/version` answer. */
export const VERSION_INFO = 'io.k8s.apimachinery.pkg.version.Info';

const meta = metaRef;
const always = { presence: 'always', required: true } as const;

export const discoveryTypes: TypeDef[] = types(META, {
  WatchEvent: {
    doc: 'One change seen by a watch: its type and the object it concerns.',
    fields: {
      type: f(1, string, 'ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', always),
      object: f(
        2,
        raw,
        'The object after the change (before it, for DELETED), or a Status for ERROR.',
        always,
      ),
    },
  },
  Patch: {
    doc: 'The body of a PATCH request, in the format its Content-Type names.',
    fields: {},
  },
  APIResource: {
    doc: 'One resource (or resource/subresource) served in a group version.',
    fields: {
      name: f(1, string, 'The plural name, with /subresource for a subresource.', always),
      singularName: f(6, string, 'The singular name, which kubectl also accepts.', always),
      namespaced: f(2, boolean, 'True when the objects live in namespaces.', always),
      group: f(8, string, 'The group of the resource, when it differs from the list it is in.'),
      version: f(9, string, 'The version of the resource, when it differs from the list it is in.'),
      kind: f(3, string, 'The kind of the objects served.', always),
      verbs: f(4, arrayOf(string), 'The verbs the resource answers: get, list, watch, create...', always),
      shortNames: f(5, arrayOf(string), 'Short names kubectl accepts, such as cj.'),
      categories: f(7, arrayOf(string), 'Groups of resources this one belongs to, such as all.'),
      storageVersionHash: f(10, string, 'A hash of the version objects are stored in.'),
    },
  },
  APIResourceList: {
    doc: 'The resources served in one group version.',
    inline: [TYPE_META],
    fields: {
      groupVersion: f(1, string, 'The group version listed, such as batch/v1.', always),
      resources: f(2, arrayOf(meta('APIResource')), 'The resources.', always),
    },
  },
  GroupVersionForDiscovery: {
    doc: 'A version of a group.',
    fields: {
      groupVersion: f(1, string, 'The group and version, such as batch/v1.', always),
      version: f(2, string, 'The version alone, such as v1.', always),
    },
  },
  ServerAddressByClientCIDR: {
    doc: 'The server address clients from a network should use.',
    fields: {
      clientCIDR: f(1, string, 'The client network.', always),
      serverAddress: f(2, string, 'The address (host:port) for clients of that network.', always),
    },
  },
  APIGroup: {
    doc: 'A group with its versions and the version the server prefers.',
    inline: [TYPE_META],
    fields: {
      name: f(1, string, 'The group name; empty for the core group.', always),
      versions: f(2, arrayOf(meta('GroupVersionForDiscovery')), 'The versions served.', always),
      preferredVersion: f(3, meta('GroupVersionForDiscovery'), 'The version clients should use.', {
        presence: 'always',
      }),
      serverAddressByClientCIDRs: f(
        4,
        arrayOf(meta('ServerAddressByClientCIDR')),
        'Addresses of this server by client network.',
      ),
    },
  },
  APIGroupList: {
    doc: 'Every group the server serves under /apis.',
    inline: [TYPE_META],
    fields: {
      groups: f(1, arrayOf(meta('APIGroup')), 'The groups.', always),
    },
  },
  APIVersions: {
    doc: 'The versions of the core group, served under /api.',
    inline: [TYPE_META],
    fields: {
      versions: f(1, arrayOf(string), 'The versions, such as v1.', always),
      serverAddressByClientCIDRs: f(
        2,
        arrayOf(meta('ServerAddressByClientCIDR')),
        'Addresses of this server by client network.',
        always,
      ),
    },
  },
});

const info = (proto: number, doc: string) => f(proto, string, doc, always);

/** The `/version` answer (a plain Go struct, not a Kubernetes kind). */
export const versionInfo: TypeDef = {
  name: VERSION_INFO,
  doc: 'The version of the server binary.',
  fields: {
    major: info(1, 'The major version, such as 1.'),
    minor: info(2, 'The minor version, such as 32.'),
    gitVersion: info(3, 'The full version, such as v1.32.4.'),
    gitCommit: info(4, 'The commit the binary was built from.'),
    gitTreeState: info(5, 'clean or dirty.'),
    buildDate: info(6, 'When the binary was built (RFC 3339).'),
    goVersion: info(7, 'The toolchain the binary was built with.'),
    compiler: info(8, 'The compiler the binary was built with.'),
    platform: info(9, 'The OS and architecture, such as linux/amd64.'),
  },
};

/** The schema catalog plus the types only the OpenAPI documents need. */
export function openApiCatalog(base: Catalog = catalog): Catalog {
  const defs = [...base.names()].map((n) => base.get(n));
  const extra = [...discoveryTypes, versionInfo].filter((d) => !base.has(d.name));
  return new Catalog([...defs, ...extra]);
}
