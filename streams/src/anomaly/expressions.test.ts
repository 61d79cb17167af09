import { compileExpression, ExpressionError, ExpressionSet, validateMetricName } from './expressions';

const scope = { flow_rate: 12.5, pressure: 3.1 };
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ExpressionError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('compileExpression', () => {
  it('evaluates arithmetic, functions, comparisons and logic over metrics', () => {
    expect(compileExpression('pressure / flow_rate').evaluate(scope)).toBeCloseTo(0.248, 12);
    expect(compileExpression('sqrt(abs(-16)) + max(flow_rate, pressure, 1) - log(e)').evaluate(scope)).toBeCloseTo(15.5, 12);
    expect(compileExpression('pressure < 2 and flow_rate > 300').evaluate(scope)).toBe(false);
    expect(compileExpression('pressure > 2 and not (flow_rate > 300)').evaluate(scope)).toBe(true);
    expect(compileExpression('2 < pressure < 5').evaluate(scope)).toBe(true);
    expect(compileExpression('pressure > 3 ? flow_rate : 0').evaluate(scope)).toBe(12.5);
    expect(compileExpression('2 pressure ^ 2').evaluate(scope)).toBeCloseTo(19.22, 12);
    expect(compileExpression('-7 mod 3').evaluate({})).toBe(2);
    expect(compileExpression('pressure / flow_rate').metrics).toEqual(['flow_rate', 'pressure']);
  });

  it.each([
    ['import({}, {override: true})', 'forbidden'],
    ['evaluate("1+1")', 'forbidden'],
    ['parse("x")', 'forbidden'],
    ['createUnit("foo")', 'forbidden'],
    ['compile("1")', 'forbidden'],
    ['pressure = 3', 'forbidden'],
    ['f(x) = x^2', 'forbidden'],
    ['pressure.constructor', 'forbidden'],
    ['pressure["constructor"]', 'forbidden'],
    ['[1, 2]', 'forbidden'],
    ['{a: 1}', 'forbidden'],
    ['1:3', 'forbidden'],
    ['"text"', 'forbidden'],
    ['a = 1; a', 'forbidden'],
    ['5 cm', 'unknown_symbol'],
    ['temperature * 2', 'unknown_symbol'],
    ['sqrt', 'forbidden'],
    ['sqrt(1, 2)', 'syntax'],
    ['pressure / ', 'syntax'],
    ['', 'syntax'],
  ])('rejects %p (%s)', (src, code) => {
    expect(codeOf(() => compileExpression(src, ['flow_rate', 'pressure']))).toBe(code);
  });

  it('reports missing metrics and type errors clearly at evaluation', () => {
    const e = compileExpression('pressure / flow_rate');
    expect(() => e.evaluate({ pressure: 1 })).toThrow(/metric "flow_rate" missing from reading/);
    expect(() => compileExpression('(pressure > 1) + 1').evaluate(scope)).toThrow(/needs a number but got a boolean/);
    expect(() => compileExpression('pressure and flow_rate').evaluate(scope)).toThrow(/needs a boolean/);
    // Object.prototype names are neither constants, functions nor metrics.
    expect(() => compileExpression('toString').evaluate(scope)).toThrow(/missing from reading/);
    expect(codeOf(() => compileExpression('constructor(1)'))).toBe('forbidden');
    expect(codeOf(() => compileExpression('hasOwnProperty(1)'))).toBe('forbidden');
  });

  it('validates metric names', () => {
    expect(() => validateMetricName('flow_rate')).not.toThrow();
    for (const bad of ['max', 'pi', 'and', 'flow-rate', '1x', '']) expect(() => validateMetricName(bad)).toThrow(ExpressionError);
  });
});

describe('ExpressionSet', () => {
  const set = new ExpressionSet(
    {
      derived: [
        { name: 'resistance', expression: 'pressure / flow_rate' },
        { name: 'resistance_pct', expression: 'resistance * 100' },
      ],
      conditions: [
        { name: 'burst', expression: 'pressure < 2 and flow_rate > 300', stage: 4 },
        { name: 'high_resistance', expression: 'resistance_pct > 20', stage: 2 },
      ],
    },
    ['flow_rate', 'pressure'],
  );

  it('derives metrics in order (later ones may use earlier ones)', () => {
    const r = set.derive(scope);
    expect(r.issues).toEqual([]);
    expect(r.metrics.resistance).toBeCloseTo(0.248, 12);
    expect(r.metrics.resistance_pct).toBeCloseTo(24.8, 12);
  });

  it('maps conditions to their configured stage', () => {
    const burst = set.evaluateConditions(set.derive({ flow_rate: 350, pressure: 1.5 }).metrics);
    expect(burst.results).toEqual([
      { name: 'burst', active: true, stage: 4 },
      { name: 'high_resistance', active: false, stage: 0 },
    ]);
    const normal = set.evaluateConditions(set.derive(scope).metrics);
    expect(normal.results.map((r) => r.stage)).toEqual([0, 2]);
  });

  it('reports non-finite results and missing metrics as issues instead of throwing', () => {
    const r = set.derive({ flow_rate: 0, pressure: 3 });
    expect(r.issues.map((i) => i.code)).toEqual(['non_finite', 'missing_metric']);
    expect(r.metrics.resistance).toBeUndefined();
    const c = set.evaluateConditions({ flow_rate: 1 });
    expect(c.results[0]).toEqual({ name: 'burst', active: null, stage: null });
    expect(c.issues[0]!.code).toBe('missing_metric');
  });

  it('refuses bad definitions up front', () => {
    expect(() => new ExpressionSet({ derived: [{ name: 'x', expression: 'import("fs")' }] }, ['a'])).toThrow(/not allowed/);
    expect(() => new ExpressionSet({ derived: [{ name: 'pressure', expression: '1' }] }, ['pressure'])).toThrow(/shadows/);
    expect(() => new ExpressionSet({ conditions: [{ name: 'c', expression: 'nope > 1', stage: 2 }] }, ['pressure'])).toThrow(/unknown symbol "nope"/);
  });
});
