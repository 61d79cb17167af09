// The signed-in user and their tokens. The access token lives in memory only; the refresh
// token in sessionStorage (this tab, until it closes), so a reload stays signed in. Every REST
// call goes through `authFetch`: Bearer token, and on a 401 one transparent refresh and retry;
// if the refresh fails the session is over and the page returns to the login form.
import type { Role, TokenPair, UserView } from './types';

const REFRESH_KEY = 'bci.refreshToken';

class AuthStore {
  user = $state<UserView | null>(null);
  /** False until the stored session (if any) has been tried. */
  ready = $state(false);
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  get role(): Role | null {
    return this.user?.role ?? null;
  }

  /** The current access token (for the socket.io handshake). */
  token(): string {
    return this.accessToken ?? '';
  }

  async init(): Promise<void> {
    if (this.storedRefresh()) await this.refresh();
    this.ready = true;
  }

  private storedRefresh(): string | null {
    try {
      return sessionStorage.getItem(REFRESH_KEY);
    } catch {
      return null;
    }
  }

  private accept(pair: TokenPair): void {
    this.accessToken = pair.accessToken;
    try {
      sessionStorage.setItem(REFRESH_KEY, pair.refreshToken);
    } catch {
      /* storage disabled: the session lasts until a reload */
    }
    this.user = pair.user;
    // Refresh ahead of expiry, so socket.io reconnects always find a valid token.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(5, pair.expiresIn * 0.8) * 1000);
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.accessToken = null;
    try {
      sessionStorage.removeItem(REFRESH_KEY);
    } catch {
      /* ignore */
    }
  }

  /** Signs in; resolves to an error message, or null on success. */
  async login(username: string, password: string): Promise<string | null> {
    let res: Response;
    try {
      res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password }) });
    } catch {
      return 'The server cannot be reached.';
    }
    if (res.status === 429) return `Too many failed attempts. Try again in ${Math.ceil(Number(res.headers.get('retry-after') ?? '60') / 60)} min.`;
    if (!res.ok) return res.status === 401 ? 'Wrong username or password.' : `Sign-in failed (${res.status}).`;
    this.accept((await res.json()) as TokenPair);
    return null;
  }

  /** One refresh at a time; true if a new token pair arrived. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refreshToken = this.storedRefresh();
      if (!refreshToken) return false;
      try {
        const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
        if (res.ok) {
          this.accept((await res.json()) as TokenPair);
          return true;
        }
        if (res.status === 401) this.clear();
        return false;
      } catch {
        return false; // network: keep the refresh token and try again later
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** The session ended (refresh refused): back to the login form. */
  expire(): void {
    this.clear();
    if (this.user) location.reload();
  }

  async logout(): Promise<void> {
    const refreshToken = this.storedRefresh();
    try {
      await fetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token()}` }, body: JSON.stringify({ refreshToken }) });
    } catch {
      /* the token expires on its own */
    }
    this.clear();
    location.hash = '#/';
    location.reload();
  }

  /** fetch with the Bearer token; a 401 refreshes once and retries, then ends the session. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const send = () => fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.token()}` } });
    const res = await send();
    if (res.status !== 401) return res;
    if (await this.refresh()) {
      const again = await send();
      if (again.status !== 401) return again;
    }
    if (!this.storedRefresh()) this.expire();
    return res;
  }
}

export const auth = new AuthStore();

/** What each role may open in the dashboard. */
export const can = {
  alerts: (role: Role | null) => role === 'admin' || role === 'operator',
  admin: (role: Role | null) => role === 'admin',
};
