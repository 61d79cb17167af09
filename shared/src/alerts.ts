// The operator-facing view of an alert, as served by GET /api/alerts and pushed as `alert`
// events to the `alerts` socket.io room. Times are ISO-8601 strings.

export type AlertStateName = 'active_unacknowledged' | 'active_acknowledged' | 'cleared' | 'closed';
export type StageNumber = 0 | 1 | 2 | 3 | 4;

/** Stage names exactly as the field team defined them. */
export const STAGE_NAMES: Record<StageNumber, { en: string; ko: string }> = {
  0: { en: 'Normal', ko: '정상' },
  1: { en: 'Interest', ko: '관심' },
  2: { en: 'Caution', ko: '주의' },
  3: { en: 'Alert', ko: '경계' },
  4: { en: 'Critical', ko: '심각' },
};

export interface AlertView {
  id: string;
  deviceId: string;
  metric: string;
  state: AlertStateName;
  peakStage: StageNumber;
  lastStage: StageNumber;
  lastValue: number;
  count: number;
  openedAt: string;
  lastAt: string;
  escalationLevel: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
  clearedAt: string | null;
  clearedBy: string | null;
  clearNote: string | null;
  closedAt: string | null;
  /** Delivery to the central server: pending, delivered, failed (gave up), or none configured. */
  delivery: { status: 'pending' | 'delivered' | 'failed' | 'none'; attempts: number; lastError: string | null };
}

/** Body of POST /api/alerts/:id/acknowledge | clear | close (with a Bearer token). */
export interface AlertActionRequest {
  /** Ignored: the server records the authenticated user as the actor. */
  by?: string;
  note?: string;
}
