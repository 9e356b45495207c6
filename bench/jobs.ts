/**
 * A Job end to end: one Indexed Job of N completions at parallelism P, each pod `/bin/true`,
 * from the create to the Complete condition, with the Job controller, the node agent and
 * storage together. Measured side by side with `xargs -P P` running the same N `/bin/true`
 * in one run (the floor for process spawning on this machine), and on the simulated runtime
 * (no processes) for the controller and API alone.
 *
 *   node --import tsx bench/jobs.ts [--completions 1000] [--parallelism 50] [--runtime process|simulated]
 */
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processCpuSeconds } from './lib/cpu.js';
import { type WriteCounts, writesByResource } from './lib/cronjobsWrites.js';
import { cleanupAll } from './lib/processes.js';
import { fixed, int, isMain, markdownTable } from './lib/report.js';
import { profileFlags, startBatchd } from './lib/servers.js';
import type { Target } from './lib/target.js';

export interface JobsOptions {
  completions: number;
  parallelism: number;
  runtime: 'process' | 'simulated';
  /** Write batchd's CPU profile under this directory. */
  cpuProf?: string;
}

export interface JobsResult {
  options: JobsOptions;
  /** Seconds from the create to the Complete condition. */
  batchdSeconds: number;
  /** Seconds for xargs to run the same commands (process runtime only). */
  xargsSeconds?: number;
  /** batchd's CPU (user + system, all threads) per pod over the measured Job, in µs. */
  cpuMicrosPerPod: number;
  /** The store's writes during the measured Job, by resource and verb. */
  writes: Record<string, WriteCounts>;
}

export const jobsDefaults: JobsOptions = { completions: 1000, parallelism: 50, runtime: 'process' };

function call(
  target: Target,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ code: number; json: JobJson | undefined }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${target.url}${path}`,
      {
        method,
        ca: target.ca,
        headers: {
          authorization: `Bearer ${target.token}`,
          accept: 'application/json',
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({ code: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

interface JobJson {
  metadata?: { resourceVersion?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates the Job and polls its status until Complete; seconds between the two. */
async function runJob(target: Target, opts: JobsOptions, name: string): Promise<number> {
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      completions: opts.completions,
      parallelism: opts.parallelism,
      completionMode: 'Indexed',
      template: {
        metadata: { annotations: { 'sim.batchd.io/run-seconds': '0' } },
        spec: {
          containers: [{ name: 'true', image: 'busybox', command: ['/bin/true'] }],
          restartPolicy: 'Never',
        },
      },
    },
  };
  const started = performance.now();
  const created = await call(target, 'POST', '/apis/batch/v1/namespaces/default/jobs', job);
  if (created.code !== 201) throw new Error(`create: ${created.code} ${JSON.stringify(created.json)}`);
  for (;;) {
    await sleep(50);
    const got = await call(target, 'GET', `/apis/batch/v1/namespaces/default/jobs/${name}`);
    const conditions = got.json?.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) break;
    if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) throw new Error(`${name} failed`);
  }
  return (performance.now() - started) / 1000;
}

/** `xargs -P P -n 1` over N arguments, each `/bin/true`: the spawn floor. */
function runXargs(opts: JobsOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('xargs', ['-P', String(opts.parallelism), '-n', '1', '/bin/true'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`xargs exited ${code}`)),
    );
    child.stdin.end(`${Array.from({ length: opts.completions }, (_, i) => i).join('\n')}\n`);
  });
}

export async function benchJobs(opts: JobsOptions): Promise<JobsResult> {
  const server = await startBatchd({
    args: ['--runtime', opts.runtime],
    ...profileFlags(opts.cpuProf, 'batchd'),
  });
  try {
    await runJob(server.target, { ...opts, completions: Math.min(opts.completions, 20) }, 'warmup');
    const xargsSeconds = opts.runtime === 'process' ? await runXargs(opts) : undefined;
    const revision = async () =>
      Number(
        (await call(server.target, 'GET', '/api/v1/namespaces/default/pods?limit=1')).json?.metadata
          ?.resourceVersion,
      );
    const rev0 = await revision();
    const cpuBefore = processCpuSeconds(server.child.pid ?? 0);
    const batchdSeconds = await runJob(server.target, opts, 'measured');
    const cpuMicrosPerPod = ((processCpuSeconds(server.child.pid ?? 0) - cpuBefore) / opts.completions) * 1e6;
    const writes = writesByResource(join(server.dataDir, 'state.db'), rev0, await revision());
    return {
      options: opts,
      batchdSeconds,
      cpuMicrosPerPod,
      writes,
      ...(xargsSeconds !== undefined ? { xargsSeconds } : {}),
    };
  } finally {
    await server.stop();
  }
}

/** Writes per pod of the pods, the Job and the events, as `c / u / d` each. */
function perPod(r: JobsResult): string {
  const f = (c: WriteCounts | undefined) =>
    [c?.create ?? 0, c?.update ?? 0, c?.delete ?? 0]
      .map((n) => fixed(n / r.options.completions, 2))
      .join(' / ');
  return [r.writes.pods, r.writes['jobs.batch'], r.writes.events].map(f).join('; ');
}

export function jobsTable(results: readonly JobsResult[]): string {
  return markdownTable(
    [
      'runtime',
      'completions × parallelism',
      'batchd s',
      'pods/s',
      'batchd CPU µs/pod',
      'writes/pod: pods, jobs, events (create / update / delete)',
      'xargs -P s',
      'batchd / xargs rate',
    ],
    results.map((r) => [
      r.options.runtime,
      `${int(r.options.completions)} × ${r.options.parallelism}`,
      fixed(r.batchdSeconds, 2),
      int(r.options.completions / r.batchdSeconds),
      int(r.cpuMicrosPerPod),
      perPod(r),
      r.xargsSeconds === undefined ? '' : fixed(r.xargsSeconds, 2),
      r.xargsSeconds === undefined ? '' : `${Math.round((r.xargsSeconds / r.batchdSeconds) * 100)} %`,
    ]),
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      completions: { type: 'string' },
      parallelism: { type: 'string' },
      runtime: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const opts: JobsOptions = {
    completions: Number(values.completions ?? jobsDefaults.completions),
    parallelism: Number(values.parallelism ?? jobsDefaults.parallelism),
    runtime: (values.runtime as JobsOptions['runtime']) ?? jobsDefaults.runtime,
    ...(values['cpu-prof'] ? { cpuProf: values['cpu-prof'] } : {}),
  };
  try {
    console.log(jobsTable([await benchJobs(opts)]));
  } finally {
    await cleanupAll();
  }
}
