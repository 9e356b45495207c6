/**
 * The Foundation flows as a user runs them: the installed kubectl 1.32 against the real batchd
 * binary (real HTTPS, real SQLite). One server for the file; each test works in its own namespace.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  API_ONLY,
  createNamespace,
  eventually,
  FIXTURES,
  type KubeObjectLike,
  newJob,
  serverForFile,
} from '../helpers.js';

const JOB_YAML = join(FIXTURES, 'job.yaml');

const server = serverForFile({ args: API_ONLY });

const namespace = (name: string) => createNamespace(server, name);

async function createJobs(ns: string, ...jobs: Array<ReturnType<typeof newJob>>): Promise<void> {
  for (const job of jobs) {
    const res = await server.request('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, { body: job });
    expect(res.code, res.text).toBe(201);
  }
}

/** The first column of every row after the header: the names kubectl printed. */
function names(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

async function ok(args: string[], stdin?: string): Promise<string> {
  const res = await server.kubectl(args, stdin === undefined ? {} : { stdin });
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

describe('discovery and version', () => {
  test('kubectl version reports server version 1.32', async () => {
    const out = JSON.parse(await ok(['version', '-o', 'json'])) as {
      serverVersion: { major: string; minor: string; gitVersion: string };
    };
    expect(out.serverVersion).toMatchObject({ major: '1', minor: '32' });
    expect(out.serverVersion.gitVersion).toMatch(/^v1\.32\./);
  });

  test('kubectl api-resources lists jobs and cronjobs with the cj short name and the all category', async () => {
    const out = await ok(['api-resources', '-o', 'wide']);
    const rows = new Map(out.split('\n').map((l) => [l.split(/\s+/)[0], l.split(/\s+/)] as const));
    expect(rows.get('cronjobs')).toEqual(
      expect.arrayContaining(['cj', 'batch/v1', 'true', 'CronJob', 'all']),
    );
    expect(rows.get('jobs')).toEqual(expect.arrayContaining(['batch/v1', 'true', 'Job', 'all']));
    expect(rows.get('namespaces')).toEqual(expect.arrayContaining(['ns', 'v1', 'false', 'Namespace']));
    expect(rows.get('pods')).toEqual(expect.arrayContaining(['po', 'v1', 'true', 'Pod', 'all']));
  });

  test('kubectl get ns shows the system namespaces of a new cluster', async () => {
    const out = await ok(['get', 'ns']);
    expect(names(out)).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public']));
  });
});

describe('a job through its life', () => {
  test('create, create again, get, label, annotate, get a missing job, delete', async () => {
    const ns = await namespace('life');
    expect(await ok(['create', '-n', ns, '-f', JOB_YAML])).toBe('job.batch/pi created\n');

    const again = await server.kubectl(['create', '-n', ns, '-f', JOB_YAML]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(
      `Error from server (AlreadyExists): error when creating "${JOB_YAML}": jobs.batch "pi" already exists`,
    );

    expect(names(await ok(['get', 'jobs', '-n', ns]))).toEqual(['pi']);

    const job = JSON.parse(await ok(['get', 'job', 'pi', '-n', ns, '-o', 'json'])) as KubeObjectLike;
    expect(job).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: ns },
    });
    expect(job.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(job.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(job.metadata.generation).toBe(1);
    expect(job.metadata.resourceVersion).toMatch(/^\d+$/);

    expect(await ok(['label', 'job', 'pi', '-n', ns, 'tier=batch'])).toBe('job.batch/pi labeled\n');
    const annotate = await server.kubectl(['annotate', 'job', 'pi', '-n', ns, 'owner=team-a', '-v=8']);
    expect(annotate.code, annotate.stderr).toBe(0);
    expect(annotate.stdout).toBe('job.batch/pi annotated\n');
    // kubectl annotate sends a JSON merge patch.
    expect(annotate.stderr).toMatch(new RegExp(`PATCH https://\\S+/namespaces/${ns}/jobs/pi\\?`));
    expect(annotate.stderr).toContain('Content-Type: application/merge-patch+json');
    const labelled = JSON.parse(await ok(['get', 'job', 'pi', '-n', ns, '-o', 'json'])) as KubeObjectLike;
    expect(labelled.metadata.labels).toEqual({ app: 'pi', tier: 'batch' });
    expect(labelled.metadata.annotations).toEqual({ owner: 'team-a' });
    // Metadata changes do not count as a new generation, and the uid never changes.
    expect(labelled.metadata.generation).toBe(1);
    expect(labelled.metadata.uid).toBe(job.metadata.uid);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(Number(job.metadata.resourceVersion));

    const missing = await server.kubectl(['get', 'job', 'nosuch', '-n', ns]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): jobs.batch "nosuch" not found');

    expect(await ok(['delete', 'job', 'pi', '-n', ns])).toBe('job.batch "pi" deleted\n');
    const gone = await server.kubectl(['get', 'job', 'pi', '-n', ns]);
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): jobs.batch "pi" not found');
  });
});

describe('watching', () => {
  test('kubectl get jobs -w prints ADDED, then MODIFIED as another kubectl changes labels', async () => {
    const ns = await namespace('watching');
    await createJobs(ns, newJob('w1'));
    const watch = server.kubectlBackground(['get', 'jobs', '-n', ns, '-w', '--output-watch-events']);
    try {
      const rows = () =>
        watch
          .stdout()
          .split('\n')
          .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
      await eventually(() => expect(rows()).toContain('ADDED w1'));
      await ok(['label', 'job', 'w1', '-n', ns, 'stage=one']);
      await eventually(() => expect(rows()).toContain('MODIFIED w1'));
      await ok(['label', 'job', 'w1', '-n', ns, 'stage=two', '--overwrite']);
      await eventually(() => expect(rows().filter((r) => r === 'MODIFIED w1')).toHaveLength(2));
      await createJobs(ns, newJob('w2'));
      await eventually(() => expect(rows()).toContain('ADDED w2'));
    } finally {
      watch.kill();
      await watch.exited;
    }
  });
});

describe('server-side tables', () => {
  /** Splits kubectl's aligned columns (two or more spaces apart). */
  const table = (stdout: string) =>
    stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/));

  test('kubectl get jobs prints upstream columns, -o wide the containers, images and selector', async () => {
    const ns = await namespace('tables');
    await createJobs(ns, newJob('t1'));
    const plain = table(await ok(['get', 'jobs', '-n', ns]));
    expect(plain[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(plain[1]?.slice(0, 3)).toEqual(['t1', 'Running', '0/1']);
    const wide = table(await ok(['get', 'jobs', '-n', ns, '-o', 'wide']));
    expect(wide[0]).toEqual([
      'NAME',
      'STATUS',
      'COMPLETIONS',
      'DURATION',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(wide[1]?.slice(-3, -1)).toEqual(['main', 'busybox']);
    expect(wide[1]?.at(-1)).toMatch(/^batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/);
    const labelled = table(await ok(['get', 'jobs', '-n', ns, '-L', 'job-name', '--show-labels']));
    expect(labelled[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'JOB-NAME', 'LABELS']);
    // DURATION is empty before the job starts, so count from the end of the row.
    expect(labelled[1]?.at(-2)).toBe('t1');
    expect(labelled[1]?.at(-1)).toContain('job-name=t1');
  });

  test('kubectl get ns shows STATUS and the name label every namespace carries', async () => {
    const ns = await namespace('tables-ns');
    const rows = table(await ok(['get', 'ns', ns, '--show-labels']));
    expect(rows).toEqual([
      ['NAME', 'STATUS', 'AGE', 'LABELS'],
      [ns, 'Active', expect.stringMatching(/^\d+s$/), `kubernetes.io/metadata.name=${ns}`],
    ]);
  });

  test('kubectl get cronjobs prints schedule, time zone and suspend', async () => {
    const ns = await namespace('tables-cj');
    const res = await server.request('POST', `/apis/batch/v1/namespaces/${ns}/cronjobs`, {
      body: {
        metadata: { name: 'nightly' },
        spec: {
          schedule: '0 3 * * *',
          timeZone: 'Europe/Rome',
          jobTemplate: {
            spec: {
              template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
            },
          },
        },
      },
    });
    expect(res.code, res.text).toBe(201);
    const rows = table(await ok(['get', 'cj', '-n', ns]));
    expect(rows[0]).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(rows[1]?.slice(0, 6)).toEqual(['nightly', '0 3 * * *', 'Europe/Rome', 'False', '0', '<none>']);
  });
});

describe('listing', () => {
  test('kubectl get -A lists jobs of every namespace with a NAMESPACE column', async () => {
    const a = await namespace('all-a');
    const b = await namespace('all-b');
    await createJobs(a, newJob('in-a'));
    await createJobs(b, newJob('in-b'));
    const out = await ok(['get', 'jobs', '-A']);
    const rows = out.trim().split('\n');
    expect(rows[0]).toMatch(/^NAMESPACE\s+NAME\s/);
    const pairs = rows.slice(1).map((r) => r.split(/\s+/).slice(0, 2).join('/'));
    expect(pairs).toEqual(expect.arrayContaining([`${a}/in-a`, `${b}/in-b`]));
  });

  test('kubectl get --chunk-size=2 pages through 5 jobs with limit and continue', async () => {
    const ns = await namespace('chunks');
    await createJobs(ns, ...['c1', 'c2', 'c3', 'c4', 'c5'].map((n) => newJob(n)));
    const res = await server.kubectl(['get', 'jobs', '-n', ns, '--chunk-size=2', '-v=6']);
    expect(res.code, res.stderr).toBe(0);
    expect(names(res.stdout)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    const lists = res.stderr
      .split('\n')
      .filter((l) => l.includes(`GET `) && l.includes(`/namespaces/${ns}/jobs?`));
    expect(lists).toHaveLength(3);
    expect(lists.every((l) => l.includes('limit=2'))).toBe(true);
    expect(lists.filter((l) => l.includes('continue='))).toHaveLength(2);
  });

  const selectorCases: Array<{ name: string; args: string[]; want: string[] }> = [
    {
      name: 'a label selector picks the jobs with the label',
      args: ['jobs', '-l', 'app=x'],
      want: ['sx1', 'sx2'],
    },
    {
      name: 'a set-based label selector picks by membership',
      args: ['jobs', '-l', 'app in (y)'],
      want: ['sy'],
    },
    {
      name: 'a field selector on metadata.name picks one job',
      args: ['jobs', '--field-selector', 'metadata.name=sy'],
      want: ['sy'],
    },
    {
      name: 'a field selector with != excludes a job',
      args: ['jobs', '--field-selector', 'metadata.name!=sy'],
      want: ['sx1', 'sx2'],
    },
    {
      name: 'status.phase=Pending on pods picks the new pod',
      args: ['pods', '--field-selector', 'status.phase=Pending'],
      want: ['p1'],
    },
  ];
  describe('selectors', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await namespace('selectors');
      await createJobs(
        ns,
        newJob('sx1', { labels: { app: 'x' } }),
        newJob('sx2', { labels: { app: 'x' } }),
        newJob('sy', { labels: { app: 'y' } }),
      );
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p1' },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      };
      const res = await server.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod });
      expect(res.code, res.text).toBe(201);
    });
    for (const tc of selectorCases) {
      test(tc.name, async () => {
        expect(names(await ok(['get', ...tc.args, '-n', ns]))).toEqual(tc.want);
      });
    }
    test('a selector that matches nothing prints No resources found', async () => {
      const res = await server.kubectl(['get', 'pods', '-n', ns, '--field-selector', 'status.phase=Running']);
      expect(res.code).toBe(0);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim()).toBe(`No resources found in ${ns} namespace.`);
    });
  });
});

describe('namespaces', () => {
  test('create a namespace from a manifest, create a job in it, fail in a missing namespace', async () => {
    const manifest = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n';
    expect(await ok(['create', '-f', '-'], manifest)).toBe('namespace/team-a created\n');
    expect(names(await ok(['get', 'ns', 'team-a']))).toEqual(['team-a']);
    expect(await ok(['create', '-n', 'team-a', '-f', JOB_YAML])).toBe('job.batch/pi created\n');
    expect(names(await ok(['get', 'jobs', '-n', 'team-a']))).toEqual(['pi']);

    const missing = await server.kubectl(['create', '-n', 'nope', '-f', JOB_YAML]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      `Error from server (NotFound): error when creating "${JOB_YAML}": namespaces "nope" not found`,
    );
  });

  test('kubectl delete ns removes the namespace and everything in it', async () => {
    const ns = await namespace('doomed');
    await createJobs(ns, newJob('d1'), newJob('d2'));
    expect(await ok(['delete', 'ns', ns, '--wait=false'])).toBe(`namespace "${ns}" deleted\n`);
    // The namespace controller empties it, then removes its finalizer.
    await eventually(
      async () => {
        const res = await server.kubectl(['get', 'ns', ns]);
        expect(res.stderr.trim()).toBe(`Error from server (NotFound): namespaces "${ns}" not found`);
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const jobs = await server.request<KubeObjectLike>('GET', `/apis/batch/v1/namespaces/${ns}/jobs`);
    expect(jobs.body.items).toEqual([]);
  });
});
