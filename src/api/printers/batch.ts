/** Table printers for batch/v1 Jobs and CronJobs, as upstream's printJob and printCronJob (1.32). */
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { formatLabelSelector } from '../meta/labels.js';
import { AGE_COLUMN, column, containerCells, NAME_COLUMN, TEMPLATE_WIDE_COLUMNS } from './columns.js';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';
import type { TablePrinter } from './table.js';

/**
 * Upstream hasJobCondition: only the first condition of a type counts, so a later duplicate
 * cannot flip the answer.
 */
function hasJobCondition(conditions: readonly JobCondition[] | undefined, type: string): boolean {
  const first = conditions?.find((c) => c.type === type);
  return first?.status === 'True';
}

/** The STATUS column: terminal conditions win over deletion, which wins over the transient ones. */
export function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasJobCondition(conditions, 'Complete')) return 'Complete';
  if (hasJobCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasJobCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** The COMPLETIONS column: `succeeded/completions`, or `/1` forms for work-queue jobs. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/**
 * The DURATION column: empty before the job starts, growing while it has no completionTime
 * (which includes failed jobs: the controller sets completionTime only on success).
 */
export function jobDuration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

/** `kubectl get jobs`: NAME STATUS COMPLETIONS DURATION AGE; wide adds CONTAINERS IMAGES SELECTOR. */
export const jobPrinter: TablePrinter<Job> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The state of the job, from its conditions.'),
    column('Completions', 'string', 'Pods that succeeded, out of the completions the job needs.'),
    column('Duration', 'string', 'How long the job has run, or took to complete.'),
    AGE_COLUMN,
    ...TEMPLATE_WIDE_COLUMNS,
  ],
  row(job, now) {
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata?.name ?? '',
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      translateTimestampSince(job.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};

/** Upstream printBoolPtr. */
function boolPtr(value: boolean | undefined | null): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/**
 * `kubectl get cronjobs`: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE; wide adds
 * the job template's CONTAINERS IMAGES SELECTOR.
 */
export const cronJobPrinter: TablePrinter<CronJob> = {
  columns: [
    NAME_COLUMN,
    column('Schedule', 'string', 'The cron schedule the jobs are created on.'),
    column('Timezone', 'string', 'The time zone the schedule is read in.'),
    column('Suspend', 'boolean', 'Whether new runs are held back.'),
    column('Active', 'integer', 'Jobs of this cron job that are running now.'),
    column('Last Schedule', 'string', 'Time since a job was last scheduled.'),
    AGE_COLUMN,
    ...TEMPLATE_WIDE_COLUMNS,
  ],
  row(cj, now) {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const lastSchedule = cj.status?.lastScheduleTime;
    const timeZone = cj.spec?.timeZone;
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      timeZone === undefined || timeZone === null ? '<none>' : timeZone,
      boolPtr(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      lastSchedule === undefined || lastSchedule === null
        ? '<none>'
        : translateTimestampSince(lastSchedule, now),
      translateTimestampSince(cj.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
