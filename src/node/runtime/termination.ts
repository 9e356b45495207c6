/**
 * The termination message of an exited container, as the kubelet builds it: the file at
 * terminationMessagePath (its last 4096 bytes); with FallbackToLogsOnError, a failed container
 * whose file is missing or empty gets the tail of its log instead (last 80 lines, at most 2048 bytes).
 */
import { open } from 'node:fs/promises';
import type { ContainerSpec } from './types.js';

export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
export const FALLBACK_LOG_LINES = 80;
export const FALLBACK_LOG_BYTES = 2048;

/** The last `max` bytes of a file; undefined when it does not exist. */
export async function readLastBytes(path: string, max: number): Promise<Buffer | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const n = Math.min(size, max);
    const buf = Buffer.alloc(n);
    await fh.read(buf, 0, n, size - n);
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * The message; `readLogTail` gives the log's fallback text. Start errors never fall back: a
 * container that did not start has no log worth showing (the kubelet's ContainerCannotRun rule).
 */
export async function terminationMessage(
  spec: Pick<ContainerSpec, 'terminationMessagePath' | 'terminationMessagePolicy'>,
  exit: { exitCode: number; reason: string },
  readLogTail: () => Promise<string>,
): Promise<string> {
  const fallback =
    spec.terminationMessagePolicy === 'FallbackToLogsOnError' &&
    exit.exitCode !== 0 &&
    exit.reason !== 'StartError';
  let text = '';
  if (spec.terminationMessagePath) {
    try {
      text =
        (await readLastBytes(spec.terminationMessagePath, MAX_TERMINATION_MESSAGE_BYTES))?.toString('utf8') ??
        '';
    } catch (err) {
      return `Error on reading termination log ${spec.terminationMessagePath}: ${(err as Error).message}`;
    }
  }
  if (text === '' && fallback) text = await readLogTail();
  return text;
}
