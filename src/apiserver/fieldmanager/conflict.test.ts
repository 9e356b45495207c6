import { describe, expect, test } from 'vitest';
import { conflictMessage, printManager } from './conflict.js';
import { buildManagerIdentifier } from './managerIdentifier.js';
import { fieldElement, keyElement, pathOf } from './pathElement.js';

describe('how a conflicting manager is named', () => {
  const cases: Array<{ name: string; id: string; want: string }> = [
    {
      name: 'an Update manager with its API version',
      id: buildManagerIdentifier({ manager: 'kubectl-edit', operation: 'Update', apiVersion: 'batch/v1' }),
      want: '"kubectl-edit" using batch/v1',
    },
    {
      name: 'an Apply manager by name alone',
      id: buildManagerIdentifier({ manager: 'kubectl', operation: 'Apply', apiVersion: 'batch/v1' }),
      want: '"kubectl"',
    },
    {
      name: 'a status writer with its subresource',
      id: buildManagerIdentifier({
        manager: 'ctl',
        operation: 'Update',
        apiVersion: 'batch/v1',
        subresource: 'status',
      }),
      want: '"ctl" with subresource "status" using batch/v1',
    },
    {
      name: 'something that is not an identifier, quoted',
      id: 'current-operation',
      want: '"current-operation"',
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(printManager(tc.id)).toBe(tc.want));
});

test('Apply identifiers leave the API version out, so one applier has one entry', () =>
  expect(buildManagerIdentifier({ manager: 'm', operation: 'Apply', apiVersion: 'batch/v1' })).toBe(
    '{"manager":"m","operation":"Apply"}',
  ));

test('one conflict is stated inline; several are grouped under each manager', () => {
  const edit = buildManagerIdentifier({ manager: 'edit', operation: 'Update', apiVersion: 'batch/v1' });
  const image = [
    ...pathOf('spec', 'template', 'spec', 'containers'),
    keyElement([['name', 'pi']]),
    fieldElement('image'),
  ];
  expect(conflictMessage([{ manager: edit, path: image }])).toBe(
    'Apply failed with 1 conflict: conflict with "edit" using batch/v1: .spec.template.spec.containers[name="pi"].image',
  );
  expect(
    conflictMessage([
      { manager: edit, path: image },
      { manager: edit, path: pathOf('spec', 'parallelism') },
    ]),
  ).toBe(
    'Apply failed with 2 conflicts: conflicts with "edit" using batch/v1:\n- .spec.template.spec.containers[name="pi"].image\n- .spec.parallelism',
  );
});
