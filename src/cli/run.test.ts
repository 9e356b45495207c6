import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Job } from '../api/batch/v1/types.js';
import type { Pod } from '../api/core/v1/pod.js';
import { alreadyExists, invalid, invalidValue, notFound, required } from '../api/meta/status.js';
import { newScheme } from '../api/resources.js';
import type { ContainerRecord, ContainerRuntime, ContainerSpec } from '../node/runtime/types.js';
import { clientProblem, formatProblems, type InputProblem, serverProblem } from './runErrors.js';
import { parseManifests, readManifests } from './runManifests.js';
import {
  decideOutcome,
  finishLine,
  jobProgress,
  type Outcome,
  objectLabel,
  type Progress,
  parseTimeout,
  podProgress,
  progressLine,
  timeoutOutcome,
} from './runOutcome.js';
import { eraseRows, fitLine, LinePrefixer, type OutStream, RunOutput } from './runOutput.js';
import { missingNamespaces, planCreations } from './runPlan.js';
import { OneShotRuntime } from './runRuntime.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'batchd-run-test-'));
  dirs.push(d);
  return d;
};

const JOB_A = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n';
const JOB_B = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\n';
const names = (r: { manifests: Array<{ object: Record<string, unknown> }> }) =>
  r.manifests.map((m) => (m.object.metadata as { name: string }).name);

describe('parseManifests', () => {
  const cases: Array<{ name: string; text: string; want: string[]; errors?: string[] }> = [
    { name: 'one YAML document is one object', text: JOB_A, want: ['a'] },
    { name: 'documents split by --- are read in order', text: `${JOB_A}---\n${JOB_B}`, want: ['a', 'b'] },
    {
      name: 'empty documents and a leading separator are skipped',
      text: `---\n${JOB_A}---\n---\n`,
      want: ['a'],
    },
    {
      name: 'a List is unpacked into its items',
      text: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'a' } },
          { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'b' } },
        ],
      }),
      want: ['a', 'b'],
    },
    {
      name: 'a typed list such as JobList is unpacked too',
      text: 'apiVersion: batch/v1\nkind: JobList\nitems:\n- apiVersion: batch/v1\n  kind: Job\n  metadata: {name: a}\n',
      want: ['a'],
    },
    {
      name: 'a JSON object is read as JSON',
      text: '  {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "a"}}',
      want: ['a'],
    },
    {
      name: 'broken YAML names the file and the line',
      text: 'apiVersion: v1\nkind: Job\n  metadata: [\n',
      want: [],
      errors: [
        'error parsing f.yaml: error converting YAML to JSON: yaml: Nested mappings are not allowed in compact mappings at line 2, column 7',
      ],
    },
    {
      name: 'broken JSON names the file',
      text: '{"kind": ',
      want: [],
      errors: [expect.stringMatching(/^error parsing f\.yaml: /) as unknown as string],
    },
    {
      name: 'an object without kind is refused as kubectl refuses it',
      text: 'apiVersion: batch/v1\nmetadata: {name: x}\n',
      want: [],
      errors: [
        `unable to decode "f.yaml": Object 'Kind' is missing in '{"apiVersion":"batch/v1","metadata":{"name":"x"}}'`,
      ],
    },
    {
      name: 'an object without apiVersion is refused',
      text: 'kind: Job\n',
      want: [],
      errors: [`unable to decode "f.yaml": Object 'apiVersion' is missing in '{"kind":"Job"}'`],
    },
    {
      name: 'a document that is a list, not an object, is refused',
      text: '- a\n- b\n',
      want: [],
      errors: [
        'error parsing f.yaml: json: cannot unmarshal array into Go value of type map[string]interface {}',
      ],
    },
    {
      name: 'a good document next to a bad one is kept, and the bad one reported',
      text: `${JOB_A}---\nkind: Job\n`,
      want: ['a'],
      errors: [`unable to decode "f.yaml": Object 'apiVersion' is missing in '{"kind":"Job"}'`],
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const got = parseManifests(tc.text, 'f.yaml');
      expect(names(got)).toEqual(tc.want);
      expect(got.errors).toEqual(tc.errors ?? []);
      for (const m of got.manifests) expect(m.source).toBe('f.yaml');
    });
});

describe('readManifests', () => {
  const noStdin = { readStdin: () => Promise.reject(new Error('stdin was not asked for')) };

  test('a directory gives its YAML and JSON files in name order, and nothing else', async () => {
    const dir = temp();
    writeFileSync(join(dir, '2-b.yml'), JOB_B);
    writeFileSync(join(dir, '1-a.yaml'), JOB_A);
    writeFileSync(join(dir, '3-c.json'), '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"c"}}');
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'd.yaml'), JOB_A);
    const got = await readManifests([dir], noStdin);
    expect(got.errors).toEqual([]);
    expect(names(got)).toEqual(['a', 'b', 'c']);
    expect(got.manifests[0]?.source).toBe(join(dir, '1-a.yaml'));
  });

  test('- reads stdin once, named STDIN, between the files around it', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'a.yaml'), JOB_A);
    let reads = 0;
    const got = await readManifests([join(dir, 'a.yaml'), '-', '-'], {
      readStdin: async () => {
        reads++;
        return JOB_B;
      },
    });
    expect(reads).toBe(1);
    expect(names(got)).toEqual(['a', 'b']);
    expect(got.manifests[1]?.source).toBe('STDIN');
  });

  test('a missing path is reported as kubectl reports it, with the other files still read', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'a.yaml'), JOB_A);
    const got = await readManifests(['nope.yaml', join(dir, 'a.yaml')], noStdin);
    expect(got.errors).toEqual(['the path "nope.yaml" does not exist']);
    expect(names(got)).toEqual(['a']);
  });

  test('input with no objects at all is an error', async () => {
    const dir = temp();
    const got = await readManifests([dir], noStdin);
    expect(got.errors).toEqual(['no objects passed to create']);
  });
});

describe('planCreations', () => {
  const scheme = newScheme();
  const m = (object: Record<string, unknown>, source = 'f.yaml') => ({ source, object });
  const job = (name: string, namespace?: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...(namespace ? { namespace } : {}) },
  });

  test('objects without a namespace go to --namespace, cluster-scoped ones to none', () => {
    const plan = planCreations(
      [
        m(job('a')),
        m(job('b', 'team')),
        m({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }),
      ],
      scheme,
      { namespace: 'work', namespaceGiven: false },
    );
    expect(plan.problems).toEqual([]);
    expect(plan.creations.map((c) => [c.type.resource, c.namespace])).toEqual([
      ['jobs', 'work'],
      ['jobs', 'team'],
      ['namespaces', undefined],
    ]);
    // `team` is made by the input itself; only `work` must be created for it.
    expect(missingNamespaces(plan.creations)).toEqual(['work']);
  });

  const cases: Array<{
    name: string;
    objects: Record<string, unknown>[];
    given?: string;
    want: InputProblem[];
  }> = [
    {
      name: 'an unknown kind is refused with kubectl’s resource mapping message',
      objects: [{ apiVersion: 'batch/v1', kind: 'Jobx', metadata: { name: 'x' } }],
      want: [
        clientProblem(
          'resource mapping not found for name: "x" namespace: "" from "f.yaml": no matches for kind "Jobx" in version "batch/v1"\nensure CRDs are installed first',
        ),
      ],
    },
    {
      name: 'a kind in a version batchd does not serve is unknown',
      objects: [{ apiVersion: 'batch/v2', kind: 'Job', metadata: { name: 'x', namespace: 'n' } }],
      want: [
        clientProblem(
          'resource mapping not found for name: "x" namespace: "n" from "f.yaml": no matches for kind "Job" in version "batch/v2"\nensure CRDs are installed first',
        ),
      ],
    },
    {
      name: 'a manifest namespace that contradicts a given --namespace is refused',
      objects: [job('a', 'other')],
      given: 'mine',
      want: [
        clientProblem(
          `the namespace from the provided object "other" does not match the namespace "mine". You must pass '--namespace=other' to perform this operation.`,
        ),
      ],
    },
    {
      name: 'the same Job twice in one namespace already exists the second time',
      objects: [job('a'), job('a', 'default')],
      want: [serverProblem(alreadyExists({ group: 'batch', resource: 'jobs' }, 'a').status, 'f.yaml')],
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const plan = planCreations(
        tc.objects.map((o) => m(o)),
        scheme,
        { namespace: tc.given ?? 'default', namespaceGiven: tc.given !== undefined },
      );
      expect(plan.problems).toEqual(tc.want);
    });

  test('the same name in two namespaces, or as two kinds, is no conflict', () => {
    const plan = planCreations(
      [
        m(job('a', 'x')),
        m(job('a', 'y')),
        m({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'a', namespace: 'x' } }),
      ],
      scheme,
      { namespace: 'default', namespaceGiven: false },
    );
    expect(plan.problems).toEqual([]);
  });
});

describe('formatProblems', () => {
  const jobInvalid = (...errs: Parameters<typeof invalid>[2]) =>
    invalid({ group: 'batch', kind: 'Job' }, 'x', errs).status;
  const restart = required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"');
  const parallelism = invalidValue('spec.parallelism', -1, 'must be greater than or equal to 0');
  const cases: Array<{ name: string; problems: InputProblem[]; want: string }> = [
    {
      name: 'a lone invalid object with one cause prints kubectl’s "The Job is invalid" line',
      problems: [serverProblem(jobInvalid(restart), 'job.yaml')],
      want: 'The Job "x" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n',
    },
    {
      name: 'a lone invalid object with several causes lists them as bullets',
      problems: [serverProblem(jobInvalid(parallelism, restart), 'job.yaml')],
      want:
        'The Job "x" is invalid: \n' +
        '* spec.parallelism: Invalid value: -1: must be greater than or equal to 0\n' +
        '* spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n',
    },
    {
      name: 'a lone other API error names its reason and the file',
      problems: [serverProblem(notFound({ group: '', resource: 'namespaces' }, 'nope').status, 'job.yaml')],
      want: 'Error from server (NotFound): error when creating "job.yaml": namespaces "nope" not found\n',
    },
    {
      name: 'a lone client problem gets the error: prefix',
      problems: [clientProblem('the path "x.yaml" does not exist')],
      want: 'error: the path "x.yaml" does not exist\n',
    },
    {
      name: 'several problems print one line each, API errors with their reason and file',
      problems: [
        serverProblem(jobInvalid(parallelism, restart), 'a.yaml'),
        clientProblem('unable to decode "b.yaml": bad'),
        serverProblem(alreadyExists({ group: 'batch', resource: 'jobs' }, 'y').status, 'STDIN'),
      ],
      want:
        'Error from server (Invalid): error when creating "a.yaml": Job.batch "x" is invalid: [spec.parallelism: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"]\n' +
        'unable to decode "b.yaml": bad\n' +
        'Error from server (AlreadyExists): error when creating "STDIN": jobs.batch "y" already exists\n',
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(formatProblems(tc.problems)).toBe(tc.want));
});

const job = (status?: Job['status']): Job => ({ metadata: { name: 'pi' }, ...(status ? { status } : {}) });
const cond = (type: string, reason: string, message: string) => ({ type, status: 'True', reason, message });

describe('jobProgress and its lines', () => {
  const cases: Array<{ name: string; job: Job; line: string; finished?: boolean }> = [
    {
      name: 'a new Job shows zero counts',
      job: job(),
      line: 'job/pi: 0 active, 0 succeeded, 0 failed',
    },
    {
      name: 'a running Job shows its counts',
      job: job({ active: 2, succeeded: 1, failed: 1 }),
      line: 'job/pi: 2 active, 1 succeeded, 1 failed',
    },
    {
      name: 'a Job with the interim SuccessCriteriaMet condition is still running',
      job: job({ succeeded: 1, conditions: [cond('SuccessCriteriaMet', 'CompletionsReached', '')] }),
      line: 'job/pi: 0 active, 1 succeeded, 0 failed',
    },
    {
      name: 'a Complete Job says so with its counts',
      job: job({ succeeded: 3, conditions: [cond('Complete', '', '')] }),
      line: 'job/pi complete: 3 succeeded, 0 failed',
      finished: true,
    },
    {
      name: 'a Failed Job names the reason and message of its condition',
      job: job({
        failed: 1,
        conditions: [cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
      }),
      line: 'job/pi failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
      finished: true,
    },
    {
      name: 'a condition with status False does not finish the Job',
      job: job({ active: 1, conditions: [{ type: 'Failed', status: 'False' }] }),
      line: 'job/pi: 1 active, 0 succeeded, 0 failed',
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const p = jobProgress(tc.job, 'job/pi');
      expect(progressLine(p)).toBe(tc.line);
      expect(p.finished !== undefined).toBe(tc.finished === true);
      if (tc.finished) expect(finishLine(p)).toBe(tc.line);
    });

  test('a Job outside the run namespace is labelled with its namespace', () => {
    expect(objectLabel('job', 'pi', 'default', 'default')).toBe('job/pi');
    expect(objectLabel('job', 'pi', 'team', 'default')).toBe('job/pi (team)');
  });
});

describe('podProgress', () => {
  const pod = (status: NonNullable<Pod['status']>): Pod => ({ metadata: { name: 'p' }, status });
  test('a running pod is active', () => {
    expect(podProgress(pod({ phase: 'Running' }), 'pod/p')).toEqual({
      label: 'pod/p',
      active: 1,
      succeeded: 0,
      failed: 0,
    });
  });
  test('a failed pod names the container that exited non-zero', () => {
    const p = podProgress(
      pod({
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'ok',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0 } },
          },
          {
            name: 'main',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 3, reason: 'Error' } },
          },
        ],
      }),
      'pod/p',
    );
    expect(finishLine(p)).toBe('pod/p failed: Error: container "main" exited with code 3');
  });
});

describe('decideOutcome', () => {
  const running: Progress = { label: 'job/a', active: 1, succeeded: 0, failed: 0 };
  const complete = (label: string): Progress => ({
    label,
    active: 0,
    succeeded: 1,
    failed: 0,
    finished: { outcome: 'Complete', reason: '', message: '' },
  });
  const failed: Progress = {
    label: 'job/b',
    active: 0,
    succeeded: 0,
    failed: 1,
    finished: {
      outcome: 'Failed',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    },
  };
  const cases: Array<{
    name: string;
    waited: Array<Progress | undefined>;
    waitForever?: boolean;
    want: Outcome;
  }> = [
    { name: 'a Job not seen yet keeps the run going', waited: [undefined], want: { done: false } },
    { name: 'a running Job keeps the run going', waited: [running], want: { done: false } },
    {
      name: 'every Job complete ends the run with 0',
      waited: [complete('job/a'), complete('job/c')],
      want: { done: true, code: 0 },
    },
    {
      name: 'one complete and one running Job keep the run going',
      waited: [complete('job/a'), running],
      want: { done: false },
    },
    {
      name: 'a failed Job ends the run with 1 at once, even with others running',
      waited: [running, failed],
      want: {
        done: true,
        code: 1,
        message: 'job/b failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
      },
    },
    { name: 'nothing to wait for ends the run with 0', waited: [], want: { done: true, code: 0 } },
    {
      name: 'CronJobs alone run until a timeout or a signal',
      waited: [],
      waitForever: true,
      want: { done: false },
    },
    {
      name: 'CronJobs beside a Job end with the Job',
      waited: [complete('job/a')],
      waitForever: true,
      want: { done: true, code: 0 },
    },
  ];
  for (const tc of cases)
    test(tc.name, () =>
      expect(decideOutcome(tc.waited, { waitForever: tc.waitForever === true })).toEqual(tc.want),
    );
});

describe('timeoutOutcome', () => {
  test('a timeout names the Jobs that had not finished and exits 1', () => {
    const done: Progress = {
      label: 'job/a',
      active: 0,
      succeeded: 1,
      failed: 0,
      finished: { outcome: 'Complete', reason: '', message: '' },
    };
    expect(
      timeoutOutcome(
        [
          { label: 'job/a', progress: done },
          { label: 'job/b', progress: { label: 'job/b', active: 1, succeeded: 0, failed: 0 } },
          { label: 'job/c' },
        ],
        '5m',
      ),
    ).toEqual({ done: true, code: 1, message: 'timed out after 5m waiting for job/b, job/c' });
  });
  test('a timeout with nothing to wait for (CronJobs only) exits 0', () => {
    expect(timeoutOutcome([], '90s')).toEqual({ done: true, code: 0 });
  });
});

describe('parseTimeout', () => {
  const cases: Array<{ name: string; text: string; ms?: number; shown?: string }> = [
    { name: 'whole seconds', text: '90', ms: 90_000, shown: '90s' },
    { name: 'seconds', text: '90s', ms: 90_000, shown: '90s' },
    { name: 'minutes', text: '5m', ms: 300_000, shown: '5m' },
    { name: 'hours and minutes', text: '1h30m', ms: 5_400_000, shown: '1h30m' },
    { name: 'a fraction', text: '1.5h', ms: 5_400_000, shown: '1.5h' },
    { name: 'milliseconds', text: '250ms', ms: 250, shown: '250ms' },
    { name: 'a unit alone is refused', text: 'm' },
    { name: 'a trailing number without unit is refused', text: '1m30' },
    { name: 'zero is refused', text: '0s' },
    { name: 'days are not a Go unit', text: '1d' },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      if (tc.ms === undefined) expect(() => parseTimeout(tc.text)).toThrow(/invalid duration/);
      else expect(parseTimeout(tc.text)).toEqual({ ms: tc.ms, text: tc.shown });
    });
});

describe('LinePrefixer', () => {
  test('whole lines are prefixed; an unfinished line waits for the rest', () => {
    const p = new LinePrefixer('[pod/a/main] ');
    expect(p.push(Buffer.from('one\ntw')).toString()).toBe('[pod/a/main] one\n');
    expect(p.push(Buffer.from('o')).toString()).toBe('');
    expect(p.push(Buffer.from('\nthree\nfour\n')).toString()).toBe(
      '[pod/a/main] two\n[pod/a/main] three\n[pod/a/main] four\n',
    );
    expect(p.flush().toString()).toBe('');
  });
  test('a last line without a newline is ended when the container is done', () => {
    const p = new LinePrefixer('> ');
    expect(p.push(Buffer.from('no newline')).toString()).toBe('');
    expect(p.flush().toString()).toBe('> no newline\n');
    expect(p.flush().toString()).toBe('');
  });
  test('empty lines keep their prefix', () => {
    expect(new LinePrefixer('> ').push(Buffer.from('\n\n')).toString()).toBe('> \n> \n');
  });
});

describe('RunOutput', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    const s: OutStream & { text(): string } = {
      isTTY,
      columns: 40,
      write(chunk, cb) {
        written.push(chunk.toString());
        cb?.();
        return true;
      },
      text: () => written.join(''),
    };
    return s;
  };

  test('on a terminal the block is erased before a log line and drawn again after it', async () => {
    const out = stream(true);
    const term = new RunOutput(out, out);
    term.progress(['job/a: 1 active, 0 succeeded, 0 failed']);
    term.progress(['job/a: 1 active, 0 succeeded, 0 failed']);
    await term.log(Buffer.from('[pod/a/main] hi\n'));
    term.progress(['job/a complete: 1 succeeded, 0 failed']);
    expect(out.text()).toBe(
      'job/a: 1 active, 0 succeeded, 0 failed\n' +
        `${eraseRows(1)}[pod/a/main] hi\njob/a: 1 active, 0 succeeded, 0 failed\n` +
        `${eraseRows(1)}job/a complete: 1 succeeded, 0 failed\n`,
    );
  });

  test('off a terminal progress is not drawn; messages and logs pass straight through', async () => {
    const stdout = stream(false);
    const stderr = stream(false);
    const plain = new RunOutput(stdout, stderr);
    plain.progress(['job/a: 1 active, 0 succeeded, 0 failed']);
    await plain.log(Buffer.from('line\n'));
    plain.message('job/a complete: 1 succeeded, 0 failed');
    expect(stdout.text()).toBe('line\n');
    expect(stderr.text()).toBe('job/a complete: 1 succeeded, 0 failed\n');
  });

  test('block lines are cut to the terminal width', () => {
    expect(fitLine('x'.repeat(50), 40)).toBe(`${'x'.repeat(38)}…`);
    expect(fitLine('short', 40)).toBe('short');
    expect(fitLine('any', undefined)).toBe('any');
  });
});

describe('OneShotRuntime', () => {
  /** A runtime whose containers print their lines at once and run until stopped (or exit is called). */
  function fakeRuntime() {
    const exited = new Set<string>();
    const waiters = new Map<string, () => void>();
    const stopped: Array<[string, number]> = [];
    const listeners: Array<(r: ContainerRecord) => void> = [];
    const spec = (id: string): ContainerSpec => ({
      id,
      podUid: 'u',
      namespace: 'default',
      podName: 'p',
      containerName: id,
      attempt: 0,
      image: 'x',
      argv: ['true'],
      env: {},
    });
    const exit = (id: string) => {
      exited.add(id);
      waiters.get(id)?.();
      for (const l of listeners)
        l({
          spec: spec(id),
          state: { state: 'exited', exitCode: 0, reason: 'Completed', finishedAt: new Date() },
        });
    };
    const inner: ContainerRuntime = {
      name: 'fake',
      start: async () => ({ state: 'running', startedAt: new Date() }),
      onExit: (l) => {
        listeners.push(l);
      },
      stop: async (id, grace) => {
        stopped.push([id, grace]);
        exit(id);
      },
      adopt: async () => [],
      remove: async () => {},
      readLog: (id) =>
        (async function* () {
          yield Buffer.from(`${id} says hi\n`);
          if (!exited.has(id)) await new Promise<void>((resolve) => waiters.set(id, resolve));
          yield Buffer.from(`${id} says bye`);
        })(),
      pruneLogs: async () => {},
      close: async () => {},
    };
    return { inner, spec, exit, stopped };
  }

  test('every started container is followed, and containers still running at close are stopped first', async () => {
    const fake = fakeRuntime();
    const got: string[] = [];
    const rt = new OneShotRuntime(fake.inner, {
      logs: {
        chunk: async (s, c) => {
          got.push(`${s.containerName}: ${c.toString()}`);
        },
        end: async (s) => {
          got.push(`${s.containerName}: end`);
        },
      },
      stopGraceSeconds: 2,
      drainMs: 1000,
    });
    rt.onExit(() => {});
    await rt.start(fake.spec('done'));
    await rt.start(fake.spec('busy'));
    fake.exit('done');
    await rt.close();
    expect(fake.stopped).toEqual([['busy', 2]]);
    expect(got.filter((l) => l.startsWith('done'))).toEqual([
      'done: done says hi\n',
      'done: done says bye',
      'done: end',
    ]);
    expect(got.filter((l) => l.startsWith('busy'))).toEqual([
      'busy: busy says hi\n',
      'busy: busy says bye',
      'busy: end',
    ]);
  });
});
