import { PRINCIPAL_KEY, SESSION_REF, isAnyOf } from '../derive';
import { inSessions, principalCandidates } from './candidates';
import { DERIVED_RESOURCES, ENTRY_ACCOUNT, ENTRY_ARN, ENTRY_TYPE, isAnyOfSet, mayTouch, presentEntries } from './derive-resources';
import { Scope, boundPredicate } from '../event-filter';
import { Sql, and, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow } from '../window';
import { GroupPage, OrderColumn, groupPageSql, perParentPageSql } from './keyset';
import { SessionRef, refText } from './session-ref';

/** Resource questions: a page of resources, summaries of N resources, the resources of N sessions or principals, who touched N resources. */

export interface ResourceCriteria {
  accountIds?: readonly string[];
  types?: readonly string[];
  arnPrefix?: string;
}

export const RESOURCE_ORDER: readonly OrderColumn[] = [{ name: 'rarn', desc: false, kind: 'string' }];
export const PRINCIPAL_OF_RESOURCE_ORDER: readonly OrderColumn[] = [{ name: 'arn', desc: false, kind: 'string' }];

/** Which resources a question is about: these ARNs, or those under a prefix. */
type ResourceMatch = { arns: readonly string[] } | { arnPrefix: string } | null;

/**
 * One row per (event, resource): the entries of RESOURCE_ENTRIES unnested,
 * NULLs dropped, one row per ARN (a resource named in resources[] and in
 * requestParameters counts once). `parent` (an expression over the table)
 * becomes parent_key, and rows of other parents are dropped before their
 * entries are computed; `match` narrows the (event, resource) rows, in the
 * forms that keep the unnest cheap (presentEntries).
 */
function touchedSql(where: Sql, parent: { expr: Sql; keys: readonly string[] | null } | null, match: ResourceMatch): Sql {
  const rows = !parent
    ? sql`SELECT *, '' AS parent_key FROM ${trusted(TABLE)} WHERE ${where}`
    : parent.keys
      ? sql`SELECT * FROM (SELECT *, ${parent.expr} AS parent_key FROM ${trusted(TABLE)} WHERE ${where}) p WHERE ${isAnyOf(trusted('parent_key'), parent.keys)}`
      : sql`SELECT *, ${parent.expr} AS parent_key FROM ${trusted(TABLE)} WHERE ${where}`;
  const derived = sql`SELECT eventid, eventtime, parent_key, resources, ${DERIVED_RESOURCES} AS derived FROM (${rows}) r`;
  const prefix = match && 'arnPrefix' in match ? match.arnPrefix : undefined;
  const entries = sql`SELECT eventid, eventtime, parent_key, ${presentEntries(trusted('derived'), prefix)} AS entries FROM (${derived}) d`;
  const unnested = sql`SELECT e.eventid, e.eventtime, e.parent_key, entry, ${ENTRY_ARN} AS rarn FROM (${entries}) e CROSS JOIN UNNEST(e.entries) AS u(entry)`;
  const matched = match && 'arns' in match ? sql`SELECT * FROM (${unnested}) m WHERE ${isAnyOfSet(trusted('rarn'), match.arns)}` : unnested;
  // Type and account are cut from the entries kept (the engine computes a projection's columns before a join above it).
  return sql`SELECT eventid, parent_key, rarn, min(eventtime) AS eventtime, max(NULLIF(${ENTRY_TYPE}, '')) AS rtype, max(NULLIF(${ENTRY_ACCOUNT}, '')) AS racct
    FROM (${matched}) t GROUP BY eventid, parent_key, rarn`;
}

const RESOURCE_AGGREGATES = trusted(`rarn, max(rtype) AS rtype, max(racct) AS racct, count(*) AS n, min(eventtime) AS first_seen, max(eventtime) AS last_seen`);

function resourceGroupsSql(c: ResourceCriteria, window: TimeWindow, scope: Scope): Sql {
  const rowWhere = [boundPredicate(window, scope)];
  if (c.accountIds?.length) rowWhere.push(sql`account IN ${c.accountIds}`);
  const match = c.arnPrefix ? { arnPrefix: c.arnPrefix } : null;
  const having = c.types?.length ? sql`HAVING max(rtype) IN ${c.types}` : trusted('');
  return sql`SELECT ${RESOURCE_AGGREGATES} FROM (${touchedSql(and(rowWhere), null, match)}) d GROUP BY rarn ${having}`;
}

export function resourcePageSql(c: ResourceCriteria, window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  return groupPageSql(resourceGroupsSql(c, window, scope), RESOURCE_ORDER, page);
}

/** Summaries of N resources in one window. */
export function resourceSummariesSql(arns: readonly string[], window: TimeWindow, scope: Scope): Sql {
  const where = and([boundPredicate(window, scope), mayTouch(arns)]);
  return sql`SELECT ${RESOURCE_AGGREGATES} FROM (${touchedSql(where, null, { arns })}) d GROUP BY rarn`;
}

/** The resources each of N sessions touched (one page each). */
export function resourcesOfSessionsSql(refs: readonly SessionRef[], window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  const where = and([boundPredicate(window, scope), inSessions(refs.map(refText))]);
  const touched = touchedSql(where, { expr: SESSION_REF, keys: refs.map(refText) }, null);
  return perParentPageSql(sql`SELECT parent_key, ${RESOURCE_AGGREGATES} FROM (${touched}) d GROUP BY parent_key, rarn`, RESOURCE_ORDER, page);
}

/** The resources each of N principals touched (one page each). */
export function resourcesOfPrincipalsSql(arns: readonly string[], window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  const touched = touchedSql(and([boundPredicate(window, scope), principalCandidates(arns)]), { expr: PRINCIPAL_KEY, keys: arns }, null);
  return perParentPageSql(sql`SELECT parent_key, ${RESOURCE_AGGREGATES} FROM (${touched}) d GROUP BY parent_key, rarn`, RESOURCE_ORDER, page);
}

/** Who touched each of N resources (one page of principal ARNs each; their summaries are another question). */
export function principalsOfResourcesSql(arns: readonly string[], window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  const where = and([boundPredicate(window, scope), mayTouch(arns)]);
  const touched = touchedSql(where, { expr: PRINCIPAL_KEY, keys: null }, { arns });
  return perParentPageSql(
    sql`SELECT rarn AS parent_key, parent_key AS arn FROM (${touched}) d GROUP BY rarn, parent_key`,
    PRINCIPAL_OF_RESOURCE_ORDER,
    page,
  );
}
