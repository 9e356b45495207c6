/**
 * The write commands users type, with the installed kubectl 1.32 against the real batchd
 * binary: apply (client-side and server-side, with a conflict), create -f with strict
 * validation, edit, patch of every type and on /status, the imperative creates kubectl sends as
 * protobuf, --dry-run=server and diff. Each test works in its own namespace.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { API_ONLY, createNamespace, type ExecResult, serverForFile, tempDir } from '../helpers.js';

const server = serverForFile({ args: API_ONLY });

async function ok(
  args: string[],
  opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ExecResult> {
  const res = await server.kubectl(args, opts);
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res;
}

async function fails(args: string[], opts: { stdin?: string } = {}): Promise<ExecResult> {
  const res = await server.kubectl(args, opts);
  expect(res.code, `kubectl ${args.join(' ')} should fail: ${res.stdout}`).not.toBe(0);
  return res;
}

/** Reads a field of an object through kubectl's jsonpath. */
async function jsonpath(ns: string, what: string, path: string): Promise<string> {
  return (await ok(['get', what, '-n', ns, '-o', `jsonpath={${path}}`])).stdout;
}

/** A suspended job (no pods run), with its labels and backoffLimit as given. */
function jobManifest(
  name: string,
  ns: string,
  opts: { labels?: string; backoffLimit?: number; extra?: string } = {},
) {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  namespace: ${ns}
${opts.labels ? `  labels:\n${opts.labels}` : ''}spec:
  suspend: true
  backoffLimit: ${opts.backoffLimit ?? 4}
${opts.extra ?? ''}  template:
    spec:
      containers:
      - name: main
        image: busybox
        command: ["true"]
      restartPolicy: Never
`;
}

function cronJobManifest(name: string, ns: string) {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  schedule: "*/5 * * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: a
            image: busybox
            command: ["echo", "a"]
          - name: b
            image: busybox
            command: ["echo", "b"]
          restartPolicy: OnFailure
`;
}

describe('kubectl apply (client-side)', () => {
  test('creates, configures, removes a field dropped from the manifest, then reports unchanged', async () => {
    const ns = await createNamespace(server, 'csa');
    const first = jobManifest('j', ns, { labels: '    app: demo\n    tier: batch\n' });
    expect((await ok(['apply', '-f', '-'], { stdin: first })).stdout).toContain('job.batch/j created');
    const annotation = await jsonpath(
      ns,
      'job/j',
      '.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration',
    );
    expect(JSON.parse(annotation).metadata.labels).toEqual({ app: 'demo', tier: 'batch' });

    const second = jobManifest('j', ns, { labels: '    app: demo\n', backoffLimit: 2 });
    expect((await ok(['apply', '-f', '-'], { stdin: second })).stdout).toContain('job.batch/j configured');
    const labels = JSON.parse(await jsonpath(ns, 'job/j', '.metadata.labels')) as Record<string, string>;
    expect(labels.app).toBe('demo');
    expect(labels).not.toHaveProperty('tier');
    expect(await jsonpath(ns, 'job/j', '.spec.backoffLimit')).toBe('2');

    expect((await ok(['apply', '-f', '-'], { stdin: second })).stdout).toContain('job.batch/j unchanged');
  });
});

describe('kubectl apply --server-side', () => {
  test('creates, takes ownership, conflicts with another manager, and --force-conflicts takes the field', async () => {
    const ns = await createNamespace(server, 'ssa');
    const mine = jobManifest('s', ns, { backoffLimit: 3 });
    expect(
      (await ok(['apply', '--server-side', '--field-manager=alice', '-f', '-'], { stdin: mine })).stdout,
    ).toContain('job.batch/s serverside-applied');
    const managers = JSON.parse(await jsonpath(ns, 'job/s', '.metadata.managedFields')) as Array<{
      manager: string;
      operation: string;
      fieldsV1: { 'f:spec': Record<string, unknown> };
    }>;
    const alice = managers.find((m) => m.manager === 'alice');
    expect(alice?.operation).toBe('Apply');
    expect(alice?.fieldsV1['f:spec']).toHaveProperty('f:backoffLimit');

    const theirs = jobManifest('s', ns, { backoffLimit: 5 });
    const conflict = await fails(['apply', '--server-side', '--field-manager=bob', '-f', '-'], {
      stdin: theirs,
    });
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "alice": .spec.backoffLimit',
    );
    expect(await jsonpath(ns, 'job/s', '.spec.backoffLimit')).toBe('3');

    await ok(['apply', '--server-side', '--field-manager=bob', '--force-conflicts', '-f', '-'], {
      stdin: theirs,
    });
    expect(await jsonpath(ns, 'job/s', '.spec.backoffLimit')).toBe('5');
  });

  test('a field the applier no longer sends is removed', async () => {
    const ns = await createNamespace(server, 'ssa-remove');
    const withLabel = jobManifest('r', ns, { labels: '    keep: "1"\n    drop: "1"\n' });
    await ok(['apply', '--server-side', '-f', '-'], { stdin: withLabel });
    await ok(['apply', '--server-side', '-f', '-'], {
      stdin: jobManifest('r', ns, { labels: '    keep: "1"\n' }),
    });
    const labels = JSON.parse(await jsonpath(ns, 'job/r', '.metadata.labels')) as Record<string, string>;
    expect(labels.keep).toBe('1');
    expect(labels).not.toHaveProperty('drop');
  });
});

describe('kubectl create -f and validation', () => {
  test('--validate=strict rejects a misspelt field, naming it', async () => {
    const ns = await createNamespace(server, 'strict');
    const typo = jobManifest('t', ns, { extra: '  backofLimit: 3\n' });
    const res = await fails(['create', '--validate=strict', '-f', '-'], { stdin: typo });
    expect(res.stderr).toContain('strict decoding error: unknown field "spec.backofLimit"');
    await fails(['get', 'job/t', '-n', ns]);
  });

  test('--validate=warn creates the job and prints the warning', async () => {
    const ns = await createNamespace(server, 'warn');
    const typo = jobManifest('w', ns, { extra: '  backofLimit: 3\n' });
    const res = await ok(['create', '--validate=warn', '-f', '-'], { stdin: typo });
    expect(res.stderr).toContain('Warning: unknown field "spec.backofLimit"');
    expect(res.stdout).toContain('job.batch/w created');
  });
});

describe('kubectl edit', () => {
  test('an edit through $KUBE_EDITOR is sent as a strategic merge patch and kept', async () => {
    const ns = await createNamespace(server, 'edit');
    await ok(['create', '-f', '-'], { stdin: jobManifest('e', ns) });
    const editor = join(tempDir('batchd-editor-'), 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/backoffLimit: 4/backoffLimit: 2/" "$1"\n');
    chmodSync(editor, 0o755);
    const res = await ok(['edit', 'job/e', '-n', ns], { env: { KUBE_EDITOR: editor, EDITOR: editor } });
    expect(res.stdout).toContain('job.batch/e edited');
    expect(await jsonpath(ns, 'job/e', '.spec.backoffLimit')).toBe('2');
  });
});

describe('kubectl patch', () => {
  test('merge, json and strategic patches, and a patch of /status', async () => {
    const ns = await createNamespace(server, 'patch');
    await ok(['create', '-f', '-'], { stdin: cronJobManifest('cj', ns) });

    await ok(['patch', 'cronjob/cj', '-n', ns, '--type=merge', '-p', '{"spec":{"schedule":"0 * * * *"}}']);
    expect(await jsonpath(ns, 'cronjob/cj', '.spec.schedule')).toBe('0 * * * *');

    await ok([
      'patch',
      'cronjob/cj',
      '-n',
      ns,
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/suspend","value":false}]',
    ]);
    expect(await jsonpath(ns, 'cronjob/cj', '.spec.suspend')).toBe('false');

    // Strategic (kubectl's default): containers merge by name, so b and a's command stay.
    await ok([
      'patch',
      'cronjob/cj',
      '-n',
      ns,
      '-p',
      '{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"alpine"}]}}}}}}',
    ]);
    const containers = JSON.parse(
      await jsonpath(ns, 'cronjob/cj', '.spec.jobTemplate.spec.template.spec.containers'),
    ) as Array<{ name: string; image: string; command: string[] }>;
    expect(containers.map((c) => [c.name, c.image, c.command.join(' ')])).toEqual([
      ['a', 'alpine', 'echo a'],
      ['b', 'busybox', 'echo b'],
    ]);

    const status = await ok([
      'patch',
      'cronjob/cj',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"lastScheduleTime":"2026-01-02T03:04:05Z"},"spec":{"schedule":"@daily"}}',
    ]);
    expect(status.stdout).toContain('cronjob.batch/cj patched');
    expect(await jsonpath(ns, 'cronjob/cj', '.status.lastScheduleTime')).toBe('2026-01-02T03:04:05Z');
    expect(await jsonpath(ns, 'cronjob/cj', '.spec.schedule')).toBe('0 * * * *');
  });

  test('a patch that changes nothing prints (no change)', async () => {
    const ns = await createNamespace(server, 'nochange');
    await ok(['create', '-f', '-'], { stdin: jobManifest('nc', ns) });
    const res = await ok(['patch', 'job/nc', '-n', ns, '--type=merge', '-p', '{"spec":{"backoffLimit":4}}']);
    expect(res.stdout).toContain('job.batch/nc patched (no change)');
  });
});

describe('imperative creates (protobuf bodies)', () => {
  test('create namespace, job --image, cronjob, and job --from=cronjob', async () => {
    expect((await ok(['create', 'namespace', 'imperative'])).stdout).toContain(
      'namespace/imperative created',
    );
    const ns = 'imperative';
    await ok(['create', 'job', 'hello', '-n', ns, '--image=busybox', '--', 'echo', 'hi']);
    expect(await jsonpath(ns, 'job/hello', '.spec.template.spec.containers[0].command')).toBe(
      '["echo","hi"]',
    );
    await ok([
      'create',
      'cronjob',
      'tick',
      '-n',
      ns,
      '--image=busybox',
      '--schedule=*/5 * * * *',
      '--',
      'date',
    ]);
    expect(await jsonpath(ns, 'cronjob/tick', '.spec.schedule')).toBe('*/5 * * * *');
    await ok(['create', 'job', 'manual', '-n', ns, '--from=cronjob/tick']);
    expect(
      await jsonpath(ns, 'job/manual', '.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate'),
    ).toBe('manual');
    const owner = JSON.parse(await jsonpath(ns, 'job/manual', '.metadata.ownerReferences[0]')) as {
      kind: string;
      name: string;
      controller: boolean;
    };
    expect(owner).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
  });
});

describe('--dry-run=server and diff', () => {
  test('create, apply, patch and delete with --dry-run=server write nothing', async () => {
    const ns = await createNamespace(server, 'dry');
    const created = await ok(['create', '--dry-run=server', '-o', 'json', '-f', '-'], {
      stdin: jobManifest('d', ns),
    });
    const obj = JSON.parse(created.stdout) as {
      metadata: { uid?: string };
      spec: { completionMode: string };
    };
    expect(obj.spec.completionMode).toBe('NonIndexed');
    await fails(['get', 'job/d', '-n', ns]);
    await ok(['apply', '--dry-run=server', '-f', '-'], { stdin: jobManifest('d', ns) });
    await fails(['get', 'job/d', '-n', ns]);

    await ok(['create', '-f', '-'], { stdin: jobManifest('d', ns) });
    await ok([
      'patch',
      'job/d',
      '-n',
      ns,
      '--dry-run=server',
      '--type=merge',
      '-p',
      '{"spec":{"backoffLimit":1}}',
    ]);
    expect(await jsonpath(ns, 'job/d', '.spec.backoffLimit')).toBe('4');
    await ok(['delete', 'job/d', '-n', ns, '--dry-run=server']);
    expect(await jsonpath(ns, 'job/d', '.metadata.name')).toBe('d');
  });

  test('kubectl diff shows a change and exits 1, and exits 0 when nothing differs', async () => {
    const ns = await createNamespace(server, 'diff');
    await ok(['apply', '-f', '-'], { stdin: jobManifest('df', ns) });
    const same = await server.kubectl(['diff', '-f', '-'], { stdin: jobManifest('df', ns) });
    expect(same.code, same.stderr).toBe(0);
    const changed = await server.kubectl(['diff', '-f', '-'], {
      stdin: jobManifest('df', ns, { backoffLimit: 1 }),
    });
    expect(changed.code, changed.stderr).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+backoffLimit: 4$/m);
    expect(changed.stdout).toMatch(/^\+\s+backoffLimit: 1$/m);
  });
});
