import { Row } from '../engine';
import { EventKey } from '../ids';
import { Page } from '../page';
import { HistoryStore, QueryContext } from '../store';
import { TimeWindow } from '../window';
import { DecisionEventsQuery, decisionEventsSql } from './decisions';
import { EventGraph, GraphEvent, ParentEventsQuery, eventGraphsByKeysSql, parentEventPages, parentEventsSql, toEventGraph } from './graph-events';
import { GroupPage, pageOfRows, pagesOfRows } from './keyset';
import { PRINCIPAL_ORDER, PrincipalCriteria, pageParts, principalPageSql, principalSummariesSql, topEventNamesSql } from './principals';
import {
  PRINCIPAL_OF_RESOURCE_ORDER, RESOURCE_ORDER, ResourceCriteria, principalsOfResourcesSql, resourcePageSql, resourceSummariesSql,
  resourcesOfPrincipalsSql, resourcesOfSessionsSql,
} from './resources';
import { SessionRef, refText } from './session-ref';
import { SESSION_ORDER, SessionCriteria, SessionLookup, sessionLookupsSql, sessionPageSql, sessionSummariesSql, sessionsOfPrincipalsSql } from './sessions';
import { PrincipalSummary, ResourceSummary, SessionSummary, textList, toPrincipalSummary, toResourceSummary, toSessionSummary } from './summaries';
import { ALL_PRINCIPAL_PARTS, ALL_SESSION_PARTS, PrincipalParts, SessionParts, principalParts } from './summary-parts';

/**
 * The graph's questions of history: each function renders one statement,
 * runs it through the store (which counts it) and maps the rows.
 */
export interface Cursored<T> {
  item: T;
  cursor: string;
}

/** What a resources connection knows of each resource before its summary is asked. */
export interface ResourceSeed {
  arn: string;
  type: string | null;
  accountId: string | null;
}

const seedOf = (r: Row): ResourceSeed => {
  const s = toResourceSummary(r);
  return { arn: s.arn, type: s.type, accountId: s.accountId };
};

/** Summaries by canonical ARN, and by each sts ARN asked for. */
export async function principalSummaries(
  store: HistoryStore, arns: readonly string[], window: TimeWindow, ctx: QueryContext, parts: PrincipalParts = ALL_PRINCIPAL_PARTS,
): Promise<Map<string, PrincipalSummary>> {
  const rows = await store.run(principalSummariesSql(arns, window, ctx.scope, parts), ctx);
  const out = new Map<string, PrincipalSummary>();
  for (const r of rows) {
    const s = toPrincipalSummary(r, principalParts(parts));
    out.set(s.arn, s);
    for (const alias of textList(r.aliases)) out.set(alias, s);
  }
  return out;
}

export async function principalPage(
  store: HistoryStore, c: PrincipalCriteria, window: TimeWindow, page: GroupPage, ctx: QueryContext, parts: PrincipalParts = ALL_PRINCIPAL_PARTS,
): Promise<Page<Cursored<PrincipalSummary>>> {
  const rows = await store.run(principalPageSql(c, window, ctx.scope, page, parts), ctx);
  return pageOfRows(rows, PRINCIPAL_ORDER, page, (r) => toPrincipalSummary(r, principalParts(pageParts(parts))));
}

export async function topEventNames(store: HistoryStore, arns: readonly string[], limit: number, window: TimeWindow, ctx: QueryContext): Promise<Map<string, Array<{ name: string; count: number }>>> {
  const out = new Map<string, Array<{ name: string; count: number; rn: number }>>();
  if (limit > 0) {
    for (const r of await store.run(topEventNamesSql(arns, limit, window, ctx.scope), ctx)) {
      const list = out.get(String(r.pk)) ?? [];
      list.push({ name: String(r.eventname), count: Number(r.n), rn: Number(r.rn) });
      out.set(String(r.pk), list);
    }
  }
  return new Map([...out].map(([k, v]) => [k, v.sort((a, b) => a.rn - b.rn).map(({ name, count }) => ({ name, count }))]));
}

export async function sessionPage(
  store: HistoryStore, c: SessionCriteria, window: TimeWindow, page: GroupPage, ctx: QueryContext, parts: SessionParts = ALL_SESSION_PARTS,
): Promise<Page<Cursored<SessionSummary>>> {
  return pageOfRows(await store.run(sessionPageSql(c, window, ctx.scope, page, parts), ctx), SESSION_ORDER, page, (r) => toSessionSummary(r, parts));
}

export async function sessionsOfPrincipals(
  store: HistoryStore, arns: readonly string[], c: SessionCriteria, window: TimeWindow, page: GroupPage, ctx: QueryContext, parts: SessionParts = ALL_SESSION_PARTS,
): Promise<Page<Cursored<SessionSummary>>[]> {
  const rows = await store.run(sessionsOfPrincipalsSql(arns, c, window, ctx.scope, page, parts), ctx);
  return pagesOfRows(rows, arns, SESSION_ORDER, page, (r) => toSessionSummary(r, parts));
}

export async function sessionSummaries(
  store: HistoryStore, refs: readonly SessionRef[], window: TimeWindow, ctx: QueryContext, parts: SessionParts = ALL_SESSION_PARTS,
): Promise<Map<string, SessionSummary>> {
  const rows = await store.run(sessionSummariesSql(refs, window, ctx.scope, parts), ctx);
  return new Map(rows.map((r) => [String(r.sref), toSessionSummary(r, parts)]));
}

/** Each look-up within its own window; null where the session has no event there. */
export async function sessionLookups(
  store: HistoryStore, lookups: readonly SessionLookup[], ctx: QueryContext, parts: SessionParts = ALL_SESSION_PARTS,
): Promise<(SessionSummary | null)[]> {
  const rows = await store.run(sessionLookupsSql(lookups, ctx.scope, parts), ctx);
  const byIndex = new Map(rows.map((r) => [Number(r.lookup), toSessionSummary(r, parts)]));
  return lookups.map((_, i) => byIndex.get(i) ?? null);
}

export async function resourcePage(store: HistoryStore, c: ResourceCriteria, window: TimeWindow, page: GroupPage, ctx: QueryContext): Promise<Page<Cursored<ResourceSummary>>> {
  return pageOfRows(await store.run(resourcePageSql(c, window, ctx.scope, page), ctx), RESOURCE_ORDER, page, toResourceSummary);
}

export async function resourceSummaries(store: HistoryStore, arns: readonly string[], window: TimeWindow, ctx: QueryContext): Promise<Map<string, ResourceSummary>> {
  const rows = await store.run(resourceSummariesSql(arns, window, ctx.scope), ctx);
  return new Map(rows.map((r) => [String(r.rarn), toResourceSummary(r)]));
}

export async function resourcesOfSessions(store: HistoryStore, refs: readonly SessionRef[], window: TimeWindow, page: GroupPage, ctx: QueryContext): Promise<Page<Cursored<ResourceSeed>>[]> {
  const rows = await store.run(resourcesOfSessionsSql(refs, window, ctx.scope, page), ctx);
  return pagesOfRows(rows, refs.map(refText), RESOURCE_ORDER, page, seedOf);
}

export async function resourcesOfPrincipals(store: HistoryStore, arns: readonly string[], window: TimeWindow, page: GroupPage, ctx: QueryContext): Promise<Page<Cursored<ResourceSeed>>[]> {
  return pagesOfRows(await store.run(resourcesOfPrincipalsSql(arns, window, ctx.scope, page), ctx), arns, RESOURCE_ORDER, page, seedOf);
}

/** The ARNs of who touched each resource (a page each). */
export async function principalsOfResources(store: HistoryStore, arns: readonly string[], window: TimeWindow, page: GroupPage, ctx: QueryContext): Promise<Page<Cursored<string>>[]> {
  const rows = await store.run(principalsOfResourcesSql(arns, window, ctx.scope, page), ctx);
  return pagesOfRows(rows, arns, PRINCIPAL_OF_RESOURCE_ORDER, page, (r) => String(r.arn));
}

export async function parentEvents(store: HistoryStore, q: ParentEventsQuery, ctx: QueryContext): Promise<Page<GraphEvent>[]> {
  return parentEventPages(q, await store.run(parentEventsSql(q), ctx));
}

export async function eventGraphs(store: HistoryStore, keys: readonly EventKey[], ctx: QueryContext): Promise<(EventGraph | null)[]> {
  const rows = await store.run(eventGraphsByKeysSql(keys, ctx.scope), ctx);
  const key = (k: { day: unknown; account: unknown; region: unknown; eventId: unknown }) => `${k.day}|${k.account}|${k.region}|${k.eventId}`;
  const found = new Map(rows.map((r) => [key({ day: r.day, account: r.account, region: r.region, eventId: r.eventid }), toEventGraph(r)]));
  return keys.map((k) => found.get(key(k)) ?? null);
}

export async function decisionEvents(store: HistoryStore, q: DecisionEventsQuery, ctx: QueryContext): Promise<Row[]> {
  return store.run(decisionEventsSql(q), ctx);
}

