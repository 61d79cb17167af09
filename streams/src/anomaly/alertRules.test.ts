import { ExpressionError } from './expressions';
import {
  applyRules,
  buildExpressionSet,
  compileRules,
  deriveSample,
  checkRuleExpression,
  errorBody,
  parseCheckRequest,
  parseNewRule,
  parseRulePatch,
  RuleInputError,
  rulesFor,
  type AlertRule,
} from './alertRules';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ExpressionError || e instanceof RuleInputError) return e.code;
    throw e;
  }
  return 'ok';
};

let nextId = 1;
function rule(r: Partial<AlertRule> & Pick<AlertRule, 'name' | 'kind' | 'expression'>): AlertRule {
  return {
    id: nextId++,
    deviceId: null,
    stage: r.kind === 'condition' ? 3 : null,
    enabled: true,
    createdBy: 't',
    createdAt: '',
    updatedAt: '',
    ...r,
  };
}

describe('parseNewRule', () => {
  it('accepts a derived metric and a condition', () => {
    expect(parseNewRule({ name: 'ratio', kind: 'derived', expression: 'pressure / flow_rate' })).toEqual({
      deviceId: null,
      name: 'ratio',
      kind: 'derived',
      expression: 'pressure / flow_rate',
      stage: null,
      enabled: true,
    });
    expect(
      parseNewRule({
        deviceId: 'pump-1',
        name: 'dry_run',
        kind: 'condition',
        expression: 'pressure < 2 and flow_rate > 300',
        stage: 3,
        enabled: false,
      }),
    ).toMatchObject({
      deviceId: 'pump-1',
      stage: 3,
      enabled: false,
    });
    // Unknown metrics are fine here: they are reported when a reading lacks them.
    expect(code(() => parseNewRule({ name: 'x', kind: 'derived', expression: 'unknown_metric_xyz + 1' }))).toBe('ok');
  });

  it('refuses bad expressions with the ExpressionError code', () => {
    const derived = (expression: string) => code(() => parseNewRule({ name: 'x', kind: 'derived', expression }));
    expect(derived('pressure = 3')).toBe('forbidden');
    expect(derived('f(x) = x')).toBe('forbidden');
    expect(derived('import({}, {})')).toBe('forbidden');
    expect(derived('evaluate("1")')).toBe('forbidden');
    expect(derived('pressure.constructor')).toBe('forbidden');
    expect(derived('pressure +* 2')).toBe('syntax');
    expect(derived('(pressure')).toBe('syntax');
    expect(derived('')).toBe('syntax');
    expect(derived('pressure and 1')).toBe('type');
    // The kind decides what the expression must yield.
    expect(derived('pressure < 2')).toBe('type');
    expect(code(() => parseNewRule({ name: 'c', kind: 'condition', expression: 'pressure * 2', stage: 2 }))).toBe('type');
  });

  it('refuses bad names, kinds, stages and device ids', () => {
    const base = { name: 'c', kind: 'condition', expression: 'pressure < 2', stage: 2 };
    expect(code(() => parseNewRule({ ...base, name: 'sqrt' }))).toBe('invalid_name');
    expect(code(() => parseNewRule({ ...base, name: '1abc' }))).toBe('invalid_name');
    expect(code(() => parseNewRule({ ...base, name: 'a'.repeat(65) }))).toBe('invalid_name');
    expect(code(() => parseNewRule({ ...base, name: 3 }))).toBe('invalid_request');
    expect(code(() => parseNewRule({ ...base, kind: 'other' }))).toBe('invalid_request');
    expect(code(() => parseNewRule({ ...base, stage: 0 }))).toBe('invalid_request');
    expect(code(() => parseNewRule({ ...base, stage: undefined }))).toBe('invalid_request');
    expect(code(() => parseNewRule({ ...base, kind: 'derived', expression: 'pressure', stage: 2 }))).toBe('invalid_request');
    expect(code(() => parseNewRule({ ...base, deviceId: 'no spaces' }))).toBe('invalid_request');
    expect(code(() => parseNewRule({ ...base, enabled: 'yes' }))).toBe('invalid_request');
    expect(code(() => parseNewRule(null))).toBe('invalid_request');
    expect(code(() => parseNewRule([]))).toBe('invalid_request');
  });
});

describe('parseRulePatch', () => {
  it('changes expression, stage and enabled only, checked against the kind', () => {
    expect(parseRulePatch({ expression: 'pressure < 1', stage: 4, enabled: false }, { kind: 'condition' })).toEqual({
      expression: 'pressure < 1',
      stage: 4,
      enabled: false,
    });
    expect(code(() => parseRulePatch({ stage: 2 }, { kind: 'derived' }))).toBe('invalid_request');
    expect(code(() => parseRulePatch({ expression: 'pressure < 1' }, { kind: 'derived' }))).toBe('type');
    expect(code(() => parseRulePatch({ name: 'other' }, { kind: 'derived' }))).toBe('invalid_request');
    expect(code(() => parseRulePatch({}, { kind: 'derived' }))).toBe('invalid_request');
    expect(code(() => parseRulePatch({ expression: 'x = 1' }, { kind: 'derived' }))).toBe('forbidden');
  });
});

describe('parseCheckRequest', () => {
  it('validates the sample metrics', () => {
    expect(parseCheckRequest({ expression: 'a + 1', metrics: { a: 1 } })).toEqual({
      expression: 'a + 1',
      deviceId: null,
      metrics: { a: 1 },
    });
    expect(code(() => parseCheckRequest({ expression: 'a', metrics: { a: 'x' } }))).toBe('invalid_request');
    expect(code(() => parseCheckRequest({ expression: 'a', metrics: [1] }))).toBe('invalid_request');
    expect(code(() => parseCheckRequest({ expression: 1 }))).toBe('invalid_request');
  });
});

describe('checkRuleExpression', () => {
  it('reports the result type and the metrics read', () => {
    const r = checkRuleExpression(undefined, 'max(pressure, 2) / flow_rate');
    expect(r.type).toBe('number');
    expect(r.compiled.metrics).toEqual(['flow_rate', 'pressure']);
    expect(checkRuleExpression(undefined, '2 < pressure < 5').type).toBe('boolean');
  });
});

describe('rulesFor', () => {
  it('applies global and own rules, the own one replacing a global of the same name, disabled ones left out', () => {
    const rules = [
      rule({ name: 'ratio', kind: 'derived', expression: 'a / b' }),
      rule({ name: 'low', kind: 'condition', expression: 'a < 1' }),
      rule({ name: 'low', kind: 'condition', expression: 'a < 5', deviceId: 'd1' }),
      rule({ name: 'off', kind: 'derived', expression: 'a', enabled: false }),
      rule({ name: 'other', kind: 'derived', expression: 'a', deviceId: 'd2' }),
    ];
    expect(rulesFor(rules, 'd1').map((r) => `${r.name}:${r.expression}`)).toEqual(['ratio:a / b', 'low:a < 5']);
    expect(rulesFor(rules, 'd2').map((r) => r.name)).toEqual(['ratio', 'low', 'other']);
    expect(rulesFor(rules, null).map((r) => r.name)).toEqual(['ratio', 'low']);
  });
});

describe('buildExpressionSet', () => {
  it('compiles without base metrics: missing metrics are issues of the reading', () => {
    const { set, skipped } = buildExpressionSet([
      rule({ name: 'ratio', kind: 'derived', expression: 'pressure / flow_rate' }),
      rule({ name: 'odd', kind: 'derived', expression: 'unknown_metric_xyz + 1' }),
      rule({ name: 'dry', kind: 'condition', expression: 'pressure < 2 and flow_rate > 300', stage: 3 }),
    ]);
    expect(skipped).toEqual([]);
    const d = set.derive({ pressure: 1, flow_rate: 400 });
    expect(d.metrics.ratio).toBeCloseTo(0.0025);
    expect(d.issues).toEqual([expect.objectContaining({ name: 'odd', code: 'missing_metric' })]);
    expect(set.evaluateConditions(d.metrics).results).toEqual([{ name: 'dry', active: true, stage: 3 }]);
    expect(set.evaluateConditions({ pressure: 3, flow_rate: 400 }).results).toEqual([{ name: 'dry', active: false, stage: 0 }]);
    expect(set.derive({ pressure: 1, flow_rate: 0 }).issues[0]).toMatchObject({ name: 'ratio', code: 'non_finite' });
  });

  it('leaves out a stored rule that no longer compiles instead of failing them all', () => {
    const bad = rule({ name: 'bad', kind: 'derived', expression: 'a = 1' });
    const { set, skipped } = buildExpressionSet([bad, rule({ name: 'good', kind: 'derived', expression: 'a * 2' })]);
    expect(skipped.map((s) => s.rule)).toEqual([bad]);
    expect(set.derive({ a: 2 }).metrics.good).toBe(4);
  });
});

it('errorBody has the 400 shape', () => {
  expect(errorBody(new ExpressionError('forbidden', 'assignment is not allowed', 'a = 1'))).toEqual({
    statusCode: 400,
    code: 'forbidden',
    message: 'assignment is not allowed in expression "a = 1"',
  });
});

describe('applyRules', () => {
  const { compiled, skipped } = compileRules([
    rule({ name: 'ratio', kind: 'derived', expression: 'pressure / flow_rate' }),
    rule({ name: 'flow_rate', kind: 'derived', expression: 'pressure * 2' }), // shadows a reported metric
    rule({ name: 'dry_run', kind: 'condition', expression: 'pressure < 2 and flow_rate > 300', stage: 3 }),
    rule({ name: 'high_ratio', kind: 'condition', expression: 'ratio > 0.5' }),
  ]);

  it('adds derived metrics and evaluates conditions on the reading and the derived metrics', () => {
    expect(skipped).toEqual([]);
    const r = applyRules({ pressure: 1.5, flow_rate: 350 }, compiled);
    expect(r.metrics).toEqual({ pressure: 1.5, flow_rate: 350, ratio: 1.5 / 350 });
    expect(r.conditions).toEqual([
      { name: 'dry_run', active: true, stage: 3 },
      { name: 'high_ratio', active: false, stage: 0 },
    ]);
    // The device's own flow_rate is kept; the clash is reported, not thrown.
    expect(r.issues).toEqual([expect.objectContaining({ name: 'flow_rate', code: 'invalid_name' })]);
  });

  it('leaves out what cannot be computed and says why; the reading stands', () => {
    const r = applyRules({ pressure: 3, flow_rate: 0, temp: NaN }, compiled);
    expect(r.metrics).toEqual({ pressure: 3, flow_rate: 0, temp: NaN });
    expect(r.issues.map((i) => [i.name, i.code])).toEqual(
      expect.arrayContaining([
        ['ratio', 'non_finite'],
        ['high_ratio', 'missing_metric'],
      ]),
    );
    expect(r.conditions).toEqual([{ name: 'dry_run', active: false, stage: 0 }]);
  });

  it('deriveSample: derived metrics of a sample, the sample winning name clashes', () => {
    const rules = [rule({ name: 'ratio', kind: 'derived', expression: 'pressure / flow_rate' })];
    expect(deriveSample(rules, { pressure: 3, flow_rate: 300 })).toEqual({ metrics: { pressure: 3, flow_rate: 300, ratio: 0.01 }, issues: [] });
    expect(deriveSample(rules, { pressure: 3, flow_rate: 300, ratio: 7 }).metrics.ratio).toBe(7);
  });
});
