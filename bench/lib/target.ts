/** What a benchmark client needs to reach a server, and the Job it sends. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A server under test, as the client process sees it (plain data: it crosses the IPC channel). */
export interface Target {
  /** Short label for tables: `batchd` or `floor`. */
  name: string;
  /** https://127.0.0.1:PORT */
  url: string;
  /** PEM of the CA that signed the serving certificate; clients verify against it. */
  ca: string;
  token: string;
}

export const JOBS_PATH = '/apis/batch/v1/namespaces/default/jobs';

interface Kubeconfig {
  clusters?: Array<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ user?: { token?: string } }>;
}

/** Reads the server URL, CA and bearer token from the kubeconfig `batchd serve` writes. */
export function targetFromKubeconfig(name: string, path: string): Target {
  const config = parseYaml(readFileSync(path, 'utf8')) as Kubeconfig;
  const cluster = config.clusters?.[0]?.cluster;
  const token = config.users?.[0]?.user?.token;
  const caData = cluster?.['certificate-authority-data'];
  if (!cluster?.server || !caData || !token) throw new Error(`${path}: no server, CA or token`);
  return { name, url: cluster.server, ca: Buffer.from(caData, 'base64').toString('utf8'), token };
}

/** The floor keeps its credentials where ensureCredentials puts them (pki/ca.crt, token). */
export function targetFromDataDir(name: string, url: string, dataDir: string): Target {
  return {
    name,
    url,
    ca: readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'),
    token: readFileSync(join(dataDir, 'token'), 'utf8').trim(),
  };
}

/** Every body the benchmarks send is exactly this long, so both servers parse the same bytes. */
export const JOB_BYTES = 1024;

/**
 * A realistic Job manifest (labels, a pod template with resources, env and a backoff policy)
 * padded with one annotation to exactly JOB_BYTES of JSON.
 * @example
 * jobBody('bench-a-1').length; // 1024
 */
export function jobBody(name: string): string {
  const job = (pad: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'bench', 'app.kubernetes.io/part-of': 'batchd-bench', tier: 'batch' },
      annotations: { 'bench.batchd.io/padding': pad },
    },
    spec: {
      // Suspended, so once batchd runs a Job controller the benchmark still measures the API path
      // and does not start tens of thousands of pods.
      suspend: true,
      completions: 1,
      parallelism: 1,
      backoffLimit: 4,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 300,
      template: {
        metadata: { labels: { app: 'bench', tier: 'batch' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'work',
              image: 'busybox:1.36',
              command: ['sh', '-c', 'echo processing item $ITEM && sleep 1'],
              env: [
                { name: 'ITEM', value: '42' },
                { name: 'MODE', value: 'benchmark' },
              ],
              resources: {
                requests: { cpu: '100m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '128Mi' },
              },
            },
          ],
        },
      },
    },
  });
  const bare = JSON.stringify(job('')).length;
  return JSON.stringify(job('x'.repeat(Math.max(0, JOB_BYTES - bare))));
}
