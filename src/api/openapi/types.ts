/** The parts of an OpenAPI 3.0 document batchd writes, typed as loosely as the format allows. */

/** A JSON Schema as OpenAPI 3.0 spells it, with the x-kubernetes-* extensions. */
export interface SchemaObject {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  $ref?: string;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  additionalProperties?: SchemaObject;
  items?: SchemaObject;
  required?: string[];
  enum?: string[];
  default?: unknown;
  uniqueItems?: boolean;
  [extension: `x-${string}`]: unknown;
}

export interface GroupVersionKind {
  group: string;
  kind: string;
  version: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  required?: boolean;
  schema: SchemaObject;
}

export interface MediaTypes {
  [contentType: string]: { schema: SchemaObject };
}

export interface Response {
  description: string;
  content?: MediaTypes;
}

export interface Operation {
  description: string;
  operationId: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: MediaTypes; required?: boolean };
  responses: Record<string, Response>;
  'x-kubernetes-action'?: string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind;
}

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

export type PathItem = { [M in Method]?: Operation } & { parameters?: Parameter[] };

export interface Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, SchemaObject>;
    securitySchemes?: Record<string, unknown>;
  };
}

/** `#/components/schemas/<name>`. */
export const refTo = (name: string): string => `#/components/schemas/${name}`;
