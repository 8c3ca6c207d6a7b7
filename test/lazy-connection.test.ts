import { toConnection } from '../resolvers/common/connection';
import { connectionOf } from '../resolvers/common/graph';
import { OrderColumn, pageOfRows } from '../src/history/graph/keyset';
import { Row } from '../src/history/engine';

/** A connection as it was made before: every cursor at once. */
function eagerConnection<T>(items: T[], cursorOf: (item: T) => string, hasNextPage: boolean, hasPreviousPage: boolean) {
  const edges = items.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes: items,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges.length ? edges[0].cursor : null, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}

describe('connections make cursors only when read', () => {
  it('reads the same as an eager connection, and makes each cursor once', () => {
    const items = ['a', 'b', 'c', 'd'];
    const made: string[] = [];
    const conn = toConnection({ items, hasNextPage: true, hasPreviousPage: false }, (x) => {
      made.push(x);
      return `cursor-${x}`;
    });
    // Nodes only (the wide query): no cursor made.
    expect(conn.nodes).toEqual(items);
    expect(made).toEqual([]);
    expect(conn.pageInfo.endCursor).toBe('cursor-d');
    expect(made).toEqual(['d']);
    // Everything read (twice): equal to the eager shape, each cursor made once.
    const expected = eagerConnection(items, (x) => `cursor-${x}`, true, false);
    expect(JSON.parse(JSON.stringify(conn))).toEqual(expected);
    expect(JSON.parse(JSON.stringify(conn))).toEqual(expected);
    expect([...made].sort()).toEqual(['a', 'b', 'c', 'd']);
    // A copy (as type-graphql makes for some roots) carries the values.
    expect({ ...conn.pageInfo }).toEqual(expected.pageInfo);
  });

  it('has null start and end cursors on an empty page', () => {
    const conn = toConnection<string>({ items: [], hasNextPage: false, hasPreviousPage: true }, () => {
      throw new Error('no cursor to make');
    });
    expect(conn.edges).toEqual([]);
    expect(conn.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('keeps the keyset cursors of grouped rows, made on first read', () => {
    const order: OrderColumn[] = [
      { name: 'n', desc: true, kind: 'number' },
      { name: 'arn', desc: false, kind: 'string' },
    ];
    const rows: Row[] = [
      { arn: 'b', n: 5 },
      { arn: 'a', n: 5 },
      { arn: 'c', n: 9 },
      { arn: 'd', n: 1 },
    ];
    const page = pageOfRows(rows, order, { size: 3, after: null }, (r) => String(r.arn));
    expect(page.items.map((x) => x.item)).toEqual(['c', 'a', 'b']);
    expect(page.hasNextPage).toBe(true);
    const conn = connectionOf(page, (arn) => arn.toUpperCase());
    expect(conn.nodes).toEqual(['C', 'A', 'B']);
    // A keyset cursor is the row's order values as base64url JSON: read back here, they are the literals of each row.
    const keyOf = (cursor: string | null): unknown => JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8'));
    expect(conn.edges.map((e) => keyOf(e.cursor))).toEqual([[9, 'c'], [5, 'a'], [5, 'b']]);
    expect(keyOf(conn.pageInfo.startCursor)).toEqual([9, 'c']);
    expect(keyOf(conn.pageInfo.endCursor)).toEqual([5, 'b']);
  });
});
