// REST client and wire types of the live EEG pipeline: calibration sessions, trained models,
// stored predictions. Every call goes through the signed-in user's auth.fetch (Bearer token,
// one transparent refresh), like lib/api.ts.
import { send as call } from './api';
export { MARKER_CODES } from '@shared/messages';

export { TRAINABLE_PIPELINES } from '@shared/pipeline';
export type {
  BandPowerEvent,
  ChannelQualityView as ChannelQuality,
  ChannelVerdict,
  LiveAccuracyEvent,
  ModelMetrics,
  ModelView,
  PredictionEvent,
  QualityEvent,
  SessionDetail,
  SessionMarker,
  SessionView,
  StoredPrediction,
  TrainingEvent,
} from '@shared/pipeline';
import type { ModelView, SessionDetail, SessionMarker, SessionView, StoredPrediction } from '@shared/pipeline';

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
