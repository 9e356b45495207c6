import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { realClock } from '../../util/clock.js';
import { ProcessRuntime } from './process.js';
import { detectSandbox, findInPath, hostPathOf, sandboxArgv, volumeEnvName } from './sandbox.js';
import type { ContainerRecord, ContainerSpec } from './types.js';

const spec = (more: Partial<ContainerSpec> = {}): ContainerSpec => ({
  id: 'u/c/0',
  podUid: 'u',
  namespace: 'default',
  podName: 'p',
  containerName: 'c',
  attempt: 0,
  image: 'busybox',
  argv: ['sh', '-c', 'echo hi'],
  env: {},
  ...more,
});

describe('sandbox arguments', () => {
  const support = { enabled: true, detail: '', bwrap: '/usr/bin/bwrap', setpriv: '/usr/bin/setpriv' };
  test('bwrap gets fresh PID and IPC namespaces, volumes at their mountPath and the workingDir', () => {
    const argv = sandboxArgv(
      support,
      spec({
        workingDir: '/work',
        mounts: [
          { hostPath: '/data/pods/u/scratch', containerPath: '/work' },
          { hostPath: '/data/pods/u/config', containerPath: '/etc/app', readOnly: true },
        ],
      }),
      false,
    );
    expect(argv.join(' ')).toBe(
      '/usr/bin/bwrap --unshare-pid --unshare-ipc --dev-bind / / --proc /proc ' +
        '--bind /data/pods/u/scratch /work --ro-bind /data/pods/u/config /etc/app --chdir /work -- sh -c echo hi',
    );
  });
  test('runAsUser is applied through setpriv when batchd is root', () => {
    const argv = sandboxArgv(support, spec({ runAsUser: 1000 }), true);
    expect(argv.slice(-8).join(' ')).toBe(
      '/usr/bin/setpriv --reuid=1000 --regid=0 --clear-groups -- sh -c echo hi',
    );
  });
  test('runAsUser is not applied when batchd is not root', () => {
    expect(sandboxArgv(support, spec({ runAsUser: 1000 }), false)).not.toContain('/usr/bin/setpriv');
  });
  test('a path under a mount maps to the host directory', () => {
    const s = spec({ mounts: [{ hostPath: '/h/scratch', containerPath: '/scratch/' }] });
    expect([hostPathOf(s, '/scratch/run.sh'), hostPathOf(s, '/scratchy'), hostPathOf(s, '/scratch')]).toEqual(
      ['/h/scratch/run.sh', '/scratchy', '/h/scratch'],
    );
  });
  const names: Array<[string, string]> = [
    ['scratch', 'BATCHD_VOLUME_SCRATCH'],
    ['scratch-data', 'BATCHD_VOLUME_SCRATCH_DATA'],
    ['a.b', 'BATCHD_VOLUME_A_B'],
  ];
  for (const [name, want] of names)
    test(`volume "${name}" is announced as ${want}`, () => expect(volumeEnvName(name)).toBe(want));
  test('without bwrap the sandbox is off and says so', () => {
    expect(detectSandbox(true, '/nonexistent')).toMatchObject({
      enabled: false,
      detail: expect.stringContaining('bwrap'),
    });
  });
});

const bwrap = findInPath('bwrap');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!bwrap)('running under bubblewrap', () => {
  test('the container has its own PID namespace and sees its volume at the mountPath', async () => {
    const state = mkdtempSync(join(tmpdir(), 'batchd-sandbox-'));
    const vol = mkdtempSync(join(tmpdir(), 'batchd-vol-'));
    dirs.push(state, vol);
    writeFileSync(join(vol, 'greeting'), 'hello from the volume\n');
    const rt = new ProcessRuntime(state, realClock, pino({ level: 'silent' }), {
      cgroups: false,
      sandbox: true,
    });
    expect(rt.capabilities().sandbox.enabled).toBe(true);
    const done = new Promise<ContainerRecord>((resolve) => rt.onExit(resolve));
    const s = spec({
      argv: ['sh', '-c', 'echo pid=$$; cat /mnt/vol/greeting; pwd'],
      workingDir: '/mnt/vol',
      mounts: [{ hostPath: vol, containerPath: '/mnt/vol' }],
    });
    await rt.start(s);
    expect((await done).state).toMatchObject({ exitCode: 0 });
    const chunks: Buffer[] = [];
    for await (const c of rt.readLog(s.id, {}) ?? []) chunks.push(c);
    const [pid, greeting, pwd] = Buffer.concat(chunks).toString().trim().split('\n');
    expect(Number(pid?.slice(4))).toBeLessThan(10);
    expect([greeting, pwd]).toEqual(['hello from the volume', '/mnt/vol']);
    await rt.close();
  });
});
