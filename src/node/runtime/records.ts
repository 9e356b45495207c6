/**
 * What the runtime keeps on disk per container, enough to adopt it after `kill -9` of batchd:
 * `<stateDir>/containers/<id with / as _>/` holds `spec.json` (written before the container starts),
 * `pid` and `exit` (written by the launcher), and `status.json` (the final state, once batchd has
 * seen the exit and read the termination message and the OOM count).
 */

import { readFile, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { ContainerSpec, ContainerState } from './types.js';

export interface PersistedSpec {
  readonly spec: ContainerSpec;
  readonly startedAt: string;
  readonly logPath: string;
  readonly cgroup?: string;
}

export const containersDir = (stateDir: string): string => join(stateDir, 'containers');
export const containerDir = (stateDir: string, id: string): string =>
  join(containersDir(stateDir), id.replace(/\//g, '_'));

export const writeSpec = (dir: string, p: PersistedSpec): Promise<void> =>
  writeFile(join(dir, 'spec.json'), JSON.stringify(p));

export async function readSpec(dir: string): Promise<PersistedSpec | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'spec.json'), 'utf8')) as PersistedSpec;
  } catch {
    return undefined;
  }
}

/** A container's process as the launcher recorded it: the pid and its start time in clock ticks. */
export interface PidRecord {
  readonly pid: number;
  readonly startTime: number;
}

export async function readPid(dir: string): Promise<PidRecord | undefined> {
  const text = await readFile(join(dir, 'pid'), 'utf8').catch(() => '');
  const m = /^(\d+) (\d+)\s*$/.exec(text);
  return m ? { pid: Number(m[1]), startTime: Number(m[2]) } : undefined;
}

/** Whether the recorded process still exists (a zombie counts: its exit is not recorded yet). */
export async function isRunning(p: PidRecord): Promise<boolean> {
  const stat = await readFile(`/proc/${p.pid}/stat`, 'utf8').catch(() => '');
  // Fields after the parenthesised command start at 3; the start time is field 22.
  return stat !== '' && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) === p.startTime;
}

/** The launcher's record: the exit code and the file's mtime (the finish time); undefined while running. */
export async function readExit(dir: string): Promise<{ code: number; finishedAt: Date } | undefined> {
  const path = join(dir, 'exit');
  const text = await readFile(path, 'utf8').catch(() => '');
  // An empty file is a record caught between open and write: not finished yet.
  if (!/^\d+\s*$/.test(text)) return undefined;
  const st = await stat(path).catch(() => undefined);
  return { code: Number.parseInt(text, 10), finishedAt: st?.mtime ?? new Date(0) };
}

export const writeExit = (dir: string, code: number): Promise<void> =>
  writeFile(join(dir, 'exit'), `${code}\n`);

type StoredState = Omit<Extract<ContainerState, { state: 'exited' }>, 'startedAt' | 'finishedAt'> & {
  startedAt?: string;
  finishedAt: string;
};

export const writeStatus = (dir: string, s: Extract<ContainerState, { state: 'exited' }>): Promise<void> =>
  writeFile(join(dir, 'status.json'), JSON.stringify(s));

export async function readStatus(
  dir: string,
): Promise<Extract<ContainerState, { state: 'exited' }> | undefined> {
  try {
    const s = JSON.parse(await readFile(join(dir, 'status.json'), 'utf8')) as StoredState;
    return {
      ...s,
      finishedAt: new Date(s.finishedAt),
      ...(s.startedAt ? { startedAt: new Date(s.startedAt) } : {}),
    } as Extract<ContainerState, { state: 'exited' }>;
  } catch {
    return undefined;
  }
}

const signalNames = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** The signal behind an exit code of 128+N, as shells and container runtimes encode it. */
export const signalOf = (exitCode: number): string | undefined =>
  exitCode > 128 ? signalNames.get(exitCode - 128) : undefined;

/** The exited state the kubelet would report for an exit code (reason Completed, Error or OOMKilled). */
export function exitedState(e: {
  exitCode: number;
  oomKilled?: boolean;
  reason?: string;
  message?: string;
  startedAt?: Date;
  finishedAt: Date;
}): Extract<ContainerState, { state: 'exited' }> {
  const signal = signalOf(e.exitCode);
  const reason = e.reason ?? (e.oomKilled ? 'OOMKilled' : e.exitCode === 0 ? 'Completed' : 'Error');
  return {
    state: 'exited',
    exitCode: e.exitCode,
    ...(signal ? { signal } : {}),
    reason,
    ...(e.message ? { message: e.message } : {}),
    ...(e.startedAt ? { startedAt: e.startedAt } : {}),
    finishedAt: e.finishedAt,
  };
}
