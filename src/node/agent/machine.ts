/** This machine as a Node sees it: host name, CPUs, memory, kernel and OS, read once at start. */
import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { BATCHD_VERSION, versionInfo } from '../../version.js';
import type { MachineInfo } from './nodeObject.js';

/** The upstream default of the kubelet's --max-pods. */
export const DEFAULT_MAX_PODS = 110;

function readFirst(paths: string[]): string {
  for (const p of paths) {
    try {
      const text = readFileSync(p, 'utf8').trim();
      if (text) return text;
    } catch {
      // Not on this system: try the next.
    }
  }
  return '';
}

/** PRETTY_NAME from os-release, as the kubelet reports osImage. */
function osImage(): string {
  const text = readFirst(['/etc/os-release', '/usr/lib/os-release']);
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? 'Linux';
}

/** Node names are lower-case DNS subdomains; a host name may not be. */
const nodeNameOf = (host: string) => host.toLowerCase().replace(/[^a-z0-9.-]/g, '-');

export function machineInfo(opts: {
  nodeName?: string;
  maxPods?: number;
  runtimeName: string;
  capabilities: string;
}): MachineInfo {
  const host = hostname();
  const goArch = arch() === 'x64' ? 'amd64' : arch();
  return {
    nodeName: opts.nodeName ?? nodeNameOf(host),
    hostname: host,
    cpus: cpus().length || 1,
    memoryBytes: totalmem(),
    maxPods: opts.maxPods ?? DEFAULT_MAX_PODS,
    address: '127.0.0.1',
    kernelVersion: release(),
    osImage: osImage(),
    architecture: goArch,
    machineID: readFirst(['/etc/machine-id', '/var/lib/dbus/machine-id']),
    bootID: readFirst(['/proc/sys/kernel/random/boot_id']),
    kubeletVersion: versionInfo.gitVersion,
    runtimeName: opts.runtimeName,
    runtimeVersion: BATCHD_VERSION,
    capabilities: opts.capabilities,
  };
}
