// Alert state shared by the header (stage-4 banner), the overview (counts) and the feed.
// Loaded from GET /api/alerts, kept current by `alert` events in the `alerts` room, reloaded
// after every reconnect. If the API is not there (404), `available` is false and views show
// an empty state.
import { api, isMissing } from './api';
import { live } from './live.svelte';
import type { AlertView } from './types';

class AlertStore {
  byId = $state<Record<string, AlertView>>({});
  available = $state<boolean | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  /** Ids that arrived live since the page loaded (highlighted briefly). */
  fresh = $state<Record<string, number>>({});

  list = $derived(Object.values(this.byId).sort((a, b) => Date.parse(b.lastAt) - Date.parse(a.lastAt)));
  active = $derived(this.list.filter((a) => a.state === 'active_unacknowledged' || a.state === 'active_acknowledged'));
  /** Stage-4 alerts nobody has acknowledged yet: the banner stays until someone does. */
  critical = $derived(this.active.filter((a) => a.state === 'active_unacknowledged' && (a.lastStage === 4 || a.peakStage === 4)));

  constructor() {
    live.on<AlertView>('alert', (a) => {
      if (!a || typeof a.id !== 'string') return;
      this.available = true;
      this.byId[a.id] = a;
      this.fresh[a.id] = Date.now();
    });
    live.onConnect((reconnect) => {
      if (reconnect && this.started) void this.loadActive();
    });
  }

  private started = false;

  /** Loads the active alerts once the user is signed in (operators and admins only). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loadActive();
  }

  upsert(a: AlertView): void {
    this.byId[a.id] = a;
  }

  async loadActive(): Promise<void> {
    this.loading = true;
    try {
      const [unack, ack] = await Promise.all([api.alerts({ state: 'active_unacknowledged' }), api.alerts({ state: 'active_acknowledged' })]);
      for (const a of [...unack, ...ack]) this.byId[a.id] = a;
      // An alert we hold as active that the server no longer lists as active changed state
      // while we were away: drop it from the active set (history loads it again).
      const activeIds = new Set([...unack, ...ack].map((a) => a.id));
      for (const a of Object.values(this.byId))
        if ((a.state === 'active_unacknowledged' || a.state === 'active_acknowledged') && !activeIds.has(a.id)) delete this.byId[a.id];
      this.available = true;
      this.error = null;
    } catch (err) {
      if (isMissing(err)) this.available = false;
      else this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  async loadHistory(query: Record<string, string | undefined>): Promise<AlertView[]> {
    try {
      const rows = await api.alerts(query);
      this.available = true;
      return rows;
    } catch (err) {
      if (isMissing(err)) this.available = false;
      else this.error = (err as Error).message;
      return [];
    }
  }
}

export const alerts = new AlertStore();
