import { describe, expect, test } from 'vitest';
import { exponentialBuckets, formatFloat, MetricsError, MetricsRegistry } from './metrics.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('rendering', () => {
  const cases: Array<{ name: string; fill: (m: MetricsRegistry) => void; want: string }> = [
    {
      name: 'an empty registry renders nothing',
      fill: () => {},
      want: '',
    },
    {
      name: 'an unlabelled counter is rendered at zero before its first increment',
      fill: (m) => void m.counter('batchd_starts_total', 'How often batchd started.'),
      want: lines(
        '# HELP batchd_starts_total How often batchd started.',
        '# TYPE batchd_starts_total counter',
        'batchd_starts_total 0',
      ),
    },
    {
      name: 'a labelled counter with no series yet is left out entirely',
      fill: (m) => void m.counter('job_controller_job_syncs_total', 'Job syncs.', ['result']),
      want: '',
    },
    {
      name: 'series are sorted by label values and labels by name, whatever the declaration order',
      fill: (m) => {
        const c = m.counter('job_controller_job_syncs_total', 'Job syncs.', ['result', 'completion_mode']);
        c.inc({ result: 'success', completion_mode: 'NonIndexed' });
        c.inc({ result: 'error', completion_mode: 'NonIndexed' }, 2);
        c.inc({ result: 'success', completion_mode: 'Indexed' });
        c.inc({ result: 'success', completion_mode: 'NonIndexed' });
      },
      want: lines(
        '# HELP job_controller_job_syncs_total Job syncs.',
        '# TYPE job_controller_job_syncs_total counter',
        'job_controller_job_syncs_total{completion_mode="Indexed",result="success"} 1',
        'job_controller_job_syncs_total{completion_mode="NonIndexed",result="error"} 2',
        'job_controller_job_syncs_total{completion_mode="NonIndexed",result="success"} 2',
      ),
    },
    {
      name: 'families are rendered in name order, whatever the registration order',
      fill: (m) => {
        m.gauge('b_gauge', 'B.').set(-1.5);
        m.counter('a_total', 'A.').inc(undefined, 3);
      },
      want: lines(
        '# HELP a_total A.',
        '# TYPE a_total counter',
        'a_total 3',
        '# HELP b_gauge B.',
        '# TYPE b_gauge gauge',
        'b_gauge -1.5',
      ),
    },
    {
      name: 'a gauge goes up and down per series',
      fill: (m) => {
        const g = m.gauge('node_running_pods', 'Pods running.', ['node']);
        g.inc({ node: 'n1' }, 3);
        g.dec({ node: 'n1' });
        g.set(7, { node: 'n2' });
      },
      want: lines(
        '# HELP node_running_pods Pods running.',
        '# TYPE node_running_pods gauge',
        'node_running_pods{node="n1"} 2',
        'node_running_pods{node="n2"} 7',
      ),
    },
    {
      name: 'label values escape backslash, double quote and newline; help escapes backslash and newline',
      fill: (m) => m.counter('odd_total', 'A "help" with \\ and\nnewline.', ['v']).inc({ v: 'a\\b"c\nd' }),
      want: lines(
        '# HELP odd_total A "help" with \\\\ and\\nnewline.',
        '# TYPE odd_total counter',
        'odd_total{v="a\\\\b\\"c\\nd"} 1',
      ),
    },
    {
      name: 'a histogram renders cumulative buckets, +Inf, sum and count, le after the other labels',
      fill: (m) => {
        const h = m.histogram('req_seconds', 'Latency.', [0.1, 0.5, 1], ['verb']);
        h.observe(0.05, { verb: 'GET' });
        h.observe(0.1, { verb: 'GET' });
        h.observe(0.7, { verb: 'GET' });
        h.observe(3, { verb: 'GET' });
      },
      want: lines(
        '# HELP req_seconds Latency.',
        '# TYPE req_seconds histogram',
        'req_seconds_bucket{verb="GET",le="0.1"} 2',
        'req_seconds_bucket{verb="GET",le="0.5"} 2',
        'req_seconds_bucket{verb="GET",le="1"} 3',
        'req_seconds_bucket{verb="GET",le="+Inf"} 4',
        'req_seconds_sum{verb="GET"} 3.85',
        'req_seconds_count{verb="GET"} 4',
      ),
    },
    {
      name: 'an unlabelled histogram has only le in its bucket labels and none on sum and count',
      fill: (m) => m.histogram('h', 'H.', [1, Number.POSITIVE_INFINITY]).observe(2),
      want: lines(
        '# HELP h H.',
        '# TYPE h histogram',
        'h_bucket{le="1"} 0',
        'h_bucket{le="+Inf"} 1',
        'h_sum 2',
        'h_count 1',
      ),
    },
    {
      name: 'large counts and tiny bounds are written as Go writes floats',
      fill: (m) => {
        m.counter('big_total', 'Big.').inc(undefined, 1234567);
        m.histogram('tiny', 'Tiny.', [0.00001, 0.0001]).observe(0.00005);
      },
      want: lines(
        '# HELP big_total Big.',
        '# TYPE big_total counter',
        'big_total 1.234567e+06',
        '# HELP tiny Tiny.',
        '# TYPE tiny histogram',
        'tiny_bucket{le="1e-05"} 0',
        'tiny_bucket{le="0.0001"} 1',
        'tiny_bucket{le="+Inf"} 1',
        'tiny_sum 5e-05',
        'tiny_count 1',
      ),
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const m = new MetricsRegistry();
      tc.fill(m);
      expect(m.render()).toBe(tc.want);
    });
});

describe('registration and misuse', () => {
  const cases: Array<{ name: string; act: (m: MetricsRegistry) => unknown; error: RegExp | null }> = [
    {
      name: 'registering the same metric twice returns the same counter',
      act: (m) => {
        const a = m.counter('x_total', 'X.', ['a']);
        if (m.counter('x_total', 'X.', ['a']) !== a) throw new Error('a second counter');
      },
      error: null,
    },
    {
      name: 'registering a name again as another type is refused',
      act: (m) => {
        m.counter('x_total', 'X.');
        m.gauge('x_total', 'X.');
      },
      error: /already registered/,
    },
    {
      name: 'registering a name again with other labels is refused',
      act: (m) => {
        m.counter('x_total', 'X.', ['a']);
        m.counter('x_total', 'X.', ['b']);
      },
      error: /already registered/,
    },
    {
      name: 'a metric name with a dash is refused',
      act: (m) => m.counter('x-total', 'X.'),
      error: /valid metric name/,
    },
    {
      name: 'a reserved label name is refused',
      act: (m) => m.counter('x', 'X.', ['__x']),
      error: /valid label name/,
    },
    {
      name: 'a label declared twice is refused',
      act: (m) => m.gauge('x', 'X.', ['a', 'a']),
      error: /declared twice/,
    },
    {
      name: 'a histogram may not declare le',
      act: (m) => m.histogram('x', 'X.', [1], ['le']),
      error: /reserved/,
    },
    { name: 'unsorted buckets are refused', act: (m) => m.histogram('x', 'X.', [1, 1]), error: /increasing/ },
    {
      name: 'a counter refuses to decrease',
      act: (m) => m.counter('x_total', 'X.').inc(undefined, -1),
      error: /cannot decrease/,
    },
    {
      name: 'a series missing a declared label is refused',
      act: (m) => m.counter('x_total', 'X.', ['a', 'b']).inc({ a: '1' }),
      error: /label "b" needs a string value/,
    },
    {
      name: 'a series with an undeclared label is refused',
      act: (m) => m.counter('x_total', 'X.', ['a']).inc({ a: '1', c: '2' }),
      error: /unknown label "c"/,
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const m = new MetricsRegistry();
      if (tc.error) expect(() => tc.act(m)).toThrow(tc.error);
      else expect(() => tc.act(m)).not.toThrow();
      if (tc.error) expect(() => tc.act(new MetricsRegistry())).toThrow(MetricsError);
    });
});

describe('Go float formatting', () => {
  const cases: Array<[number, string]> = [
    [0, '0'],
    [1, '1'],
    [0.005, '0.005'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [999999, '999999'],
    [1000000, '1e+06'],
    [0.1 + 0.2, '0.30000000000000004'],
    [-2.5, '-2.5'],
    [1e21, '1e+21'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NaN, 'NaN'],
  ];
  for (const [x, want] of cases) test(`${x} is written ${want}`, () => expect(formatFloat(x)).toBe(want));
});

test('exponential buckets double from the start (the job controller sync histogram)', () => {
  const b = exponentialBuckets(0.004, 2, 15);
  expect(b).toHaveLength(15);
  expect(b[0]).toBe(0.004);
  expect(b[14]).toBe(0.004 * 2 ** 14);
});
