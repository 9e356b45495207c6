import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { newScheme } from '../resources.js';
import { OpenApiService } from './service.js';

const T0 = new Date('2026-01-01T00:00:00.750Z');
const service = new OpenApiService(newScheme(), () => T0);

test('a document is hashed as upstream hashes it: upper-case hex SHA-512 of its JSON', () => {
  const doc = service.document('apis/batch/v1');
  expect(doc?.etag).toBe(
    createHash('sha512')
      .update(doc?.json ?? '')
      .digest('hex')
      .toUpperCase(),
  );
  expect(doc?.etag).toMatch(/^[0-9A-F]{128}$/);
});

test('a document is built once and then served from the cache', () => {
  expect(service.document('api/v1')).toBe(service.document('api/v1'));
});

test('the index links every document by its current hash', () => {
  const index = JSON.parse(service.index().json.toString()) as {
    paths: Record<string, { serverRelativeURL: string }>;
  };
  expect(Object.keys(index.paths)).toEqual(service.paths);
  expect(index.paths['apis/batch/v1']?.serverRelativeURL).toBe(
    `/openapi/v3/apis/batch/v1?hash=${service.document('apis/batch/v1')?.etag}`,
  );
});

test('Last-Modified is the build time cut to whole seconds, as HTTP dates are', () => {
  expect(service.document('apis/batch/v1')?.lastModified.toISOString()).toBe('2026-01-01T00:00:00.000Z');
});

test('a path outside the index has no document', () => {
  expect(service.document('apis/apps/v1')).toBeUndefined();
  expect(service.document('../etc')).toBeUndefined();
});
