/**
 * The catalogue of resources batchd serves. Each resource is described once (names, scope,
 * verbs, field selectors, strategy); discovery, routing, the registry and the clients all read
 * this description, so adding a resource means adding one ResourceType.
 */
import type { FieldError, GroupKind, GroupResource } from './meta/status.js';
import type { DeleteOptions, KubeObject } from './meta/types.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** How a resource behaves on writes: upstream's RESTCreateStrategy/RESTUpdateStrategy, reduced to hooks. */
export interface Strategy<T extends KubeObject = KubeObject> {
  /** Fills defaults in place (on create, update and when read back). */
  defaults?(obj: T): void;
  /** Resets what a client may not set on create (e.g. status). */
  prepareForCreate?(obj: T): void;
  /** Carries over from old what a main-resource write may not change (e.g. status). */
  prepareForUpdate?(obj: T, old: T): void;
  /** Carries over from old what a status write may not change (e.g. spec). */
  prepareForStatusUpdate?(obj: T, old: T): void;
  /** Other subresources that write (a namespace's finalize): what each may change. */
  prepareForSubresourceUpdate?: Record<string, (obj: T, old: T) => void>;
  /** Warning headers for a create (deprecated fields, names that will cause trouble). */
  warningsOnCreate?(obj: T): string[];
  /** Warning headers for an update. */
  warningsOnUpdate?(obj: T): string[];
  /** A Warning header for a DELETE with these options (the Job orphaning warning). */
  deleteWarning?(opts: DeleteOptions): string | undefined;
  validate?(obj: T): FieldError[];
  validateUpdate?(obj: T, old: T): FieldError[];
  validateStatusUpdate?(obj: T, old: T): FieldError[];
  /** Validates metadata.name (and generateName when prefix is true): upstream's ValidateNameFunc. */
  validateName?(name: string, prefix: boolean): string[];
  /** Does this write change the part that bumps metadata.generation? Default: spec differs. */
  generationChanged?(obj: T, old: T): boolean;
  /**
   * Pods: seconds the object stays, marked, before the node agent's final delete; 0 or undefined
   * deletes at once.
   */
  gracefulDeletion?(obj: T, opts: DeleteOptions): number | undefined;
  /** Marks the object on deletion (e.g. a namespace's phase Terminating). */
  prepareForDelete?(obj: T): void;
  /** True while the object must outlive its deletion for a reason of its type (a namespace being emptied). */
  deletionPending?(obj: T): boolean;
  /** Propagation when a delete names none: Orphan for batch/v1 Jobs, Background elsewhere. */
  defaultGarbageCollectionPolicy?: 'Orphan' | 'Background';
}

export interface Subresource {
  name: string;
  kind: { group: string; version: string; kind: string };
  verbs: Verb[];
}

export interface ResourceType<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  /** Plural, lower case: `jobs`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: readonly Verb[];
  shortNames?: string[];
  categories?: string[];
  subresources: Subresource[];
  /** Extra field-selector fields beyond metadata.name and metadata.namespace, with their getters. */
  selectableFields?: Record<string, (obj: T) => string>;
  /** The BadRequest message for an unsupported field selector; each upstream kind words it its own way. */
  fieldLabelError?: (field: string) => string;
  /** A DELETE answers with the deleted object instead of a Status (pods, as upstream). */
  returnDeletedObject?: boolean;
  /** Does metadata.generation exist and count spec changes (jobs, cronjobs), or stay unset (pods, events)? */
  tracksGeneration?: boolean;
  /** The schema type of the object (`io.k8s.api.batch.v1.Job`): typed decoding, OpenAPI, patches. */
  schema?: string;
  /**
   * Another version of the same resource whose storage this one shares (batch/v1beta1 CronJobs
   * are stored as batch/v1): objects are converted on the way in and out, and controllers watch
   * only the storage version.
   */
  storageVersion?: string;
  /** The Warning header every answer of a deprecated version carries. */
  deprecationWarning?: string;
  strategy: Strategy<T>;
}

export const apiVersionOf = (t: { group: string; version: string }) =>
  t.group ? `${t.group}/${t.version}` : t.version;
export const groupResource = (t: { group: string; resource: string }): GroupResource => ({
  group: t.group,
  resource: t.resource,
});
export const groupKind = (t: { group: string; kind: string }): GroupKind => ({
  group: t.group,
  kind: t.kind,
});

/** The names a field selector may use for this resource. */
export function selectableFieldNames<T extends KubeObject>(t: ResourceType<T>): string[] {
  return ['metadata.name', 'metadata.namespace', ...Object.keys(t.selectableFields ?? {})];
}

/** Upstream's default field-label conversion error, for kinds without their own. */
export const defaultFieldLabelError = (field: string) =>
  `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`;

/** The core/v1 conversions' wording (pods, events, namespaces, nodes). */
export const coreFieldLabelError = (field: string) => `field label not supported: ${field}`;

/** The values of every selectable field of obj. */
export function fieldsOf<T extends KubeObject>(t: ResourceType<T>, obj: T): Record<string, string> {
  const out: Record<string, string> = {
    'metadata.name': obj.metadata.name ?? '',
    'metadata.namespace': obj.metadata.namespace ?? '',
  };
  for (const [name, get] of Object.entries(t.selectableFields ?? {})) out[name] = get(obj);
  return out;
}

export class Scheme {
  private readonly byGroupResource = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();
  readonly all: ResourceType[] = [];

  add(...types: ResourceType[]): this {
    for (const t of types) {
      this.all.push(t);
      this.byGroupResource.set(`${t.group}/${t.version}/${t.resource}`, t);
      this.byKind.set(`${apiVersionOf(t)}/${t.kind}`, t);
    }
    return this;
  }

  /** The types that own their storage: what controllers watch (no version twice). */
  get stored(): ResourceType[] {
    return this.all.filter((t) => !t.storageVersion);
  }

  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGroupResource.get(`${group}/${version}/${resource}`);
  }

  byApiVersionKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** The group/versions served, in discovery order: core first, then groups by name. */
  groupVersions(): Array<{ group: string; version: string; resources: ResourceType[] }> {
    const out = new Map<string, { group: string; version: string; resources: ResourceType[] }>();
    for (const t of this.all) {
      const k = `${t.group}/${t.version}`;
      let gv = out.get(k);
      if (!gv) out.set(k, (gv = { group: t.group, version: t.version, resources: [] }));
      gv.resources.push(t);
    }
    return [...out.values()];
  }
}
