import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  cgroup2Mount,
  cpuMax,
  createContainerCgroup,
  finishContainerCgroup,
  oomKills,
  prepareCgroups,
  unifiedPath,
} from './cgroup.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A directory tree shaped like a cgroup v2 mount (plain files stand in for the kernel's). */
function fakeCgroupFs(own: string, controllers: string, procs: string): string {
  const root = mkdtempSync(join(tmpdir(), 'batchd-cgroup-'));
  dirs.push(root);
  const base = join(root, own);
  mkdirSync(base, { recursive: true });
  writeFileSync(join(base, 'cgroup.controllers'), `${controllers}\n`);
  writeFileSync(join(base, 'cgroup.subtree_control'), '');
  writeFileSync(join(base, 'cgroup.procs'), procs);
  return root;
}
const mountinfo = (mountPoint: string, fstype = 'cgroup2') =>
  `30 23 0:26 / ${mountPoint} rw,nosuid,nodev,noexec,relatime shared:4 - ${fstype} cgroup2 rw,nsdelegate\n`;

describe('parsing the host', () => {
  test('the cgroup2 mount point is read from mountinfo', () => {
    const text = `${mountinfo('/sys/fs/cgroup/cpu', 'cgroup')}${mountinfo('/sys/fs/cgroup/unified')}`;
    expect(cgroup2Mount(text)).toBe('/sys/fs/cgroup/unified');
  });
  test('a host with only cgroup v1 has no cgroup2 mount', () => {
    expect(cgroup2Mount(mountinfo('/sys/fs/cgroup/memory', 'cgroup'))).toBeUndefined();
  });
  test('batchd’s own cgroup is the 0:: line of /proc/self/cgroup', () => {
    expect(unifiedPath('4:memory:/x\n0::/user.slice/batchd.service\n')).toBe('/user.slice/batchd.service');
  });
  const cpu: Array<[number, string]> = [
    [500, '50000 100000'],
    [2000, '200000 100000'],
    [1, '1000 100000'],
  ];
  for (const [millis, want] of cpu)
    test(`a CPU limit of ${millis}m is cpu.max "${want}"`, () => expect(cpuMax(millis)).toBe(want));
  test('oom_kill is read from memory.events', () => {
    expect(oomKills('low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n')).toBe(1);
  });
});

describe('prepareCgroups', () => {
  const cases: Array<{
    name: string;
    controllers: string;
    procs: string;
    mount?: boolean;
    enabled: boolean;
    detail: RegExp;
  }> = [
    {
      name: 'a v1-only host runs unenforced',
      controllers: '',
      procs: '',
      mount: false,
      enabled: false,
      detail: /no cgroup v2/,
    },
    {
      name: 'a hybrid host whose v2 side lacks memory and cpu runs unenforced and says why',
      controllers: 'hugetlb',
      procs: '',
      enabled: false,
      detail: /memory and cpu controller/,
    },
    {
      name: 'a cgroup shared with other processes is left alone',
      controllers: 'cpu memory pids',
      procs: '4242\n',
      enabled: false,
      detail: /other processes/,
    },
    {
      name: 'a delegated cgroup holding only batchd is prepared: batchd moves to a leaf, containers/ gets the controllers',
      controllers: 'cpu memory pids',
      procs: '77\n',
      enabled: true,
      detail: /enforced/,
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const fs = fakeCgroupFs('batchd.service', tc.controllers, tc.procs);
      const got = prepareCgroups({
        mountinfo: tc.mount === false ? '' : mountinfo(fs),
        selfCgroup: '0::/batchd.service\n',
        pid: 77,
      });
      expect(got).toMatchObject({ enabled: tc.enabled, detail: expect.stringMatching(tc.detail) });
      if (tc.enabled) {
        const base = join(fs, 'batchd.service');
        expect(readFileSync(join(base, 'supervisor', 'cgroup.procs'), 'utf8')).toBe('77\n');
        expect(readFileSync(join(base, 'containers', 'cgroup.subtree_control'), 'utf8')).toBe(
          '+memory +cpu\n',
        );
        expect(got.root).toBe(join(base, 'containers'));
      }
    });
  }

  test('a container cgroup gets memory.max, no swap and cpu.max; an oom_kill marks it OOMKilled', async () => {
    const root = mkdtempSync(join(tmpdir(), 'batchd-cgroup-'));
    dirs.push(root);
    const dir = await createContainerCgroup(root, 'uid_c_0', { memoryBytes: 64 * 2 ** 20, cpuMillis: 250 });
    expect(readFileSync(join(dir, 'memory.max'), 'utf8')).toBe('67108864\n');
    expect(readFileSync(join(dir, 'memory.swap.max'), 'utf8')).toBe('0\n');
    expect(readFileSync(join(dir, 'cpu.max'), 'utf8')).toBe('25000 100000\n');
    writeFileSync(join(dir, 'memory.events'), 'oom 1\noom_kill 1\n');
    expect(await finishContainerCgroup(dir)).toEqual({ oomKilled: true });
  });
});
