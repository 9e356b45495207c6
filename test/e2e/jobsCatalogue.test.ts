/**
 * The Job-controller catalogue rows that need a whole server (docs: the job-controller reference,
 * §6.5): deletion with the tracking finalizer on running pods (row 86) and the `ready` count across
 * suspend and resume (row 92). The simulated runtime keeps pods running for as long as their
 * `sim.batchd.io/run-seconds` annotation says, so the pods are still running when the test acts.
 */
import { describe, expect, test } from 'vitest';
import { eventually, serverForFile, simulatedJob, type WatchEvent, type WatchStream } from '../helpers.js';

const server = serverForFile({ args: ['--runtime', 'simulated', '--job-backoff-scale', '0.01'] });

const TRACKING = 'batch.kubernetes.io/job-tracking';

async function ok(args: string[], stdin?: string): Promise<string> {
  const res = await server.kubectl(args, stdin === undefined ? {} : { stdin });
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

const jsonpath = (ns: string, what: string, path: string) =>
  ok(['get', what, '-n', ns, '-o', `jsonpath=${path}`]);

/** A Job whose pods run for ten minutes: long enough to be running whenever the test acts. */
const longJob = (name: string, spec: string) => simulatedJob(name, spec, { seconds: 600 });

async function namespace(name: string): Promise<string> {
  await ok(['create', 'namespace', name]);
  return name;
}

const rv = (e: WatchEvent) => Number(e.object.metadata.resourceVersion);
const deletedOf = (w: WatchStream) => w.events.filter((e) => e.type === 'DELETED');

describe('deleting a Job whose running pods hold the tracking finalizer (row 86)', () => {
  const cases = [
    { cascade: 'background', jobGoes: 'before its pods' },
    { cascade: 'foreground', jobGoes: 'only after its pods' },
  ] as const;

  for (const { cascade, jobGoes } of cases) {
    test(`kubectl delete --cascade=${cascade}: the controller drops the finalizers, GC deletes every pod, and the Job goes ${jobGoes}`, async () => {
      const ns = await namespace(`row86-${cascade}`);
      await ok(['apply', '-n', ns, '-f', '-'], longJob('held', '  parallelism: 2\n  completions: 2'));
      await eventually(
        async () => {
          expect(await jsonpath(ns, 'job/held', '{.status.active}')).toBe('2');
          const finalizers = await jsonpath(
            ns,
            'pods',
            '{range .items[*]}{.metadata.finalizers}{"\\n"}{end}',
          );
          expect(finalizers.trim().split('\n')).toEqual([`["${TRACKING}"]`, `["${TRACKING}"]`]);
        },
        { timeoutMs: 15_000 },
      );
      // Watches from now on: the pods' and the Job's events, ordered by their resourceVersions.
      const podWatch = await server.watch(`/api/v1/namespaces/${ns}/pods?watch=true`);
      const jobWatch = await server.watch(`/apis/batch/v1/namespaces/${ns}/jobs?watch=true`);
      try {
        // kubectl waits for the Job itself to be gone before it returns.
        await ok(['delete', 'job/held', '-n', ns, `--cascade=${cascade}`]);
        if (cascade === 'foreground') {
          // The Job was only removed once its pods were: none may be left now.
          expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe('');
        }
        await eventually(async () => expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe(''), {
          timeoutMs: 20_000,
        });
        await eventually(() => {
          expect(deletedOf(podWatch)).toHaveLength(2);
          expect(deletedOf(jobWatch)).toHaveLength(1);
        });
        // Each pod was deleted gracefully (GC set its deletionTimestamp) and then removed, which the
        // tracking finalizer it held allows only once the Job controller has taken it away.
        for (const e of deletedOf(podWatch)) {
          const name = e.object.metadata.name;
          const terminating = podWatch.events.some(
            (m) =>
              m.type === 'MODIFIED' &&
              m.object.metadata.name === name &&
              !!m.object.metadata.deletionTimestamp,
          );
          expect(terminating, `${name} was deleted gracefully first`).toBe(true);
        }
        const jobGone = rv(deletedOf(jobWatch)[0] as WatchEvent);
        const podsGone = deletedOf(podWatch).map(rv);
        if (cascade === 'foreground') {
          const blocked = jobWatch.events.some(
            (e) =>
              e.type === 'MODIFIED' &&
              !!e.object.metadata.deletionTimestamp &&
              (e.object.metadata.finalizers ?? []).includes('foregroundDeletion'),
          );
          expect(blocked, 'the Job waited with the foregroundDeletion finalizer').toBe(true);
          expect(jobGone).toBeGreaterThan(Math.max(...podsGone));
        } else {
          expect(jobGone).toBeLessThan(Math.min(...podsGone));
        }
      } finally {
        podWatch.close();
        jobWatch.close();
      }
    });
  }
});

describe('status.ready across suspend and resume (row 92)', () => {
  test('a suspended Job reports ready 0, resumed it reports ready = parallelism, suspended again ready 0', async () => {
    const ns = await namespace('row92');
    await ok(
      ['apply', '-n', ns, '-f', '-'],
      longJob('rdy', '  parallelism: 2\n  completions: 4\n  suspend: true'),
    );
    const state = () =>
      jsonpath(
        ns,
        'job/rdy',
        '{.status.conditions[?(@.type=="Suspended")].status} ready={.status.ready} active={.status.active}',
      );
    await eventually(async () => expect(await state()).toBe('True ready=0 active='));
    expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe('');

    await ok(['patch', 'job/rdy', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await eventually(async () => expect(await state()).toBe('False ready=2 active=2'), { timeoutMs: 15_000 });

    await ok(['patch', 'job/rdy', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    await eventually(async () => expect(await state()).toBe('True ready=0 active='), { timeoutMs: 15_000 });
    // Suspension deletes the pods without counting them as failed.
    await eventually(async () => expect(await ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe(''), {
      timeoutMs: 20_000,
    });
    expect(await jsonpath(ns, 'job/rdy', 'failed={.status.failed}')).toBe('failed=');
  });
});
