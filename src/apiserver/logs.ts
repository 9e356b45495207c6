/**
 * `GET pods/{name}/log`: upstream's LogLocation checks (which container, options) here, then the
 * node agent streams the container's log as text/plain, chunked while following.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pod } from '../api/core/v1/pod.js';
import type { PodLogRequest } from '../api/core/v1/podLogs.js';
import { badRequest, type FieldError, forbidden, invalid, invalidValue } from '../api/meta/status.js';
import type { Clock } from '../util/clock.js';
import { intParam, isTrue } from './options.js';
import type { Registry } from './registry.js';

export type { PodLogRequest };

/** Where logs come from: the node agent. Throws an ApiError (400) where the kubelet would answer one. */
export interface LogSource {
  podLogs(pod: Pod, req: PodLogRequest, signal: AbortSignal): Promise<AsyncIterable<Buffer>>;
}

const names = (cs: ReadonlyArray<{ name: string }> | undefined) => (cs ?? []).map((c) => c.name).join(' ');

/** Upstream's container choice: the only one, or the one named; otherwise a 400 listing them. */
export function logContainer(pod: Pod, requested: string | null): string {
  const name = pod.metadata.name ?? '';
  const spec = pod.spec;
  if (!requested) {
    const containers = spec?.containers ?? [];
    if (containers.length === 1) return containers[0]?.name ?? '';
    if (!containers.length) throw badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${names(containers)}]`;
    if (spec?.initContainers?.length)
      msg += ` or one of the init containers: [${names(spec.initContainers)}]`;
    throw badRequest(msg);
  }
  const all = [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []),
    ...(spec?.ephemeralContainers ?? []),
  ];
  if (!all.some((c) => c.name === requested))
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** PodLogOptions from the query, validated as upstream (422 PodLogOptions ... is invalid). */
export function podLogRequest(pod: Pod, q: URLSearchParams, now: Date): PodLogRequest {
  const container = logContainer(pod, q.get('container'));
  const tailLines = intParam(q, 'tailLines');
  const limitBytes = intParam(q, 'limitBytes');
  const sinceSeconds = intParam(q, 'sinceSeconds');
  const sinceTimeText = q.get('sinceTime');
  let sinceTime: Date | undefined;
  if (sinceTimeText) {
    sinceTime = new Date(sinceTimeText);
    if (Number.isNaN(sinceTime.getTime()))
      throw badRequest(`parsing time ${JSON.stringify(sinceTimeText)} as RFC3339: cannot parse`);
  }
  const errs: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0)
    errs.push(invalidValue('tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1)
    errs.push(invalidValue('limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime)
    errs.push(forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  if (sinceSeconds !== undefined && sinceSeconds < 1)
    errs.push(invalidValue('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw invalid({ group: '', kind: 'PodLogOptions' }, pod.metadata.name ?? '', errs);
  if (sinceSeconds !== undefined) sinceTime = new Date(now.getTime() - sinceSeconds * 1000);
  return {
    container,
    follow: isTrue(q.get('follow')),
    previous: isTrue(q.get('previous')),
    timestamps: isTrue(q.get('timestamps')),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceTime ? { sinceTime } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  };
}

/** Answers a pods/log GET; a pod not yet bound to a node has an empty log, as upstream. */
export async function serveLogs(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  registry: Registry,
  namespace: string | undefined,
  name: string,
  source: LogSource | undefined,
  clock: Clock,
): Promise<void> {
  const pod = (await registry.get(namespace, name)) as Pod;
  const opts = podLogRequest(pod, url.searchParams, clock.now());
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const stream = pod.spec?.nodeName && source ? await source.podLogs(pod, opts, abort.signal) : undefined;
  res.writeHead(200, {
    'content-type': 'text/plain',
    'cache-control': 'no-cache, private',
    'x-content-type-options': 'nosniff',
  });
  res.flushHeaders();
  req.resume();
  if (stream) {
    for await (const chunk of stream) {
      if (abort.signal.aborted) break;
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
    }
  }
  res.end();
}
