import { expect, test } from 'vitest';
import { byJobStartTime, jobsBeyondHistoryLimits } from './history.js';
import { at, cronJob, job } from './testdata/builders.js';

const named = (name: string, start: Date | null) =>
  job({ scheduled: at('09:00'), name, start, finished: 'Complete' });

const sorts: Array<{ name: string; jobs: ReturnType<typeof named>[]; want: string[] }> = [
  {
    name: 'two Jobs that never started sort by name',
    jobs: [named('b', null), named('a', null)],
    want: ['a', 'b'],
  },
  {
    name: 'a Job that never started sorts after one that did',
    jobs: [named('a', null), named('b', at('09:00'))],
    want: ['b', 'a'],
  },
  {
    name: 'the earlier start sorts first whatever the names',
    jobs: [named('a', at('09:30')), named('b', at('09:00'))],
    want: ['b', 'a'],
  },
  {
    name: 'equal starts sort by name',
    jobs: [named('b', at('09:00')), named('a', at('09:00'))],
    want: ['a', 'b'],
  },
];
for (const tc of sorts) {
  test(tc.name, () => expect([...tc.jobs].sort(byJobStartTime).map((j) => j.metadata.name)).toEqual(tc.want));
}

const limits: Array<{
  name: string;
  limits: [number, number];
  jobs: ReturnType<typeof job>[];
  want: string[];
}> = [
  {
    name: 'the oldest succeeded Job beyond a limit of one goes',
    limits: [1, 1],
    jobs: [
      job({ scheduled: at('09:59'), finished: 'Complete' }),
      job({ scheduled: at('08:59'), finished: 'Complete' }),
    ],
    want: ['mycronjob-24394139'],
  },
  {
    name: 'running Jobs are never counted nor deleted',
    limits: [0, 0],
    jobs: [job({ scheduled: at('09:59') }), job({ scheduled: at('08:59') })],
    want: [],
  },
  {
    name: 'succeeded and failed Jobs have their own limits',
    limits: [1, 0],
    jobs: [
      job({ scheduled: at('07:00'), finished: 'Failed' }),
      job({ scheduled: at('08:00'), finished: 'Complete' }),
      job({ scheduled: at('09:00'), finished: 'Complete' }),
    ],
    want: ['mycronjob-24394080', 'mycronjob-24394020'],
  },
];
for (const tc of limits) {
  test(tc.name, () => {
    const cj = cronJob({ successfulLimit: tc.limits[0], failedLimit: tc.limits[1] });
    expect(jobsBeyondHistoryLimits(cj, tc.jobs).map((j) => j.metadata.name)).toEqual(tc.want);
  });
}
