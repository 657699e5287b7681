import type { Facts } from './facts';

/**
 * json-rules-engine condition syntax ({ all | any | not, fact, operator, value }), compiled once into
 * synchronous predicates. json-rules-engine's own Engine is the reference for the semantics (the
 * parity property test checks agreement on random facts); compiling avoids its per-run promises and
 * almanac, which is what makes evaluating hundreds of rules per member cheap.
 */
export type OperatorFn = (factValue: unknown, value: unknown) => boolean;

/** json-rules-engine's number validator: anything parseFloat reads as a number. */
const numeric = (v: unknown): boolean => Number.parseFloat(v as string).toString() !== 'NaN';
const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const has = (list: unknown, v: unknown): boolean => Array.isArray(list) && list.indexOf(v) > -1;

export const OPERATORS: Readonly<Record<string, OperatorFn>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => has(b, a),
  notIn: (a, b) => Array.isArray(b) && b.indexOf(a) === -1,
  contains: (a, b) => has(a, b),
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => numeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => numeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => numeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => numeric(a) && (a as number) >= (b as number),
  /** Custom: an ISO date fact on or after the given date (birth cohorts, e.g. the 2025 DTaP schedule). */
  dateOnOrAfter: (a, b) => isDate(a) && isDate(b) && a >= b,
  /** Custom: an ISO date fact strictly before the given date. */
  dateBefore: (a, b) => isDate(a) && isDate(b) && a < b,
};

/** Operators this library adds to json-rules-engine's defaults; register them on any Engine used as a reference. */
export const CUSTOM_OPERATORS = ['dateOnOrAfter', 'dateBefore'] as const;

export interface ConditionResult {
  fact: string;
  operator: string;
  value: unknown;
  actual: unknown;
  result: boolean;
}

export interface CompiledConditions {
  /** Fast path: short-circuits, records nothing. */
  test(facts: Facts): boolean;
  /** Same answer; evaluates every leaf and records each with the fact value used (explanations). */
  explain(facts: Facts): { result: boolean; conditions: ConditionResult[] };
}

type Node = { all?: Node[]; any?: Node[]; not?: Node; fact?: string; operator?: string; value?: unknown };
type Test = (facts: Facts) => boolean;
type Trace = (facts: Facts, out: ConditionResult[]) => boolean;

/** Compiles a validated condition tree; null or {} means "always". */
export function compileConditions(conditions: Record<string, unknown> | null | undefined): CompiledConditions {
  if (!conditions || Object.keys(conditions).length === 0)
    return { test: () => true, explain: () => ({ result: true, conditions: [] }) };
  const test = compileTest(conditions);
  const trace = compileTrace(conditions);
  return {
    test,
    explain(facts) {
      const out: ConditionResult[] = [];
      return { result: trace(facts, out), conditions: out };
    },
  };
}

// json-rules-engine treats an empty `all` and an empty `any` alike as true.
function compileTest(node: Node): Test {
  if (Array.isArray(node.all)) {
    const parts = node.all.map(compileTest);
    return (facts) => parts.every((p) => p(facts));
  }
  if (Array.isArray(node.any)) {
    const parts = node.any.map(compileTest);
    return parts.length === 0 ? () => true : (facts) => parts.some((p) => p(facts));
  }
  if (node.not) {
    const inner = compileTest(node.not);
    return (facts) => !inner(facts);
  }
  const { fact, value } = node as { fact: string; value: unknown };
  const op = OPERATORS[node.operator as string]!;
  return (facts) => op(facts[fact] ?? null, value);
}

function compileTrace(node: Node): Trace {
  if (Array.isArray(node.all) || Array.isArray(node.any)) {
    const isAll = Array.isArray(node.all);
    const parts = (isAll ? node.all! : node.any!).map(compileTrace);
    return (facts, out) => {
      const results = parts.map((p) => p(facts, out));
      return parts.length === 0 || (isAll ? results.every(Boolean) : results.some(Boolean));
    };
  }
  if (node.not) {
    const inner = compileTrace(node.not);
    return (facts, out) => !inner(facts, out);
  }
  const { fact, operator, value } = node as { fact: string; operator: string; value: unknown };
  const op = OPERATORS[operator]!;
  return (facts, out) => {
    const actual = facts[fact] ?? null;
    const result = op(actual, value);
    out.push({ fact, operator, value, actual, result });
    return result;
  };
}
