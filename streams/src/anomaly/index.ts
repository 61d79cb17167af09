// Public API of anomaly staging (pure; the server wires it to NATS/DB/socket.io).
export { erf, erfc, normalCdf, twoSidedTail, upperTail } from './normal';
export { DEFAULT_THRESHOLDS, STAGE_NAMES, stageFromPercentile, validateThresholds } from './stages';
export type { Stage, StageThresholds } from './stages';
export { RollingWindow } from './rollingWindow';
export { BucketedMoments } from './bucketedMoments';
export type { BucketSnapshot } from './bucketedMoments';
export type { WindowSnapshot } from './rollingWindow';
export { AnomalyStager, DEFAULT_STAGER_CONFIG, MAD_TO_SIGMA, MINUTE_MS, resolveStagerConfig } from './stager';
export type { StageResult, StageStatus, StagerConfig, StagerSnapshot } from './stager';
export { StagerRegistry, toEpochMs } from './registry';
export type { DeviceReading, RegistrySnapshot, StagedMetric, StagerOverride } from './registry';
export { compileExpression, ExpressionError, ExpressionSet, validateMetricName } from './expressions';
export type {
  CompiledExpression,
  ConditionDef,
  ConditionResult,
  DerivedMetricDef,
  DerivedResult,
  ExpressionErrorCode,
  ExpressionIssue,
} from './expressions';
export {
  applyRules,
  buildExpressionSet,
  compileRules,
  deriveSample,
  checkRuleExpression,
  errorBody,
  parseCheckRequest,
  parseNewRule,
  parseRulePatch,
  resultType,
  RULE_KINDS,
  RULE_NAME_MAX,
  RuleInputError,
  rulesFor,
  validateRuleName,
} from './alertRules';
export type { AlertRule, AlertRuleKind, AlertRulePatch, CheckRequest, CompiledRules, ConditionVerdict, NewAlertRule } from './alertRules';
