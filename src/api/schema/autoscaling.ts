/** autoscaling/v1 Scale: what `kubectl scale` reads and writes through a resource's scale subresource. */
import { field as f, int32, metaRef, string, TYPE_META, types } from './schema.js';

export const AUTOSCALING = 'io.k8s.api.autoscaling.v1.';

export const autoscalingTypes = types(AUTOSCALING, {
  Scale: {
    doc: 'The scale of a resource: how many replicas it should run and how many it runs.',
    inline: [TYPE_META],
    fields: {
      metadata: f(1, metaRef('ObjectMeta'), 'Standard object metadata.', { presence: 'always' }),
      spec: f(2, { kind: 'ref', name: `${AUTOSCALING}ScaleSpec` }, 'The wanted number of replicas.', {
        presence: 'always',
      }),
      status: f(3, { kind: 'ref', name: `${AUTOSCALING}ScaleStatus` }, 'The observed number of replicas.', {
        presence: 'always',
      }),
    },
  },
  ScaleSpec: {
    doc: 'The wanted scale.',
    fields: { replicas: f(1, int32, 'The wanted number of replicas (for a Job: its parallelism).') },
  },
  ScaleStatus: {
    doc: 'The observed scale.',
    fields: {
      replicas: f(1, int32, 'The replicas running now (for a Job: its active pods).', {
        presence: 'always',
        required: true,
      }),
      selector: f(
        2,
        string,
        'The label selector of the pods counted, in its string form (`batch.kubernetes.io/controller-uid=...`).',
      ),
    },
  },
});
