/** Builders and fakes for the CronJob controller's tests: the §7.2 world around `mycronjob`. */
import type { CronJob, Job } from '../../../api/batch/v1/types.js';
import { alreadyExists, notFound } from '../../../api/meta/status.js';
import type { KubeObject } from '../../../api/meta/types.js';
import type { Clock } from '../../../util/clock.js';
import type { Counter, Gauge, Histogram, Metrics } from '../../../util/metrics.js';
import type { EventRecorder, EventType } from '../../events/types.js';
import type { JobControl } from '../control.js';
import { controllerRef, jobName, jobReference } from '../jobTemplate.js';
import { formatTime } from '../sync.js';

/** 2016-05-19, a Thursday: `at('10:00')`, or a full `at('2016-05-26T10:00')`. */
export function at(s: string): Date {
  return new Date(s.includes('T') ? `${s}Z` : `2016-05-19T${s}Z`);
}

export const T = at('10:00');
export const NS = 'snazzycats';
export const CJ_UID = '1a2b3c';

const MS = { s: 1000, m: 60_000, h: 3_600_000 };
/** `dur('59m')`, `dur('1h', '0.1s')`: milliseconds. */
export function dur(...parts: string[]): number {
  return parts.reduce((sum, p) => {
    const m = /^([\d.]+)(s|m|h)$/.exec(p);
    if (!m) throw new Error(`bad duration ${p}`);
    return sum + Number(m[1]) * MS[m[2] as 's' | 'm' | 'h'];
  }, 0);
}
/** The 100 ms every requeue adds. */
export const DELTA = 100;

export interface CronJobOptions {
  schedule?: string;
  created?: Date;
  lastScheduleTime?: Date;
  lastSuccessfulTime?: Date;
  policy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  sds?: number;
  timeZone?: string;
  active?: Job[];
  successfulLimit?: number;
  failedLimit?: number;
  deleting?: boolean;
  templateLabels?: Record<string, string>;
  templateAnnotations?: Record<string, string>;
}

export function cronJob(o: CronJobOptions = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: 'mycronjob',
      namespace: NS,
      uid: CJ_UID,
      resourceVersion: '5',
      creationTimestamp: formatTime(o.created ?? at('09:59')),
      ...(o.deleting ? { deletionTimestamp: formatTime(T), finalizers: ['foregroundDeletion'] } : {}),
    },
    spec: {
      schedule: o.schedule ?? '0 * * * ?',
      concurrencyPolicy: o.policy ?? 'Allow',
      suspend: o.suspend ?? false,
      successfulJobsHistoryLimit: o.successfulLimit ?? 3,
      failedJobsHistoryLimit: o.failedLimit ?? 1,
      ...(o.sds !== undefined ? { startingDeadlineSeconds: o.sds } : {}),
      ...(o.timeZone !== undefined ? { timeZone: o.timeZone } : {}),
      jobTemplate: {
        metadata: {
          ...(o.templateLabels ? { labels: o.templateLabels } : {}),
          ...(o.templateAnnotations ? { annotations: o.templateAnnotations } : {}),
        },
        spec: {
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
    },
    status: {
      ...(o.active?.length ? { active: o.active.map(jobReference) } : {}),
      ...(o.lastScheduleTime ? { lastScheduleTime: formatTime(o.lastScheduleTime) } : {}),
      ...(o.lastSuccessfulTime ? { lastSuccessfulTime: formatTime(o.lastSuccessfulTime) } : {}),
    },
  };
}

export interface JobOptions {
  /** The scheduled time the Job is named after. */
  scheduled: Date;
  /** creationTimestamp (default: the scheduled time). */
  created?: Date;
  /** status.startTime (default: created); null for a Job that never started. */
  start?: Date | null;
  finished?: 'Complete' | 'Failed';
  /** completionTime of a Complete Job (default: created + 10 s). */
  completion?: Date;
  name?: string;
  ownerUid?: string;
}

/** A Job of `mycronjob`, named for its scheduled time. */
export function job(o: JobOptions): Job {
  const name = o.name ?? jobName(cronJob(), o.scheduled);
  const created = o.created ?? o.scheduled;
  const start = o.start === undefined ? created : o.start;
  const done = o.completion ?? new Date(created.getTime() + 10_000);
  const cond = (type: string) => ({ type, status: 'True', lastTransitionTime: formatTime(done) });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: NS,
      uid: `uid-${name}`,
      resourceVersion: '7',
      creationTimestamp: formatTime(created),
      ownerReferences: [{ ...controllerRef(cronJob()), uid: o.ownerUid ?? CJ_UID }],
    },
    spec: { template: {} },
    status: {
      ...(start ? { startTime: formatTime(start) } : {}),
      ...(o.finished === 'Complete'
        ? { conditions: [cond('SuccessCriteriaMet'), cond('Complete')], completionTime: formatTime(done) }
        : {}),
      ...(o.finished === 'Failed' ? { conditions: [cond('FailureTarget'), cond('Failed')] } : {}),
    },
  };
}

export interface RecordedEvent {
  object: string;
  type: EventType;
  reason: string;
  message: string;
}

export class FakeRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ object: obj.metadata.name ?? '', type, reason, message });
  }
  eventf(obj: KubeObject, type: EventType, reason: string, format: string, ...args: unknown[]): void {
    let i = 0;
    this.event(
      obj,
      type,
      reason,
      format.replace(/%[vsqd]/g, () => String(args[i++])),
    );
  }
  /** `Normal SuccessfulCreate`, in order. */
  get summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.reason}`);
  }
}

/** A Metrics that only keeps histogram observations, by name. */
export class FakeMetrics implements Metrics {
  readonly observations = new Map<string, number[]>();
  counter(): Counter {
    return { inc() {} };
  }
  gauge(): Gauge {
    return { set() {}, inc() {}, dec() {} };
  }
  histogram(name: string): Histogram {
    const list: number[] = [];
    this.observations.set(name, list);
    return { observe: (v) => list.push(v) };
  }
  render(): string {
    return '';
  }
}

const JOBS = { group: 'batch', resource: 'jobs' };

/** The API as the CronJob controller sees it, with failures to inject. */
export class FakeJobControl implements JobControl {
  /** The Jobs the API holds, by name (the informer cache may differ). */
  readonly jobs = new Map<string, Job>();
  /** What a GET of the CronJob answers. */
  cronJob: CronJob | Error | undefined;
  createError: Error | undefined;
  getError: Error | undefined;
  deleteError: Error | undefined;
  readonly created: Job[] = [];
  readonly deleted: string[] = [];
  readonly statusWrites: CronJob[] = [];
  private rv = 100;

  constructor(private readonly clock: Clock) {}

  async getJob(_ns: string, name: string): Promise<Job> {
    if (this.getError) throw this.getError;
    const j = this.jobs.get(name);
    if (!j) throw notFound(JOBS, name);
    return structuredClone(j);
  }

  async createJob(ns: string, job: Job): Promise<Job> {
    if (this.createError) throw this.createError;
    const name = job.metadata.name ?? '';
    if (this.jobs.has(name)) throw alreadyExists(JOBS, name);
    const created: Job = structuredClone(job);
    created.metadata = {
      ...created.metadata,
      namespace: ns,
      uid: `uid-${name}`,
      resourceVersion: String(this.rv++),
      creationTimestamp: formatTime(this.clock.now()),
    };
    this.jobs.set(name, created);
    this.created.push(created);
    return structuredClone(created);
  }

  async deleteJob(_ns: string, name: string): Promise<void> {
    if (this.deleteError) throw this.deleteError;
    if (!this.jobs.delete(name)) throw notFound(JOBS, name);
    this.deleted.push(name);
  }

  async getCronJob(_ns: string, name: string): Promise<CronJob> {
    if (this.cronJob instanceof Error) throw this.cronJob;
    if (!this.cronJob) throw notFound({ group: 'batch', resource: 'cronjobs' }, name);
    return structuredClone(this.cronJob);
  }

  async updateCronJobStatus(cj: CronJob): Promise<CronJob> {
    this.statusWrites.push(structuredClone(cj));
    return structuredClone(cj);
  }
}
