/**
 * 410 Expired after compaction. The binary compacts only history older than five minutes and
 * beyond the newest 1000 revisions, with no way to force it, so these tests assemble the same
 * API server in process (ApiServer over real HTTPS, with the memory and the SQLite store) and
 * call compact() on the store themselves.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ApiServer } from '../../src/apiserver/server.js';
import { ensureCredentials } from '../../src/cli/credentials.js';
import { MemoryStore } from '../../src/storage/memory/store.js';
import { openSqliteStore } from '../../src/storage/sqlite/store.js';
import type { Store } from '../../src/storage/store.js';
import { realClock } from '../../src/util/clock.js';
import {
  eventually,
  type HttpResult,
  httpsCall,
  type KubeCredentials,
  type KubeObjectLike,
  newJob,
  newNamespace,
  openWatch,
  type RequestOptions,
  removeTempDirs,
  tempDir,
} from '../helpers.js';

const NS = 'history';
const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;

const stores: Array<{ name: string; open: (dir: string) => Store }> = [
  { name: 'memory', open: () => new MemoryStore() },
  { name: 'sqlite', open: (dir) => openSqliteStore(join(dir, 'state.db')) },
];

for (const backend of stores) {
  describe(`with the ${backend.name} store`, () => {
    let store: Store;
    let api: ApiServer;
    let creds: KubeCredentials;
    let url: string;
    const request = <T = KubeObjectLike>(method: string, path: string, opts?: RequestOptions) =>
      httpsCall<T>(url, creds, method, path, opts);

    beforeEach(async () => {
      const dir = tempDir();
      const tls = await ensureCredentials(dir, { hosts: ['127.0.0.1'] });
      store = backend.open(dir);
      api = new ApiServer({
        store,
        clock: realClock,
        log: pino({ level: 'silent' }),
        tls: { cert: tls.serverCertPem, key: tls.serverKeyPem },
        token: tls.token,
      });
      const address = await api.listen(0, '127.0.0.1');
      url = `https://127.0.0.1:${address.port}`;
      creds = { server: url, ca: tls.caCertPem, token: tls.token };
      expect((await request('POST', '/api/v1/namespaces', { body: newNamespace(NS) })).code).toBe(201);
    });

    afterEach(async () => {
      await api.close();
      await store.close();
      removeTempDirs();
    });

    /** Creates jobs j1..jN, returns the resourceVersion after the first, then compacts everything. */
    async function historyThenCompact(count: number): Promise<string> {
      let first = '';
      for (let i = 1; i <= count; i++) {
        const res = await request('POST', JOBS, { body: newJob(`j${i}`) });
        expect(res.code, res.text).toBe(201);
        if (i === 1) first = res.body.metadata.resourceVersion ?? '';
      }
      await store.compact(await store.currentRevision());
      return first;
    }

    test('a watch from a compacted resourceVersion gets one ERROR event with 410 Expired, then the stream ends', async () => {
      const rv = await historyThenCompact(3);
      const watch = await openWatch(url, creds, `${JOBS}?watch=true&resourceVersion=${rv}`);
      await watch.done;
      expect(watch.code).toBe(200);
      expect(watch.events).toEqual([
        {
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: expect.stringMatching(new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`)),
            reason: 'Expired',
            code: 410,
          },
        },
      ]);
    });

    test('a watch from the compacted revision itself still works', async () => {
      await historyThenCompact(2);
      const rv = String(await store.currentRevision());
      const watch = await openWatch(url, creds, `${JOBS}?watch=true&resourceVersion=${rv}`);
      try {
        await request('POST', JOBS, { body: newJob('later') });
        await eventually(() =>
          expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED later']),
        );
      } finally {
        watch.close();
      }
    });

    test('a list at an exact compacted resourceVersion is 410 Expired', async () => {
      const rv = await historyThenCompact(3);
      const res: HttpResult<KubeObjectLike> = await request(
        'GET',
        `${JOBS}?resourceVersion=${rv}&resourceVersionMatch=Exact`,
      );
      expect(res.code, res.text).toBe(410);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: expect.stringMatching(new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`)),
        reason: 'Expired',
        code: 410,
      });
    });

    test('a continue token older than compaction is 410 Expired with a token to continue inconsistently', async () => {
      for (const name of ['a', 'b', 'c']) {
        expect((await request('POST', JOBS, { body: newJob(name) })).code).toBe(201);
      }
      const page = await request('GET', `${JOBS}?limit=1`);
      expect(page.body.items?.map((j) => j.metadata.name)).toEqual(['a']);
      const token = page.body.metadata.continue ?? '';
      expect(token).not.toBe('');
      // Writes after the first page, then compaction past its revision.
      await request('DELETE', `${JOBS}/b?propagationPolicy=Background`);
      await request('POST', JOBS, { body: newJob('d') });
      await store.compact(await store.currentRevision());

      const expired = await request('GET', `${JOBS}?limit=1&continue=${token}`);
      expect(expired.code, expired.text).toBe(410);
      expect(expired.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
        message:
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      });
      const next = expired.body.metadata.continue ?? '';
      expect(next).not.toBe('');
      const rest = await request('GET', `${JOBS}?continue=${next}`);
      expect(rest.code, rest.text).toBe(200);
      expect(rest.body.items?.map((j) => j.metadata.name)).toEqual(['c', 'd']);
    });

    test('nothing is compacted that a fresh list or watch needs', async () => {
      await historyThenCompact(2);
      const list = await request('GET', JOBS);
      expect(list.body.items?.map((j) => j.metadata.name)).toEqual(['j1', 'j2']);
      const watch = await openWatch(url, creds, `${JOBS}?watch=true&resourceVersion=0&timeoutSeconds=1`);
      await watch.done;
      expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'ADDED j1',
        'ADDED j2',
      ]);
    });
  });
}
