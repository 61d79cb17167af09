// Anomaly-staging and alert settings from the environment (see the README's configuration table).
import type { LifecycleConfig } from '@bci/streams/alerts';
import type { StagerOverride } from '@bci/streams/anomaly';
import type { RetryPolicy } from '@bci/streams/alerts';
import { DEFAULT_RETRY_POLICY } from '@bci/streams/alerts';

export interface AlertsConfig {
  stager: StagerOverride;
  lifecycle: Partial<LifecycleConfig>;
  /** Where new alerts and stage escalations are POSTed; unset = no central delivery. */
  centralUrl: string | null;
  retry: RetryPolicy;
  /** Days of staged readings replayed into the baselines at start-up. */
  replayDays: number;
}

function num(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name}=${v} is not a number`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : ['1', 'true', 'yes'].includes(v.toLowerCase());
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function loadAlertsConfig(env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const windowDays = num(env, 'BCI_STAGER_WINDOW_DAYS');
  const escalateMin = num(env, 'BCI_ALERT_ESCALATE_AFTER_MIN');
  const closeH = num(env, 'BCI_ALERT_AUTO_CLOSE_AFTER_H');
  return {
    stager: defined({
      maxPoints: num(env, 'BCI_STAGER_WINDOW_READINGS'),
      windowMs: windowDays === undefined ? undefined : windowDays * 86_400_000,
      minPoints: num(env, 'BCI_STAGER_MIN_POINTS'),
      robust: bool(env, 'BCI_STAGER_ROBUST'),
      twoSided: bool(env, 'BCI_STAGER_TWO_SIDED'),
    }),
    lifecycle: defined({
      minOpenStage: num(env, 'BCI_ALERT_MIN_OPEN_STAGE') as LifecycleConfig['minOpenStage'] | undefined,
      clearAfterNormalReadings: num(env, 'BCI_ALERT_CLEAR_AFTER_NORMAL'),
      escalateAfterMs: escalateMin === undefined ? undefined : escalateMin * 60_000,
      autoCloseAfterMs: closeH === undefined ? undefined : closeH * 3_600_000,
      // Alert ids appear in URLs: keep them to URL-safe characters.
      idFactory: (deviceId: string, metric: string, openedAt: number) => `${deviceId}~${metric}~${openedAt}`,
    }),
    centralUrl: env.BCI_CENTRAL_URL || null,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: null, maxDelayMs: num(env, 'BCI_CENTRAL_MAX_RETRY_DELAY_MS') ?? DEFAULT_RETRY_POLICY.maxDelayMs },
    replayDays: num(env, 'BCI_STAGER_REPLAY_DAYS') ?? 7,
  };
}
