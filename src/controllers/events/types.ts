/**
 * How controllers and the node agent report on API objects: client-go's EventRecorder shape,
 * with its aggregation, so a 10,000-pod Job writes a bounded number of events.
 */
import type { KubeObject } from '../../api/meta/types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** Records an event on obj (`source.component` is the recorder's component). Never throws. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
  eventf(obj: KubeObject, type: EventType, reason: string, format: string, ...args: unknown[]): void;
}
