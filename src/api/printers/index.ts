/**
 * Server-side printing (meta.k8s.io Tables) for `kubectl get`: one printer per resource batchd
 * serves, the default printer for the rest, and the Table builders.
 */
import { cronJobPrinter, jobPrinter } from './batch.js';
import { eventPrinter, namespacePrinter, nodePrinter } from './core.js';
import { defaultPrinter } from './default.js';
import { podPrinter } from './pod.js';
import type { TablePrinter } from './table.js';

export { cronJobPrinter, jobCompletions, jobDuration, jobPrinter, jobStatus } from './batch.js';
export { eventPrinter, namespacePrinter, nodePrinter } from './core.js';
export { defaultPrinter } from './default.js';
export { formatRFC3339, humanDuration, parseTime, translateTimestampSince } from './duration.js';
export { type PodSummary, podPrinter, summarizePod } from './pod.js';
export {
  type ColumnDefinition,
  type IncludeObjectPolicy,
  parseTableAccept,
  parseTableOptions,
  type Table,
  type TableApiVersion,
  type TableListMeta,
  type TablePrinter,
  type TableQueryOptions,
  type TableRow,
  type TableRowCondition,
  type TableTarget,
  type ToTableOptions,
  tableWatchEncoder,
  toTable,
} from './table.js';

const PRINTERS = new Map<string, TablePrinter>([
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['/pods', podPrinter],
  ['/events', eventPrinter],
  ['/namespaces', namespacePrinter],
  ['/nodes', nodePrinter],
]);

/**
 * The printer for a resource (`group` is `''` for core). Anything without its own printer gets
 * upstream's default NAME / CREATED AT table.
 */
export function printerFor(group: string, resource: string): TablePrinter {
  return PRINTERS.get(`${group}/${resource}`) ?? defaultPrinter;
}
