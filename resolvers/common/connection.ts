import { Page } from '../../src/history/page';
import { PageInfo } from './page-info.type';

/** A Relay connection's parts from a page of items and the items' cursors. */
export interface ConnectionParts<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * The connection of a page. Cursors are made when the query reads them (an
 * edge's cursor, startCursor, endCursor), each once: a wide query that asks
 * only `nodes` makes none. The parts are own enumerable getters, so a copy
 * (Object.assign, spread) still carries their values.
 */
export function toConnection<T>(page: Page<T>, cursorOf: (item: T, index: number) => string): ConnectionParts<T> {
  const nodes = page.items;
  const last = nodes.length - 1;
  const made: Array<string | undefined> = [];
  const cursorAt = (i: number): string => (made[i] ??= cursorOf(nodes[i], i));
  let edges: ConnectionParts<T>['edges'] | undefined;
  return {
    get edges() {
      return (edges ??= nodes.map((node, i) => ({
        node,
        get cursor() {
          return cursorAt(i);
        },
      })));
    },
    nodes,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return last >= 0 ? cursorAt(0) : null;
      },
      get endCursor() {
        return last >= 0 ? cursorAt(last) : null;
      },
    },
  };
}
