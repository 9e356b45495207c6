/**
 * Where container logs live, as the kubelet lays out /var/log/pods:
 * `<stateDir>/logs/<namespace>_<podName>_<podUid>/<containerName>/<attempt>.log` (+ `.log.idx`, the
 * arrival times). Namespaces, pod and container names cannot hold `_`, so the names parse back,
 * which lets `batchd logs` find a deleted pod's files by name.
 */
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface LogFile {
  readonly namespace: string;
  readonly podName: string;
  readonly podUid: string;
  readonly containerName: string;
  readonly attempt: number;
  readonly path: string;
  readonly size: number;
  /** The last write. */
  readonly modifiedAt: Date;
}

export const logsRoot = (stateDir: string): string => join(stateDir, 'logs');

export function logPath(
  stateDir: string,
  c: { namespace: string; podName: string; podUid: string; containerName: string; attempt: number },
): string {
  return join(
    logsRoot(stateDir),
    `${c.namespace}_${c.podName}_${c.podUid}`,
    c.containerName,
    `${c.attempt}.log`,
  );
}

const readdirOrEmpty = (dir: string) => readdir(dir).catch(() => [] as string[]);

/** Every attempt's log under the state dir, oldest write first. */
export async function listLogs(stateDir: string): Promise<LogFile[]> {
  const out: LogFile[] = [];
  const root = logsRoot(stateDir);
  for (const podDir of await readdirOrEmpty(root)) {
    const [namespace, podName, podUid] = podDir.split('_');
    if (!namespace || !podName || !podUid) continue;
    for (const containerName of await readdirOrEmpty(join(root, podDir))) {
      for (const file of await readdirOrEmpty(join(root, podDir, containerName))) {
        const m = /^(\d+)\.log$/.exec(file);
        if (!m) continue;
        const path = join(root, podDir, containerName, file);
        const st = await stat(path).catch(() => undefined);
        if (!st) continue;
        out.push({
          namespace,
          podName,
          podUid,
          containerName,
          attempt: Number(m[1]),
          path,
          size: st.size,
          modifiedAt: st.mtime,
        });
      }
    }
  }
  return out.sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime());
}

/**
 * Deletes logs last written before `before`, then the oldest until all logs fit in `maxBytes`;
 * `inUse` logs (running containers) are never deleted but count toward the total.
 */
export async function pruneLogFiles(
  stateDir: string,
  opts: { before?: Date; maxBytes?: number },
  inUse: ReadonlySet<string>,
): Promise<LogFile[]> {
  const all = await listLogs(stateDir);
  const removed: LogFile[] = [];
  let total = all.reduce((n, f) => n + f.size, 0);
  for (const f of all) {
    if (inUse.has(f.path)) continue;
    const old = opts.before !== undefined && f.modifiedAt < opts.before;
    const over = opts.maxBytes !== undefined && total > opts.maxBytes;
    if (!old && !over) continue;
    await rm(f.path, { force: true });
    await rm(`${f.path}.idx`, { force: true });
    total -= f.size;
    removed.push(f);
  }
  // Empty container and pod directories go too; rmdir refuses non-empty ones.
  const root = logsRoot(stateDir);
  for (const podDir of await readdirOrEmpty(root)) {
    for (const c of await readdirOrEmpty(join(root, podDir)))
      await rmdir(join(root, podDir, c)).catch(() => {});
    await rmdir(join(root, podDir)).catch(() => {});
  }
  return removed;
}
