import { OPERATORS } from './conditions';
import { isIsoDate } from './dates';
import { FACT_CATALOGUE, FACTS_BY_NAME, type FactDefinition } from './facts';
import { isRecord, problem, suggest, type Problem } from './problems';

const CONDITION_FACTS = FACT_CATALOGUE.filter((f) => !f.templateOnly).map((f) => f.name);
const OPERATOR_NAMES = Object.keys(OPERATORS);
const NUMERIC_OPERATORS = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const DATE_OPERATORS = ['dateOnOrAfter', 'dateBefore'];

function describe(fact: FactDefinition): string {
  return `${fact.type}${fact.enum ? `: ${fact.enum.join(', ')}` : ''}`;
}

/** Does a literal fit the fact's type? null fits every fact ("not applicable" is a value facts take). */
function fits(fact: FactDefinition, v: unknown): boolean {
  if (v === null) return true;
  if (fact.type === 'number') return typeof v === 'number' && Number.isFinite(v);
  if (fact.type === 'boolean') return typeof v === 'boolean';
  if (fact.type === 'date') return isIsoDate(v);
  return typeof v === 'string' && (!fact.enum || fact.enum.includes(v));
}

function checkValueType(
  fact: FactDefinition,
  operator: string,
  value: unknown,
  path: string,
  problems: Problem[],
): void {
  if (operator === 'in' || operator === 'notIn') {
    if (!Array.isArray(value) || value.length === 0) {
      problem(problems, `${path}.value`, `"${operator}" needs a non-empty list`, `"${operator}" 需要一个非空列表`);
      return;
    }
    value.forEach((v, i) => {
      if (!fits(fact, v))
        problem(
          problems,
          `${path}.value[${i}]`,
          `${JSON.stringify(v)} is not a valid ${fact.name} (${describe(fact)})`,
          `${JSON.stringify(v)} 不是有效的${fact.labelZh}`,
        );
    });
    return;
  }
  if (operator === 'contains' || operator === 'doesNotContain') {
    problem(
      problems,
      `${path}.operator`,
      `"${operator}" needs a list fact; ${fact.name} is a single value — use "equal" or "in"`,
      `${fact.labelZh}不是列表，请用 "equal" 或 "in"`,
    );
    return;
  }
  if (NUMERIC_OPERATORS.includes(operator)) {
    if (fact.type !== 'number') {
      const hint = fact.type === 'date' ? ' — for dates use "dateOnOrAfter" or "dateBefore"' : '';
      problem(
        problems,
        `${path}.operator`,
        `"${operator}" compares numbers, but ${fact.name} is a ${fact.type}${hint}`,
        `"${operator}" 用于数值比较，但${fact.labelZh}不是数值`,
      );
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      problem(
        problems,
        `${path}.value`,
        `"${operator}" needs a number, got ${JSON.stringify(value)}`,
        `"${operator}" 需要一个数值`,
      );
    }
    return;
  }
  if (DATE_OPERATORS.includes(operator)) {
    if (fact.type !== 'date') {
      problem(
        problems,
        `${path}.operator`,
        `"${operator}" compares dates, but ${fact.name} is a ${fact.type}`,
        `"${operator}" 用于日期比较，但${fact.labelZh}不是日期`,
      );
    } else if (!isIsoDate(value)) {
      problem(
        problems,
        `${path}.value`,
        `"${operator}" needs a date YYYY-MM-DD, got ${JSON.stringify(value)}`,
        `"${operator}" 需要日期（YYYY-MM-DD）`,
      );
    }
    return;
  }
  if (!fits(fact, value)) {
    problem(
      problems,
      `${path}.value`,
      `${JSON.stringify(value)} is not a valid ${fact.name} (${describe(fact)})`,
      `${JSON.stringify(value)} 不是有效的${fact.labelZh}`,
    );
  }
}

function checkCondition(node: unknown, path: string, problems: Problem[], depth: number): void {
  if (depth > 10) {
    problem(problems, path, 'conditions are nested more than 10 levels deep', '条件嵌套超过10层');
    return;
  }
  if (!isRecord(node)) {
    problem(
      problems,
      path,
      'must be an object: { all: [...] }, { any: [...] }, { not: {...} } or { fact, operator, value }',
      '须为条件对象',
    );
    return;
  }
  const boolKeys = ['all', 'any', 'not'].filter((k) => k in node);
  if (boolKeys.length > 1) {
    problem(
      problems,
      path,
      `has both ${boolKeys.join(' and ')}: use one per object`,
      `同一对象中只能使用 ${boolKeys.join('、')} 之一`,
    );
    return;
  }
  const [bool] = boolKeys;
  if (bool === 'all' || bool === 'any') {
    const list = node[bool];
    if (!Array.isArray(list)) {
      problem(problems, `${path}.${bool}`, 'must be a list of conditions', '须为条件列表');
      return;
    }
    list.forEach((child, i) => checkCondition(child, `${path}.${bool}[${i}]`, problems, depth + 1));
    return;
  }
  if (bool === 'not') {
    checkCondition(node.not, `${path}.not`, problems, depth + 1);
    return;
  }
  if (depth === 0) {
    problem(
      problems,
      path,
      'the top level must be { all: [...] }, { any: [...] } or { not: {...} }',
      '最外层须为 { all: [...] }、{ any: [...] } 或 { not: {...} }',
    );
    return;
  }
  for (const key of Object.keys(node)) {
    // `path` and `params` would make json-rules-engine read inside a fact; catalogue facts are plain values.
    if (!['fact', 'operator', 'value', 'name'].includes(key)) {
      problem(
        problems,
        `${path}.${key}`,
        'is not a condition field (fact, operator, value)',
        '不是条件字段（fact、operator、value）',
      );
    }
  }
  const factName = node.fact;
  const operator = node.operator;
  let fact: FactDefinition | undefined;
  if (typeof factName !== 'string' || factName === '') {
    problem(problems, `${path}.fact`, 'is missing: name a fact from the catalogue', '缺少事实名称');
  } else if (!CONDITION_FACTS.includes(factName)) {
    const hint = suggest(factName, CONDITION_FACTS);
    problem(
      problems,
      `${path}.fact`,
      `unknown fact "${factName}"${hint ? ` — did you mean "${hint}"?` : ` (known: ${CONDITION_FACTS.join(', ')})`}`,
      `未知事实 "${factName}"${hint ? `，您是否想用 "${hint}"？` : ''}`,
    );
  } else {
    fact = FACTS_BY_NAME.get(factName);
  }
  if (typeof operator !== 'string' || !OPERATOR_NAMES.includes(operator)) {
    const hint = typeof operator === 'string' ? suggest(operator, OPERATOR_NAMES) : null;
    problem(
      problems,
      `${path}.operator`,
      `unknown operator ${JSON.stringify(operator)}${hint ? ` — did you mean "${hint}"?` : ` (known: ${OPERATOR_NAMES.join(', ')})`}`,
      `未知运算符 ${JSON.stringify(operator)}${hint ? `，您是否想用 "${hint}"？` : ''}`,
    );
    return;
  }
  if (!('value' in node)) {
    problem(problems, `${path}.value`, 'is missing', '缺少比较值');
    return;
  }
  if (fact) checkValueType(fact, operator, node.value, path, problems);
}

/**
 * Problems with a rule's json-rules-engine conditions: the top level is all/any/not; each leaf names
 * a catalogue fact, a known operator and a value of the fact's type.
 */
export function validateConditions(conditions: unknown, path = 'conditions'): Problem[] {
  const problems: Problem[] = [];
  checkCondition(conditions, path, problems, 0);
  return problems;
}
