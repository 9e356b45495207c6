/**
 * From manifests to creations for `batchd run`: which served resource each object is, in which
 * namespace it goes, and the problems kubectl finds before it sends anything (unknown kinds, a
 * namespace that contradicts --namespace, the same object twice).
 */
import { alreadyExists } from '../api/meta/status.js';
import type { KubeObject } from '../api/meta/types.js';
import { groupResource, type ResourceType, type Scheme } from '../api/scheme.js';
import { clientProblem, type InputProblem, serverProblem } from './runErrors.js';
import type { Manifest } from './runManifests.js';

/** One object to create: its resource, its namespace (undefined when cluster-scoped). */
export interface Creation {
  readonly source: string;
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly object: KubeObject;
}

export interface PlanOptions {
  /** --namespace, or `default`. */
  readonly namespace: string;
  /** Whether --namespace was given: then a manifest naming another namespace is an error, as in kubectl. */
  readonly namespaceGiven: boolean;
}

export interface Plan {
  readonly creations: Creation[];
  readonly problems: InputProblem[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Resolves every manifest against the served kinds; problems are reported together, in input order. */
export function planCreations(manifests: readonly Manifest[], scheme: Scheme, opts: PlanOptions): Plan {
  const creations: Creation[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  for (const m of manifests) {
    const apiVersion = text(m.object.apiVersion);
    const kind = text(m.object.kind);
    const meta = (m.object.metadata ?? {}) as Record<string, unknown>;
    const name = text(meta.name);
    const given = text(meta.namespace);
    const type = scheme.byApiVersionKind(apiVersion, kind);
    if (!type) {
      problems.push(
        clientProblem(
          `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(given)} from ${JSON.stringify(m.source)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`,
        ),
      );
      continue;
    }
    if (type.namespaced && opts.namespaceGiven && given && given !== opts.namespace) {
      problems.push(
        clientProblem(
          `the namespace from the provided object ${JSON.stringify(given)} does not match the namespace ${JSON.stringify(opts.namespace)}. You must pass '--namespace=${given}' to perform this operation.`,
        ),
      );
      continue;
    }
    const namespace = type.namespaced ? given || opts.namespace : undefined;
    // A dry run cannot see its neighbours, so two objects of one name are caught here.
    const key = `${type.group}/${type.resource}/${namespace ?? ''}/${name}`;
    if (name && seen.has(key)) {
      problems.push(serverProblem(alreadyExists(groupResource(type), name).status, m.source));
      continue;
    }
    if (name) seen.add(key);
    creations.push({ source: m.source, type, namespace, object: m.object as unknown as KubeObject });
  }
  return { creations, problems };
}

/** The namespaces the creations need that the input does not create itself. */
export function missingNamespaces(creations: readonly Creation[]): string[] {
  const created = new Set(
    creations
      .filter((c) => c.type.kind === 'Namespace' && c.type.group === '')
      .map((c) => c.object.metadata?.name),
  );
  const needed = new Set<string>();
  for (const c of creations) if (c.namespace && !created.has(c.namespace)) needed.add(c.namespace);
  return [...needed];
}

/** Namespaces first: the other objects' dry runs need them to exist. */
export function isNamespace(c: Creation): boolean {
  return c.type.group === '' && c.type.kind === 'Namespace';
}
