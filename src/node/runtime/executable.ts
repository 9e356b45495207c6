/**
 * Finding the executable before anything is spawned, so a container whose command cannot run
 * ends at once with reason StartError and runc's wording (Go's exec.LookPath errors):
 * 127 when nothing is found, 126 when the file is not executable.
 */
import { stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

export type Resolution =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly exitCode: 126 | 127 | 128; readonly message: string };

/** Docker's PATH for a container whose environment has none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type Check = 'ok' | 'missing' | 'denied';

async function check(path: string): Promise<Check> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return 'missing';
  // As Go's findExecutable: a directory or a file without any x bit is "permission denied".
  return !st.isDirectory() && (st.mode & 0o111) !== 0 ? 'ok' : 'denied';
}

/** Resolves argv[0] against PATH (no `/` in it) or the working directory (a `/` in it). */
export async function resolveExecutable(
  argv: readonly string[],
  envPath: string | undefined,
  workingDir: string,
): Promise<Resolution> {
  const file = argv[0];
  if (file === undefined || file === '') {
    return {
      ok: false,
      exitCode: 127,
      message: 'no command specified: batchd does not pull images, set command',
    };
  }
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : join(workingDir, file);
    const c = await check(full);
    if (c === 'ok') return { ok: true, path: file };
    return c === 'missing'
      ? { ok: false, exitCode: 127, message: `exec: "${file}": stat ${file}: no such file or directory` }
      : { ok: false, exitCode: 126, message: `exec: "${file}": permission denied` };
  }
  let denied = false;
  for (const dir of (envPath ?? DEFAULT_PATH).split(delimiter)) {
    const path = join(dir === '' ? '.' : dir, file);
    const c = await check(path);
    if (c === 'ok') return { ok: true, path };
    denied ||= c === 'denied';
  }
  return denied
    ? { ok: false, exitCode: 126, message: `exec: "${file}": permission denied` }
    : { ok: false, exitCode: 127, message: `exec: "${file}": executable file not found in $PATH` };
}

/** A working directory that does not exist is a start error too (exit code 128, as containerd's). */
export async function checkWorkingDir(dir: string): Promise<Resolution> {
  const st = await stat(dir).catch(() => undefined);
  if (st?.isDirectory()) return { ok: true, path: dir };
  return {
    ok: false,
    exitCode: 128,
    message: `chdir ${dir}: ${st ? 'not a directory' : 'no such file or directory'}`,
  };
}
