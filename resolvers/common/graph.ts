import { Context } from '../../src/context';
import { badInput } from '../../src/errors';
import { Cursored } from '../../src/history/graph/graph-store';
import { GroupPage, OrderColumn, decodeGroupCursor } from '../../src/history/graph/keyset';
import { Page, pageRequest } from '../../src/history/page';
import { TimeWindow, resolveWindow } from '../../src/history/window';
import { NotFoundError } from '../../src/loaders/not-found';
import { ConnectionParts, toConnection } from './connection';

/**
 * What the graph's resolvers share: the window an object carries (the
 * window of the query that reached it, unless a nested filter gives its
 * own), forward pages over grouped rows, and connections of them.
 */
export function windowOf(ctx: Context, time: { from: Date; to: Date } | null | undefined, inherited?: TimeWindow): TimeWindow {
  if (time) return resolveWindow(time, ctx.config, ctx.now);
  return inherited ?? resolveWindow(undefined, ctx.config, ctx.now);
}

/** A forward page (first/after) over a keyset order. */
export function groupPage(ctx: Context, args: { first?: number | null; after?: string | null }, order: readonly OrderColumn[]): GroupPage {
  const request = pageRequest({ first: args.first, after: args.after }, ctx.config);
  return { size: request.size, after: decodeGroupCursor(request.after, order) };
}

/** The connection of a page of grouped rows; a cursor is read from its item only when the query asks for it. */
export function connectionOf<S, T>(page: Page<Cursored<S>>, toNode: (item: S) => T): ConnectionParts<T> {
  const items = page.items;
  return toConnection({ ...page, items: items.map((x) => toNode(x.item)) }, (_node, i) => items[i].cursor);
}

/** A loader's answer, or null for "not found"; other errors propagate. */
export async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

export function checkLimit(limit: number | null | undefined, fallback: number, max: number, argument: string): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max) throw badInput(`${argument} must be an integer from 0 to ${max}`, { argument });
  return n;
}
