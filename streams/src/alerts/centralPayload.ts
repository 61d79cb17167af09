// Payload for the central monitoring server, one per delivered alert event.
import type { AlertEvent, AlertEventType } from './lifecycle';

export interface CentralPayload {
  machine_number: string;
  /** ISO-8601 UTC of the reading (or action) behind the event. */
  time: string;
  /** Stage reported centrally: the current stage, or 0 once cleared/closed. */
  outlier_stage: number;
  value: number;
  metric: string;
  alert_id: string;
}

export interface CentralMessage {
  payload: CentralPayload;
  /** Unique per (alert, event); send as Idempotency-Key so retries are deduplicated. */
  idempotencyKey: string;
}

/** Events forwarded to the central server by default (acks and repeats stay local). */
export const DEFAULT_CENTRAL_EVENT_TYPES: ReadonlySet<AlertEventType> = new Set<AlertEventType>([
  'opened',
  'stage_escalated',
  'cleared',
]);

export function buildCentralPayload(event: AlertEvent): CentralMessage {
  const a = event.alert;
  const ended = event.type === 'cleared' || event.type === 'closed';
  return {
    payload: {
      machine_number: a.deviceId,
      time: new Date(event.time).toISOString(),
      outlier_stage: ended ? 0 : a.lastStage,
      value: a.lastValue,
      metric: a.metric,
      alert_id: a.id,
    },
    idempotencyKey: event.idempotencyKey,
  };
}
