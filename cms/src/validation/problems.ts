import { errors } from '@strapi/utils';

/** One thing wrong with an input, with the path of the field and a message an editor can act on. */
export interface FieldProblem {
  path: string;
  message: string;
  messageZh?: string;
}

/** `conditions.all[1].fact` → ['conditions', 'all', '1', 'fact'], the form Strapi's admin panel expects. */
export function pathSegments(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
}

/** Throws a ValidationError (HTTP 400) listing every problem; does nothing when there are none. */
export function assertNoProblems(problems: FieldProblem[]): void {
  const [first] = problems;
  if (!first) return;
  // The admin panel shows this message as it is: English and, where rules/ gives one, Chinese.
  const text = `${first.path}: ${first.message}${first.messageZh ? `（${first.messageZh}）` : ''}`;
  const message = problems.length === 1 ? text : `${problems.length} problems, first: ${text}`;
  throw new errors.ValidationError(message, {
    errors: problems.map((p) => ({
      field: p.path,
      path: pathSegments(p.path),
      message: `${p.path}: ${p.message}`,
      messageZh: p.messageZh ?? null,
      name: 'ValidationError',
      value: null,
    })),
  });
}
