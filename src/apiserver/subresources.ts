/**
 * Subresources that are not the object itself: `pods/binding` (a scheduler assigns a node) and
 * `jobs/scale` (an autoscaling/v1 Scale view of the Job's parallelism, for `kubectl scale job`).
 */
import { jobToScale, type Scale, scaleJob } from '../api/batch/v1/scale.js';
import type { Job } from '../api/batch/v1/types.js';
import { badRequest, successStatus } from '../api/meta/status.js';
import { isObject, type KubeObject } from '../api/meta/types.js';
import { AUTOSCALING } from '../api/schema/autoscaling.js';
import { DecodeError, decodeAs } from '../api/schema/decode.js';
import { catalog } from '../api/schema/index.js';
import { decodeBodyStrict, JSON_TYPE, readBody } from './negotiate.js';
import { writeOptions } from './options.js';
import { type ObjectView, patchObject, type WriteTarget } from './writes.js';

const SCALE = `${AUTOSCALING}Scale`;

export const scaleView: ObjectView = {
  schema: SCALE,
  toView: (obj) => jobToScale(obj as Job) as unknown as KubeObject,
  fromView: (obj, view) => scaleJob(obj as Job, view as unknown as Scale) as KubeObject,
};

/** GET, PUT or PATCH of `jobs/{name}/scale`: answers the Scale. */
export async function serveScale(t: WriteTarget, verb: string): Promise<unknown> {
  const { registry } = t;
  if (verb === 'get') return jobToScale((await registry.get(t.namespace, t.name)) as Job);
  if (verb === 'patch') return (await patchObject(t, scaleView)).object;
  const options = writeOptions(t.q, 'UpdateOptions', t.req.headers['user-agent']);
  const scale = await readScale(t);
  const job = await registry.guaranteedUpdate(
    t.namespace,
    t.name,
    (current) => scaleView.fromView(current, scale),
    {
      dryRun: options.dryRun,
      fieldManager: options.fieldManager,
      subresource: 'scale',
    },
  );
  return jobToScale(job as Job);
}

async function readScale(t: WriteTarget): Promise<KubeObject> {
  const what = 'Scale in version "v1" cannot be handled as a Scale';
  const body = await readBody(t.req);
  if (!body.length) throw badRequest(`${what}: empty body`);
  const { value } = decodeBodyStrict(body, t.req.headers['content-type'] ?? JSON_TYPE, what);
  try {
    return decodeAs(catalog, SCALE, value).value as unknown as KubeObject;
  } catch (err) {
    if (err instanceof DecodeError) throw badRequest(`${what}: ${err.message}`);
    throw err;
  }
}

/**
 * POST `pods/{name}/binding`: assigns the pod to the node the Binding targets, once. Answers a
 * Success Status with code 201, as upstream's BindingREST.
 */
export async function bindPod(t: WriteTarget): Promise<unknown> {
  const options = writeOptions(t.q, 'CreateOptions', t.req.headers['user-agent']);
  const what = 'Binding in version "v1" cannot be handled as a Binding';
  const body = await readBody(t.req);
  const { value } = decodeBodyStrict(body, t.req.headers['content-type'] ?? JSON_TYPE, what);
  const target = isObject(value) && isObject(value.target) ? value.target : {};
  const meta = isObject(value) && isObject(value.metadata) ? value.metadata : {};
  if (typeof meta.name === 'string' && meta.name && meta.name !== t.name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${t.name})`);
  }
  const nodeName = typeof target.name === 'string' ? target.name : '';
  const pod = { metadata: { name: t.name }, spec: { nodeName } } as KubeObject;
  await t.registry.update(t.namespace, t.name, pod, {
    dryRun: options.dryRun,
    fieldManager: options.fieldManager,
    subresource: 'binding',
  });
  return { ...successStatus(), code: 201 };
}
