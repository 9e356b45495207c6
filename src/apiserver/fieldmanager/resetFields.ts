/**
 * Fields a write may not own because the strategy resets them (GetResetFields upstream): a
 * main-resource write keeps the old status, a status write keeps the old spec. Without this
 * filter a client that sent a status on PUT would own fields it never set.
 */
import { FieldSet } from './fieldSet.js';
import { type Path, pathOf } from './pathElement.js';

const STATUS = pathOf('status');
const SPEC = pathOf('spec');

/** Reset paths by kind, then by subresource ('' for the main resource). */
const RESET: Readonly<Record<string, Readonly<Record<string, readonly Path[]>>>> = {
  Job: { '': [STATUS], status: [SPEC] },
  CronJob: { '': [STATUS], status: [SPEC] },
  Pod: {
    '': [STATUS],
    status: [SPEC, pathOf('metadata', 'deletionTimestamp'), pathOf('metadata', 'ownerReferences')],
  },
  Namespace: { '': [STATUS], status: [SPEC], finalize: [STATUS] },
  Node: { '': [STATUS], status: [SPEC] },
};

/** The reset fields of a write to `kind` (through `subresource`); undefined when the kind has none (events). */
export function resetFieldsFor(kind: string, subresource = ''): FieldSet | undefined {
  const paths = RESET[kind]?.[subresource];
  return paths ? FieldSet.of(...paths) : undefined;
}
