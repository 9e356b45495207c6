/**
 * Upstream's default table (apiserver `rest.NewDefaultTableConvertor`), for resources without a
 * printer of their own: the name and the creation time as an RFC 3339 date, not an age.
 */
import { formatRFC3339 } from './duration.js';
import type { TablePrinter } from './table.js';

interface Named {
  metadata?: { name?: string; creationTimestamp?: unknown } | undefined;
}

/** NAME and CREATED AT (type `date`, so kubectl renders the timestamp itself). */
export const defaultPrinter: TablePrinter<Named> = {
  columns: [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'The name of the object, unique among objects of its kind in its namespace.',
      priority: 0,
    },
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description: 'When the object was created (metadata.creationTimestamp).',
      priority: 0,
    },
  ],
  row(obj) {
    return [obj.metadata?.name ?? '', formatRFC3339(obj.metadata?.creationTimestamp)];
  },
};
