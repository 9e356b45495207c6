import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type LogFile, logPath, podLabelsPath, podLogDir, pruneLogFiles } from '../node/runtime/logFiles.js';
import {
  generatedForJob,
  type KeptPod,
  keptPods,
  type LogsTarget,
  parseTarget,
  printStreams,
  selectStreams,
} from './logs.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'batchd-logs-cli-'));
  dirs.push(d);
  return d;
};

describe('parseTarget', () => {
  const cases: Array<{ name: string; arg: string; want: LogsTarget | string }> = [
    { name: 'a bare name is a pod', arg: 'pi-x7k2b', want: { kind: 'pod', name: 'pi-x7k2b' } },
    { name: 'pod/NAME is a pod', arg: 'pod/web', want: { kind: 'pod', name: 'web' } },
    { name: "kubectl's short name po/NAME is a pod", arg: 'po/web', want: { kind: 'pod', name: 'web' } },
    { name: 'job/NAME is a job', arg: 'job/pi', want: { kind: 'job', name: 'pi' } },
    { name: 'jobs.batch/NAME is a job', arg: 'jobs.batch/pi', want: { kind: 'job', name: 'pi' } },
    {
      name: 'a cronjob is refused',
      arg: 'cronjob/nightly',
      want: 'logs are kept for pods and jobs, not "cronjob"',
    },
    { name: 'an empty name is refused', arg: 'job/', want: 'cannot read "job/"' },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      if (typeof tc.want === 'string') expect(() => parseTarget(tc.arg)).toThrow(tc.want);
      else expect(parseTarget(tc.arg)).toEqual(tc.want);
    });
});

describe('generatedForJob', () => {
  const long = 'j'.repeat(60);
  const cases: Array<{ name: string; job: string; pod: string; want: boolean }> = [
    { name: "a NonIndexed Job's pod matches", job: 'pi', pod: 'pi-x7k2b', want: true },
    { name: "an Indexed Job's pod matches", job: 'pi', pod: 'pi-3-x7k2b', want: true },
    { name: 'a job whose name only starts alike does not match', job: 'pi', pod: 'pipe-x7k2b', want: false },
    { name: 'a suffix with a vowel was not generated', job: 'pi', pod: 'pi-abcde', want: false },
    { name: 'a suffix of the wrong length was not generated', job: 'pi', pod: 'pi-x7k2', want: false },
    {
      name: "a longer job's pod does not match the shorter name",
      job: 'pi',
      pod: 'pi-run-x7k2b',
      want: false,
    },
    {
      name: 'a long job name cut to 58 characters matches',
      job: long,
      pod: `${long.slice(0, 58)}x7k2b`,
      want: true,
    },
    {
      name: 'a long Indexed job name is cut before the index',
      job: long,
      pod: `${long.slice(0, 55)}-4-x7k2b`,
      want: true,
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(generatedForJob(tc.job, tc.pod)).toBe(tc.want));
});

const T0 = Date.parse('2026-03-01T10:00:00Z');
const file = (
  pod: string,
  container: string,
  attempt: number,
  atSec: number,
  uid = `${pod}-uid`,
): LogFile => ({
  namespace: 'default',
  podName: pod,
  podUid: uid,
  containerName: container,
  attempt,
  path: `/logs/${pod}/${container}/${attempt}.log`,
  size: 10,
  modifiedAt: new Date(T0 + atSec * 1000),
});
const kept = (files: LogFile[], labels?: Record<string, string>, namespace = 'default'): KeptPod => ({
  namespace,
  podName: files[0]?.podName ?? '',
  podUid: files[0]?.podUid ?? '',
  ...(labels ? { labels } : {}),
  files: files.map((f) => ({ ...f, namespace })),
});
/** Streams as `pod/container:attempts` for compact expectations. */
const shown = (streams: ReturnType<typeof selectStreams>) =>
  streams.map((s) => `${s.podName}/${s.containerName}:${s.files.map((f) => f.attempt).join(',')}`);

describe('selectStreams', () => {
  const jobLabels = (job: string) => ({ 'batch.kubernetes.io/job-name': job, 'job-name': job });
  const pods: KeptPod[] = [
    kept([file('pi-bbbbb', 'main', 0, 5)], jobLabels('pi')),
    kept([file('pi-ccccc', 'main', 0, 1), file('pi-ccccc', 'main', 1, 3), file('pi-ccccc', 'main', 2, 4)], {
      'job-name': 'pi',
    }),
    // No labels recorded: the name tells.
    kept([file('pi-ddddd', 'main', 0, 6)]),
    // Labels recorded and naming another job win over a name that looks generated for pi.
    kept([file('pi-fffff', 'main', 0, 2)], jobLabels('other')),
    kept([file('web', 'init', 0, 1), file('web', 'app', 0, 2), file('web', 'sidecar', 0, 3)]),
    kept([file('web', 'app', 0, 0, 'old-uid')]),
    kept([file('pi-ggggg', 'main', 0, 1)], jobLabels('pi'), 'elsewhere'),
  ];
  const cases: Array<{
    name: string;
    target: LogsTarget;
    sel?: { container?: string; previous?: boolean; allAttempts?: boolean; namespace?: string };
    want: string[] | string;
  }> = [
    {
      name: "a job's pods are found by label or by name, oldest first, each at its latest attempt",
      target: { kind: 'job', name: 'pi' },
      want: ['pi-ccccc/main:2', 'pi-bbbbb/main:0', 'pi-ddddd/main:0'],
    },
    {
      name: '--previous skips pods that never restarted',
      target: { kind: 'job', name: 'pi' },
      sel: { previous: true },
      want: ['pi-ccccc/main:1'],
    },
    {
      name: '--all-attempts lists every kept attempt in order',
      target: { kind: 'job', name: 'pi' },
      sel: { allAttempts: true },
      want: ['pi-ccccc/main:0,1,2', 'pi-bbbbb/main:0', 'pi-ddddd/main:0'],
    },
    {
      name: 'a pod shows every container in the order they first wrote, init containers first',
      target: { kind: 'pod', name: 'web' },
      want: ['web/init:0', 'web/app:0', 'web/sidecar:0'],
    },
    {
      name: '-c picks one container',
      target: { kind: 'pod', name: 'web' },
      sel: { container: 'app' },
      want: ['web/app:0'],
    },
    {
      name: 'the namespace is honoured',
      target: { kind: 'job', name: 'pi' },
      sel: { namespace: 'elsewhere' },
      want: ['pi-ggggg/main:0'],
    },
    {
      name: 'an unknown pod is an error naming the namespace',
      target: { kind: 'pod', name: 'nope' },
      want: 'no logs kept for pod "nope" in namespace "default"',
    },
    {
      name: 'an unknown job is an error',
      target: { kind: 'job', name: 'nope' },
      want: 'no logs kept for job "nope" in namespace "default"',
    },
    {
      name: 'an unknown container is an error listing the kept ones',
      target: { kind: 'pod', name: 'web' },
      sel: { container: 'db' },
      want: 'container "db" not found in the kept logs of pod "web" (containers: app, init, sidecar)',
    },
    {
      name: '--previous of a container that never restarted is an error',
      target: { kind: 'pod', name: 'pi-bbbbb' },
      sel: { previous: true },
      want: 'no previous terminated container kept for pod "pi-bbbbb"',
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const sel = { namespace: 'default', ...tc.sel };
      if (typeof tc.want === 'string') expect(() => selectStreams(pods, tc.target, sel)).toThrow(tc.want);
      else expect(shown(selectStreams(pods, tc.target, sel))).toEqual(tc.want);
    });

  test('a pod name used twice shows the newer pod', () => {
    const streams = selectStreams(
      pods,
      { kind: 'pod', name: 'web' },
      { namespace: 'default', container: 'app' },
    );
    expect(streams[0]?.files[0]?.podUid).toBe('web-uid');
  });
});

describe('printStreams', () => {
  /** Writes a log file (with no .idx: its times come from the file) and returns its LogFile. */
  const write = (
    stateDir: string,
    pod: string,
    container: string,
    attempt: number,
    text: string,
  ): LogFile => {
    const c = { namespace: 'default', podName: pod, podUid: `${pod}-uid`, containerName: container, attempt };
    const path = logPath(stateDir, c);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return { ...c, path, size: text.length, modifiedAt: new Date(T0) };
  };
  const print = async (
    streams: Parameters<typeof printStreams>[0],
    opts: Parameters<typeof printStreams>[1],
  ) => {
    const out: Buffer[] = [];
    await printStreams(streams, opts, { write: async (b) => void out.push(Buffer.from(b)) });
    return Buffer.concat(out).toString('utf8');
  };

  test('one stream prints as written', async () => {
    const d = temp();
    const f = write(d, 'a', 'main', 0, 'one\ntwo\n');
    expect(await print([{ podName: 'a', containerName: 'main', files: [f] }], {})).toBe('one\ntwo\n');
  });

  test('several streams carry the kubectl --prefix, an unfinished last line is ended', async () => {
    const d = temp();
    const a = write(d, 'a', 'main', 0, 'one\ntwo');
    const b = write(d, 'b', 'main', 0, 'three\n');
    const got = await print(
      [
        { podName: 'a', containerName: 'main', files: [a] },
        { podName: 'b', containerName: 'main', files: [b] },
      ],
      {},
    );
    expect(got).toBe('[pod/a/main] one\n[pod/a/main] two\n[pod/b/main] three\n');
  });

  test('--tail counts lines over all printed attempts of a container', async () => {
    const d = temp();
    const first = write(d, 'a', 'main', 0, 'r0 a\nr0 b\nr0 c\n');
    const second = write(d, 'a', 'main', 1, 'r1 a\n');
    const streams = [{ podName: 'a', containerName: 'main', files: [first, second] }];
    expect(await print(streams, { tail: 3 })).toBe('r0 b\nr0 c\nr1 a\n');
    expect(await print(streams, { tail: 0 })).toBe('');
    expect(await print(streams, { tail: -1 })).toBe('r0 a\nr0 b\nr0 c\nr1 a\n');
  });

  test('--timestamps prefixes each line with the time it was written', async () => {
    const d = temp();
    const f = write(d, 'a', 'main', 0, 'one\n');
    utimesSync(f.path, new Date(T0), new Date(T0));
    expect(await print([{ podName: 'a', containerName: 'main', files: [f] }], { timestamps: true })).toBe(
      '2026-03-01T10:00:00.000000000Z one\n',
    );
    // Reading never writes an index beside the runtime's files.
    expect(existsSync(`${f.path}.idx`)).toBe(false);
  });
});

describe("the runtime's recorded labels", () => {
  const pod = { namespace: 'default', podName: 'pi-x7k2b', podUid: 'u1' };

  test('keptPods reads them beside the logs', async () => {
    const root = temp();
    const stateDir = join(root, 'runtime');
    const path = logPath(stateDir, { ...pod, containerName: 'main', attempt: 0 });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'x\n');
    writeFileSync(podLabelsPath(stateDir, pod), JSON.stringify({ 'job-name': 'pi' }));
    const [got] = await keptPods(root);
    expect(got?.labels).toEqual({ 'job-name': 'pi' });
    expect(got?.files.map((f) => f.containerName)).toEqual(['main']);
  });

  test('pruning the last log of a pod removes its labels and its directory', async () => {
    const stateDir = temp();
    const path = logPath(stateDir, { ...pod, containerName: 'main', attempt: 0 });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'x\n');
    writeFileSync(podLabelsPath(stateDir, pod), JSON.stringify({ 'job-name': 'pi' }));
    await pruneLogFiles(stateDir, { maxBytes: 0 }, new Set());
    expect(existsSync(podLogDir(stateDir, pod))).toBe(false);
  });
});
