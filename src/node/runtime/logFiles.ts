/**
 * Where container logs live, as the kubelet lays out /var/log/pods:
 * `<stateDir>/logs/<namespace>_<podName>_<podUid>/<containerName>/<attempt>.log` (+ `.log.idx`, the
 * arrival times). Namespaces, pod and container names cannot hold `_`, so the names parse back,
 * which lets `batchd logs` find a deleted pod's files by name. The pod's labels sit beside its
 * containers in `labels.json`, so the logs of a deleted Job's pods can be found by the Job's name.
 */
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
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

export interface PodLogKey {
  readonly namespace: string;
  readonly podName: string;
  readonly podUid: string;
}

/** The directory holding one pod's container logs (and its labels). */
export const podLogDir = (stateDir: string, p: PodLogKey): string =>
  join(logsRoot(stateDir), `${p.namespace}_${p.podName}_${p.podUid}`);

export function logPath(stateDir: string, c: PodLogKey & { containerName: string; attempt: number }): string {
  return join(podLogDir(stateDir, c), c.containerName, `${c.attempt}.log`);
}

const LABELS_FILE = 'labels.json';

/** Where the pod's labels are recorded, once per pod (the launcher keeps a file that exists). */
export const podLabelsPath = (stateDir: string, p: PodLogKey): string =>
  join(podLogDir(stateDir, p), LABELS_FILE);

/** The labels recorded for a pod's logs; undefined when none were (older logs, other runtimes). */
export async function readPodLabels(
  stateDir: string,
  p: PodLogKey,
): Promise<Record<string, string> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(podLogDir(stateDir, p), LABELS_FILE), 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
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
  // Empty container and pod directories go too; rmdir refuses non-empty ones. A pod directory
  // left with only its labels has no logs to describe any more.
  const root = logsRoot(stateDir);
  for (const podDir of await readdirOrEmpty(root)) {
    for (const c of await readdirOrEmpty(join(root, podDir)))
      if (c !== LABELS_FILE) await rmdir(join(root, podDir, c)).catch(() => {});
    const left = await readdirOrEmpty(join(root, podDir));
    if (left.length === 1 && left[0] === LABELS_FILE)
      await rm(join(root, podDir, LABELS_FILE), { force: true });
    await rmdir(join(root, podDir)).catch(() => {});
  }
  return removed;
}
