import { decodeCursor, encodeCursor } from '../cursor';
import { Row, Scalar } from '../engine';
import { Page } from '../page';
import { Sql, and, or, sql, trusted } from '../sql/sql';

/**
 * Keyset pages over grouped rows (principals, sessions, resources): a page
 * of one list, or a page of each of N parents' lists in one statement
 * (row_number() per parent). Order columns are never NULL.
 */
export interface OrderColumn {
  /** A column of the grouped rows (our own constant name). */
  name: string;
  desc: boolean;
  kind: 'string' | 'number';
}

export interface GroupPage {
  size: number;
  /** The decoded `after` cursor, or null. */
  after: (string | number)[] | null;
}

export function decodeGroupCursor(cursor: string | null | undefined, order: readonly OrderColumn[]): (string | number)[] | null {
  return cursor ? decodeCursor(cursor, order.map((c) => c.kind), 'after') : null;
}

/** An item with its row's cursor, made when first read (a query that asks no cursor makes none). */
function cursored<T>(item: T, row: Row, order: readonly OrderColumn[]): { item: T; cursor: string } {
  let cursor: string | undefined;
  return {
    item,
    get cursor() {
      return (cursor ??= groupCursor(row, order));
    },
  };
}

export function groupCursor(row: Row, order: readonly OrderColumn[]): string {
  return encodeCursor(order.map((c) => {
    const v = row[c.name];
    return c.kind === 'number' ? Number(v) : String(v);
  }));
}

/** Rows strictly after the cursor in the order. */
function beyond(order: readonly OrderColumn[], values: readonly (string | number)[]): Sql {
  const alternatives: Sql[] = order.map((c, i) => {
    const equal = order.slice(0, i).map((p, j) => sql`${trusted(p.name)} = ${values[j]}`);
    const past = c.desc ? sql`${trusted(c.name)} < ${values[i]}` : sql`${trusted(c.name)} > ${values[i]}`;
    return and([...equal, past]);
  });
  return or(alternatives);
}

function orderBy(order: readonly OrderColumn[]): Sql {
  return trusted(order.map((c) => `${c.name} ${c.desc ? 'DESC' : 'ASC'}`).join(', '));
}

/** One page of `groups` (a SELECT), one extra row to know whether more follow. */
export function groupPageSql(groups: Sql, order: readonly OrderColumn[], page: GroupPage): Sql {
  if (!page.after) return sql`SELECT g.*, 0 AS behind_n FROM (${groups}) g ORDER BY ${orderBy(order)} LIMIT ${page.size + 1}`;
  const past = beyond(order, page.after);
  return sql`SELECT * FROM (SELECT g.*, count_if(NOT (${past})) OVER () AS behind_n FROM (${groups}) g) p WHERE ${past} ORDER BY ${orderBy(order)} LIMIT ${page.size + 1}`;
}

/** A page of each parent's list: `groups` has a `parent_key` column. */
export function perParentPageSql(groups: Sql, order: readonly OrderColumn[], page: GroupPage): Sql {
  const ranked = (inner: Sql) =>
    sql`SELECT * FROM (SELECT q.*, row_number() OVER (PARTITION BY parent_key ORDER BY ${orderBy(order)}) AS rn FROM (${inner}) q) r WHERE rn <= ${page.size + 1}`;
  if (!page.after) return ranked(sql`SELECT g.*, 0 AS behind_n FROM (${groups}) g`);
  const past = beyond(order, page.after);
  return ranked(sql`SELECT * FROM (SELECT g.*, count_if(NOT (${past})) OVER (PARTITION BY parent_key) AS behind_n FROM (${groups}) g) p WHERE ${past}`);
}

function sortRows(rows: Row[], order: readonly OrderColumn[]): Row[] {
  return [...rows].sort((a, b) => {
    for (const c of order) {
      const x = a[c.name] as Scalar;
      const y = b[c.name] as Scalar;
      if (x === y) continue;
      const lt = c.kind === 'number' ? Number(x) < Number(y) : String(x) < String(y);
      return (lt ? -1 : 1) * (c.desc ? -1 : 1);
    }
    return 0;
  });
}

/** The page of a single list from its statement's rows. */
export function pageOfRows<T>(rows: Row[], order: readonly OrderColumn[], page: GroupPage, toItem: (r: Row) => T): Page<{ item: T; cursor: string }> {
  const sorted = sortRows(rows, order);
  const hasPreviousPage = page.after !== null && (sorted.length ? Number(sorted[0].behind_n) > 0 : true);
  return {
    items: sorted.slice(0, page.size).map((r) => cursored(toItem(r), r, order)),
    hasNextPage: sorted.length > page.size,
    hasPreviousPage,
  };
}

/** Each parent's page, in the order of `parents`. */
export function pagesOfRows<T>(rows: Row[], parents: readonly string[], order: readonly OrderColumn[], page: GroupPage, toItem: (r: Row) => T): Page<{ item: T; cursor: string }>[] {
  const byParent = new Map<string, Row[]>();
  for (const r of rows) {
    const k = String(r.parent_key);
    const list = byParent.get(k);
    if (list) list.push(r);
    else byParent.set(k, [r]);
  }
  return parents.map((p) => pageOfRows(byParent.get(p) ?? [], order, page, toItem));
}
