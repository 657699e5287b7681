/** Types a query's rows once, at the boundary (knex cannot know a table's shape). */
export async function typed<T>(query: PromiseLike<unknown>): Promise<T> {
  const rows: unknown = await query;
  return rows as T;
}
