import { FACT_CATALOGUE } from './facts';
import { problem, suggest, type Problem } from './problems';
import { handlebars, TEMPLATE_HELPERS } from './templates';

const TEMPLATE_VARIABLES = FACT_CATALOGUE.map((f) => f.name);
const HELPERS = TEMPLATE_HELPERS.map((h) => h.name as string);
const BLOCK_HELPERS = ['if', 'unless'];

/** Every variable and helper a template uses must be a catalogue fact, `dueDate`, or a declared helper. */
export function validateTemplate(source: unknown, path: string): Problem[] {
  const problems: Problem[] = [];
  if (typeof source !== 'string' || source.trim() === '') {
    problem(problems, path, 'must be a non-empty template', '模板不能为空');
    return problems;
  }
  let ast: hbs.AST.Program;
  try {
    ast = handlebars.parse(source);
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ').slice(0, 240);
    problem(problems, path, `does not compile: ${message}`, `模板无法编译：${message}`);
    return problems;
  }
  const variable = (name: string) => {
    if (!TEMPLATE_VARIABLES.includes(name)) {
      const hint = suggest(name, TEMPLATE_VARIABLES);
      problem(
        problems,
        path,
        `unknown variable "${name}"${hint ? ` — did you mean "${hint}"?` : ': use a catalogue fact or dueDate'}`,
        `未知变量 "${name}"${hint ? `，您是否想用 "${hint}"？` : ''}`,
      );
    }
  };
  const expression = (node: hbs.AST.Expression) => {
    if (node.type === 'PathExpression') {
      const p = node as hbs.AST.PathExpression;
      if (p.data || p.depth > 0 || p.parts.length !== 1 || p.original !== p.parts[0])
        problem(
          problems,
          path,
          `"${p.original}" is not allowed: use a plain fact name`,
          `不支持 "${p.original}"，请直接使用事实名称`,
        );
      else variable(p.original);
    } else if (node.type === 'SubExpression') {
      call(node as hbs.AST.SubExpression);
    }
  };
  const call = (
    node: { path: hbs.AST.PathExpression | hbs.AST.Expression; params: hbs.AST.Expression[]; hash?: hbs.AST.Hash },
    block = false,
  ) => {
    const name = (node.path as hbs.AST.PathExpression).original;
    const isHelperCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || block;
    if (isHelperCall) {
      const allowed = block ? BLOCK_HELPERS : HELPERS;
      if (!allowed.includes(name)) {
        const hint = suggest(name, allowed);
        problem(
          problems,
          path,
          `unknown ${block ? 'block ' : ''}helper "${name}"${hint ? ` — did you mean "${hint}"?` : ` (known: ${allowed.join(', ')})`}`,
          `未知辅助函数 "${name}"${hint ? `，您是否想用 "${hint}"？` : ''}`,
        );
      }
      node.params.forEach(expression);
      node.hash?.pairs.forEach((pair: hbs.AST.HashPair) => expression(pair.value));
    } else {
      expression(node.path);
    }
  };
  const walk = (program: hbs.AST.Program | undefined) => {
    for (const statement of program?.body ?? []) {
      if (statement.type === 'MustacheStatement') call(statement as hbs.AST.MustacheStatement);
      else if (statement.type === 'BlockStatement') {
        const block = statement as hbs.AST.BlockStatement;
        call(block, true);
        walk(block.program);
        walk(block.inverse);
      } else if (
        statement.type === 'PartialStatement' ||
        statement.type === 'PartialBlockStatement' ||
        statement.type === 'DecoratorBlock'
      ) {
        problem(problems, path, 'partials and decorators are not allowed', '不支持局部模板');
      }
    }
  };
  walk(ast);
  return problems;
}
