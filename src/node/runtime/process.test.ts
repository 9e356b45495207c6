import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { type Clock, FakeClock, realClock } from '../../util/clock.js';
import { podLabelsPath } from './logFiles.js';
import { ProcessRuntime, type ProcessRuntimeOptions } from './process.js';
import type { ContainerRecord, ContainerSpec, LogOptions } from './types.js';

const quiet = pino({ level: 'silent' });
const dirs: string[] = [];
const stateDirs = new Set<string>();

function tempDir(tag = 'rt'): string {
  const d = mkdtempSync(join(tmpdir(), `batchd-${tag}-`));
  dirs.push(d);
  return d;
}

/** A runtime with an exit collector; `exits` lists every report, `exit(id)` waits for one. */
function newRuntime(stateDir = tempDir(), clock: Clock = realClock, opts: ProcessRuntimeOptions = {}) {
  const rt = new ProcessRuntime(stateDir, clock, quiet, { cgroups: false, ...opts });
  stateDirs.add(stateDir);
  const exits: ContainerRecord[] = [];
  const waiters = new Map<string, (r: ContainerRecord) => void>();
  rt.onExit((r) => {
    exits.push(r);
    waiters.get(r.spec.id)?.(r);
  });
  const exit = (id: string) =>
    new Promise<ContainerRecord>((resolve) => {
      const seen = exits.find((r) => r.spec.id === id);
      if (seen) resolve(seen);
      else waiters.set(id, resolve);
    });
  return { rt, exits, exit, stateDir };
}

let seq = 0;
function newSpec(argv: string[], more: Partial<ContainerSpec> = {}): ContainerSpec {
  const containerName = `c${seq++}`;
  return {
    id: `uid-1/${containerName}/0`,
    podUid: 'uid-1',
    namespace: 'default',
    podName: 'pod-a',
    containerName,
    attempt: 0,
    image: 'busybox',
    argv,
    env: {},
    ...more,
  };
}

const sh = (script: string, more: Partial<ContainerSpec> = {}) => newSpec(['sh', '-c', script], more);

async function readAll(
  rt: ProcessRuntime,
  id: string,
  opts: LogOptions = {},
  signal?: AbortSignal,
): Promise<string> {
  const it = rt.readLog(id, opts, signal);
  if (!it) throw new Error(`no log for ${id}`);
  const chunks: Buffer[] = [];
  for await (const c of it) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function eventually(fn: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await fn())) {
    if (performance.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

// Whatever a test left running is adopted by a fresh runtime and killed.
afterEach(async () => {
  for (const stateDir of stateDirs) {
    const rt = new ProcessRuntime(stateDir, realClock, quiet, { cgroups: false });
    for (const r of await rt.adopt()) if (r.state.state === 'running') await rt.stop(r.spec.id, 0);
    await rt.close();
  }
  stateDirs.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('start and exit', () => {
  const notExecutable = () => {
    const f = join(tempDir('file'), 'plain.txt');
    writeFileSync(f, 'echo hi\n');
    chmodSync(f, 0o644);
    return f;
  };
  const cases: Array<{ name: string; spec: () => ContainerSpec; want: Record<string, unknown> }> = [
    {
      name: 'a command that exits 0 is Completed',
      spec: () => newSpec(['/bin/true']),
      want: { exitCode: 0, reason: 'Completed' },
    },
    {
      name: 'a command that exits 3 is an Error with exit code 3',
      spec: () => sh('exit 3'),
      want: { exitCode: 3, reason: 'Error' },
    },
    {
      name: 'a command killed by SIGTERM reports exit code 143 and the signal',
      spec: () => sh('kill -TERM $$; sleep 5'),
      want: { exitCode: 143, signal: 'SIGTERM', reason: 'Error' },
    },
    {
      name: 'an executable missing from PATH is a StartError with exit code 127',
      spec: () => newSpec(['no-such-binary-batchd']),
      want: {
        exitCode: 127,
        reason: 'StartError',
        message: 'exec: "no-such-binary-batchd": executable file not found in $PATH',
      },
    },
    {
      name: 'an empty argv is a StartError with exit code 127',
      spec: () => newSpec([]),
      want: { exitCode: 127, reason: 'StartError', message: expect.stringContaining('no command specified') },
    },
    {
      name: 'a missing absolute path is a StartError that names the stat failure',
      spec: () => newSpec(['/no/such/tool']),
      want: {
        exitCode: 127,
        reason: 'StartError',
        message: 'exec: "/no/such/tool": stat /no/such/tool: no such file or directory',
      },
    },
    {
      name: 'a file without an execute bit is a StartError with exit code 126',
      spec: () => newSpec([notExecutable()]),
      want: { exitCode: 126, reason: 'StartError', message: expect.stringContaining('permission denied') },
    },
    {
      name: 'a missing workingDir is a StartError',
      spec: () => newSpec(['/bin/true'], { workingDir: '/no/such/dir' }),
      want: { reason: 'StartError', message: 'chdir /no/such/dir: no such file or directory' },
    },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const { rt, exit } = newRuntime();
      const spec = tc.spec();
      const started = await rt.start(spec);
      const { state } = await exit(spec.id);
      expect(state).toMatchObject({ state: 'exited', ...tc.want });
      if (tc.want.reason === 'StartError') expect(started).toEqual(state);
      else expect(started).toMatchObject({ state: 'running', pid: expect.any(Number) });
    });
  }

  // PWD comes from the container's own shell; nothing comes from batchd or the launcher.
  test('the container sees exactly its env (plus the default PATH) and runs in its workingDir', async () => {
    const { rt, exit } = newRuntime();
    const wd = tempDir('wd');
    const spec = sh('env | sort; pwd', { env: { FOO: 'bar baz' }, workingDir: wd });
    await rt.start(spec);
    await exit(spec.id);
    const lines = (await readAll(rt, spec.id)).trim().split('\n');
    expect(lines).toEqual([
      'FOO=bar baz',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `PWD=${wd}`,
      wd,
    ]);
  });

  test('starting an id twice returns the first attempt and runs nothing new', async () => {
    const { rt, exit, exits } = newRuntime();
    const spec = newSpec(['/bin/true']);
    await rt.start(spec);
    await exit(spec.id);
    expect(await rt.start(spec)).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(exits).toHaveLength(1);
  });

  test.skipIf(process.env.BATCHD_SKIP_SLOW === '1')(
    '1,000 /bin/true containers, 50 at a time, are each reported exactly once',
    {
      timeout: 300_000,
    },
    async () => {
      const { rt, exits, exit } = newRuntime();
      const specs = Array.from({ length: 1000 }, (_, i) =>
        newSpec(['/bin/true'], { id: `uid-many/c/${i}`, podUid: 'uid-many', containerName: 'c', attempt: i }),
      );
      let next = 0;
      const worker = async () => {
        while (next < specs.length) {
          const spec = specs[next++]!;
          await rt.start(spec);
          await exit(spec.id);
        }
      };
      await Promise.all(Array.from({ length: 50 }, worker));
      expect(exits).toHaveLength(1000);
      expect(new Set(exits.map((r) => r.spec.id)).size).toBe(1000);
      expect(exits.every((r) => r.state.state === 'exited' && r.state.exitCode === 0)).toBe(true);
    },
  );
});

describe('logs', () => {
  async function finished(script: string) {
    const env = newRuntime();
    const spec = sh(script);
    await env.rt.start(spec);
    await env.exit(spec.id);
    return { ...env, id: spec.id };
  }

  const cases: Array<{ name: string; script: string; opts: LogOptions; want: string }> = [
    {
      name: 'the whole log by default, stdout and stderr together',
      script: 'echo a; echo b >&2; echo c',
      opts: {},
      want: 'a\nb\nc\n',
    },
    {
      name: 'tailLines 2 gives the last two lines',
      script: 'printf "a\\nb\\nc\\n"',
      opts: { tailLines: 2 },
      want: 'b\nc\n',
    },
    { name: 'tailLines 0 gives nothing', script: 'printf "a\\nb\\n"', opts: { tailLines: 0 }, want: '' },
    {
      name: 'tailLines larger than the log gives all of it',
      script: 'printf "a\\nb\\n"',
      opts: { tailLines: 10 },
      want: 'a\nb\n',
    },
    {
      name: 'a final line without a newline counts as a line',
      script: 'printf "a\\nb\\nc"',
      opts: { tailLines: 1 },
      want: 'c',
    },
    {
      name: 'limitBytes cuts the output mid-line',
      script: 'printf "abc\\ndef\\n"',
      opts: { limitBytes: 5 },
      want: 'abc\nd',
    },
    {
      name: 'tailLines then limitBytes',
      script: 'printf "abc\\ndef\\nghi\\n"',
      opts: { tailLines: 2, limitBytes: 6 },
      want: 'def\ngh',
    },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const { rt, id } = await finished(tc.script);
      expect(await readAll(rt, id, tc.opts)).toBe(tc.want);
    });
  }

  test('timestamps prefix each line with an RFC3339 time with nine fraction digits', async () => {
    const { rt, id } = await finished('echo one; echo two');
    const out = await readAll(rt, id, { timestamps: true });
    expect(out).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z two\n$/,
    );
  });

  test('limitBytes counts the timestamp prefixes', async () => {
    const { rt, id } = await finished('echo one');
    expect(await readAll(rt, id, { timestamps: true, limitBytes: 10 })).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  test('each line keeps the time it was written, so sinceTime drops the earlier ones', async () => {
    const { rt, id } = await finished('echo early; sleep 1.2; echo late');
    const stamped = (await readAll(rt, id, { timestamps: true })).trim().split('\n');
    const times = stamped.map((l) => new Date(l.slice(0, 23) + 'Z').getTime());
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
    const since = new Date(times[1]!);
    expect(await readAll(rt, id, { sinceTime: since })).toBe('late\n');
  });

  test('the times survive a restart of batchd (a new runtime reads the index)', async () => {
    const { rt, id, stateDir } = await finished('echo early; sleep 1.1; echo late');
    const before = await readAll(rt, id, { timestamps: true });
    const { rt: again } = newRuntime(stateDir);
    await again.adopt();
    expect(await readAll(again, id, { timestamps: true })).toBe(before);
  });

  test('follow streams lines as they come and ends when the container exits', async () => {
    const { rt } = newRuntime();
    const spec = sh('echo first; sleep 0.4; echo second; sleep 0.4; echo third');
    await rt.start(spec);
    expect(await readAll(rt, spec.id, { follow: true })).toBe('first\nsecond\nthird\n');
  });

  test('follow ends when the reader aborts', async () => {
    const { rt } = newRuntime();
    const spec = sh('echo hello; sleep 30');
    await rt.start(spec);
    const ac = new AbortController();
    const it = rt.readLog(spec.id, { follow: true }, ac.signal)![Symbol.asyncIterator]();
    expect((await it.next()).value?.toString()).toBe('hello\n');
    const pending = it.next();
    ac.abort();
    expect((await pending).done).toBe(true);
  });

  test('an unknown container has no log', () => {
    const { rt } = newRuntime();
    expect(rt.readLog('nope/c/0', {})).toBeUndefined();
  });

  test('logs stay readable after remove() and go with pruneLogs', async () => {
    const { rt, id, stateDir } = await finished('echo kept');
    await rt.remove(id);
    expect(existsSync(join(stateDir, 'containers', id.replace(/\//g, '_')))).toBe(false);
    expect(await readAll(rt, id)).toBe('kept\n');
    await rt.pruneLogs({ maxBytes: 0 });
    expect(rt.readLog(id, {})).toBeUndefined();
  });

  test('pruneLogs deletes logs older than before but never a running container’s', async () => {
    const { rt, exit } = newRuntime();
    const done = sh('echo done');
    const running = sh('echo running; sleep 30');
    await rt.start(done);
    await exit(done.id);
    await rt.start(running);
    await rt.pruneLogs({ before: new Date(Date.now() + 60_000) });
    expect(rt.readLog(done.id, {})).toBeUndefined();
    expect(rt.readLog(running.id, {})).toBeDefined();
  });
});

describe('termination message', () => {
  const cases: Array<{
    name: string;
    script: string;
    policy?: 'File' | 'FallbackToLogsOnError';
    file: boolean;
    want?: string;
  }> = [
    {
      name: 'the file at terminationMessagePath becomes the message',
      script: 'echo done > "$T"',
      file: true,
      want: 'done\n',
    },
    {
      name: 'FallbackToLogsOnError uses the log tail when a failed container wrote no file',
      script: 'echo out; echo boom >&2; exit 1',
      policy: 'FallbackToLogsOnError',
      file: true,
      want: 'out\nboom\n',
    },
    {
      name: 'FallbackToLogsOnError leaves a successful container without a message',
      script: 'echo fine',
      policy: 'FallbackToLogsOnError',
      file: true,
    },
    { name: 'the File policy never reads the log', script: 'echo out; exit 1', policy: 'File', file: true },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const { rt, exit } = newRuntime();
      const path = join(tempDir('term'), 'termination-log');
      const spec = sh(tc.script, {
        env: { T: path },
        terminationMessagePath: path,
        ...(tc.policy ? { terminationMessagePolicy: tc.policy } : {}),
      });
      await rt.start(spec);
      const { state } = await exit(spec.id);
      expect(state.state === 'exited' ? state.message : 'running').toBe(tc.want);
    });
  }

  test('the fallback keeps only the last 80 lines', async () => {
    const { rt, exit } = newRuntime();
    const spec = sh('i=0; while [ $i -lt 100 ]; do echo $i; i=$((i+1)); done; exit 2', {
      terminationMessagePolicy: 'FallbackToLogsOnError',
    });
    await rt.start(spec);
    const { state } = await exit(spec.id);
    const lines = state.state === 'exited' ? (state.message ?? '').trim().split('\n') : [];
    expect([lines.length, lines[0], lines.at(-1)]).toEqual([80, '20', '99']);
  });
});

describe('stop', () => {
  test('SIGTERM lets a trapping script finish its own way', async () => {
    const { rt, exit } = newRuntime();
    const spec = sh('trap "echo got TERM; exit 7" TERM; echo ready; while :; do sleep 0.05; done');
    await rt.start(spec);
    await eventually(async () => (await readAll(rt, spec.id)).includes('ready'));
    await rt.stop(spec.id, 30);
    const { state } = await exit(spec.id);
    expect(state).toMatchObject({ exitCode: 7, reason: 'Error' });
    // dash reports the foreground sleep that the same SIGTERM ended ("Terminated") before the trap runs.
    expect(await readAll(rt, spec.id)).toMatch(/^ready\n(Terminated\n)?got TERM\n$/);
  });

  test('a container that ignores SIGTERM gets SIGKILL when the grace period ends', async () => {
    const clock = new FakeClock(new Date());
    const { rt, exit } = newRuntime(undefined, clock);
    const spec = sh('trap "" TERM; echo ready; while :; do sleep 0.05; done');
    await rt.start(spec);
    await eventually(async () => (await readAll(rt, spec.id)).includes('ready'));
    const stopped = rt.stop(spec.id, 10);
    await eventually(() => clock.pendingTimers() > 0);
    clock.step(9_000);
    expect(rt.readLog(spec.id, {})).toBeDefined();
    clock.step(1_000);
    await stopped;
    const { state } = await exit(spec.id);
    expect(state).toMatchObject({ exitCode: 137, signal: 'SIGKILL', reason: 'Error' });
  });

  test('stopping a container that already exited resolves at once', async () => {
    const { rt, exit } = newRuntime();
    const spec = newSpec(['/bin/true']);
    await rt.start(spec);
    await exit(spec.id);
    await rt.stop(spec.id, 30);
  });
});

describe('adopt after a crash of batchd', () => {
  test('a container still running is watched again and its exit reported with its real code', async () => {
    const first = newRuntime();
    const spec = sh('echo before; sleep 1; echo after; exit 4');
    await first.rt.start(spec);
    await first.rt.close(); // from here on, as if batchd had been killed
    const second = newRuntime(first.stateDir, realClock, { adoptPollMs: 200 });
    const adopted = await second.rt.adopt();
    expect(adopted.find((r) => r.spec.id === spec.id)?.state).toMatchObject({ state: 'running' });
    const { state } = await second.exit(spec.id);
    expect(state).toMatchObject({ exitCode: 4, reason: 'Error' });
    expect(await readAll(second.rt, spec.id)).toBe('before\nafter\n');
    expect(second.exits.filter((r) => r.spec.id === spec.id)).toHaveLength(1);
  });

  test('a container that finished while batchd was down is reported with its recorded code and time', async () => {
    const first = newRuntime();
    const spec = sh('exit 5');
    await first.rt.start(spec);
    await first.rt.close();
    const exitFile = join(first.stateDir, 'containers', spec.id.replace(/\//g, '_'), 'exit');
    await eventually(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8') !== '');
    const second = newRuntime(first.stateDir);
    const adopted = await second.rt.adopt();
    const record = adopted.find((r) => r.spec.id === spec.id);
    expect(record?.state).toMatchObject({ state: 'exited', exitCode: 5, reason: 'Error' });
    expect(second.exits.filter((r) => r.spec.id === spec.id)).toHaveLength(1);
  });

  test('an adopted container can be stopped', async () => {
    const first = newRuntime();
    const spec = sh('echo ready; sleep 30');
    await first.rt.start(spec);
    await eventually(async () => (await readAll(first.rt, spec.id)).includes('ready'));
    await first.rt.close();
    const second = newRuntime(first.stateDir);
    await second.rt.adopt();
    await second.rt.stop(spec.id, 5);
    expect((await second.exit(spec.id)).state).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
  });

  test('an exit already processed before the crash is reported again until remove()', async () => {
    const first = newRuntime();
    const spec = newSpec(['/bin/true']);
    await first.rt.start(spec);
    await first.exit(spec.id);
    await first.rt.close();
    const second = newRuntime(first.stateDir);
    expect((await second.rt.adopt()).map((r) => r.state.state)).toEqual(['exited']);
    await second.rt.remove(spec.id);
    const third = newRuntime(first.stateDir);
    expect(await third.rt.adopt()).toEqual([]);
  });
});

describe('the launcher', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  /** The parent of a process, from field 4 of /proc/<pid>/stat. */
  const parentOf = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  };

  test("the pod's labels are recorded beside its logs by its first container and kept", async () => {
    const { rt, exit, stateDir } = newRuntime();
    const first = newSpec(['/bin/true'], { labels: { 'job-name': 'pi' } });
    const second = newSpec(['/bin/true'], { labels: { 'job-name': 'changed' } });
    for (const spec of [first, second]) {
      await rt.start(spec);
      await exit(spec.id);
    }
    expect(JSON.parse(readFileSync(podLabelsPath(stateDir, first), 'utf8'))).toEqual({ 'job-name': 'pi' });
  });

  test('what the container left running in its process group ends with it', async () => {
    const { rt, exit } = newRuntime();
    const spec = sh('sleep 30 & echo $!; exit 0');
    await rt.start(spec);
    await exit(spec.id);
    const orphan = Number((await readAll(rt, spec.id)).trim());
    expect(orphan).toBeGreaterThan(0);
    await eventually(() => !alive(orphan));
  });

  test('a file the kernel cannot execute is a StartError with exit code 128', async () => {
    const { rt, exit } = newRuntime();
    const file = join(tempDir('exe'), 'garbage');
    writeFileSync(file, Buffer.from([0, 1, 2, 3]));
    chmodSync(file, 0o755);
    const spec = newSpec([file]);
    const started = await rt.start(spec);
    expect(started).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
    expect((await exit(spec.id)).state).toMatchObject({ message: 'exec: Exec format error' });
  });

  test('containers outlive a killed launcher and end with an unknown exit code', async () => {
    const { rt, exit } = newRuntime(undefined, realClock, { adoptPollMs: 100 });
    const spec = sh('echo ready; sleep 0.5; exit 3');
    const started = await rt.start(spec);
    const pid = started.state === 'running' ? (started.pid ?? 0) : 0;
    await eventually(async () => (await readAll(rt, spec.id)).includes('ready'));
    process.kill(parentOf(pid), 'SIGKILL');
    const { state } = await exit(spec.id);
    expect(state).toMatchObject({ exitCode: 137, message: expect.stringContaining('exit code is unknown') });
    // The next container gets a new launcher.
    const next = newSpec(['/bin/true']);
    await rt.start(next);
    expect((await exit(next.id)).state).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});

describe('capabilities', () => {
  test('without cgroups or the sandbox, the runtime says what it does not enforce', () => {
    const { rt } = newRuntime();
    const caps = rt.capabilities();
    expect(caps.cgroups.enabled).toBe(false);
    expect(caps.notEnforced).toHaveLength(2);
  });
});
