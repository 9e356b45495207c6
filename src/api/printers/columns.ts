/**
 * Column-definition building blocks shared by the printers. Names, types, formats and
 * priorities are upstream's; descriptions are our own short field docs.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { ColumnDefinition } from './table.js';

/** A default (priority 0) column. */
export const column = (name: string, type: string, description: string): ColumnDefinition => ({
  name,
  type,
  format: '',
  description,
  priority: 0,
});

/** A column kubectl shows only with `-o wide`. */
export const wideColumn = (name: string, type: string, description: string): ColumnDefinition => ({
  ...column(name, type, description),
  priority: 1,
});

/** The object's name; `format: name` tells kubectl which cell `-o name` and sorting use. */
export const NAME_COLUMN: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'The name of the object, unique among objects of its kind in its namespace.',
  priority: 0,
};

export const AGE_COLUMN = column(
  'Age',
  'string',
  'Time since the object was created (metadata.creationTimestamp).',
);

/** The CONTAINERS / IMAGES / SELECTOR trio that workload printers add in wide output. */
export const TEMPLATE_WIDE_COLUMNS: readonly ColumnDefinition[] = [
  wideColumn('Containers', 'string', 'Names of the containers in the pod template.'),
  wideColumn('Images', 'string', 'Images of the containers in the pod template.'),
  wideColumn('Selector', 'string', 'Label selector for the pods the object manages.'),
];

/** Upstream layoutContainerCells: names and images, each comma-joined in template order. */
export function containerCells(containers: readonly Partial<Container>[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}
