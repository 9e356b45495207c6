/**
 * Server-side printing: the meta.k8s.io Table that `kubectl get` asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. The shapes and the JSON quirks
 * (`columnDefinitions: null` without headers, `object: null` for includeObject=None) are
 * upstream's, because kubectl decodes exactly this.
 */
import { badRequest } from '../meta/status.js';

/** One column of a Table, as upstream's metav1.TableColumnDefinition (every field always present). */
export interface ColumnDefinition {
  name: string;
  /** OpenAPI type of the cells: `string`, `integer`, `boolean`, `date`, … */
  type: string;
  /** `name` on the column that holds the object's name, `''` elsewhere. */
  format: string;
  description: string;
  /** 0 for the default columns, 1 for the ones kubectl shows only with `-o wide`. */
  priority: number;
}

/** A row condition; upstream marks finished pods `Completed` so clients may grey them out. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** How one resource prints: its columns and, per object, one cell for every column. */
export interface TablePrinter<T = unknown> {
  readonly columns: readonly ColumnDefinition[];
  /** All cells, wide ones included: the server always prints wide and kubectl filters by priority. */
  row(obj: T, now: Date): unknown[];
  /** Row conditions, when the resource has any to report. */
  conditions?(obj: T): TableRowCondition[] | undefined;
}

export type TableApiVersion = 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';

/** `includeObject` query parameter: what each row carries besides its cells. */
export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata, the whole object, or null, per includeObject. */
  object: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: TableApiVersion;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** `null` when headers were not asked for (upstream's nil slice, serialised without omitempty). */
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[];
}

/** The list metadata a Table copies from the list it prints. */
export interface TableListMeta {
  resourceVersion?: string | undefined;
  continue?: string | undefined;
  remainingItemCount?: number | undefined;
}

export interface ToTableOptions {
  now: Date;
  /** Defaults to Metadata, as upstream does for an absent or empty parameter. */
  includeObject?: IncludeObjectPolicy | undefined;
  /**
   * Present when printing a list. Without it the table describes a single object (GET or a
   * watch event) and takes that object's resourceVersion.
   */
  listMeta?: TableListMeta | undefined;
  noHeaders?: boolean | undefined;
  /** The Table group-version the client accepted; defaults to meta.k8s.io/v1. */
  apiVersion?: TableApiVersion | undefined;
  /**
   * With includeObject=Object, stamped on objects that lack apiVersion/kind (list items as
   * stored): upstream converts each row's object to the served version, which sets both.
   */
  objectKind?: { apiVersion: string; kind: string } | undefined;
}

interface MetaCarrier {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { resourceVersion?: unknown } & Record<string, unknown>;
}

/** Builds the Table for a list (pass `listMeta`) or for one object (one element, no `listMeta`). */
export function toTable<T>(printer: TablePrinter<T>, objects: readonly T[], options: ToTableOptions): Table {
  const apiVersion = options.apiVersion ?? 'meta.k8s.io/v1';
  const include = options.includeObject ?? 'Metadata';
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.row(obj, options.now), object: null };
    const conditions = printer.conditions?.(obj);
    if (conditions?.length) row.conditions = conditions;
    row.object = rowObject(obj as MetaCarrier, include, apiVersion, options.objectKind);
    return row;
  });
  return {
    kind: 'Table',
    apiVersion,
    metadata: tableMetadata(objects, options.listMeta),
    columnDefinitions: options.noHeaders ? null : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}

function rowObject(
  obj: MetaCarrier,
  include: IncludeObjectPolicy,
  apiVersion: TableApiVersion,
  objectKind: ToTableOptions['objectKind'],
): unknown {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      if (objectKind && (!obj.apiVersion || !obj.kind)) return { ...objectKind, ...obj };
      return obj;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata ?? {} };
  }
}

function tableMetadata(objects: readonly unknown[], listMeta: TableListMeta | undefined): Table['metadata'] {
  const metadata: Table['metadata'] = {};
  if (listMeta) {
    // Go's omitempty: empty strings vanish, a set remainingItemCount (even 0) stays.
    if (listMeta.resourceVersion) metadata.resourceVersion = listMeta.resourceVersion;
    if (listMeta.continue) metadata.continue = listMeta.continue;
    if (listMeta.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
    return metadata;
  }
  const rv = (objects[0] as MetaCarrier | undefined)?.metadata?.resourceVersion;
  if (typeof rv === 'string' && rv !== '') metadata.resourceVersion = rv;
  return metadata;
}

/**
 * The per-connection encoder of a Table watch: every event object becomes a one-row Table, and
 * only the first event carries column definitions (upstream flips NoHeaders after the first
 * encode, whatever it was). Status objects (ERROR events) pass through unconverted.
 */
export function tableWatchEncoder<T>(
  printer: TablePrinter<T>,
  options: Omit<ToTableOptions, 'now' | 'listMeta'> & { now: () => Date },
): (obj: T) => Table | T {
  let noHeaders = options.noHeaders ?? false;
  return (obj) => {
    const result =
      (obj as MetaCarrier).kind === 'Status'
        ? obj
        : toTable(printer, [obj], { ...options, now: options.now(), noHeaders, listMeta: undefined });
    noHeaders = true;
    return result;
  };
}

/** What a client asked for when its preferred acceptable media type is a Table. */
export interface TableTarget {
  apiVersion: TableApiVersion;
  /** The body encoding of the Table itself. */
  encoding: 'json' | 'yaml';
}

interface AcceptClause {
  type: string;
  subtype: string;
  q: number;
  params: Map<string, string>;
}

const META_GROUP = 'meta.k8s.io';
const TABLE_VERSIONS = new Set(['v1', 'v1beta1']);
const PARTIAL_KINDS = new Set(['PartialObjectMetadata', 'PartialObjectMetadataList']);

/**
 * Does this Accept header ask for a Table? Clauses are tried in preference order (q, then
 * specificity, as upstream's goautoneg) and the first one the server can serve decides:
 * a Table clause (`as=Table;g=meta.k8s.io;v=v1|v1beta1` on JSON or YAML) returns its target, a
 * plain JSON/YAML or PartialObjectMetadata clause returns `undefined`. Clauses asking for a
 * conversion the server cannot do (another kind, group or version, or a Table in protobuf) are
 * skipped, so kubectl's fallback list works. `undefined` also when nothing is acceptable: the
 * ordinary negotiation answers that case.
 */
export function parseTableAccept(accept: string | undefined): TableTarget | undefined {
  for (const clause of parseAccept(accept ?? '')) {
    const encoding = encodingOf(clause);
    if (!encoding) continue;
    const as = clause.params.get('as');
    const g = clause.params.get('g');
    const v = clause.params.get('v');
    if (as === undefined && g === undefined && v === undefined) return undefined;
    if (g !== META_GROUP || v === undefined || !TABLE_VERSIONS.has(v)) continue;
    if (as === 'Table') return { apiVersion: `${META_GROUP}/${v}` as TableApiVersion, encoding };
    if (as !== undefined && PARTIAL_KINDS.has(as)) return undefined;
  }
  return undefined;
}

function encodingOf(clause: AcceptClause): TableTarget['encoding'] | undefined {
  if (clause.type === '*') return clause.subtype === '*' ? 'json' : undefined;
  if (clause.type !== 'application') return undefined;
  if (clause.subtype === 'json' || clause.subtype === '*') return 'json';
  if (clause.subtype === 'yaml') return 'yaml';
  return undefined;
}

function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const part of header.split(',')) {
    const [range = '', ...rawParams] = part.split(';');
    const [type = '', subtype = ''] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim();
      if (key === 'q') q = Number.parseFloat(value);
      else params.set(key, value);
    }
    if (!(q > 0)) continue;
    clauses.push({ type, subtype, q, params });
  }
  // Array.prototype.sort is stable, which keeps the client's order among equals as goautoneg's
  // insertion sort does for short lists.
  return clauses.sort((a, b) => b.q - a.q || wildcardRank(a) - wildcardRank(b));
}

const wildcardRank = (c: AcceptClause) => (c.type === '*' ? 2 : c.subtype === '*' ? 1 : 0);

/** The Table's query options. `noHeaders` is not a query parameter upstream (internal only). */
export interface TableQueryOptions {
  includeObject: IncludeObjectPolicy;
}

/**
 * Reads `includeObject` (first value wins, absent or empty means Metadata). Throws upstream's
 * 400 for anything else.
 */
export function parseTableOptions(query: URLSearchParams): TableQueryOptions {
  const value = query.get('includeObject') ?? '';
  if (value === '') return { includeObject: 'Metadata' };
  if (value === 'None' || value === 'Metadata' || value === 'Object') return { includeObject: value };
  throw badRequest(
    `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(value)}: must be 'Metadata', 'Object', 'None', or empty`,
  );
}
