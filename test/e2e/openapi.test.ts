/**
 * OpenAPI v3 as kubectl uses it: explain, client-side validation handed to the server, and the
 * HTTP caching of hashed document URLs. One server for the file; each kubectl test uses its own
 * namespace.
 */
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  API_ONLY,
  createNamespace,
  FIXTURES,
  type KubeCredentials,
  killAll,
  readKubeconfig,
  removeTempDirs,
  type Server,
  startServer,
} from '../helpers.js';

const JOB_YAML = join(FIXTURES, 'job.yaml');

let server: Server;
let creds: KubeCredentials;

beforeAll(async () => {
  server = await startServer({ args: API_ONLY });
  creds = readKubeconfig(server.kubeconfig);
});

afterAll(async () => {
  await server?.stop();
  await killAll();
  removeTempDirs();
});

interface Answer {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A GET with any headers (the shared helper sets only Accept). */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((res, rej) => {
    const req = httpsRequest(
      new URL(path, server.url),
      { method: 'GET', ca: creds.ca, headers: { authorization: `Bearer ${creds.token}`, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', rej);
        response.on('end', () =>
          res({
            code: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', rej);
    req.end();
  });
}

async function batchURL(): Promise<string> {
  const index = JSON.parse((await get('/openapi/v3')).text) as {
    paths: Record<string, { serverRelativeURL: string }>;
  };
  return index.paths['apis/batch/v1']?.serverRelativeURL ?? '';
}

describe('the index and documents over HTTP', () => {
  test('the index links every group version by hash and is never cached', async () => {
    const res = await get('/openapi/v3');
    expect(res.code).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-cache, private');
    const paths = Object.keys((JSON.parse(res.text) as { paths: object }).paths);
    expect(paths).toEqual([
      'api',
      'api/v1',
      'apis',
      'apis/batch',
      'apis/batch/v1',
      'apis/batch/v1beta1',
      'version',
    ]);
    expect(await batchURL()).toMatch(/^\/openapi\/v3\/apis\/batch\/v1\?hash=[0-9A-F]{128}$/);
  });

  test('a document fetched by its current hash may be cached forever', async () => {
    const url = await batchURL();
    const res = await get(url);
    expect(res.code).toBe(200);
    expect(res.headers['cache-control']).toBe('public, immutable');
    expect(res.headers.etag).toBe(`"${url.split('hash=')[1]}"`);
    const expires = Date.parse(String(res.headers.expires));
    expect(expires - Date.now()).toBeGreaterThan(360 * 24 * 3600 * 1000);
    expect((JSON.parse(res.text) as { openapi: string }).openapi).toBe('3.0.0');
  });

  test('a document fetched without a hash is not cached', async () => {
    const res = await get('/openapi/v3/apis/batch/v1');
    expect(res.code).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache, private');
    expect(res.headers.expires).toBeUndefined();
  });

  test('a stale hash is redirected to the current URL', async () => {
    const res = await get('/openapi/v3/apis/batch/v1?hash=0123');
    expect(res.code).toBe(301);
    expect(res.headers.location).toBe(await batchURL());
  });

  test('a matching If-None-Match gets 304 with no body', async () => {
    const url = await batchURL();
    const etag = String((await get(url)).headers.etag);
    const res = await get(url, { 'if-none-match': etag });
    expect(res.code).toBe(304);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe(etag);
  });

  test('a group version batchd does not serve is 404', async () => {
    expect((await get('/openapi/v3/apis/apps/v1')).code).toBe(404);
  });

  test('a client accepting only the protobuf form is told 406', async () => {
    const res = await get('/openapi/v3/apis/batch/v1', {
      accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf',
    });
    expect(res.code).toBe(406);
  });

  test('OpenAPI v2 stays unserved', async () => {
    expect((await get('/openapi/v2')).code).toBe(404);
  });
});

describe('kubectl', () => {
  test('explain prints the catalog documentation of a nested field', async () => {
    const res = await server.kubectl(['explain', 'job.spec.podFailurePolicy.rules']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('GROUP:      batch');
    expect(res.stdout).toContain('FIELD: rules <[]PodFailurePolicyRule>');
    for (const field of ['action', 'onExitCodes', 'onPodConditions']) expect(res.stdout).toContain(field);
  });

  test('explain --recursive walks a cronjob spec through its references', async () => {
    const res = await server.kubectl(['explain', 'cronjob.spec', '--recursive']);
    expect(res.code, res.stderr).toBe(0);
    for (const field of ['jobTemplate', 'schedule', 'timeZone', 'podFailurePolicy', 'containers'])
      expect(res.stdout).toContain(field);
  });

  test('create -f validates through the server, so it needs no --validate=false', async () => {
    const ns = await createNamespace(server, 'openapi-create');
    const res = await server.kubectl(['create', '-n', ns, '-f', JOB_YAML]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('job.batch/pi created\n');
  });

  test('create -f --validate=strict hands a manifest with an unknown field to the server', async () => {
    const ns = await createNamespace(server, 'openapi-strict');
    const manifest = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: {name: typo}',
      'spec:',
      '  backofLimit: 2',
      '  template:',
      '    spec:',
      '      restartPolicy: Never',
      '      containers: [{name: c, image: busybox}]',
    ].join('\n');
    const res = await server.kubectl(['create', '-n', ns, '-f', '-', '--validate=strict'], {
      stdin: manifest,
    });
    // kubectl's own validator would say "error validating data"; the server answers instead.
    expect(res.stderr).not.toContain('error validating');
    expect(res.code === 0 ? res.stdout : res.stderr).toMatch(/job.batch\/typo created|Error from server/);
  });

  // Earlier explains in this file have fetched the document once already.
  test('a second explain reads the hashed document from kubectl cache, not the server', async () => {
    // At -v=8 kubectl logs the response headers; its HTTP cache marks what it answered itself.
    const hashedFetch = (stderr: string) => {
      const start = stderr.search(/GET \S+\/openapi\/v3\/apis\/batch\/v1\?hash=/);
      expect(start, 'kubectl fetched the hashed batch/v1 document').toBeGreaterThanOrEqual(0);
      const rest = stderr.slice(start + 4);
      const next = rest.search(/ GET /);
      return next < 0 ? rest : rest.slice(0, next);
    };
    const first = await server.kubectl(['explain', 'job.spec', '-v=8']);
    const second = await server.kubectl(['explain', 'job.spec', '-v=8']);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(hashedFetch(second.stderr)).toContain('X-From-Cache: 1');
  });
});
