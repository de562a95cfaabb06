import type { GraphPage } from '../../types/outgoing/graph-responses.js';

/**
 * Every item over all pages, fetched lazily (following the `after` cursor, never the `next` URL,
 * so the token only goes to the configured Graph origin). Stops after `maxPages` pages.
 */
export async function* allPages<T>(
  fetchPage: (after: string | undefined) => Promise<GraphPage<T>>,
  maxPages = 10_000,
): AsyncGenerator<T> {
  let after: string | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(after);
    yield* page.data;
    const next = page.paging?.cursors?.after;
    if (!page.paging?.next || !next || next === after || page.data.length === 0) return;
    after = next;
  }
}
