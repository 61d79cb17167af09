// REST client and wire types of the live EEG pipeline: calibration sessions, trained models,
// stored predictions. Every call goes through the signed-in user's auth.fetch (Bearer token,
// one transparent refresh), like lib/api.ts.
import { send as call } from './api';
export { MARKER_CODES } from '@shared/messages';

export const TRAINABLE_PIPELINES = ['csp-lda', 'ts-lr', 'mdm', 'fbcsp-lda'] as const;

/** Socket event `prediction` (room device:<id>). */
export interface PredictionEvent {
  deviceId: string;
  windowIndex: number;
  windowEndUs: number;
  label: string;
  classes: string[];
  probabilities: number[];
  modelId: string;
  modelVersion: number;
  receivedAtUs?: number;
  committedAtUs?: number;
  emittedAtUs?: number;
}
/** Socket event `band-power`: relative[channel][band]. */
export interface BandPowerEvent {
  deviceId: string;
  timeUs: number;
  bands: string[];
  channels: string[];
  relative: number[][];
}
export type ChannelVerdict = 'good' | 'flat' | 'railed' | 'noisy';
export interface ChannelQuality {
  channel: string;
  verdict: ChannelVerdict;
  std: number;
  railedFraction: number;
  lineNoiseRatio: number | null;
}
export interface QualityEvent {
  deviceId: string;
  timeUs: number;
  channels: ChannelQuality[];
}
export interface LiveAccuracyEvent {
  deviceId: string;
  correct: number;
  total: number;
  accuracy: number | null;
  trial: { cueUs: number; code: string; expected: string; decided: string | null; correct: boolean; nWindows: number };
}
export type TrainingEvent = { deviceId: string; sessionId: string; pipeline: string } & (
  | { status: 'started' }
  | { status: 'epoched'; n: number; classCounts: Record<string, number>; skipped: number }
  | { status: 'done'; modelId: string; version: number; metrics: ModelMetrics | null }
  | { status: 'failed'; error: string }
);

export interface SessionView {
  id: string;
  deviceId: string;
  subject: string;
  createdAt: string;
  startedAtUs: number | null;
  stoppedAtUs: number | null;
  startedAt: string | null;
  stoppedAt: string | null;
}
export interface SessionMarker {
  timeUs: number;
  code: string;
  label: string;
  durationS?: number | null;
  /** 'device' (from the stream) or 'manual' (added here), when the server tells. */
  source?: string;
}
export interface SessionDetail extends SessionView {
  markers: SessionMarker[];
  cues: Record<string, number>;
}
export interface ModelMetrics {
  cvAccuracy?: number;
  cvAuc?: number;
  cvFolds?: number;
  [k: string]: unknown;
}
export interface ModelView {
  id: string;
  deviceId: string;
  subject: string | null;
  sessionId: string | null;
  pipeline: string;
  version: number;
  metrics: ModelMetrics | null;
  createdAt: string;
  active: boolean;
}
export interface StoredPrediction {
  windowIndex: number;
  windowEndUs: number;
  label: string;
  classes: string[];
  probabilities: number[];
  modelId: string;
  modelVersion: number;
}

const enc = encodeURIComponent;

export const pipelineApi = {
  sessions: (deviceId?: string, signal?: AbortSignal) => call<SessionView[]>('GET', `/api/sessions${deviceId ? `?deviceId=${enc(deviceId)}` : ''}`, undefined, signal),
  session: (id: string, signal?: AbortSignal) => call<SessionDetail>('GET', `/api/sessions/${enc(id)}`, undefined, signal),
  createSession: (deviceId: string, subject: string) => call<SessionView>('POST', '/api/sessions', { deviceId, subject }),
  /** Without a time the server takes just after the device's newest sample. */
  startSession: (id: string, startUs?: number) => call<SessionView>('POST', `/api/sessions/${enc(id)}/start`, startUs === undefined ? {} : { startUs }),
  stopSession: (id: string, stopUs?: number) => call<SessionView>('POST', `/api/sessions/${enc(id)}/stop`, stopUs === undefined ? {} : { stopUs }),
  deleteSession: (id: string) => call<null>('DELETE', `/api/sessions/${enc(id)}`),
  /** Adds a marker inside a session (source 'manual'). */
  addMarker: (id: string, m: { timeUs: number; code: string; label?: string; durationS?: number | null }) => call<SessionMarker>('POST', `/api/sessions/${enc(id)}/markers`, m),
  deleteMarker: (id: string, timeUs: number, code: string) => call<null>('DELETE', `/api/sessions/${enc(id)}/markers?timeUs=${Math.round(timeUs)}&code=${enc(code)}`),
  train: (id: string, pipeline: string) => call<unknown>('POST', `/api/sessions/${enc(id)}/train`, { pipeline }),
  models: (deviceId?: string, signal?: AbortSignal) => call<ModelView[]>('GET', `/api/models${deviceId ? `?deviceId=${enc(deviceId)}` : ''}`, undefined, signal),
  activate: (id: string) => call<ModelView>('POST', `/api/models/${enc(id)}/activate`),
  predictions: (deviceId: string, fromUs: number, toUs: number, signal?: AbortSignal) =>
    call<StoredPrediction[]>('GET', `/api/devices/${enc(deviceId)}/predictions?from=${Math.floor(fromUs)}&to=${Math.ceil(toUs)}`, undefined, signal),
};

/** Fixed colours for the usual motor-imagery classes, then a palette. */
const CLASS_COLOURS: Record<string, string> = { left: '#38bdf8', right: '#f472b6', feet: '#facc15', rest: '#94a3b8', tongue: '#a78bfa' };
const PALETTE = ['#34d399', '#fb923c', '#a78bfa', '#f87171', '#60a5fa'];
export function classColour(label: string, i = 0): string {
  return CLASS_COLOURS[label] ?? PALETTE[i % PALETTE.length];
}

export const pct = (x: number | null | undefined, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`);
export const usTime = (us: number | null | undefined) => (us === null || us === undefined ? '—' : new Date(us / 1000).toLocaleString());
