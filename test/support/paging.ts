/** One page of a connection, as a test's fetch hands it to walkPages. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Every item of a connection, walking forward page by page from `after`
 * (null: the start) until a page says there is no next one. Fails rather
 * than loops when a connection never ends.
 */
export async function walkPages<T>(fetch: (after: string | null, page: number) => Promise<Page<T>>, opts: { after?: string | null; maxPages?: number } = {}): Promise<T[]> {
  const out: T[] = [];
  let after = opts.after ?? null;
  const maxPages = opts.maxPages ?? 1000;
  for (let page = 0; page < maxPages; page++) {
    const p = await fetch(after, page);
    out.push(...p.items);
    if (!p.hasNextPage) return out;
    if (p.endCursor === null) throw new Error('a page with a next page has no end cursor');
    after = p.endCursor;
  }
  throw new Error(`no last page after ${maxPages} pages`);
}
