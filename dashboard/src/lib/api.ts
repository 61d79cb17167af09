// Thin REST client. Every call degrades: a missing endpoint (404) is reported as `missing`
// so views can show an empty state instead of an error.
import type { AlertView, DeviceInfo, EegRange, SensorRawRow, SensorRollupRow } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) throw new ApiError(res.status, `${res.status} ${res.statusText} for ${path}`);
  return (await res.json()) as T;
}

export const api = {
  devices: (signal?: AbortSignal) => get<DeviceInfo[]>('/api/devices', signal),
  eeg: (id: string, fromUs: number, toUs?: number, signal?: AbortSignal) =>
    get<EegRange>(`/api/devices/${encodeURIComponent(id)}/eeg?from=${Math.floor(fromUs)}${toUs ? `&to=${Math.ceil(toUs)}` : ''}`, signal),
  markers: (id: string, fromUs: number, toUs?: number, signal?: AbortSignal) =>
    get<{ deviceId?: string; timeUs: number; code: string; label: string; durationS?: number }[]>(
      `/api/devices/${encodeURIComponent(id)}/markers?from=${Math.floor(fromUs)}${toUs ? `&to=${Math.ceil(toUs)}` : ''}`,
      signal,
    ),
  sensor: (id: string, resolution: 'raw' | '1m' | '1h', from: Date, to: Date, signal?: AbortSignal) =>
    get<(SensorRawRow | SensorRollupRow)[]>(
      `/api/devices/${encodeURIComponent(id)}/sensor?resolution=${resolution}&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
      signal,
    ),
  alerts: (query: Record<string, string | undefined>, signal?: AbortSignal) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    const s = q.toString();
    return get<AlertView[]>(`/api/alerts${s ? `?${s}` : ''}`, signal);
  },
  async alertAction(id: string, action: 'acknowledge' | 'clear' | 'close', by: string, note?: string): Promise<AlertView | null> {
    const res = await fetch(`/api/alerts/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ by, note: note || undefined }),
    });
    if (!res.ok) {
      let detail = '';
      try {
        const body = (await res.json()) as { message?: string | string[] };
        detail = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? '');
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, detail || `${res.status} ${res.statusText}`);
    }
    const text = await res.text();
    return text ? (JSON.parse(text) as AlertView) : null;
  },
};

export function isMissing(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 501);
}
