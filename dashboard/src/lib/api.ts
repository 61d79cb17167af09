// Thin REST client. Every call degrades: a missing endpoint (404) is reported as `missing`
// so views can show an empty state instead of an error.
import type { AlertView, AuditEntry, CreateUserRequest, DeviceInfo, EegRange, SensorRawRow, SensorRollupRow, UpdateUserRequest, UserView } from './types';
import { auth } from './auth.svelte';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await auth.fetch(path, { signal, headers: { accept: 'application/json' } });
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
  /** The server records the signed-in user as the actor. */
  alertAction: (id: string, action: 'acknowledge' | 'clear' | 'close', note?: string) =>
    send<AlertView | null>('POST', `/api/alerts/${encodeURIComponent(id)}/${action}`, { note: note || undefined }),
  users: (signal?: AbortSignal) => get<UserView[]>('/api/users', signal),
  createUser: (body: CreateUserRequest) => send<UserView>('POST', '/api/users', body),
  updateUser: (id: number, body: UpdateUserRequest) => send<UserView>('PATCH', `/api/users/${id}`, body),
  deleteUser: (id: number) => send<null>('DELETE', `/api/users/${id}`),
  audit: (query: Record<string, string | undefined>, signal?: AbortSignal) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    return get<AuditEntry[]>(`/api/audit?${q}`, signal);
  },
};

/** A JSON request with the signed-in user's token; non-2xx answers throw an ApiError with the server's message. */
export async function send<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await auth.fetch(path, {
    method,
    signal,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let detail = '';
    try {
      const b = (await res.json()) as { message?: string | string[] };
      detail = Array.isArray(b.message) ? b.message.join('; ') : (b.message ?? '');
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, detail || `${res.status} ${res.statusText}`);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export function isMissing(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 501);
}
