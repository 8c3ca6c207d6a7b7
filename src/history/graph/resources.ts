import { PRINCIPAL_KEY, SESSION_REF, isAnyOf } from '../derive';
import { isAnyOfSet } from './derive-resources';
import { Scope, boundPredicate } from '../event-filter';
import { Sql, and, sql, trusted } from '../sql/sql';
import { TimeWindow } from '../window';
import { GroupPage, OrderColumn, groupPageSql, perParentPageSql } from './keyset';
import { SessionRef, refText } from './session-ref';
import { TOUCHES, readableTouches } from './touches';

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
 * One row per (event, resource): the touches (touches.ts) that `where`
 * keeps. `parent` (an expression over the touch's columns) becomes
 * parent_key, and touches of other parents are dropped; `match` narrows
 * the resources.
 */
function touchedSql(where: Sql, scope: Scope, parent: { expr: Sql; keys: readonly string[] | null } | null, match: ResourceMatch): Sql {
  const parts = [readableTouches(where, scope)];
  if (parent?.keys) parts.push(isAnyOf(parent.expr, parent.keys));
  if (match && 'arns' in match) parts.push(isAnyOfSet(trusted('resource_arn'), match.arns));
  if (match && 'arnPrefix' in match) parts.push(sql`substr(resource_arn, 1, ${match.arnPrefix.length}) = ${match.arnPrefix}`);
  return sql`SELECT eventid, ${parent ? parent.expr : trusted("''")} AS parent_key, resource_arn AS rarn, eventtime,
    resource_type AS rtype, resource_account AS racct FROM ${trusted(TOUCHES)} WHERE ${and(parts)}`;
}

const RESOURCE_AGGREGATES = trusted(`rarn, max(rtype) AS rtype, max(racct) AS racct, count(*) AS n, min(eventtime) AS first_seen, max(eventtime) AS last_seen`);

function resourceGroupsSql(c: ResourceCriteria, window: TimeWindow, scope: Scope): Sql {
  const rowWhere = [boundPredicate(window, scope)];
  if (c.accountIds?.length) rowWhere.push(sql`account IN ${c.accountIds}`);
  const match = c.arnPrefix ? { arnPrefix: c.arnPrefix } : null;
  const having = c.types?.length ? sql`HAVING max(rtype) IN ${c.types}` : trusted('');
  return sql`SELECT ${RESOURCE_AGGREGATES} FROM (${touchedSql(and(rowWhere), scope, null, match)}) d GROUP BY rarn ${having}`;
}

export function resourcePageSql(c: ResourceCriteria, window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  return groupPageSql(resourceGroupsSql(c, window, scope), RESOURCE_ORDER, page);
}

/** Summaries of N resources in one window. */
export function resourceSummariesSql(arns: readonly string[], window: TimeWindow, scope: Scope): Sql {
  return sql`SELECT ${RESOURCE_AGGREGATES} FROM (${touchedSql(boundPredicate(window, scope), scope, null, { arns })}) d GROUP BY rarn`;
}

/** The resources each of N sessions touched (one page each). */
export function resourcesOfSessionsSql(refs: readonly SessionRef[], window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  const touched = touchedSql(boundPredicate(window, scope), scope, { expr: SESSION_REF, keys: refs.map(refText) }, null);
  return perParentPageSql(sql`SELECT parent_key, ${RESOURCE_AGGREGATES} FROM (${touched}) d GROUP BY parent_key, rarn`, RESOURCE_ORDER, page);
}

/** The resources each of N principals touched (one page each). */
export function resourcesOfPrincipalsSql(arns: readonly string[], window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  const touched = touchedSql(boundPredicate(window, scope), scope, { expr: PRINCIPAL_KEY, keys: arns }, null);
  return perParentPageSql(sql`SELECT parent_key, ${RESOURCE_AGGREGATES} FROM (${touched}) d GROUP BY parent_key, rarn`, RESOURCE_ORDER, page);
}

/** Who touched each of N resources (one page of principal ARNs each; their summaries are another question). */
export function principalsOfResourcesSql(arns: readonly string[], window: TimeWindow, scope: Scope, page: GroupPage): Sql {
  const touched = touchedSql(boundPredicate(window, scope), scope, { expr: PRINCIPAL_KEY, keys: null }, { arns });
  return perParentPageSql(
    sql`SELECT rarn AS parent_key, parent_key AS arn FROM (${touched}) d GROUP BY rarn, parent_key`,
    PRINCIPAL_OF_RESOURCE_ORDER,
    page,
  );
}
