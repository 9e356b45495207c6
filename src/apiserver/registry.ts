/**
 * The generic registry: upstream's genericregistry.Store for one resource. It turns API verbs
 * into store operations and owns the metadata rules every resource shares (uid, timestamps,
 * resourceVersion, generation, generateName, finalizers, deletion, optimistic concurrency).
 * The HTTP handlers and the in-process client both call it, so both behave the same.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type FieldSelector, parseFieldSelector } from '../api/meta/fields.js';
import { type LabelSelector, parseLabelSelector } from '../api/meta/labels.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  type FieldError,
  forbidden,
  forbiddenRequest,
  invalid,
  notFound,
  OBJECT_MODIFIED,
  type Status,
  successStatus,
} from '../api/meta/status.js';
import {
  type DeleteOptions,
  FINALIZER_FOREGROUND,
  FINALIZER_ORPHAN,
  type KubeList,
  type KubeObject,
  type ListOptions,
  type ObjectMeta,
  type WatchEventType,
  type WatchOptions,
} from '../api/meta/types.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/meta/validation.js';
import { DecodeError, decodeAs } from '../api/schema/decode.js';
import { catalog } from '../api/schema/index.js';
import {
  apiVersionOf,
  defaultFieldLabelError,
  fieldsOf,
  groupKind,
  groupResource,
  type ResourceType,
  selectableFieldNames,
} from '../api/scheme.js';
import {
  CompactedError,
  FutureRevisionError,
  type KeyValue,
  type Store,
  type StoreEvent,
} from '../storage/store.js';
import type { Clock } from '../util/clock.js';
import { copyJson, copyPlain } from '../util/copy.js';
import { resetFieldsFor, updateManagedFields } from './fieldmanager/index.js';

export interface WriteOptions {
  dryRun?: boolean;
  /**
   * Told the paths of the fields the written object had that its type does not (fieldValidation
   * decides what to do: throw to reject the write, or note warnings). Called once per attempt.
   */
  onUnknownFields?: (paths: readonly string[]) => void;
  /**
   * Records the write in metadata.managedFields as an Update by this manager. Absent for a
   * server-side apply, whose entries the field manager has already written.
   */
  fieldManager?: string;
}

export interface UpdateOptions extends WriteOptions {
  /** `status` writes keep spec; main writes keep status. */
  subresource?: string;
}

export type { ListOptions, WatchOptions };

/** One event of a watch, with its object already encoded once for every HTTP watcher. */
export interface RegistryWatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  /** Shared between watchers: read it, never change it. */
  object: T;
  /** `JSON.stringify(object)`, computed at most once per event. */
  json(): string;
}

export interface DeleteResult<T extends KubeObject = KubeObject> {
  /** The last state of the object (for pending deletions, the marked object). */
  object: T;
  /** False when the object was only marked (finalizers or grace period pending). */
  deleted: boolean;
  /** What a DELETE answers when the object is gone: a Success Status. */
  status: Status;
}

/** Hooks a registry needs from its neighbours (namespaces, deletion policy). */
export interface RegistryContext {
  store: Store;
  clock: Clock;
  /** Throws NotFound when a namespaced create names a missing namespace, Forbidden when it is terminating. */
  checkNamespace?(namespace: string): Promise<void>;
}

const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const GENERATE_NAME_RETRIES = 8;
const MAX_UPDATE_ATTEMPTS = 30;

/** The timestamp format of metav1.Time: RFC 3339 in UTC with whole seconds. */
export const formatTime = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

export class Registry<T extends KubeObject = KubeObject> {
  private readonly prefix: string;
  /**
   * Decoded objects by stored key-value, shared between the watchers of one event and the reads
   * and updates that find the same key-value (the store hands out its recent ones again): never
   * changed, and copied, not parsed, when a caller needs its own.
   */
  private readonly decoded = new WeakMap<KeyValue, T>();
  private readonly encoded = new WeakMap<object, string>();
  /** The object behind each write in flight, by key: its watch event copies it instead of parsing the value. */
  private readonly writing = new Map<string, { value: string; obj: T }>();

  constructor(
    readonly type: ResourceType<T>,
    private readonly ctx: RegistryContext,
  ) {
    this.prefix = `/registry/${type.group ? `${type.group}/` : ''}${type.resource}/`;
    this.storageApiVersion =
      type.storageVersion && apiVersionOf({ group: type.group, version: type.storageVersion });
  }

  /** Set when this version is a view of another version's storage: what stored objects say. */
  private readonly storageApiVersion: string | undefined;

  private get store(): Store {
    return this.ctx.store;
  }

  keyPrefix(namespace?: string): string {
    return this.type.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
  }

  key(namespace: string | undefined, name: string): string {
    return this.type.namespaced ? `${this.prefix}${namespace ?? ''}/${name}` : `${this.prefix}${name}`;
  }

  private get gr() {
    return groupResource(this.type);
  }

  // ---- encoding ----

  /** Reads a stored value, with the revision as resourceVersion; every call returns a fresh object. */
  private parse(kv: KeyValue, revision = kv.modRevision): T {
    const known = this.decoded.get(kv);
    if (!known) return this.decodeStored(JSON.parse(kv.value) as T, revision);
    const obj = copyJson(known) as T;
    if (revision !== kv.modRevision) obj.metadata.resourceVersion = String(revision);
    return obj;
  }

  /** What a read makes of a stored object: the revision as resourceVersion (last), served version, defaults. */
  private decodeStored(obj: T, revision: number): T {
    obj.metadata.resourceVersion = String(revision);
    if (this.storageApiVersion) obj.apiVersion = apiVersionOf(this.type);
    this.type.strategy.defaults?.(obj);
    return obj;
  }

  /** Like parse, but one object per key-value, shared: never change it. */
  private shared(kv: KeyValue): T {
    let obj = this.decoded.get(kv);
    if (obj) return obj;
    const w = this.writing.get(kv.key);
    obj = w && w.value === kv.value ? this.storedCopy(w.obj, kv.modRevision) : this.parse(kv);
    this.decoded.set(kv, obj);
    return obj;
  }

  /**
   * Exactly what parsing the serialized obj gives (resourceVersion moves last as serialize drops
   * it), by copying: the stored form of a write is known without reading it back.
   */
  private storedCopy(obj: T, revision: number): T {
    // An undefined member keeps its place in the spread and vanishes from the copy.
    const source = { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } };
    return this.decodeStored(copyJson(source) as T, revision);
  }

  /**
   * Stores value as the new state of key (create or update), telling the watchers' decoding
   * about obj meanwhile; on success the key-value's shared object is set from obj.
   */
  private async write<R extends { ok: boolean; kv?: KeyValue }>(
    key: string,
    value: string,
    obj: T,
    run: () => Promise<R>,
  ): Promise<R> {
    const entry = { value, obj };
    this.writing.set(key, entry);
    try {
      const res = await run();
      if (res.ok && res.kv && !this.decoded.has(res.kv)) {
        this.decoded.set(res.kv, this.storedCopy(obj, res.kv.modRevision));
      }
      return res;
    } finally {
      if (this.writing.get(key) === entry) this.writing.delete(key);
    }
  }

  private jsonOf(obj: object): string {
    let s = this.encoded.get(obj);
    if (s === undefined) this.encoded.set(obj, (s = JSON.stringify(obj)));
    return s;
  }

  /** What goes to the store: the object without its resourceVersion (the revision is the version). */
  private serialize(obj: T): string {
    const rv = obj.metadata.resourceVersion;
    delete obj.metadata.resourceVersion;
    const s = JSON.stringify(this.storageApiVersion ? { ...obj, apiVersion: this.storageApiVersion } : obj);
    if (rv !== undefined) obj.metadata.resourceVersion = rv;
    return s;
  }

  // ---- reads ----

  async get(namespace: string | undefined, name: string): Promise<T> {
    const kv = await this.store.get(this.key(namespace, name));
    if (!kv) throw notFound(this.gr, name);
    return this.parse(kv);
  }

  async list(namespace: string | undefined, opts: ListOptions = {}): Promise<KubeList<T>> {
    const match = this.matcher(opts.labelSelector, opts.fieldSelector);
    const prefix = this.keyPrefix(namespace);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    let revision: number | undefined;
    let startKey = prefix;
    if (opts.continue) {
      const token = decodeContinue(opts.continue, prefix);
      revision = token.rv;
      startKey = token.start;
    } else {
      revision = await this.listRevision(opts);
    }
    const items: T[] = [];
    let remaining = 0;
    let nextKey: string | undefined;
    let readAt = revision;
    try {
      // Fill the page with matching items: a selector may reject many of the keys we read.
      for (;;) {
        const want = limit ? Math.max(limit - items.length, 1) : 0;
        const page = await this.store.list(prefix, {
          startKey,
          ...(want ? { limit: want } : {}),
          ...(readAt !== undefined ? { revision: readAt } : {}),
        });
        readAt = page.revision;
        for (const kv of page.kvs) {
          const obj = this.parse(kv);
          if (match(obj)) items.push(obj);
        }
        remaining = page.remaining;
        const last = page.kvs.at(-1);
        if (!limit || remaining === 0 || !last) break;
        nextKey = `${last.key}\u0000`;
        startKey = nextKey;
        if (items.length >= limit) break;
      }
    } catch (err) {
      if (err instanceof CompactedError && opts.continue) throw continueExpired(prefix, startKey);
      if (err instanceof CompactedError)
        throw expired(`too old resource version: ${revision} (${err.compacted + 1})`);
      throw err;
    }
    const metadata: KubeList<T>['metadata'] = { resourceVersion: String(readAt) };
    if (limit && remaining > 0 && nextKey !== undefined) {
      metadata.continue = encodeContinue(readAt ?? 0, nextKey, prefix);
      // Upstream counts only when no selector filters the rest of the range.
      if (!opts.labelSelector && !opts.fieldSelector) metadata.remainingItemCount = remaining;
    }
    return { apiVersion: apiVersionOf(this.type), kind: this.type.listKind, metadata, items };
  }

  /** Which revision a list without a continue token reads: upstream's resourceVersion/resourceVersionMatch rules. */
  private async listRevision(opts: ListOptions): Promise<number | undefined> {
    const rv = opts.resourceVersion;
    if (opts.resourceVersionMatch !== 'Exact' || !rv) {
      if (rv && rv !== '0') {
        const wanted = Number(rv);
        const current = await this.store.currentRevision();
        if (wanted > current) throw tooLargeResourceVersion(wanted, current);
      }
      return undefined;
    }
    return Number(rv);
  }

  private matcher(labelSelector?: string, fieldSelector?: string): (obj: T) => boolean {
    const labels = this.parseLabels(labelSelector);
    const fields = this.parseFields(fieldSelector);
    if (!labels && !fields) return matchAll;
    return (obj) =>
      (!labels || labels.matches(obj.metadata.labels ?? {})) &&
      (!fields || fields.matches(fieldsOf(this.type, obj)));
  }

  private parseLabels(text?: string): LabelSelector | undefined {
    if (!text) return undefined;
    try {
      const sel = parseLabelSelector(text);
      return sel.empty ? undefined : sel;
    } catch (err) {
      throw badRequest((err as Error).message);
    }
  }

  private parseFields(text?: string): FieldSelector | undefined {
    if (!text) return undefined;
    let sel: FieldSelector;
    try {
      sel = parseFieldSelector(text);
    } catch (err) {
      throw badRequest((err as Error).message);
    }
    const supported = selectableFieldNames(this.type);
    for (const name of sel.fieldNames()) {
      if (!supported.includes(name)) {
        throw badRequest((this.type.fieldLabelError ?? defaultFieldLabelError)(name));
      }
    }
    return sel.empty ? undefined : sel;
  }

  // ---- typed decoding ----

  /**
   * Reads a written object as upstream's Go types would: unknown fields dropped, wrong types
   * rejected (400), zero values by Go's rules. Resources without a schema pass unchanged.
   */
  private decode(input: T, onUnknownFields?: (paths: readonly string[]) => void): T {
    const schema = this.type.schema;
    if (!schema) {
      onUnknownFields?.([]);
      return input;
    }
    try {
      const { value, unknownFields } = decodeAs(catalog, schema, input);
      onUnknownFields?.(unknownFields);
      const obj = value as T;
      obj.metadata ??= {};
      return obj;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      const { kind, version } = this.type;
      throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${err.message}`);
    }
  }

  /** The stored form: what the strategy added, in Go's field order with Go's zero values. */
  private normalize(obj: T): T {
    const schema = this.type.schema;
    if (!schema) return obj;
    const { value } = decodeAs(catalog, schema, obj);
    return value as T;
  }

  // ---- writes ----

  async create(namespace: string | undefined, input: T, opts: WriteOptions = {}): Promise<T> {
    this.checkTypeMeta(input);
    const sentManagedFields = input.metadata?.managedFields;
    let obj = this.decode(input, opts.onUnknownFields);
    let meta = obj.metadata;
    if (this.type.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest(
          `the namespace of the provided object does not match the namespace sent on the request`,
        );
      }
      meta.namespace = meta.namespace || namespace || 'default';
    } else {
      delete meta.namespace;
    }
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    const strategy = this.type.strategy;
    // Defaults as the request body is decoded, then the create preparation (which may rely on the
    // uid and the final name), then defaults again as upstream applies them on the read back.
    strategy.defaults?.(obj);
    // The creator owns what it sent and its defaults, not what the create preparation generates.
    if (opts.fieldManager !== undefined) {
      this.recordUpdate(obj, undefined, opts.fieldManager, undefined, sentManagedFields);
    }
    const now = formatTime(this.ctx.clock.now());
    meta.uid = randomUUID();
    meta.creationTimestamp = now;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.type.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = generateName(meta.generateName ?? '');
    strategy.prepareForCreate?.(obj);
    strategy.defaults?.(obj);
    this.validate(obj, [
      ...validateObjectMeta(meta, { namespaced: this.type.namespaced, nameValidator: this.nameValidator }),
      ...(strategy.validate?.(obj) ?? []),
    ]);
    obj = this.normalize(obj);
    meta = obj.metadata;
    if (this.type.namespaced) await this.ctx.checkNamespace?.(meta.namespace ?? '');
    if (opts.dryRun) {
      const existing = await this.store.get(this.key(meta.namespace, meta.name ?? ''));
      if (existing) throw alreadyExists(this.gr, meta.name ?? '');
      return obj;
    }
    for (let attempt = 0; ; attempt++) {
      const key = this.key(meta.namespace, meta.name ?? '');
      const value = this.serialize(obj);
      const res = await this.write(key, value, obj, () => this.store.create(key, value));
      if (res.ok) {
        meta.resourceVersion = String(res.kv.modRevision);
        return obj;
      }
      // A generated name that collides is drawn again, as upstream does since 1.30 (RetryGenerateName).
      if (!generated || attempt >= GENERATE_NAME_RETRIES) throw alreadyExists(this.gr, meta.name ?? '');
      meta.name = generateName(meta.generateName ?? '');
    }
  }

  private readonly nameValidator = (name: string, prefix: boolean): string[] =>
    this.type.strategy.validateName?.(name, prefix) ?? [];

  private checkTypeMeta(obj: T): void {
    const want = apiVersionOf(this.type);
    if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== want) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`,
      );
    }
    if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== this.type.kind) {
      throw badRequest(
        `the kind in the data (${obj.kind}) does not match the expected kind (${this.type.kind})`,
      );
    }
    obj.apiVersion = want;
    obj.kind = this.type.kind;
  }

  private validate(obj: T, errs: FieldError[]): void {
    if (errs.length) throw invalid(groupKind(this.type), obj.metadata.name ?? '', errs);
  }

  /** PUT: replaces the object, keeping what the strategy says the client may not change. */
  async update(namespace: string | undefined, name: string, input: T, opts: UpdateOptions = {}): Promise<T> {
    const meta = (input.metadata ??= {});
    if (meta.name && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (this.type.namespaced && meta.namespace && namespace && meta.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    this.checkTypeMeta(input);
    const precondition = meta.resourceVersion;
    return this.guaranteedUpdate(
      namespace,
      name,
      (current) => {
        if (precondition && precondition !== current.metadata.resourceVersion) {
          throw conflict(this.gr, name, OBJECT_MODIFIED);
        }
        const next = copyPlain(input);
        next.metadata.name = name;
        if (this.type.namespaced) next.metadata.namespace = current.metadata.namespace ?? '';
        else delete next.metadata.namespace;
        return next;
      },
      opts,
    );
  }

  /**
   * Reads the current object, applies tryUpdate and writes the result if it changed, retrying on
   * compare-and-swap misses (tryUpdate throws Conflict itself when the caller set a precondition).
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    tryUpdate: (current: T) => T | Promise<T>,
    opts: UpdateOptions = {},
  ): Promise<T> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(this.gr, name);
      // current is shared and read only; tryUpdate and the caller get their own copies.
      const current = this.shared(kv);
      const updated = await tryUpdate(this.parse(kv));
      this.checkTypeMeta(updated);
      const sentManagedFields = updated.metadata?.managedFields;
      const next = this.prepareUpdate(
        this.decode(updated, opts.onUnknownFields),
        current,
        opts,
        sentManagedFields,
      );
      // A no-op write is not persisted: no new resourceVersion, no watch event (kubectl prints "unchanged").
      if (sameObject(next, current)) return this.parse(kv);
      if (this.shouldDeleteDuringUpdate(next)) {
        if (opts.dryRun) return next;
        const res = await this.store.delete(key, kv.modRevision);
        if (res.ok) {
          next.metadata.resourceVersion = String(res.revision);
          return next;
        }
      } else {
        if (opts.dryRun) return next;
        const value = this.serialize(next);
        const res = await this.write(key, value, next, () => this.store.update(key, value, kv.modRevision));
        if (res.ok) {
          next.metadata.resourceVersion = String(res.kv.modRevision);
          return next;
        }
      }
      if (attempt >= MAX_UPDATE_ATTEMPTS) throw conflict(this.gr, name, OBJECT_MODIFIED);
    }
  }

  /** Upstream's BeforeUpdate: restore system fields, run the strategy, bump generation, validate. */
  private prepareUpdate(next: T, old: T, opts: UpdateOptions, sentManagedFields: unknown): T {
    const { subresource } = opts;
    const strategy = this.type.strategy;
    strategy.defaults?.(next);
    // Ownership is decided on what the client wrote (defaulted), before the strategy resets parts.
    if (opts.fieldManager !== undefined) {
      this.recordUpdate(next, old, opts.fieldManager, subresource, sentManagedFields);
    }
    const meta = next.metadata;
    const oldMeta = old.metadata;
    if (!meta.uid) meta.uid = oldMeta.uid ?? '';
    meta.creationTimestamp = oldMeta.creationTimestamp ?? null;
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined) {
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    } else delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    meta.resourceVersion = oldMeta.resourceVersion ?? '';
    if (subresource === 'status') strategy.prepareForStatusUpdate?.(next, old);
    else if (subresource) strategy.prepareForSubresourceUpdate?.[subresource]?.(next, old);
    else strategy.prepareForUpdate?.(next, old);
    unshare(next, old);
    if (this.type.tracksGeneration) {
      const changed = strategy.generationChanged
        ? strategy.generationChanged(next, old)
        : !isDeepStrictEqual(next.spec, old.spec);
      meta.generation = (oldMeta.generation ?? 1) + (changed ? 1 : 0);
    } else if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
    else delete meta.generation;
    strategy.defaults?.(next);
    const errs = [
      ...validateObjectMetaUpdate(meta, oldMeta),
      ...validateObjectMeta(meta, { namespaced: this.type.namespaced, nameValidator: this.nameValidator }),
    ];
    if (oldMeta.deletionTimestamp) {
      const added = (meta.finalizers ?? []).filter((f) => !(oldMeta.finalizers ?? []).includes(f));
      if (added.length) {
        errs.push(
          forbidden('metadata.finalizers', 'no new finalizers can be added if the object is being deleted'),
        );
      }
    }
    const typeErrs =
      subresource === 'status'
        ? strategy.validateStatusUpdate?.(next, old)
        : strategy.validateUpdate?.(next, old);
    this.validate(next, [...dedupe(errs), ...(typeErrs ?? [])]);
    return this.normalize(next);
  }

  /** Sets metadata.managedFields for an Update by manager: it owns the fields it changed. */
  private recordUpdate(
    next: T,
    live: T | undefined,
    manager: string,
    subresource: string | undefined,
    sentManagedFields: unknown,
  ): void {
    const schema = this.type.schema;
    if (!schema) return;
    const entries = updateManagedFields({
      catalog,
      typeName: schema,
      apiVersion: apiVersionOf(this.type),
      live,
      next,
      manager,
      subresource,
      time: this.ctx.clock.now(),
      resetFields: resetFieldsFor(this.type.kind, subresource),
      sentManagedFields,
    });
    if (entries.length) next.metadata.managedFields = entries as NonNullable<ObjectMeta['managedFields']>;
    else delete next.metadata.managedFields;
  }

  /** An object marked for deletion goes away once its last finalizer is removed (grace already over). */
  private shouldDeleteDuringUpdate(obj: T): boolean {
    const m = obj.metadata;
    return (
      !!m.deletionTimestamp &&
      !m.finalizers?.length &&
      m.deletionGracePeriodSeconds === 0 &&
      !this.type.strategy.deletionPending?.(obj)
    );
  }

  async delete(
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<DeleteResult<T>> {
    const key = this.key(namespace, name);
    const dryRun = !!opts.dryRun?.length;
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(this.gr, name);
      const obj = this.parse(kv);
      this.checkPreconditions(obj, opts);
      const marked = this.markForDeletion(obj, opts);
      if (marked === 'unchanged') return { object: obj, deleted: false, status: this.deletedStatus(obj) };
      if (marked) {
        if (dryRun) return { object: marked, deleted: false, status: this.deletedStatus(marked) };
        const value = this.serialize(marked);
        const res = await this.write(key, value, marked, () => this.store.update(key, value, kv.modRevision));
        if (res.ok) {
          marked.metadata.resourceVersion = String(res.kv.modRevision);
          return { object: marked, deleted: false, status: this.deletedStatus(marked) };
        }
      } else {
        if (dryRun) return { object: obj, deleted: true, status: this.deletedStatus(obj) };
        const res = await this.store.delete(key, kv.modRevision);
        if (res.ok) {
          obj.metadata.resourceVersion = String(res.revision);
          return { object: obj, deleted: true, status: this.deletedStatus(obj) };
        }
      }
      if (attempt >= MAX_UPDATE_ATTEMPTS) throw conflict(this.gr, name, OBJECT_MODIFIED);
    }
  }

  private deletedStatus(obj: T): Status {
    return successStatus({
      name: obj.metadata.name ?? '',
      group: this.type.group,
      kind: this.type.resource,
      uid: obj.metadata.uid ?? '',
    });
  }

  private checkPreconditions(obj: T, opts: DeleteOptions): void {
    const pre = opts.preconditions;
    const name = obj.metadata.name ?? '';
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw conflict(
        this.gr,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflict(
        this.gr,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
      );
    }
  }

  /**
   * Upstream's BeforeDelete + finalizer handling: returns the object to write when the deletion has to
   * wait (finalizers, a graceful period, a namespace being emptied), 'unchanged' when it is already
   * waiting, or undefined to delete now.
   */
  private markForDeletion(obj: T, opts: DeleteOptions): T | 'unchanged' | undefined {
    const meta = obj.metadata;
    const next = copyPlain(obj);
    const nm = next.metadata;
    const finalizers = new Set(nm.finalizers ?? []);
    const policy = propagationPolicy(opts, this.type.strategy.defaultGarbageCollectionPolicy ?? 'Background');
    if (policy === 'Orphan') {
      finalizers.add(FINALIZER_ORPHAN);
      finalizers.delete(FINALIZER_FOREGROUND);
    } else if (policy === 'Foreground') {
      finalizers.add(FINALIZER_FOREGROUND);
      finalizers.delete(FINALIZER_ORPHAN);
    }
    const grace = this.type.strategy.gracefulDeletion?.(next, opts);
    this.type.strategy.prepareForDelete?.(next);
    const keep = this.type.strategy.deletionPending?.(next) ?? false;
    // Orphan and foreground finalizers only matter for owners: an object nothing depends on has
    // nothing to orphan, but upstream still lets the garbage collector remove them, so keep them.
    if (meta.deletionTimestamp) {
      // Already being deleted: only a shorter grace period or a policy change is written.
      const shorter = grace !== undefined && grace < (meta.deletionGracePeriodSeconds ?? 0);
      const policyChanged = !sameSet(finalizers, new Set(meta.finalizers ?? []));
      if (!shorter && !policyChanged) {
        return finalizers.size || keep || (meta.deletionGracePeriodSeconds ?? 0) > 0
          ? 'unchanged'
          : undefined;
      }
    }
    if (!finalizers.size && !keep && !grace) return undefined;
    if (finalizers.size) nm.finalizers = [...finalizers];
    else delete nm.finalizers;
    const now = this.ctx.clock.now();
    const seconds = grace ?? 0;
    if (!meta.deletionTimestamp || (grace !== undefined && grace < (meta.deletionGracePeriodSeconds ?? 0))) {
      nm.deletionTimestamp = formatTime(new Date(now.getTime() + seconds * 1000));
      nm.deletionGracePeriodSeconds = seconds;
    }
    if (!meta.deletionTimestamp && nm.generation !== undefined) nm.generation = (nm.generation ?? 0) + 1;
    return next;
  }

  async deleteCollection(
    namespace: string | undefined,
    listOpts: ListOptions,
    opts: DeleteOptions = {},
  ): Promise<KubeList<T>> {
    const list = await this.list(namespace, { ...listOpts, limit: 0 });
    const items: T[] = [];
    for (const item of list.items) {
      try {
        items.push((await this.delete(item.metadata.namespace, item.metadata.name ?? '', opts)).object);
      } catch (err) {
        // Deleted by someone else meanwhile: upstream ignores NotFound here.
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    return { ...list, items };
  }

  // ---- watch ----

  /**
   * Streams changes to send, filtered by selectors. resourceVersion unset or "0" first sends every
   * current match as ADDED; N sends every change after N (410 Expired when N was compacted).
   * Returns a function that stops the watch.
   */
  async watch(
    namespace: string | undefined,
    opts: WatchOptions,
    send: (event: RegistryWatchEvent<T>) => void,
  ): Promise<() => void> {
    const match = this.matcher(opts.labelSelector, opts.fieldSelector);
    const prefix = this.keyPrefix(namespace);
    let from: number;
    const rv = opts.resourceVersion;
    if (!rv || rv === '0') {
      const page = await this.store.list(prefix);
      for (const kv of page.kvs) {
        const obj = this.shared(kv);
        if (match(obj)) send(this.event('ADDED', obj));
      }
      from = page.revision;
    } else {
      from = Number(rv);
      if (!Number.isSafeInteger(from) || from < 0) {
        throw badRequest(`invalid resource version: ${rv}`);
      }
      const current = await this.store.currentRevision();
      if (from > current) throw tooLargeResourceVersion(from, current);
    }
    try {
      const watcher = this.store.watch(prefix, from, (events) => {
        for (const ev of events) {
          const out = this.translate(ev, match);
          if (out) send(out);
        }
      });
      return () => watcher.cancel();
    } catch (err) {
      if (err instanceof CompactedError) {
        throw expired(`too old resource version: ${from} (${err.compacted + 1})`);
      }
      if (err instanceof FutureRevisionError) throw tooLargeResourceVersion(from, err.current);
      throw err;
    }
  }

  /** A bookmark: an object of this kind carrying only the resourceVersion. */
  bookmark(revision: number): RegistryWatchEvent<T> {
    const object = {
      kind: this.type.kind,
      apiVersion: apiVersionOf(this.type),
      metadata: { resourceVersion: String(revision) },
    } as T;
    return this.event('BOOKMARK', object);
  }

  private event(type: WatchEventType, object: T): RegistryWatchEvent<T> {
    return { type, object, json: () => this.jsonOf(object) };
  }

  /** Upstream watch-cache semantics: objects entering the selection are ADDED, leaving it DELETED. */
  private translate(ev: StoreEvent, match: (obj: T) => boolean): RegistryWatchEvent<T> | undefined {
    if (ev.type === 'delete') {
      const last = this.deletedObject(ev);
      return match(last) ? this.event('DELETED', last) : undefined;
    }
    const cur = this.shared(ev.kv);
    const now = match(cur);
    // Without selectors the previous state matched too: no need to decode it.
    const before = ev.prev ? match === matchAll || match(this.shared(ev.prev)) : false;
    if (now) return this.event(before ? 'MODIFIED' : 'ADDED', cur);
    if (before && ev.prev) return this.event('DELETED', this.withRevision(ev.prev, ev.kv.modRevision));
    return undefined;
  }

  private deletedObject(ev: Extract<StoreEvent, { type: 'delete' }>): T {
    let obj = this.decoded.get(ev.kv);
    if (!obj) this.decoded.set(ev.kv, (obj = this.parse(ev.prev, ev.kv.modRevision)));
    return obj;
  }

  private withRevision(kv: KeyValue, revision: number): T {
    return this.parse(kv, revision);
  }
}

// ---- helpers ----

const matchAll = (): boolean => true;

function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++)
    suffix += GENERATE_NAME_ALPHABET[Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)];
  // Upstream trims the base so the generated name stays within 63 characters.
  return `${base.slice(0, 58)}${suffix}`;
}

function propagationPolicy(opts: DeleteOptions, fallback: 'Orphan' | 'Background'): string {
  if (opts.propagationPolicy) return opts.propagationPolicy;
  if (opts.orphanDependents === true) return 'Orphan';
  if (opts.orphanDependents === false) return 'Background';
  return fallback;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/**
 * Strategies hand whole parts of old to next (its status, spec, owner references); old is the
 * shared stored object, so next gets its own copies of those before anything changes them.
 */
function unshare(next: KubeObject, old: KubeObject): void {
  unshareMembers(next as unknown as Record<string, unknown>, old as unknown as Record<string, unknown>);
  unshareMembers(next.metadata as Record<string, unknown>, old.metadata as Record<string, unknown>);
}

/** Copies each object member of next that is the very object old holds under its key. */
function unshareMembers(next: Record<string, unknown>, old: Record<string, unknown>): void {
  for (const key of Object.keys(next)) {
    const v = next[key];
    if (typeof v === 'object' && v !== null && v === old[key]) next[key] = copyPlain(v);
  }
}

function sameObject(a: KubeObject, b: KubeObject): boolean {
  return isDeepStrictEqual(a, b);
}

function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.field}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function tooLargeResourceVersion(wanted: number, current: number): ApiError {
  const err = new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Too large resource version: ${wanted}, current: ${current}`,
    reason: 'Timeout',
    details: {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    },
    code: 504,
  });
  return err;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/** Upstream's continue token: base64url JSON of the list revision and the next key, relative to the prefix. */
function encodeContinue(rv: number, nextKey: string, prefix: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: nextKey.slice(prefix.length) };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string, prefix: string): { rv: number | undefined; start: string } {
  let token: Partial<ContinueToken>;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ContinueToken>;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data');
  }
  if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string' || typeof token.rv !== 'number') {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  if (token.start.includes('..') || token.start.startsWith('/')) {
    throw badRequest('continue key is not valid: key is not valid');
  }
  // rv -1 marks an inconsistent continuation handed out after a 410: read at the current revision.
  return { rv: token.rv > 0 ? token.rv : undefined, start: `${prefix}${token.start}` };
}

function continueExpired(prefix: string, nextKey: string): ApiError {
  const err = expired(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  err.status.metadata.continue = encodeContinue(-1, nextKey, prefix);
  return err;
}

export const forbiddenTerminating = (namespace: string) =>
  forbiddenRequest(`unable to create new content in namespace ${namespace} because it is being terminated`);

export type { ObjectMeta };
