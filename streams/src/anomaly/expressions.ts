// Derived metrics and alert conditions written as mathjs expressions over a
// device's metrics. mathjs is used ONLY to parse; the tree is checked against
// a whitelist and then compiled into our own closures over plain numbers, so
// nothing in mathjs' evaluator (import, evaluate, parse, createUnit, units,
// matrices, property access, assignment) is ever reachable.
import type { MathNode } from 'mathjs' with { 'resolution-mode': 'import' };

import type { Stage } from './stages';

let mathParse: ((expr: string) => MathNode) | null = null;
/**
 * mathjs' parser, loaded on first use from its number-only build. Loading the full build puts
 * ~28 MB on the server thread's heap (every function of the library is created at import), the
 * number-only one ~13 MB, and a server with no expression rules needs neither: live heap is what
 * each old-generation collection has to mark, and those collections pause the live pipeline.
 * (mathjs ships its typings as an ES module, which this CommonJS build cannot `import` (TS1479),
 * hence the require, typed to what we use.)
 */
function parse(expr: string): MathNode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  mathParse ??= (require('mathjs/number') as { parse: (expr: string) => MathNode }).parse;
  return mathParse(expr);
}

export type ExpressionErrorCode = 'syntax' | 'forbidden' | 'unknown_symbol' | 'missing_metric' | 'type' | 'invalid_name';

export class ExpressionError extends Error {
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly expression: string,
  ) {
    super(`${message} in expression ${JSON.stringify(expression)}`);
    this.name = 'ExpressionError';
  }
}

type Value = number | boolean;
type Fn = (...xs: number[]) => number;

/** Pure numeric functions callable from expressions, with their allowed arity. */
const FUNCTIONS: Record<string, { fn: Fn; min: number; max: number }> = {
  abs: { fn: Math.abs, min: 1, max: 1 },
  sqrt: { fn: Math.sqrt, min: 1, max: 1 },
  cbrt: { fn: Math.cbrt, min: 1, max: 1 },
  exp: { fn: Math.exp, min: 1, max: 1 },
  log: { fn: (x, b) => (b === undefined ? Math.log(x) : Math.log(x) / Math.log(b)), min: 1, max: 2 },
  log10: { fn: Math.log10, min: 1, max: 1 },
  log2: { fn: Math.log2, min: 1, max: 1 },
  min: { fn: Math.min, min: 1, max: 64 },
  max: { fn: Math.max, min: 1, max: 64 },
  pow: { fn: Math.pow, min: 2, max: 2 },
  round: { fn: (x, n) => (n === undefined ? Math.round(x) : Math.round(x * 10 ** n) / 10 ** n), min: 1, max: 2 },
  floor: { fn: Math.floor, min: 1, max: 1 },
  ceil: { fn: Math.ceil, min: 1, max: 1 },
  sign: { fn: Math.sign, min: 1, max: 1 },
  hypot: { fn: Math.hypot, min: 1, max: 64 },
  sin: { fn: Math.sin, min: 1, max: 1 },
  cos: { fn: Math.cos, min: 1, max: 1 },
  tan: { fn: Math.tan, min: 1, max: 1 },
  atan2: { fn: Math.atan2, min: 2, max: 2 },
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

const BINARY: Record<string, (a: number, b: number) => Value> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
  mod: (a, b) => a - b * Math.floor(a / b), // mathjs semantics: result has the divisor's sign
  smaller: (a, b) => a < b,
  larger: (a, b) => a > b,
  smallerEq: (a, b) => a <= b,
  largerEq: (a, b) => a >= b,
  equal: (a, b) => a === b,
  unequal: (a, b) => a !== b,
};
const LOGICAL = new Set(['and', 'or', 'xor']);
const COMPARISONS = new Set(['smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal']);

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Own-property checks only: `in` would see Object.prototype ("toString", "constructor", ...).
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A metric name must be a plain identifier that does not shadow a function, constant or keyword. */
export function validateMetricName(name: string): void {
  if (!NAME_RE.test(name) || has(FUNCTIONS, name) || has(CONSTANTS, name) || ['and', 'or', 'not', 'xor', 'true', 'false', 'to', 'in', 'mod'].includes(name)) {
    throw new ExpressionError('invalid_name', `metric name ${JSON.stringify(name)} is not a usable identifier`, name);
  }
}

type Compiled = (scope: Readonly<Record<string, number>>) => Value;

export interface CompiledExpression {
  source: string;
  /** Metric names the expression reads. */
  metrics: string[];
  evaluate(scope: Readonly<Record<string, number>>): Value;
}

/**
 * Parse and whitelist-check an expression. `allowedMetrics` (when given) is
 * the set of metric names in scope; any other free symbol is refused now
 * rather than at evaluation time.
 */
export function compileExpression(source: string, allowedMetrics?: Iterable<string>): CompiledExpression {
  if (typeof source !== 'string' || source.trim() === '') throw new ExpressionError('syntax', 'empty expression', String(source));
  if (source.length > 2000) throw new ExpressionError('syntax', 'expression longer than 2000 characters', source.slice(0, 50));
  let root: MathNode;
  try {
    root = parse(source);
  } catch (e) {
    throw new ExpressionError('syntax', `cannot parse: ${(e as Error).message}`, source);
  }
  const allowed = allowedMetrics ? new Set(allowedMetrics) : null;
  const metrics = new Set<string>();
  const fail = (code: ExpressionErrorCode, msg: string): never => {
    throw new ExpressionError(code, msg, source);
  };

  const num = (c: Compiled, what: string): ((s: Readonly<Record<string, number>>) => number) => (s) => {
    const v = c(s);
    if (typeof v !== 'number') throw new ExpressionError('type', `${what} needs a number but got a boolean`, source);
    return v;
  };
  const bool = (c: Compiled, what: string): ((s: Readonly<Record<string, number>>) => boolean) => (s) => {
    const v = c(s);
    if (typeof v !== 'boolean') throw new ExpressionError('type', `${what} needs a boolean (a comparison) but got a number`, source);
    return v;
  };

  const walk = (node: MathNode, depth: number): Compiled => {
    if (depth > 100) fail('forbidden', 'expression nested too deeply');
    const n = node as MathNode & Record<string, unknown>;
    switch (node.type) {
      case 'ParenthesisNode':
        return walk(n.content as MathNode, depth + 1);
      case 'ConstantNode': {
        const v = n.value;
        if (typeof v === 'number' || typeof v === 'boolean') return () => v;
        return fail('forbidden', `only numeric and boolean literals are allowed (got ${typeof v})`);
      }
      case 'SymbolNode': {
        const name = n.name as string;
        if (has(CONSTANTS, name)) {
          const c = CONSTANTS[name]!;
          return () => c;
        }
        if (has(FUNCTIONS, name)) return fail('forbidden', `function ${name} used as a value`);
        if (allowed && !allowed.has(name)) return fail('unknown_symbol', `unknown symbol ${JSON.stringify(name)} (metrics in scope: ${[...allowed].join(', ') || 'none'})`);
        if (!NAME_RE.test(name)) return fail('unknown_symbol', `unsupported symbol ${JSON.stringify(name)}`);
        metrics.add(name);
        return (s) => {
          const v = has(s, name) ? s[name] : undefined;
          if (typeof v !== 'number') throw new ExpressionError('missing_metric', `metric ${JSON.stringify(name)} missing from reading`, source);
          return v;
        };
      }
      case 'FunctionNode': {
        const fnNode = n.fn as MathNode & { name?: string };
        const name = fnNode.type === 'SymbolNode' ? fnNode.name! : '';
        const spec = has(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
        if (!spec) return fail('forbidden', `function ${JSON.stringify(name || fnNode.type)} is not allowed (allowed: ${Object.keys(FUNCTIONS).join(', ')})`);
        const args = (n.args as MathNode[]).map((a) => num(walk(a, depth + 1), `${name}()`));
        if (args.length < spec.min || args.length > spec.max) return fail('syntax', `${name}() takes ${spec.min === spec.max ? spec.min : `${spec.min}..${spec.max}`} argument(s), got ${args.length}`);
        const fn = spec.fn;
        return (s) => fn(...args.map((a) => a(s)));
      }
      case 'OperatorNode': {
        const op = n.fn as string;
        const args = n.args as MathNode[];
        if (args.length === 1) {
          const a = walk(args[0]!, depth + 1);
          if (op === 'unaryMinus') {
            const x = num(a, 'unary -');
            return (s) => -x(s);
          }
          if (op === 'unaryPlus') return num(a, 'unary +');
          if (op === 'not') {
            const x = bool(a, 'not');
            return (s) => !x(s);
          }
          return fail('forbidden', `operator ${String(n.op)} is not allowed`);
        }
        if (args.length !== 2) return fail('forbidden', `operator ${String(n.op)} is not allowed`);
        const l = walk(args[0]!, depth + 1);
        const r = walk(args[1]!, depth + 1);
        if (LOGICAL.has(op)) {
          const a = bool(l, op);
          const b = bool(r, op);
          if (op === 'and') return (s) => a(s) && b(s);
          if (op === 'or') return (s) => a(s) || b(s);
          return (s) => a(s) !== b(s);
        }
        const f = has(BINARY, op) ? BINARY[op] : undefined;
        if (!f) return fail('forbidden', `operator ${String(n.op)} is not allowed`);
        const a = num(l, String(n.op));
        const b = num(r, String(n.op));
        return (s) => f(a(s), b(s));
      }
      case 'RelationalNode': {
        // Chained comparison, e.g. 2 < pressure < 5.
        const conds = n.conditionals as string[];
        if (!conds.every((c) => COMPARISONS.has(c))) return fail('forbidden', 'unsupported comparison');
        const params = (n.params as MathNode[]).map((p) => num(walk(p, depth + 1), 'comparison'));
        return (s) => {
          const vals = params.map((p) => p(s));
          return conds.every((c, i) => BINARY[c]!(vals[i]!, vals[i + 1]!) as boolean);
        };
      }
      case 'ConditionalNode': {
        const c = bool(walk(n.condition as MathNode, depth + 1), 'condition of ?:');
        const t = walk(n.trueExpr as MathNode, depth + 1);
        const f = walk(n.falseExpr as MathNode, depth + 1);
        return (s) => (c(s) ? t(s) : f(s));
      }
      case 'AssignmentNode':
        return fail('forbidden', 'assignment is not allowed');
      case 'FunctionAssignmentNode':
        return fail('forbidden', 'function definitions are not allowed');
      case 'AccessorNode':
      case 'IndexNode':
        return fail('forbidden', 'property/index access is not allowed');
      case 'BlockNode':
        return fail('forbidden', 'multiple statements are not allowed');
      default:
        return fail('forbidden', `${node.type} is not allowed`);
    }
  };

  const compiled = walk(root, 0);
  return { source, metrics: [...metrics].sort(), evaluate: compiled };
}

export interface DerivedMetricDef {
  /** Name of the produced metric (then staged like any other). */
  name: string;
  expression: string;
}

export interface ConditionDef {
  name: string;
  /** Must evaluate to a boolean, e.g. "pressure < 2 and flow_rate > 300". */
  expression: string;
  /** Stage reported while the condition holds (0 when it does not). */
  stage: Exclude<Stage, 0>;
}

export interface ExpressionIssue {
  name: string;
  code: ExpressionErrorCode | 'non_finite';
  message: string;
}

export interface DerivedResult {
  /** Input metrics plus every derived metric that could be computed (finite values only). */
  metrics: Record<string, number>;
  issues: ExpressionIssue[];
}

export interface ConditionResult {
  name: string;
  /** null when the condition could not be evaluated (see issues). */
  active: boolean | null;
  stage: Stage | null;
}

/**
 * A device's derived metrics and alert conditions, compiled once. Derived
 * metrics are evaluated in order, so later ones may use earlier ones;
 * conditions see the base and derived metrics.
 */
export class ExpressionSet {
  private readonly derived: Array<{ name: string; expr: CompiledExpression }>;
  private readonly conds: Array<{ def: ConditionDef; expr: CompiledExpression }>;

  constructor(
    defs: { derived?: DerivedMetricDef[]; conditions?: ConditionDef[] },
    /** Base metric names the device reports; enables checking symbols at compile time. */
    baseMetrics?: Iterable<string>,
  ) {
    const scope = baseMetrics ? new Set(baseMetrics) : null;
    this.derived = (defs.derived ?? []).map((d) => {
      validateMetricName(d.name);
      if (scope?.has(d.name)) throw new ExpressionError('invalid_name', `derived metric ${d.name} shadows a base metric`, d.expression);
      const expr = compileExpression(d.expression, scope ?? undefined);
      scope?.add(d.name);
      return { name: d.name, expr };
    });
    this.conds = (defs.conditions ?? []).map((def) => {
      if (![1, 2, 3, 4].includes(def.stage)) throw new ExpressionError('invalid_name', `condition ${def.name}: stage must be 1..4`, def.expression);
      return { def, expr: compileExpression(def.expression, scope ?? undefined) };
    });
  }

  derive(metrics: Readonly<Record<string, number>>): DerivedResult {
    const out: Record<string, number> = { ...metrics };
    const issues: ExpressionIssue[] = [];
    for (const { name, expr } of this.derived) {
      try {
        const v = expr.evaluate(out);
        if (typeof v !== 'number') {
          issues.push({ name, code: 'type', message: `derived metric ${name} evaluated to a boolean; use a condition instead` });
        } else if (!Number.isFinite(v)) {
          issues.push({ name, code: 'non_finite', message: `derived metric ${name} is ${v} (e.g. division by zero)` });
        } else out[name] = v;
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        issues.push({ name, code: e.code, message: e.message });
      }
    }
    return { metrics: out, issues };
  }

  evaluateConditions(metrics: Readonly<Record<string, number>>): { results: ConditionResult[]; issues: ExpressionIssue[] } {
    const results: ConditionResult[] = [];
    const issues: ExpressionIssue[] = [];
    for (const { def, expr } of this.conds) {
      try {
        const v = expr.evaluate(metrics);
        if (typeof v !== 'boolean') throw new ExpressionError('type', `condition ${def.name} must be a comparison (got a number)`, def.expression);
        results.push({ name: def.name, active: v, stage: v ? def.stage : 0 });
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        issues.push({ name: def.name, code: e.code, message: e.message });
        results.push({ name: def.name, active: null, stage: null });
      }
    }
    return { results, issues };
  }
}
