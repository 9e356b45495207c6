/**
 * fieldValidation and write options over real HTTP: unknown and repeated fields rejected under
 * Strict (400 for create and update, 422 for patches), reported as `Warning` headers under Warn
 * (the default) and dropped under Ignore, for JSON and YAML bodies; bad option values answered
 * with upstream's 422 on `<Kind>Options.meta.k8s.io`; nothing stored when a write is refused.
 */
import { describe, expect, test } from 'vitest';
import { API_ONLY, type HttpResult, newJob, serverForFile } from '../helpers.js';

const NS = 'fv';
const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;

const server = serverForFile({ namespaces: [NS], args: API_ONLY });

interface Status {
  code: number;
  reason: string;
  message: string;
  details?: { causes?: Array<{ field: string; reason: string; message: string }> };
}

const warningsOf = (res: HttpResult): string[] => {
  const h = res.headers.warning;
  const all = h === undefined ? [] : Array.isArray(h) ? h : [h];
  // Node joins repeated headers with ", ": take each quoted warning text.
  return all.flatMap((w) =>
    [...w.matchAll(/299 - ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1] ?? '') as string),
  );
};

/** A job body as text, with `extra` spliced into its spec (unknown or repeated fields). */
const jobJson = (name: string, extra: string) =>
  `{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"${name}"},"spec":{${extra}"template":{"spec":{"containers":[{"name":"c","image":"busybox"}],"restartPolicy":"Never"}}}}`;

const jobYaml = (name: string, extra: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${extra}  template:
    spec:
      containers:
      - name: c
        image: busybox
      restartPolicy: Never
`;

describe('create with unknown and repeated fields', () => {
  const cases: Array<{
    name: string;
    validation?: string;
    body: (name: string) => string;
    yaml?: boolean;
    code: number;
    message?: string;
    warnings?: string[];
  }> = [
    {
      name: 'Strict rejects an unknown field with its path',
      validation: 'Strict',
      body: (n) => jobJson(n, '"foo":1,'),
      code: 400,
      message:
        'Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.foo"',
    },
    {
      name: 'Strict names unknown fields deep in the pod template',
      validation: 'Strict',
      body: (n) =>
        `{"metadata":{"name":"${n}","bogus":"x"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox","imagee":"x"}],"restartPolicy":"Never"}}}}`,
      code: 400,
      message:
        'Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "metadata.bogus", unknown field "spec.template.spec.containers[0].imagee"',
    },
    {
      name: 'Strict rejects a repeated JSON key',
      validation: 'Strict',
      body: (n) => jobJson(n, '"parallelism":1,"parallelism":2,'),
      code: 400,
      message:
        'Job in version "v1" cannot be handled as a Job: strict decoding error: duplicate field "spec.parallelism"',
    },
    {
      name: 'Strict rejects a repeated YAML key with its line',
      validation: 'Strict',
      yaml: true,
      body: (n) => jobYaml(n, '  parallelism: 1\n  parallelism: 2\n'),
      code: 400,
      message:
        'Job in version "v1" cannot be handled as a Job: strict decoding error: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "parallelism" already set in map',
    },
    {
      name: 'Warn (the default) accepts and warns once per problem',
      body: (n) => jobJson(n, '"foo":1,"bar":{"x":1},'),
      code: 201,
      warnings: ['unknown field "spec.bar"', 'unknown field "spec.foo"'],
    },
    {
      name: 'Warn reports YAML unknown fields too',
      validation: 'Warn',
      yaml: true,
      body: (n) => jobYaml(n, '  foo: 1\n'),
      code: 201,
      warnings: ['unknown field "spec.foo"'],
    },
    {
      name: 'Ignore drops unknown fields silently',
      validation: 'Ignore',
      body: (n) => jobJson(n, '"foo":1,"parallelism":1,"parallelism":3,'),
      code: 201,
      warnings: [],
    },
  ];
  test.each(cases)('$name', async (tc) => {
    const name = `c-${cases.indexOf(tc)}`;
    const query = tc.validation ? `?fieldValidation=${tc.validation}` : '';
    const res = await server.request<Status>('POST', `${JOBS}${query}`, {
      body: tc.body(name),
      contentType: tc.yaml ? 'application/yaml' : 'application/json',
    });
    expect(res.code, res.text).toBe(tc.code);
    if (tc.message !== undefined) {
      expect(res.body.reason).toBe('BadRequest');
      expect(res.body.message).toBe(tc.message);
      const stored = await server.request('GET', `${JOBS}/${name}`);
      expect(stored.code).toBe(404);
    }
    if (tc.warnings) expect(warningsOf(res).sort()).toEqual(tc.warnings);
  });

  test('the last of repeated keys wins when the write is accepted', async () => {
    const res = await server.request<{ spec: { parallelism: number } }>(
      'POST',
      `${JOBS}?fieldValidation=Warn`,
      {
        body: jobJson('last-wins', '"parallelism":1,"parallelism":3,'),
      },
    );
    expect(res.code).toBe(201);
    expect(res.body.spec.parallelism).toBe(3);
    expect(warningsOf(res)).toEqual(['duplicate field "spec.parallelism"']);
  });
});

describe('update and patch', () => {
  test('a PUT with an unknown field under Strict is a 400 and changes nothing', async () => {
    const created = await server.request<{ metadata: { resourceVersion: string } }>('POST', JOBS, {
      body: newJob('put-strict'),
    });
    expect(created.code).toBe(201);
    const body = {
      ...newJob('put-strict'),
      metadata: { name: 'put-strict', labels: { a: 'b' } },
      extra: true,
    };
    const res = await server.request<Status>('PUT', `${JOBS}/put-strict?fieldValidation=Strict`, { body });
    expect(res.code, res.text).toBe(400);
    expect(res.body.message).toBe(
      'Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "extra"',
    );
    const after = await server.request<{ metadata: { resourceVersion: string; labels: object } }>(
      'GET',
      `${JOBS}/put-strict`,
    );
    expect(after.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
    expect(after.body.metadata.labels).not.toHaveProperty('a');
  });

  test('a merge patch adding an unknown field under Strict is a 422 on the field patch', async () => {
    await server.request('POST', JOBS, { body: newJob('patch-strict') });
    const res = await server.request<Status>('PATCH', `${JOBS}/patch-strict?fieldValidation=Strict`, {
      body: '{"spec":{"foo":1}}',
      contentType: 'application/merge-patch+json',
    });
    expect(res.code, res.text).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toMatch(
      /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "spec.foo"$/s,
    );
    expect(res.body.details?.causes?.[0]?.field).toBe('patch');
  });

  test('a merge patch with an unknown field under Warn succeeds with a warning', async () => {
    await server.request('POST', JOBS, { body: newJob('patch-warn') });
    const res = await server.request('PATCH', `${JOBS}/patch-warn`, {
      body: '{"metadata":{"labels":{"x":"y"}},"spec":{"foo":1}}',
      contentType: 'application/merge-patch+json',
    });
    expect(res.code, res.text).toBe(200);
    expect(warningsOf(res)).toEqual(['unknown field "spec.foo"']);
  });

  test('a JSON patch with a repeated key under Strict names it', async () => {
    await server.request('POST', JOBS, { body: newJob('jp-strict') });
    const res = await server.request<Status>('PATCH', `${JOBS}/jp-strict?fieldValidation=Strict`, {
      body: '[{"op":"add","op":"add","path":"/metadata/labels","value":{"a":"b"}}]',
      contentType: 'application/json-patch+json',
    });
    expect(res.code, res.text).toBe(422);
    expect(res.body.message).toContain('strict decoding error: json patch duplicate field "[0].op"');
  });
});

describe('write options', () => {
  const cases: Array<{ name: string; method: string; path: string; contentType?: string; message: string }> =
    [
      {
        name: 'an unknown fieldValidation value',
        method: 'POST',
        path: `${JOBS}?fieldValidation=Loose`,
        message:
          'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
      },
      {
        name: 'a dryRun other than All',
        method: 'PUT',
        path: `${JOBS}/x?dryRun=Some`,
        message:
          'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"',
      },
      {
        name: 'force on a merge patch',
        method: 'PATCH',
        path: `${JOBS}/x?force=true`,
        contentType: 'application/merge-patch+json',
        message:
          'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
      },
      {
        name: 'a field manager over 128 characters',
        method: 'POST',
        path: `${JOBS}?fieldManager=${'m'.repeat(129)}`,
        message:
          'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
      },
    ];
  test.each(cases)('$name is a 422 on the options', async (tc) => {
    const res = await server.request<Status>(tc.method, tc.path, {
      body: tc.method === 'PATCH' ? '{}' : newJob('x'),
      ...(tc.contentType ? { contentType: tc.contentType } : {}),
    });
    expect(res.code, res.text).toBe(422);
    expect(res.body.message).toBe(tc.message);
  });
});
