/**
 * The path and query parameters of the API operations, grouped by action as upstream's installer
 * declares them. kubectl decides whether the server validates fields by finding `fieldValidation`
 * among a PATCH operation's own parameters.
 */
import type { Parameter, SchemaObject } from './types.js';

// Upstream's go-restful parameters are single values, which its generator marks uniqueItems.
const str: SchemaObject = { type: 'string', uniqueItems: true };
const int: SchemaObject = { type: 'integer', uniqueItems: true };
const bool: SchemaObject = { type: 'boolean', uniqueItems: true };

const query = (name: string, schema: SchemaObject, description: string): Parameter => ({
  name,
  in: 'query',
  description,
  schema: { ...schema },
});

export const pathParameter = (name: 'name' | 'namespace', kind: string): Parameter => ({
  name,
  in: 'path',
  description: name === 'name' ? `The name of the ${kind}.` : 'The namespace the objects live in.',
  required: true,
  schema: { ...str },
});

export const pretty = query('pretty', str, "'true' indents the JSON answer.");

const dryRun = query(
  'dryRun',
  str,
  'All: run every stage of the request (defaulting, validation) but persist nothing. Any other value is an error.',
);
const fieldManager = query(
  'fieldManager',
  str,
  'The name of the actor making the change, recorded in managedFields (at most 128 printable characters).',
);
const fieldManagerApply = query(
  'fieldManager',
  str,
  'The name of the actor making the change, recorded in managedFields (at most 128 printable characters). Required for apply patches.',
);
const fieldValidation = query(
  'fieldValidation',
  str,
  'What to do with unknown or duplicated fields in the body: Ignore drops them, Warn drops them with a Warning header each (the default), Strict rejects the request with 400.',
);
const force = query(
  'force',
  bool,
  'Apply patches only: take over fields other managers own instead of failing with a conflict.',
);

const listParameters: Parameter[] = [
  query(
    'allowWatchBookmarks',
    bool,
    'Watch only: the server may send BOOKMARK events carrying a newer resourceVersion.',
  ),
  query(
    'continue',
    str,
    'The continue token of the previous page, to read the next one at the same revision. A token older than the compaction window gets 410 Expired.',
  ),
  query('fieldSelector', str, 'Keep only the objects whose fields match, such as metadata.name=pi.'),
  query('labelSelector', str, 'Keep only the objects whose labels match, such as app=pi,tier!=web.'),
  query(
    'limit',
    int,
    'The most items to return; the list metadata carries a continue token when more remain. Not for watches.',
  ),
  query(
    'resourceVersion',
    str,
    'For a list, the revision to read at (with resourceVersionMatch), 0 for any; for a watch, the revision to start after.',
  ),
  query('resourceVersionMatch', str, 'How a list applies resourceVersion: Exact or NotOlderThan.'),
  query(
    'sendInitialEvents',
    bool,
    'Watch only: start with ADDED events for the current objects, then a BOOKMARK marking their end.',
  ),
  query('timeoutSeconds', int, 'End the list or watch call after this many seconds.'),
  query('watch', bool, 'Stream changes (ADDED, MODIFIED, DELETED) instead of returning a list.'),
];

const deleteParameters: Parameter[] = [
  dryRun,
  query(
    'gracePeriodSeconds',
    int,
    'Seconds to let the object terminate before it is removed; 0 removes it at once. Unset uses the default of the kind.',
  ),
  query(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    bool,
    'Delete an object even when it cannot be read back from storage. Dangerous; for recovery only.',
  ),
  query('orphanDependents', bool, 'Deprecated: use propagationPolicy. True orphans the dependents.'),
  query(
    'propagationPolicy',
    str,
    'What happens to the dependents: Orphan keeps them, Background deletes them after the object, Foreground before it.',
  ),
];

/** pods/log: what to read of a container's output. */
export const logParameters: Parameter[] = [
  query('container', str, 'The container to read; may be omitted when the pod has only one.'),
  query('follow', bool, 'Keep the stream open and send new output as it is written.'),
  query('limitBytes', int, 'Stop after this many bytes of output.'),
  query('previous', bool, 'Read the output of the previous, terminated run of the container.'),
  query('sinceSeconds', int, 'Only output written in the last this many seconds.'),
  query('tailLines', int, 'Only the last this many lines.'),
  query('timestamps', bool, 'Prefix every line with its RFC 3339 timestamp.'),
];

/** The query parameters of each action (besides pretty, which every resource route takes). */
export const actionParameters = {
  list: listParameters,
  watch: listParameters,
  watchlist: listParameters,
  get: [] as Parameter[],
  post: [dryRun, fieldManager, fieldValidation],
  put: [dryRun, fieldManager, fieldValidation],
  patch: [dryRun, fieldManagerApply, fieldValidation, force],
  delete: deleteParameters,
  deletecollection: [
    ...deleteParameters,
    ...listParameters.filter((p) => !['allowWatchBookmarks', 'watch'].includes(p.name)),
  ],
} satisfies Record<string, Parameter[]>;

export type Action = keyof typeof actionParameters;
