/**
 * The manifests of `batchd run FILE...`, read as `kubectl create -f` reads them: multi-document
 * YAML or JSON, `List` kinds unpacked into their items, `-` for stdin, a directory for its
 * .yaml/.yml/.json files. Problems come back as values with kubectl's wording, so every bad file
 * is reported in one go before anything starts.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One object to create and where it came from (the path as given, or `STDIN`). */
export interface Manifest {
  readonly source: string;
  readonly object: Record<string, unknown>;
}

export interface ReadResult {
  readonly manifests: Manifest[];
  /** kubectl's client-side messages, without its `error: ` prefix. */
  readonly errors: string[];
}

/** kubectl names standard input `STDIN` in its messages. */
export const STDIN_SOURCE = 'STDIN';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's word for a JSON value's type, as encoding/json names it in unmarshal errors. */
function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

/** The documents of one file: JSON when it opens with `{` (as kubectl sniffs it), YAML otherwise. */
function documents(text: string, source: string): { docs: unknown[] } | { error: string } {
  if (text.trimStart().startsWith('{')) {
    try {
      return { docs: [JSON.parse(text)] };
    } catch (err) {
      return { error: `error parsing ${source}: ${(err as Error).message}` };
    }
  }
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    const problem = doc.errors[0];
    if (problem) {
      const first = (problem.message.split('\n')[0] ?? '').replace(/:$/, '');
      return { error: `error parsing ${source}: error converting YAML to JSON: yaml: ${first}` };
    }
    docs.push(doc.toJS());
  }
  return { docs };
}

/** Checks one object's type fields and unpacks a List (`v1/List` or any `*List` with items). */
function objectsOf(doc: Record<string, unknown>, source: string, out: Manifest[], errors: string[]): void {
  const missing = typeof doc.kind !== 'string' || doc.kind === '' ? 'Kind' : undefined;
  const noVersion = typeof doc.apiVersion !== 'string' || doc.apiVersion === '' ? 'apiVersion' : undefined;
  const absent = missing ?? noVersion;
  if (absent) {
    errors.push(
      `unable to decode ${JSON.stringify(source)}: Object '${absent}' is missing in '${JSON.stringify(doc)}'`,
    );
    return;
  }
  if ((doc.kind as string).endsWith('List') && Array.isArray(doc.items)) {
    for (const item of doc.items) {
      if (!isObject(item)) {
        errors.push(
          `unable to decode ${JSON.stringify(source)}: json: cannot unmarshal ${goJsonType(item)} into Go value of type map[string]interface {}`,
        );
        continue;
      }
      objectsOf(item, source, out, errors);
    }
    return;
  }
  out.push({ source, object: doc });
}

/** Parses one file's text into the objects it holds; empty documents are skipped, as kubectl does. */
export function parseManifests(text: string, source: string): ReadResult {
  const parsed = documents(text, source);
  if ('error' in parsed) return { manifests: [], errors: [parsed.error] };
  const manifests: Manifest[] = [];
  const errors: string[] = [];
  for (const doc of parsed.docs) {
    if (doc === null || doc === undefined) continue;
    if (!isObject(doc)) {
      errors.push(
        `error parsing ${source}: json: cannot unmarshal ${goJsonType(doc)} into Go value of type map[string]interface {}`,
      );
      continue;
    }
    objectsOf(doc, source, manifests, errors);
  }
  return { manifests, errors };
}

/** Where the text of the arguments comes from: the file system and stdin, or fakes in tests. */
export interface ManifestSources {
  readStdin(): Promise<string>;
}

/** The files one argument names: itself, or a directory's manifest files in name order (not recursive). */
async function filesOf(arg: string): Promise<string[] | { error: string }> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(arg);
  } catch {
    return { error: `the path ${JSON.stringify(arg)} does not exist` };
  }
  if (!info.isDirectory()) return [arg];
  const entries = await readdir(arg, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(extname(e.name)))
    .map((e) => join(arg, e.name))
    .sort();
}

/**
 * Reads every argument in order (`-` is stdin, read once) and parses what it holds. Reports every
 * problem rather than the first, and `no objects passed to create` when nothing was found.
 */
export async function readManifests(args: readonly string[], sources: ManifestSources): Promise<ReadResult> {
  const manifests: Manifest[] = [];
  const errors: string[] = [];
  let stdinRead = false;
  for (const arg of args) {
    if (arg === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      const got = parseManifests(await sources.readStdin(), STDIN_SOURCE);
      manifests.push(...got.manifests);
      errors.push(...got.errors);
      continue;
    }
    const files = await filesOf(arg);
    if ('error' in files) {
      errors.push(files.error);
      continue;
    }
    for (const file of files) {
      const got = parseManifests(await readFile(file, 'utf8'), file);
      manifests.push(...got.manifests);
      errors.push(...got.errors);
    }
  }
  if (!manifests.length && !errors.length) errors.push('no objects passed to create');
  return { manifests, errors };
}

/** All of a stream's text (stdin). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
