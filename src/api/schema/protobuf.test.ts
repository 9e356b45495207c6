import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, test } from 'vitest';
import { decodeAs } from './decode.js';
import { catalog } from './index.js';
import {
  decodeMessage,
  decodeProtobufEnvelope,
  decodeProtobufObject,
  formatGoDuration,
  PROTOBUF_MAGIC,
  ProtobufDecodeError,
  protobufDecodeErrorMessage,
} from './protobuf.js';
import {
  BATCH,
  bytes,
  Catalog,
  CORE,
  double,
  duration,
  field,
  int64,
  META,
  microTime,
  raw,
  string,
  type TypeRef,
  types,
} from './schema.js';

const { Writer } = protobuf;
type Writer = protobuf.Writer;
type Obj = Record<string, unknown>;

// ---- a test-only encoder: writes a JSON-shaped object as protobuf, by the catalog ----

interface EncodeOptions {
  /** Write Go zero values for absent non-pointer fields, as gogo-generated marshallers do. */
  gogo?: boolean;
  /** Write repeated numbers packed (proto3 style) instead of one tag per item. */
  packed?: boolean;
}

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const tag = (num: number, wire: number) => (num << 3) | wire;

function encode(cat: Catalog, name: string, obj: Obj, opts: EncodeOptions = {}): Uint8Array {
  const w = Writer.create();
  writeStruct(w, cat, name, obj, opts);
  return w.finish();
}

function writeStruct(w: Writer, cat: Catalog, name: string, obj: Obj, opts: EncodeOptions): void {
  const def = cat.get(name);
  for (const { proto, type } of def.inline ?? []) {
    if (proto > 0) w.uint32(tag(proto, LEN)).bytes(encode(cat, type, obj, opts));
  }
  for (const [key, f] of Object.entries(def.fields)) {
    const v = obj[key];
    if (v !== undefined) writeField(w, cat, f.proto, f.type, v, opts);
    else if (opts.gogo && f.presence !== 'pointer') writeZero(w, cat, f.proto, f.type, opts);
  }
}

function writeZero(w: Writer, cat: Catalog, num: number, t: TypeRef, opts: EncodeOptions): void {
  if (t.kind === 'scalar') {
    const zero = t.scalar === 'string' ? '' : t.scalar === 'boolean' ? false : t.scalar === 'byte' ? '' : 0;
    writeField(w, cat, num, t, zero, opts);
  } else if (t.kind === 'ref' || t.kind === 'time') {
    writeField(w, cat, num, t, t.kind === 'ref' ? {} : null, opts);
  }
}

function writeField(w: Writer, cat: Catalog, num: number, t: TypeRef, v: unknown, opts: EncodeOptions): void {
  switch (t.kind) {
    case 'scalar':
      if (t.scalar === 'string') w.uint32(tag(num, LEN)).string(v as string);
      else if (t.scalar === 'byte') w.uint32(tag(num, LEN)).bytes(Buffer.from(v as string, 'base64'));
      else if (t.scalar === 'boolean') w.uint32(tag(num, VARINT)).bool(v as boolean);
      else if (t.scalar === 'double') w.uint32(tag(num, FIXED64)).double(v as number);
      else if (t.scalar === 'int32') w.uint32(tag(num, VARINT)).int32(v as number);
      else w.uint32(tag(num, VARINT)).int64(String(v));
      return;
    case 'array': {
      const items = v as unknown[];
      if (opts.packed && t.items.kind === 'scalar' && t.items.scalar === 'int32') {
        w.uint32(tag(num, LEN)).fork();
        for (const item of items) w.int32(item as number);
        w.ldelim();
        return;
      }
      for (const item of items) writeField(w, cat, num, t.items, item, opts);
      return;
    }
    case 'map':
      for (const [k, item] of Object.entries(v as Obj)) {
        const entry = Writer.create();
        entry.uint32(tag(1, LEN)).string(k);
        writeField(entry, cat, 2, t.values, item, opts);
        w.uint32(tag(num, LEN)).bytes(entry.finish());
      }
      return;
    case 'ref':
      w.uint32(tag(num, LEN)).bytes(encode(cat, t.name, v as Obj, opts));
      return;
    default:
      w.uint32(tag(num, LEN)).bytes(special(t, v));
  }
}

/** The wrapper messages of the special types. */
function special(t: TypeRef, v: unknown): Uint8Array {
  const w = Writer.create();
  if (t.kind === 'time') {
    // gogo writes a zero time as an empty message.
    if (v === null) return w.finish();
    const ms = Date.parse(v as string);
    w.uint32(tag(1, VARINT)).int64(Math.floor(ms / 1000));
    const micros = /\.(\d{6})Z$/.exec(v as string)?.[1];
    if (micros) w.uint32(tag(2, VARINT)).int32(Number(micros) * 1000);
  } else if (t.kind === 'quantity') {
    w.uint32(tag(1, LEN)).string(v as string);
  } else if (t.kind === 'intOrString') {
    const isString = typeof v === 'string';
    w.uint32(tag(1, VARINT)).int64(isString ? 1 : 0);
    w.uint32(tag(2, VARINT)).int32(isString ? 0 : (v as number));
    w.uint32(tag(3, LEN)).string(isString ? v : '');
  } else if (t.kind === 'duration') {
    w.uint32(tag(1, VARINT)).int64(String(v));
  } else if (t.kind === 'raw' || t.kind === 'fieldsV1') {
    w.uint32(tag(1, LEN)).bytes(Buffer.from(JSON.stringify(v)));
  }
  return w.finish();
}

/** The envelope kubectl sends: magic + runtime.Unknown{typeMeta, raw, "", ""}. */
function envelope(apiVersion: string, kind: string, message: Uint8Array): Uint8Array {
  const typeMeta = Writer.create().uint32(tag(1, LEN)).string(apiVersion).uint32(tag(2, LEN)).string(kind);
  const unknown = Writer.create()
    .uint32(tag(1, LEN))
    .bytes(typeMeta.finish())
    .uint32(tag(2, LEN))
    .bytes(message)
    .uint32(tag(3, LEN))
    .string('')
    .uint32(tag(4, LEN))
    .string('');
  return Buffer.concat([Buffer.from(PROTOBUF_MAGIC), unknown.finish()]);
}

const JOB = `${BATCH}Job`;
const CRONJOB = `${BATCH}CronJob`;
const NAMESPACE = `${CORE}Namespace`;
const POD = `${CORE}Pod`;

// ---- objects ----

const podTemplate = {
  metadata: { labels: { app: 'demo', empty: '' }, annotations: { note: 'a=b' } },
  spec: {
    containers: [
      {
        name: 'main',
        image: 'busybox',
        command: ['sh', '-c'],
        args: ['exit 3'],
        env: [
          { name: 'PLAIN', value: 'x' },
          { name: 'SECRET', valueFrom: { secretKeyRef: { name: 'creds', key: 'token', optional: false } } },
        ],
        resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m' } },
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, failureThreshold: 0 },
        readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1 },
      },
    ],
    volumes: [
      { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'conf', configMap: { name: 'cfg', defaultMode: 420 } },
    ],
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: 0,
    activeDeadlineSeconds: -5,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    securityContext: { runAsUser: 1000, runAsNonRoot: true },
  },
};

const fullJob = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'pi',
    namespace: 'default',
    uid: '3c1a7d52-2a8e-4e1f-9d0a-5b6c7d8e9f01',
    generation: 3,
    creationTimestamp: '2026-01-02T03:04:05Z',
    labels: { team: 'batch' },
    finalizers: ['batch.kubernetes.io/job-tracking'],
    ownerReferences: [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'c',
        uid: 'u-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
    managedFields: [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'batch/v1',
        time: '2026-01-02T03:04:05Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:parallelism': {} } },
      },
    ],
  },
  spec: {
    parallelism: 0,
    completions: 0,
    activeDeadlineSeconds: 600,
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [1, -2, 42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    },
    successPolicy: { rules: [{ succeededIndexes: '0-2,5', succeededCount: 0 }] },
    backoffLimit: 0,
    backoffLimitPerIndex: 1,
    maxFailedIndexes: 0,
    selector: {
      matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
    },
    manualSelector: false,
    template: podTemplate,
    ttlSecondsAfterFinished: 0,
    completionMode: 'Indexed',
    suspend: false,
    podReplacementPolicy: 'Failed',
    managedBy: '',
  },
  status: {
    conditions: [
      {
        type: 'Complete',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-01-02T03:05:00Z',
        reason: 'CompletionsReached',
        message: 'done',
      },
    ],
    startTime: '1970-01-01T00:00:00Z',
    completionTime: '2026-01-02T03:05:00Z',
    active: 0,
    succeeded: 3,
    terminating: 0,
    completedIndexes: '0-2',
    failedIndexes: '',
    uncountedTerminatedPods: { succeeded: ['a'] },
    ready: 0,
  },
};

const cronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly', namespace: 'ops', creationTimestamp: null },
  spec: {
    schedule: '0 3 * * *',
    timeZone: 'Europe/Paris',
    startingDeadlineSeconds: 0,
    concurrencyPolicy: 'Forbid',
    suspend: true,
    jobTemplate: {
      metadata: { labels: { job: 'nightly' } },
      spec: { backoffLimit: 2, template: podTemplate },
    },
    successfulJobsHistoryLimit: 0,
    failedJobsHistoryLimit: 1,
  },
  status: {
    active: [{ kind: 'Job', namespace: 'ops', name: 'nightly-1', uid: 'u-2', apiVersion: 'batch/v1' }],
    lastScheduleTime: '2026-01-02T03:00:00Z',
  },
};

const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
};

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', deletionGracePeriodSeconds: 0 },
  spec: { ...podTemplate.spec, nodeName: 'local', priority: -10, overhead: { cpu: '0' } },
  status: {
    phase: 'Failed',
    podIPs: [{ ip: '10.0.0.7' }],
    containerStatuses: [
      {
        name: 'main',
        state: {
          terminated: {
            exitCode: 3,
            signal: 0,
            reason: 'Error',
            startedAt: '2026-01-02T03:04:06Z',
            finishedAt: '2026-01-02T03:04:09Z',
          },
        },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: 'busybox',
        imageID: '',
        started: false,
      },
    ],
  },
};

// ---- round trips ----

describe('decodeMessage', () => {
  const cases: Array<{ name: string; type: string; obj: Obj; opts?: EncodeOptions }> = [
    {
      name: 'a Job with every spec field, policies and pointer zeros reads back as sent',
      type: JOB,
      obj: fullJob,
    },
    {
      name: 'a Job written the gogo way, zero values included, reads back to the same stored form',
      type: JOB,
      obj: fullJob,
      opts: { gogo: true },
    },
    {
      name: 'a Job with packed exit codes reads back as sent',
      type: JOB,
      obj: fullJob,
      opts: { packed: true },
    },
    { name: 'a CronJob with its job template and status reads back as sent', type: CRONJOB, obj: cronJob },
    {
      name: 'a CronJob written the gogo way reads back to the same stored form',
      type: CRONJOB,
      obj: cronJob,
      opts: { gogo: true },
    },
    { name: 'a Namespace reads back as sent', type: NAMESPACE, obj: namespace },
    { name: 'a Pod with probes, volumes, quantities and statuses reads back as sent', type: POD, obj: pod },
    {
      name: 'a Pod written the gogo way reads back to the same stored form',
      type: POD,
      obj: pod,
      opts: { gogo: true },
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const { apiVersion, kind, ...message } = tc.obj;
      const bytes = encode(catalog, tc.type, message, tc.opts);
      const got = decodeMessage(catalog, tc.type, bytes, {
        apiVersion: String(apiVersion),
        kind: String(kind),
      });
      if (!tc.opts?.gogo) expect(got).toEqual(tc.obj);
      const stored = decodeAs(catalog, tc.type, got);
      expect(stored.unknownFields).toEqual([]);
      expect(stored.value).toEqual(decodeAs(catalog, tc.type, tc.obj).value);
    });
  }

  test('pointer zeros survive the JSON normalization, omitempty zeros from the wire do not', () => {
    const bytes = encode(
      catalog,
      JOB,
      { spec: { completions: 0, suspend: false, template: {} } },
      { gogo: true },
    );
    const { value } = decodeAs(catalog, JOB, decodeMessage(catalog, JOB, bytes));
    expect(value.spec).toEqual({ completions: 0, suspend: false, template: expect.any(Object) });
    expect(value.status).toEqual({});
  });

  test('embedded structs are nested messages on the wire and flat in the object', () => {
    const bytes = encode(catalog, `${CORE}Probe`, { exec: { command: ['true'] }, periodSeconds: 3 });
    expect(decodeMessage(catalog, `${CORE}Probe`, bytes)).toEqual({
      exec: { command: ['true'] },
      periodSeconds: 3,
    });
  });

  test('the envelope type goes on top and is left out when empty', () => {
    const bytes = encode(catalog, NAMESPACE, { metadata: { name: 'n' } });
    expect(decodeMessage(catalog, NAMESPACE, bytes, { apiVersion: 'v1', kind: 'Namespace' })).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n' },
    });
    expect(decodeMessage(catalog, NAMESPACE, bytes, { apiVersion: '', kind: '' })).toEqual({
      metadata: { name: 'n' },
    });
  });

  test('a message field sent twice is merged, as Go merges it', () => {
    const w = Writer.create();
    w.uint32(tag(2, LEN)).bytes(encode(catalog, `${BATCH}JobSpec`, { parallelism: 2 }));
    w.uint32(tag(2, LEN)).bytes(encode(catalog, `${BATCH}JobSpec`, { completions: 4 }));
    expect(decodeMessage(catalog, JOB, w.finish())).toEqual({ spec: { parallelism: 2, completions: 4 } });
  });

  test('unknown field numbers of every wire type are skipped', () => {
    const w = Writer.create();
    w.uint32(tag(90, VARINT)).int64(-1);
    w.uint32(tag(91, LEN)).string('future');
    w.uint32(tag(92, 5)).fixed32(7);
    w.uint32(tag(93, FIXED64)).double(1.5);
    w.uint32(tag(2, VARINT)).int32(5);
    expect(decodeMessage(catalog, `${BATCH}JobSpec`, w.finish())).toEqual({ completions: 5 });
  });

  test('a map entry without a value gets the zero value of the map type', () => {
    const entry = Writer.create().uint32(tag(1, LEN)).string('cpu').finish();
    const resources = Writer.create().uint32(tag(1, LEN)).bytes(entry).finish();
    const labels = Writer.create().uint32(tag(1, LEN)).string('k').finish();
    expect(decodeMessage(catalog, `${CORE}ResourceRequirements`, resources)).toEqual({
      limits: { cpu: '0' },
    });
    expect(
      decodeMessage(
        catalog,
        `${META}ObjectMeta`,
        Writer.create().uint32(tag(11, LEN)).bytes(labels).finish(),
      ),
    ).toEqual({ labels: { k: '' } });
  });

  const int64Cases: Array<{ name: string; sent: string; want: number }> = [
    { name: 'a negative int64 reads as a negative number', sent: '-5', want: -5 },
    { name: 'the largest safe integer reads exactly', sent: '9007199254740991', want: 9007199254740991 },
    {
      name: 'an int64 beyond 2^53 rounds to the nearest double, as JSON.parse does on the JSON path',
      sent: '9007199254740993',
      want: 9007199254740992,
    },
    { name: 'the smallest int64 reads as -2^63', sent: '-9223372036854775808', want: -(2 ** 63) },
  ];
  for (const tc of int64Cases) {
    test(tc.name, () => {
      const bytes = Writer.create().uint32(tag(3, VARINT)).int64(tc.sent).finish();
      expect(decodeMessage(catalog, `${BATCH}JobSpec`, bytes)).toEqual({ activeDeadlineSeconds: tc.want });
    });
  }

  test('a negative int32 sent as a ten-byte varint reads back negative', () => {
    const bytes = Writer.create().uint32(tag(25, VARINT)).int32(-10).finish();
    expect(bytes.length).toBe(12);
    expect(decodeMessage(catalog, `${CORE}PodSpec`, bytes)).toEqual({ priority: -10 });
  });
});

// ---- special types, through a small catalog of our own ----

const T = 'test.Special';
const specials = new Catalog(
  types('test.', {
    Special: {
      doc: 'Every special type.',
      fields: {
        data: field(1, bytes, 'bytes'),
        ratio: field(2, double, 'a double'),
        timeout: field(3, duration, 'a duration'),
        object: field(4, raw, 'a raw extension'),
        eventTime: field(5, microTime, 'a micro time', { presence: 'always' }),
        names: field(6, { kind: 'array', items: string }, 'strings'),
        counts: field(7, { kind: 'array', items: int64 }, 'int64s'),
      },
    },
  }),
);

describe('special types', () => {
  const cases: Array<{ name: string; obj: Obj; want?: Obj }> = [
    { name: 'bytes read as standard base64, as Go writes []byte', obj: { data: 'AAEC/w==' } },
    { name: 'empty bytes read as an empty string', obj: { data: '' } },
    { name: 'a double reads from its fixed 64 bits', obj: { ratio: -0.125 } },
    { name: 'a raw extension reads as its JSON', obj: { object: { kind: 'Pod', spec: { a: [1, null] } } } },
    { name: 'a micro time keeps its microseconds', obj: { eventTime: '2026-03-04T05:06:07.000123Z' } },
    {
      name: 'a micro time without a fraction has six zero digits',
      obj: { eventTime: '2026-03-04T05:06:07.000000Z' },
    },
    { name: 'a zero micro time (an empty message) reads as null', obj: { eventTime: null } },
    { name: 'repeated strings read in order', obj: { names: ['b', 'a', ''] } },
    { name: 'repeated int64s read in order', obj: { counts: [1, -1, 2 ** 40] } },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      expect(decodeMessage(specials, T, encode(specials, T, tc.obj))).toEqual(tc.want ?? tc.obj);
    });
  }

  test('a Time keeps whole seconds only, as upstream does', () => {
    const ts = Writer.create()
      .uint32(tag(1, VARINT))
      .int64(1767323045)
      .uint32(tag(2, VARINT))
      .int32(999)
      .finish();
    const meta = Writer.create().uint32(tag(8, LEN)).bytes(ts).finish();
    expect(decodeMessage(catalog, `${META}ObjectMeta`, meta)).toEqual({
      creationTimestamp: '2026-01-02T03:04:05Z',
    });
  });

  test("Go's zero time sent as seconds reads as null", () => {
    const ts = Writer.create().uint32(tag(1, VARINT)).int64(-62135596800).finish();
    const meta = Writer.create().uint32(tag(8, LEN)).bytes(ts).finish();
    expect(decodeMessage(catalog, `${META}ObjectMeta`, meta)).toEqual({ creationTimestamp: null });
  });

  test('an IntOrString reads as a number or a string by its type', () => {
    const http = (port: number | string) =>
      decodeMessage(catalog, `${CORE}HTTPGetAction`, encode(catalog, `${CORE}HTTPGetAction`, { port }));
    expect(http(0)).toEqual({ port: 0 });
    expect(http(-1)).toEqual({ port: -1 });
    expect(http('web')).toEqual({ port: 'web' });
  });

  const durations: Array<{ ns: bigint; want: string }> = [
    { ns: 0n, want: '0s' },
    { ns: 1n, want: '1ns' },
    { ns: 1_500n, want: '1.5µs' },
    { ns: 1_500_000n, want: '1.5ms' },
    { ns: 90_000_000_000n, want: '1m30s' },
    { ns: 3_723_500_000_000n, want: '1h2m3.5s' },
    { ns: 3_600_000_000_000n, want: '1h0m0s' },
    { ns: -1_000_000_000n, want: '-1s' },
    { ns: 9_223_372_036_854_775_807n, want: '2562047h47m16.854775807s' },
    { ns: -9_223_372_036_854_775_808n, want: '-2562047h47m16.854775808s' },
  ];
  for (const tc of durations) {
    test(`a duration of ${tc.ns}ns reads as Go prints it: ${tc.want}`, () => {
      expect(formatGoDuration(tc.ns)).toBe(tc.want);
      expect(decodeMessage(specials, T, encode(specials, T, { timeout: tc.ns }))).toEqual({
        timeout: tc.want,
      });
    });
  }
});

// ---- the envelope ----

describe('decodeProtobufEnvelope', () => {
  test('reads the type, the raw message and the content fields', () => {
    const message = encode(catalog, NAMESPACE, { metadata: { name: 'n' } });
    const got = decodeProtobufEnvelope(envelope('v1', 'Namespace', message));
    expect(got).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      raw: expect.any(Uint8Array),
      contentEncoding: '',
      contentType: '',
    });
    expect(Buffer.from(got.raw).equals(Buffer.from(message))).toBe(true);
  });

  test('an envelope with an empty type meta and no message reads as empty fields', () => {
    const got = decodeProtobufEnvelope(Buffer.from([...PROTOBUF_MAGIC, 0x0a, 0x00]));
    expect(got).toMatchObject({ apiVersion: '', kind: '', contentType: '' });
    expect(got.raw.length).toBe(0);
  });
});

// ---- malformed bodies ----

describe('malformed bodies', () => {
  const magic = (...rest: number[]) => Buffer.from([...PROTOBUF_MAGIC, ...rest]);
  const jobBody = (spec: Uint8Array) =>
    envelope('batch/v1', 'Job', Writer.create().uint32(tag(2, LEN)).bytes(spec).finish());
  // An IntOrString whose type is neither 0 (int) nor 1 (string).
  const badPort = Writer.create().uint32(tag(1, VARINT)).int64(2).finish();
  const cases: Array<{ name: string; body: Uint8Array; want: string; typed?: boolean; type?: string }> = [
    { name: 'an empty body is empty data', body: Buffer.alloc(0), want: 'empty data' },
    {
      name: 'a JSON body lacks the magic',
      body: Buffer.from('{"kind":"Job"}'),
      want: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    {
      name: 'a body shorter than the magic lacks the magic',
      body: Buffer.from('k8s'),
      want: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    { name: 'the magic alone is an empty body', body: magic(), want: 'empty body' },
    {
      name: 'an envelope cut inside its type meta is an unexpected EOF',
      body: magic(0x0a, 0x10, 0x0a),
      want: 'unexpected EOF',
    },
    { name: 'an envelope cut inside a tag is an unexpected EOF', body: magic(0x82), want: 'unexpected EOF' },
    {
      name: 'a type meta sent as a number has the wrong wire type',
      body: magic(0x08, 0x01),
      want: 'proto: wrong wireType = 0 for field TypeMeta',
    },
    {
      name: 'field number zero is an illegal tag',
      body: magic(0x00, 0x00),
      want: 'proto: Unknown: illegal tag 0 (wire type 0)',
    },
    {
      name: 'an end-group tag is rejected outside a group',
      body: magic(0x0c),
      want: 'proto: Unknown: wiretype end group for non-group',
    },
    {
      name: 'an unknown field with wire type 7 is illegal',
      body: magic(0x7f),
      want: 'proto: illegal wireType 7',
    },
    {
      name: 'a varint longer than ten bytes overflows',
      body: magic(0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
      want: 'proto: integer overflow',
    },
    {
      name: 'a message cut inside a nested field is an unexpected EOF',
      body: jobBody(Buffer.from([0x10])),
      want: 'unexpected EOF',
      typed: true,
    },
    {
      name: 'a nested length running past its parent is an unexpected EOF',
      body: jobBody(Buffer.from([0x32, 0x05, 0x0a, 0x00])),
      want: 'unexpected EOF',
      typed: true,
    },
    {
      name: 'completions sent as a string has the wrong wire type',
      body: jobBody(Writer.create().uint32(tag(2, LEN)).string('3').finish()),
      want: 'proto: wrong wireType = 2 for field Completions',
      typed: true,
    },
    {
      name: 'a struct sent as a number has the wrong wire type',
      body: jobBody(Writer.create().uint32(tag(6, VARINT)).int32(1).finish()),
      want: 'proto: wrong wireType = 0 for field Template',
      typed: true,
    },
    {
      name: 'an IntOrString of an impossible type is rejected',
      type: `${CORE}TCPSocketAction`,
      body: envelope('v1', 'TCPSocketAction', Writer.create().uint32(tag(1, LEN)).bytes(badPort).finish()),
      want: 'impossible IntOrString.Type',
      typed: true,
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      let err: unknown;
      try {
        decodeProtobufObject(catalog, tc.type ?? JOB, tc.body);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProtobufDecodeError);
      expect((err as Error).message).toBe(tc.want);
      const typeMeta = (err as ProtobufDecodeError).typeMeta;
      if (tc.typed) expect(Object.keys(typeMeta ?? {})).toEqual(['apiVersion', 'kind']);
      else expect(typeMeta).toBeUndefined();
    });
  }
});

describe('protobufDecodeErrorMessage', () => {
  const expected = { kind: 'Job', version: 'v1' };
  test('names the envelope type once the envelope was read', () => {
    const err = new ProtobufDecodeError('proto: wrong wireType = 2 for field Completions', {
      apiVersion: 'batch/v1',
      kind: 'Job',
    });
    expect(protobufDecodeErrorMessage(err, expected, Buffer.alloc(0))).toBe(
      'Job in version "v1" cannot be handled as a Job: proto: wrong wireType = 2 for field Completions',
    );
  });

  test('defaults an empty envelope type from the URL', () => {
    const err = new ProtobufDecodeError('unexpected EOF', { apiVersion: '', kind: '' });
    expect(protobufDecodeErrorMessage(err, expected, Buffer.alloc(0))).toBe(
      'Job in version "v1" cannot be handled as a Job: unexpected EOF',
    );
  });

  test('summarizes a body whose envelope could not be read', () => {
    const err = new ProtobufDecodeError('empty body');
    expect(protobufDecodeErrorMessage(err, expected, Buffer.from(PROTOBUF_MAGIC))).toBe(
      'the object provided is unrecognized (must be of type Job): empty body (6b387300)',
    );
    const json = Buffer.from('{"apiVersion":"batch/v1","kind":"Job","metadata":{}}');
    expect(protobufDecodeErrorMessage(err, expected, json)).toBe(
      'the object provided is unrecognized (must be of type Job): empty body ({"apiVersion":"batch/v1","kind ...)',
    );
  });
});

// ---- bodies recorded from kubectl 1.32 ----

describe('bodies kubectl 1.32 sends', () => {
  const fixture = (name: string) => new URL(`../../../test/fixtures/protobuf/${name}`, import.meta.url);
  const cases = [
    {
      name: 'kubectl create job decodes to what its --dry-run=client -o json prints',
      file: 'create-job',
      type: JOB,
    },
    { name: 'kubectl create cronjob decodes to its dry-run JSON', file: 'create-cronjob', type: CRONJOB },
    {
      name: 'kubectl create namespace decodes to its dry-run JSON',
      file: 'create-namespace',
      type: NAMESPACE,
    },
    {
      name: 'kubectl create job --from=cronjob decodes to its dry-run JSON, owner reference included',
      file: 'create-job-from-cronjob',
      type: JOB,
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const body = readFileSync(fixture(`${tc.file}.bin`));
      const want: unknown = JSON.parse(readFileSync(fixture(`${tc.file}.json`), 'utf8'));
      const { value, unknownFields } = decodeAs(
        catalog,
        tc.type,
        decodeProtobufObject(catalog, tc.type, body),
      );
      expect(unknownFields).toEqual([]);
      expect(value).toEqual(want);
      // Same keys in the same order: what Go would marshal.
      expect(JSON.stringify(value)).toBe(JSON.stringify(want));
    });
  }
});
