/**
 * The served form of the documents: each serialized once, on first use, with upstream's hash (the
 * upper-case hex SHA-512 of the JSON). The index links every document by its hash, so clients
 * may cache a document forever under its URL and see a new URL when it changes.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '../schema/schema.js';
import type { Scheme } from '../scheme.js';
import { openApiCatalog } from './discoveryTypes.js';
import { buildDocument, documentPaths } from './document.js';

export interface ServedDocument {
  readonly json: Buffer;
  /** The hash clients pass back as `?hash=`, and the ETag (quoted). */
  readonly etag: string;
  readonly lastModified: Date;
}

export const hashOf = (json: Buffer): string => createHash('sha512').update(json).digest('hex').toUpperCase();

/** `/openapi/v3/apis/batch/v1?hash=<H>`, as upstream builds the index links. */
export const serverRelativeURL = (docPath: string, hash: string): string =>
  `/openapi/v3/${docPath}?${new URLSearchParams({ hash })}`;

export class OpenApiService {
  private readonly docs = new Map<string, ServedDocument>();
  private indexDoc: ServedDocument | undefined;
  private catalogCache: Catalog | undefined;
  readonly paths: readonly string[];

  /** now() stamps Last-Modified when a document is first built. */
  constructor(
    private readonly scheme: Scheme,
    private readonly now: () => Date,
  ) {
    this.paths = documentPaths(scheme);
  }

  /** The document at an index path (`apis/batch/v1`), or undefined for a path not in the index. */
  document(docPath: string): ServedDocument | undefined {
    const cached = this.docs.get(docPath);
    if (cached) return cached;
    if (!this.paths.includes(docPath)) return undefined;
    this.catalogCache ??= openApiCatalog();
    const doc = buildDocument(this.scheme, docPath, this.catalogCache);
    if (!doc) return undefined;
    const served = this.serve(JSON.stringify(doc));
    this.docs.set(docPath, served);
    return served;
  }

  /** `{"paths": {"apis/batch/v1": {"serverRelativeURL": ...}}}`: hashing builds every document. */
  index(): ServedDocument {
    if (this.indexDoc) return this.indexDoc;
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const p of this.paths) {
      const doc = this.document(p);
      if (doc) paths[p] = { serverRelativeURL: serverRelativeURL(p, doc.etag) };
    }
    this.indexDoc = this.serve(JSON.stringify({ paths }));
    return this.indexDoc;
  }

  private serve(text: string): ServedDocument {
    const json = Buffer.from(text);
    // HTTP dates have whole seconds; If-Modified-Since compares against this.
    const lastModified = new Date(Math.floor(this.now().getTime() / 1000) * 1000);
    return { json, etag: hashOf(json), lastModified };
  }
}
