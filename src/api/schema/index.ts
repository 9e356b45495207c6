/** Every type batchd serves, in one catalog: the source for decoding, OpenAPI, patches and apply. */
import { autoscalingTypes } from './autoscaling.js';
import { batchTypes } from './batch.js';
import { batchV1beta1Types } from './batchV1beta1.js';
import { coreContainerTypes } from './coreContainer.js';
import { coreOtherTypes } from './coreOther.js';
import { corePodTypes } from './corePod.js';
import { coreVolumeTypes } from './coreVolume.js';
import { metaTypes } from './meta.js';
import { Catalog } from './schema.js';

export const catalog = new Catalog([
  ...metaTypes,
  ...batchTypes,
  ...batchV1beta1Types(batchTypes),
  ...corePodTypes,
  ...coreContainerTypes,
  ...coreVolumeTypes,
  ...coreOtherTypes,
  ...autoscalingTypes,
]);
