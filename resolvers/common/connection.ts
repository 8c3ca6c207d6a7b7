import { Page } from '../../src/history/page';
import { PageInfo } from './page-info.type';

/** A Relay connection's parts from a page of items and the items' cursors. */
export interface ConnectionParts<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
}

export function toConnection<T>(page: Page<T>, cursorOf: (item: T) => string): ConnectionParts<T> {
  const edges = page.items.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}
