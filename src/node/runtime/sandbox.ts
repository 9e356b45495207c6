/**
 * The optional sandbox: bubblewrap (`bwrap`) gives each container fresh PID, IPC and mount
 * namespaces over the host's root, with its volumes bound at their mountPath and, when batchd
 * runs as root, runAsUser/runAsGroup applied (setpriv). Without the sandbox the runtime adds
 * nothing: the node agent passes each volume's host directory in an environment variable named
 * by `volumeEnvName` (the documented scheme).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ContainerSpec } from './types.js';

export interface SandboxSupport {
  readonly enabled: boolean;
  readonly detail: string;
  readonly bwrap?: string;
  readonly setpriv?: string;
}

/** The first executable named `name` on PATH. */
export function findInPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

export function detectSandbox(requested: boolean, path?: string): SandboxSupport {
  if (!requested)
    return { enabled: false, detail: 'sandbox off: containers share the host PID, IPC and mount namespaces' };
  const bwrap = findInPath('bwrap', path);
  if (!bwrap) return { enabled: false, detail: 'sandbox requested but bwrap (bubblewrap) is not installed' };
  const setpriv = findInPath('setpriv', path);
  return {
    enabled: true,
    detail: 'bubblewrap sandbox: fresh PID, IPC and mount namespaces; volumes at their mountPath',
    bwrap,
    ...(setpriv ? { setpriv } : {}),
  };
}

/** The argv that runs `spec.argv` inside bwrap (the launcher execs this instead). */
export function sandboxArgv(support: SandboxSupport, spec: ContainerSpec, isRoot: boolean): string[] {
  if (!support.bwrap) return [...spec.argv];
  const args = [support.bwrap, '--unshare-pid', '--unshare-ipc', '--dev-bind', '/', '/', '--proc', '/proc'];
  for (const m of spec.mounts ?? [])
    args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.containerPath);
  if (spec.workingDir) args.push('--chdir', spec.workingDir);
  args.push('--');
  if (isRoot && spec.runAsUser !== undefined && support.setpriv) {
    args.push(
      support.setpriv,
      `--reuid=${spec.runAsUser}`,
      `--regid=${spec.runAsGroup ?? 0}`,
      '--clear-groups',
      '--',
    );
  }
  return [...args, ...spec.argv];
}

/** Where a sandboxed path is on the host (its mount's hostPath), for start-time checks. */
export function hostPathOf(spec: ContainerSpec, containerPath: string): string {
  for (const m of spec.mounts ?? []) {
    const cp = m.containerPath.replace(/\/+$/, '');
    if (containerPath === cp || containerPath.startsWith(`${cp}/`))
      return m.hostPath + containerPath.slice(cp.length);
  }
  return containerPath;
}

/**
 * `BATCHD_VOLUME_<NAME>`: the variable through which a container without the sandbox finds a
 * volume's host directory; NAME is the volume name upper-cased, other characters than A-Z and
 * 0-9 turned into `_` (`scratch-data` → `BATCHD_VOLUME_SCRATCH_DATA`).
 */
export const volumeEnvName = (volumeName: string): string =>
  `BATCHD_VOLUME_${volumeName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
