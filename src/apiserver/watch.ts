/**
 * The watch stream: 200, chunked, headers flushed before the first event, one JSON event per line.
 * A resourceVersion too old for the history becomes an ERROR event (410 Expired) inside the
 * stream, which then ends, as upstream's watch cache does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/meta/status.js';
import type { KubeObject } from '../api/meta/types.js';
import type { Store } from '../storage/store.js';
import type { Clock } from '../util/clock.js';
import type { Registry, RegistryWatchEvent, WatchOptions } from './registry.js';

export interface ServeWatchOptions extends WatchOptions {
  timeoutSeconds: number | undefined;
  clock: Clock;
  store: Store;
  /** Events as Tables (kubectl get -w): the converter and the stream's media type. */
  table?: { encode: (obj: KubeObject) => unknown; contentType: string };
}

/** Upstream sends bookmarks about once a minute. */
const BOOKMARK_INTERVAL_MS = 60_000;
/** ...and one this long before the watch's deadline, so the client can resume from it after the timeout. */
const PRE_TIMEOUT_BOOKMARK_MS = 2_000;
/** A watcher this far behind is cut off; its client re-watches from its last resourceVersion. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
/** Without timeoutSeconds upstream picks 1-2x --min-request-timeout (1800 s). */
const MIN_REQUEST_TIMEOUT_S = 1800;

const jsonLine = (ev: RegistryWatchEvent) => `{"type":"${ev.type}","object":${ev.json()}}\n`;

export async function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  registry: Registry,
  namespace: string | undefined,
  opts: ServeWatchOptions,
): Promise<void> {
  req.resume();
  // Events that arrive while the watch is being set up wait here, so a setup error can still be a plain HTTP error.
  let pending: string[] | undefined = [];
  let closed = false;
  const cleanups: Array<() => void> = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const c of cleanups) c();
    res.end();
  };
  const write = (text: string) => {
    if (closed) return;
    if (pending) {
      pending.push(text);
      return;
    }
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };
  const table = opts.table;
  // A Table watch converts every object but bookmarks, so kubectl prints each change as a row.
  const line = table
    ? (ev: RegistryWatchEvent) =>
        ev.type === 'BOOKMARK'
          ? jsonLine(ev)
          : `{"type":"${ev.type}","object":${JSON.stringify(table.encode(ev.object))}}\n`
    : jsonLine;
  const start = () => {
    res.writeHead(200, {
      'content-type': table?.contentType ?? 'application/json',
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    res.flushHeaders();
    const queued = pending ?? [];
    pending = undefined;
    if (queued.length) res.write(queued.join(''));
  };

  let stop: () => void;
  try {
    stop = await registry.watch(namespace, opts, (ev) => write(line(ev)));
  } catch (err) {
    if (err instanceof ApiError && err.code === 410) {
      start();
      res.end(`{"type":"ERROR","object":${JSON.stringify(err.status)}}\n`);
      return;
    }
    throw err;
  }
  cleanups.push(stop);
  res.on('close', finish);
  start();

  const timeoutMs =
    opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0
      ? opts.timeoutSeconds * 1000
      : MIN_REQUEST_TIMEOUT_S * 1000 * (1 + Math.random());
  cleanups.push(opts.clock.setTimer(timeoutMs, finish));
  const deadline = opts.clock.now().getTime() + timeoutMs;

  if (opts.allowWatchBookmarks) {
    let cancelBookmark = () => {};
    const schedule = () => {
      // Upstream's cacheWatcher.nextBookmarkTime: every interval, but no later than 2 s before the deadline.
      const delay = Math.min(
        BOOKMARK_INTERVAL_MS,
        deadline - PRE_TIMEOUT_BOOKMARK_MS - opts.clock.now().getTime(),
      );
      if (delay <= 0) return;
      cancelBookmark = opts.clock.setTimer(delay, () => {
        opts.store.currentRevision().then(
          (rev) => {
            write(line(registry.bookmark(rev)));
            if (!closed) schedule();
          },
          () => finish(),
        );
      });
    };
    schedule();
    cleanups.push(() => cancelBookmark());
  }
}
