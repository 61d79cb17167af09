// Wire types shared with the server (types and pure constants only: no node code in the bundle).
export type { LiveEegFrame, LiveMarker, LiveSensorReading, DeviceStatus, SubscribeReply } from '@shared/live';
export { LIVE_NAMESPACE, rooms, float32View } from '@shared/live';
export type { AlertView, AlertStateName, StageNumber, AlertActionRequest } from '@shared/alerts';
export { STAGE_NAMES } from '@shared/alerts';

/** GET /api/devices row. */
export interface DeviceInfo {
  deviceId: string;
  kind: 'eeg' | 'sensor';
  fsHz: number | null;
  channels: string[];
  unit: string | null;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
}

/** GET /api/devices/:id/eeg */
export interface EegRange {
  deviceId: string;
  fsHz: number;
  unit: string;
  channels: string[];
  fromUs: number;
  toUs: number;
  chunks: { seq: number; t0Us: number; nSamples: number; samples: number[][] }[];
}

export interface SensorRawRow {
  metric: string;
  time: string;
  value: number;
}
export interface SensorRollupRow {
  metric: string;
  time: string;
  avg: number;
  min: number;
  max: number;
  n: number;
}

/** Per-metric stage of one sensor reading (socket event `staged`, or a `stages` field). */
export interface StageInfo {
  stage: number;
  percentile?: number | null;
  /** 'scored', or why not: 'warming_up', 'invalid', 'out_of_order'. */
  status?: string;
}
export interface StagedEvent {
  deviceId: string;
  time: string;
  stages: Record<string, StageInfo>;
}

export type { Role, UserView, TokenPair, AuditEntry, CreateUserRequest, UpdateUserRequest } from '@shared/auth';
