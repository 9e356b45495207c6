import { describe, expect, test } from 'vitest';
import type { Pod } from '../../api/core/v1/pod.js';
import { goDuration, RestartBackoff } from './backoff.js';
import { containerEnv } from './env.js';
import { expand } from './expand.js';
import { unschedulableMessage } from './fit.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '' };
const lookup = (n: string) => vars[n];

describe('expand', () => {
  const cases: Array<{ name: string; input: string; want: string }> = [
    { name: 'a known variable is replaced', input: 'x$(A)y', want: 'xay' },
    { name: 'an unknown variable is left as written', input: '$(NOPE)', want: '$(NOPE)' },
    { name: 'a double dollar escapes a reference', input: '$$(A)', want: '$(A)' },
    { name: 'a dollar before anything else is kept', input: '$A and $', want: '$A and $' },
    { name: 'an unterminated reference is kept and scanning goes on', input: '$(A $$', want: '$(A $' },
    { name: 'a variable set to the empty string expands to nothing', input: '[$(EMPTY)]', want: '[]' },
  ];
  for (const tc of cases) test(tc.name, () => expect(expand(tc.input, lookup)).toBe(tc.want));
});

describe('containerEnv', () => {
  const pod: Pod = {
    metadata: {
      name: 'p',
      namespace: 'ns',
      uid: 'u1',
      annotations: { 'batch.kubernetes.io/job-completion-index': '3' },
    },
    spec: { nodeName: 'n1', containers: [] },
  };
  const ctx = {
    podIP: '127.0.0.1',
    hostIP: '127.0.0.1',
    nodeName: 'n1',
    allocatable: { cpuMillis: 4000, memoryBytes: 1024 ** 3, ephemeralStorageBytes: 0 },
  };
  test('env values expand earlier entries, the downward API fills fieldRefs, and argv expands', () => {
    const got = containerEnv(
      pod,
      {
        name: 'c',
        command: ['echo', '$(GREETING)', '$$(NAME)'],
        args: ['$(INDEX)'],
        resources: { limits: { memory: '64Mi' } },
        env: [
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'GREETING', value: 'hello $(NAME) from $(LATER)' },
          { name: 'LATER', value: 'x' },
          {
            name: 'INDEX',
            valueFrom: {
              fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
            },
          },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        ],
      },
      ctx,
    );
    expect(got.argv).toEqual(['echo', 'hello p from $(LATER)', '$(NAME)', '3']);
    expect(got.env).toMatchObject({
      NAME: 'p',
      INDEX: '3',
      IP: '127.0.0.1',
      MEM: '64',
      CPU: '4',
      HOSTNAME: 'p',
    });
  });
  test('a required configmap reference cannot be resolved', () => {
    expect(() =>
      containerEnv(
        pod,
        { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] },
        ctx,
      ),
    ).toThrow('configmap "cm" not found');
  });
});

describe('restart back-off', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
  test('the first restart is immediate, then 10 s doubling, reset after a long run', () => {
    const b = new RestartBackoff();
    expect(b.remaining('k', t(0), t(0))).toBe(0);
    b.next('k', t(0), t(0));
    expect(b.remaining('k', t(1), t(1))).toBe(10_000);
    b.next('k', t(1), t(11));
    expect(b.remaining('k', t(12), t(12))).toBe(20_000);
    for (let i = 0; i < 10; i++) b.next('k', t(12), t(12));
    expect(goDuration(b.current('k'))).toBe('5m0s');
    expect(b.remaining('k', t(12 + 601), t(12 + 601))).toBe(0);
  });
});

describe('unschedulableMessage', () => {
  const cases = [
    {
      name: 'reasons are sorted and counted for the one node',
      reasons: ['Insufficient memory', 'Insufficient cpu'],
      want: '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'a selector mismatch says preemption would not help',
      reasons: ["node(s) didn't match Pod's node affinity/selector"],
      want: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(unschedulableMessage(tc.reasons)).toBe(tc.want));
});
