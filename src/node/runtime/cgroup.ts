/**
 * Memory and CPU limits through cgroup v2, when batchd may create cgroups: the unified hierarchy
 * is mounted, batchd's own cgroup offers the memory and cpu controllers, and it is writable
 * (delegated to batchd, or batchd is root on a cgroup v2 host). Each container gets
 * `<batchd's cgroup>/containers/<id>` with memory.max and cpu.max; an exit with 137 and an
 * oom_kill in memory.events is reported as OOMKilled.
 */
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CgroupSupport {
  readonly enabled: boolean;
  /** Why limits are or are not enforced, for `describe node` and the log. */
  readonly detail: string;
  /** The parent of the containers' cgroups. */
  readonly root?: string;
}

export interface CgroupHost {
  /** /proc/self/mountinfo */
  readonly mountinfo: string;
  /** /proc/self/cgroup */
  readonly selfCgroup: string;
  readonly pid: number;
}

export const CPU_PERIOD_US = 100_000;

/** The cgroup v2 mount point from mountinfo (`... <mount point> ... - cgroup2 ...`). */
export function cgroup2Mount(mountinfo: string): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right || right.split(' ')[0] !== 'cgroup2') continue;
    const mountPoint = left.split(' ')[4];
    if (mountPoint) return mountPoint.replace(/\\040/g, ' ');
  }
  return undefined;
}

/** batchd's own cgroup path in the unified hierarchy (`0::/path`). */
export const unifiedPath = (selfCgroup: string): string | undefined =>
  /^0::(.*)$/m.exec(selfCgroup)?.[1]?.trim();

const readOr = (path: string, fallback: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
};

/**
 * Detects support and prepares the hierarchy: batchd moves itself into a leaf (`supervisor`)
 * so its cgroup may hand controllers down (cgroup v2's "no internal processes" rule), then
 * enables memory and cpu for `containers/`. Any refusal means: run unenforced, and say why.
 */
export function prepareCgroups(host: CgroupHost): CgroupSupport {
  const mount = cgroup2Mount(host.mountinfo);
  if (!mount) return { enabled: false, detail: 'no cgroup v2 (unified) hierarchy is mounted' };
  const own = unifiedPath(host.selfCgroup);
  if (own === undefined) return { enabled: false, detail: 'batchd is not in a cgroup v2 cgroup' };
  const base = join(mount, own);
  const controllers = readOr(join(base, 'cgroup.controllers'), '').trim().split(/\s+/);
  const missing = ['memory', 'cpu'].filter((c) => !controllers.includes(c));
  if (missing.length) {
    return {
      enabled: false,
      detail: `cgroup v2 at ${base} does not offer the ${missing.join(' and ')} controller(s) (a cgroup v1 or hybrid host?)`,
    };
  }
  try {
    accessSync(join(base, 'cgroup.subtree_control'), constants.W_OK);
    accessSync(base, constants.W_OK);
  } catch {
    return { enabled: false, detail: `cgroup ${base} is not delegated to batchd (not writable)` };
  }
  try {
    if (own !== '/' && own !== '') {
      const procs = readOr(join(base, 'cgroup.procs'), '').split('\n').filter(Boolean);
      const others = procs.filter((p) => Number(p) !== host.pid);
      if (others.length) {
        return {
          enabled: false,
          detail: `cgroup ${base} holds other processes too; run batchd in a delegated cgroup of its own`,
        };
      }
      if (procs.length) {
        mkdirSync(join(base, 'supervisor'), { recursive: true });
        writeFileSync(join(base, 'supervisor', 'cgroup.procs'), `${host.pid}\n`);
      }
    }
    writeFileSync(join(base, 'cgroup.subtree_control'), '+memory +cpu\n');
    const root = join(base, 'containers');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'cgroup.subtree_control'), '+memory +cpu\n');
    return { enabled: true, detail: `memory and cpu limits enforced through cgroup v2 under ${root}`, root };
  } catch (err) {
    return { enabled: false, detail: `cgroup v2 setup under ${base} failed: ${(err as Error).message}` };
  }
}

/** Reads the host's view for prepareCgroups. */
export function currentHost(): CgroupHost {
  return {
    mountinfo: readOr('/proc/self/mountinfo', ''),
    selfCgroup: readOr('/proc/self/cgroup', ''),
    pid: process.pid,
  };
}

/** cpu.max for a CPU limit in millicores, as the kubelet computes the CFS quota (1 ms minimum). */
export function cpuMax(cpuMillis: number): string {
  const quota = Math.max(1000, Math.floor((cpuMillis * CPU_PERIOD_US) / 1000));
  return `${quota} ${CPU_PERIOD_US}`;
}

/** Creates a container's cgroup with its limits; returns its directory. */
export async function createContainerCgroup(
  root: string,
  name: string,
  limits: { cpuMillis?: number; memoryBytes?: number } | undefined,
): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  if (limits?.memoryBytes !== undefined) {
    await writeFile(join(dir, 'memory.max'), `${limits.memoryBytes}\n`);
    // Without swap a container over its limit is OOM-killed, as on a kubelet node.
    await writeFile(join(dir, 'memory.swap.max'), '0\n').catch(() => {});
  }
  if (limits?.cpuMillis !== undefined) await writeFile(join(dir, 'cpu.max'), `${cpuMax(limits.cpuMillis)}\n`);
  return dir;
}

/** The oom_kill count of memory.events (0 when unreadable). */
export function oomKills(memoryEvents: string): number {
  return Number(/^oom_kill (\d+)$/m.exec(memoryEvents)?.[1] ?? 0);
}

/** Whether the kernel OOM-killed a process of the container; then removes its cgroup. */
export async function finishContainerCgroup(dir: string): Promise<{ oomKilled: boolean }> {
  const events = await readFile(join(dir, 'memory.events'), 'utf8').catch(() => '');
  await rmdir(dir).catch(() => {});
  return { oomKilled: oomKills(events) > 0 };
}
