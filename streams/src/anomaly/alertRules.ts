// Operator-defined derived metrics and alert conditions (table alert_rules): validation of the
// REST input, which rules apply to a device, and their compiled ExpressionSet. Pure: the
// server's repository stores rules, its AlertsService evaluates them on every sensor reading.
import { isValidDeviceId } from '@bci/shared';
import {
  compileExpression,
  ExpressionError,
  ExpressionSet,
  validateMetricName,
  type CompiledExpression,
  type ConditionDef,
  type DerivedMetricDef,
  type ExpressionIssue,
} from './expressions';
import type { Stage } from './stages';

export type AlertRuleKind = 'derived' | 'condition';
export const RULE_KINDS: readonly AlertRuleKind[] = ['derived', 'condition'];
export const RULE_NAME_MAX = 64;

/** What an operator submits. */
export interface NewAlertRule {
  /** null = every device. */
  deviceId: string | null;
  name: string;
  kind: AlertRuleKind;
  expression: string;
  /** Conditions only: the stage reported while the condition holds. */
  stage: 1 | 2 | 3 | 4 | null;
  enabled: boolean;
}

/** A stored rule. */
export interface AlertRule extends NewAlertRule {
  id: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AlertRulePatch {
  expression?: string;
  stage?: 1 | 2 | 3 | 4;
  enabled?: boolean;
}

/** A request that is malformed apart from its expression (→ 400 with code invalid_request). */
export class RuleInputError extends Error {
  readonly code = 'invalid_request';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindOf(v: unknown): AlertRuleKind {
  if (!RULE_KINDS.includes(v as AlertRuleKind)) throw new RuleInputError(`kind must be one of ${RULE_KINDS.join(', ')}`);
  return v as AlertRuleKind;
}

function stageOf(v: unknown): 1 | 2 | 3 | 4 {
  if (v !== 1 && v !== 2 && v !== 3 && v !== 4) throw new RuleInputError('stage must be 1, 2, 3 or 4');
  return v;
}

function expressionOf(v: unknown): string {
  if (typeof v !== 'string') throw new RuleInputError('expression must be a string');
  return v;
}

/** A rule's name: a plain identifier (it becomes a metric or alert name) of at most 64 characters. */
export function validateRuleName(name: unknown): string {
  if (typeof name !== 'string') throw new RuleInputError('name must be a string');
  if (name.length > RULE_NAME_MAX)
    throw new ExpressionError('invalid_name', `name longer than ${RULE_NAME_MAX} characters`, name.slice(0, 50));
  validateMetricName(name);
  return name;
}

/**
 * Compile a rule's expression and check that it yields what its kind needs (a number for a
 * derived metric, a comparison for a condition). Symbols are not checked against a device's
 * metrics: a metric missing from a reading is reported when the rule is evaluated.
 */
export function checkRuleExpression(
  kind: AlertRuleKind | undefined,
  expression: string,
): { compiled: CompiledExpression; type: 'number' | 'boolean' } {
  const compiled = compileExpression(expression);
  const type = resultType(compiled);
  if (kind === 'derived' && type === 'boolean')
    throw new ExpressionError('type', 'a derived metric must evaluate to a number (use kind "condition" for a comparison)', expression);
  if (kind === 'condition' && type === 'number')
    throw new ExpressionError('type', 'a condition must evaluate to a boolean (a comparison such as "pressure < 2")', expression);
  return { compiled, type };
}

/**
 * What an expression evaluates to, found by evaluating it with every metric = 1 (types do not
 * depend on values except through the branches of ?:, which this samples one of). A mix of
 * numbers and booleans (e.g. `pressure and 1`) is an ExpressionError('type').
 */
export function resultType(compiled: CompiledExpression): 'number' | 'boolean' {
  const v = compiled.evaluate(Object.fromEntries(compiled.metrics.map((m) => [m, 1])));
  return typeof v === 'boolean' ? 'boolean' : 'number';
}

/** POST /api/alert-rules body → a new rule. Throws RuleInputError or ExpressionError. */
export function parseNewRule(body: unknown): NewAlertRule {
  if (!isObject(body)) throw new RuleInputError('body must be a JSON object');
  const deviceId = body.deviceId ?? null;
  if (deviceId !== null && !isValidDeviceId(deviceId))
    throw new RuleInputError('deviceId must be a device id (1-64 of letters, digits, _ -) or null for every device');
  const kind = kindOf(body.kind);
  const name = validateRuleName(body.name);
  let stage: NewAlertRule['stage'] = null;
  if (kind === 'condition') stage = stageOf(body.stage);
  else if (body.stage !== undefined && body.stage !== null)
    throw new RuleInputError('stage applies to conditions only (a derived metric is staged by its own baseline)');
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw new RuleInputError('enabled must be a boolean');
  const expression = expressionOf(body.expression);
  checkRuleExpression(kind, expression);
  return { deviceId: deviceId as string | null, name, kind, expression, stage, enabled: body.enabled ?? true };
}

/** PUT/PATCH /api/alert-rules/:id body → a patch of the existing rule (name, kind and scope are fixed). */
export function parseRulePatch(body: unknown, existing: Pick<AlertRule, 'kind'>): AlertRulePatch {
  if (!isObject(body)) throw new RuleInputError('body must be a JSON object');
  const fixed = ['name', 'kind', 'deviceId'].filter((k) => body[k] !== undefined);
  if (fixed.length) throw new RuleInputError(`${fixed.join(', ')} cannot be changed; delete the rule and create another`);
  const patch: AlertRulePatch = {};
  if (body.stage !== undefined) {
    if (existing.kind !== 'condition') throw new RuleInputError('stage applies to conditions only');
    patch.stage = stageOf(body.stage);
  }
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') throw new RuleInputError('enabled must be a boolean');
    patch.enabled = body.enabled;
  }
  if (body.expression !== undefined) {
    patch.expression = expressionOf(body.expression);
    checkRuleExpression(existing.kind, patch.expression);
  }
  if (!Object.keys(patch).length) throw new RuleInputError('nothing to change: give expression, stage and/or enabled');
  return patch;
}

export interface CheckRequest {
  expression: string;
  kind?: AlertRuleKind;
  name?: string;
  deviceId: string | null;
  /** Sample reading to evaluate on. */
  metrics?: Record<string, number>;
}

/** POST /api/alert-rules/check body. */
export function parseCheckRequest(body: unknown): CheckRequest {
  if (!isObject(body)) throw new RuleInputError('body must be a JSON object');
  const out: CheckRequest = { expression: expressionOf(body.expression), deviceId: null };
  if (body.kind !== undefined) out.kind = kindOf(body.kind);
  if (body.name !== undefined) out.name = validateRuleName(body.name);
  if (body.deviceId !== undefined && body.deviceId !== null) {
    if (!isValidDeviceId(body.deviceId)) throw new RuleInputError('deviceId must be a device id');
    out.deviceId = body.deviceId;
  }
  if (body.metrics !== undefined) {
    const m = body.metrics;
    if (!isObject(m) || !Object.values(m).every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw new RuleInputError('metrics must be an object of finite numbers');
    out.metrics = m as Record<string, number>;
  }
  return out;
}

/**
 * The enabled rules that apply to a device: the global ones and the device's own, a device rule
 * replacing a global rule of the same name. In id order, so a derived metric may use those
 * defined before it.
 */
export function rulesFor(rules: readonly AlertRule[], deviceId: string | null): AlertRule[] {
  const own = new Set(rules.filter((r) => deviceId !== null && r.deviceId === deviceId).map((r) => r.name));
  return rules.filter((r) => r.enabled && (r.deviceId === null ? !own.has(r.name) : r.deviceId === deviceId)).sort((a, b) => a.id - b.id);
}

/**
 * The compiled rules for a device. Built without the device's metric names, so a missing metric
 * is an issue of the reading, not of the rule. A stored rule that no longer compiles (e.g. the
 * expression language changed) is left out and returned in `skipped` rather than disabling all.
 */
export function buildExpressionSet(rules: readonly AlertRule[]): { set: ExpressionSet; skipped: { rule: AlertRule; error: string }[] } {
  const derived: DerivedMetricDef[] = [];
  const conditions: ConditionDef[] = [];
  const skipped: { rule: AlertRule; error: string }[] = [];
  for (const rule of rules) {
    try {
      validateRuleName(rule.name);
      checkRuleExpression(rule.kind, rule.expression);
      if (rule.kind === 'derived') derived.push({ name: rule.name, expression: rule.expression });
      else conditions.push({ name: rule.name, expression: rule.expression, stage: rule.stage ?? 4 });
    } catch (e) {
      skipped.push({ rule, error: (e as Error).message });
    }
  }
  return { set: new ExpressionSet({ derived, conditions }), skipped };
}

/** A device's rules, compiled: the expression set and the names of the rules in it, by kind. */
export interface CompiledRules {
  set: ExpressionSet;
  derived: string[];
  conditions: string[];
}

/** buildExpressionSet plus the names of the rules that made it in. */
export function compileRules(rules: readonly AlertRule[]): { compiled: CompiledRules; skipped: { rule: AlertRule; error: string }[] } {
  const { set, skipped } = buildExpressionSet(rules);
  const ok = rules.filter((r) => !skipped.some((s) => s.rule === r));
  return {
    compiled: { set, derived: ok.filter((r) => r.kind === 'derived').map((r) => r.name), conditions: ok.filter((r) => r.kind === 'condition').map((r) => r.name) },
    skipped,
  };
}

export interface ConditionVerdict {
  name: string;
  active: boolean;
  stage: Stage;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * One reading through a device's rules: its metrics plus the derived ones, and the conditions'
 * verdicts. Never throws for an expression problem (missing or non-finite metric, division by
 * zero, a rule named like a metric the device reports): that rule is left out of this reading
 * and the problem returned in `issues`; the rest of the reading stands.
 */
export function applyRules(
  readingMetrics: Readonly<Record<string, number>>,
  rules: CompiledRules,
): { metrics: Record<string, number>; conditions: ConditionVerdict[]; issues: ExpressionIssue[] } {
  const issues: ExpressionIssue[] = [];
  // Only finite base values are in scope: an invalid value is a missing metric, not a NaN to compare.
  const scope: Record<string, number> = {};
  for (const [k, v] of Object.entries(readingMetrics)) if (typeof v === 'number' && Number.isFinite(v)) scope[k] = v;
  const derived = rules.set.derive(scope);
  issues.push(...derived.issues);
  const metrics: Record<string, number> = { ...readingMetrics };
  const condScope = { ...scope };
  for (const name of rules.derived) {
    if (own(readingMetrics, name))
      issues.push({ name, code: 'invalid_name', message: `derived metric ${name} has the name of a metric the device reports; the device's value is kept` });
    else if (own(derived.metrics, name)) metrics[name] = condScope[name] = derived.metrics[name]!;
  }
  const verdicts = rules.set.evaluateConditions(condScope);
  issues.push(...verdicts.issues);
  const conditions: ConditionVerdict[] = [];
  for (const c of verdicts.results) {
    if (c.active === null || c.stage === null) continue;
    if (own(metrics, c.name)) {
      issues.push({ name: c.name, code: 'invalid_name', message: `condition ${c.name} has the name of a metric of the reading; not evaluated` });
      continue;
    }
    conditions.push({ name: c.name, active: c.active, stage: c.stage });
  }
  return { metrics, conditions, issues };
}

/** The derived metrics `rules` add to a sample reading (for checking rules); the sample's own values win. */
export function deriveSample(rules: readonly AlertRule[], metrics: Record<string, number>): { metrics: Record<string, number>; issues: ExpressionIssue[] } {
  const derivedOnly = rules.filter((r) => r.kind === 'derived');
  if (!derivedOnly.length) return { metrics: { ...metrics }, issues: [] };
  const d = buildExpressionSet(derivedOnly).set.derive(metrics);
  return { metrics: { ...d.metrics, ...metrics }, issues: d.issues };
}

/** The JSON body of a 400 for a bad expression or request. */
export function errorBody(e: ExpressionError | RuleInputError): { statusCode: 400; code: string; message: string } {
  return { statusCode: 400, code: e.code, message: e.message };
}
