// Public API of the alert lifecycle (pure; the server persists and delivers the events).
export { AlertLifecycle, DEFAULT_LIFECYCLE_CONFIG, SYSTEM_ACTOR } from './lifecycle';
export type {
  ActionResult,
  Alert,
  AlertEvent,
  AlertEventType,
  AlertState,
  LifecycleConfig,
  LifecycleSnapshot,
  OperatorAction,
  StagedObservation,
} from './lifecycle';
export { DEFAULT_RETRY_POLICY, jitterUnit, nextRetry, retryDelayMs } from './retryPolicy';
export type { RetryDecision, RetryPolicy } from './retryPolicy';
export { buildCentralPayload, DEFAULT_CENTRAL_EVENT_TYPES } from './centralPayload';
export type { CentralMessage, CentralPayload } from './centralPayload';
