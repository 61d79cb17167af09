import type { AlertView, StageNumber } from '@bci/shared';

export interface AlertRow {
  id: string;
  device_id: string;
  metric: string;
  state: AlertView['state'];
  peak_stage: number;
  last_stage: number;
  last_value: number;
  count: number;
  opened_at: Date;
  last_at: Date;
  escalation_level: number;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledge_note: string | null;
  cleared_at: Date | null;
  cleared_by: string | null;
  clear_note: string | null;
  closed_at: Date | null;
  delivery_status: AlertView['delivery']['status'] | null;
  delivery_attempts: number | null;
  delivery_error: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toAlertView(r: AlertRow): AlertView {
  return {
    id: r.id,
    deviceId: r.device_id,
    metric: r.metric,
    state: r.state,
    peakStage: r.peak_stage as StageNumber,
    lastStage: r.last_stage as StageNumber,
    lastValue: r.last_value,
    count: r.count,
    openedAt: r.opened_at.toISOString(),
    lastAt: r.last_at.toISOString(),
    escalationLevel: r.escalation_level,
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    acknowledgeNote: r.acknowledge_note,
    clearedAt: iso(r.cleared_at),
    clearedBy: r.cleared_by,
    clearNote: r.clear_note,
    closedAt: iso(r.closed_at),
    delivery: { status: r.delivery_status ?? 'none', attempts: r.delivery_attempts ?? 0, lastError: r.delivery_error },
  };
}
