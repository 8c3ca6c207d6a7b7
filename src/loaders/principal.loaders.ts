import DataLoader from 'dataloader';
import { EventCriteria } from '../history/event-filter';
import { EventProjection } from '../history/event-projection';
import { GraphEvent } from '../history/graph/graph-events';
import { Cursored, ResourceSeed, parentEvents, principalPage, principalSummaries, resourcesOfPrincipals, sessionsOfPrincipals, topEventNames } from '../history/graph/graph-store';
import { GroupPage } from '../history/graph/keyset';
import { PrincipalCriteria } from '../history/graph/principals';
import { SessionCriteria } from '../history/graph/sessions';
import { PrincipalSummary, SessionSummary } from '../history/graph/summaries';
import { PrincipalParts, SessionParts, principalParts, sessionParts } from '../history/graph/summary-parts';
import { Page, SortOrder } from '../history/page';
import { HistoryStore, QueryContext } from '../history/store';
import { TimeWindow } from '../history/window';
import { groupedLoader, keyText, without } from './graph-batch';
import { NotFoundError } from './not-found';

export interface PrincipalKey {
  arn: string;
  window: TimeWindow;
}

/** A summary asked with the parts the request's selection needs (summary-parts.ts). */
export interface PrincipalSummaryKey extends PrincipalKey {
  parts: PrincipalParts;
}

export interface PrincipalSessionsKey extends PrincipalKey {
  criteria: SessionCriteria;
  page: GroupPage;
  parts: SessionParts;
}

export interface PrincipalPageKey {
  criteria: PrincipalCriteria;
  window: TimeWindow;
  page: GroupPage;
  parts: PrincipalParts;
}

/**
 * The group of a key asked with parts: all but its object and its parts.
 * Keys that differ only in those share one statement, which computes the
 * union of their parts.
 */
export function partsGroup<K extends { parts: unknown }>(key: K, object?: keyof K & string): string {
  return keyText(Object.fromEntries(Object.entries(key).filter(([name]) => name !== 'parts' && name !== object)));
}

export interface ParentEventsKey {
  parent: string;
  criteria: EventCriteria;
  window: TimeWindow;
  order: SortOrder;
  size: number;
  after: string | null;
  /** The columns the request reads (event-projection.ts); every column when absent. */
  projection?: EventProjection;
}

export interface PrincipalLoaders {
  /** Summaries of all principals asked in a tick: one statement per window (the union of the keys' parts). NotFoundError where none. */
  principalSummary: DataLoader<PrincipalSummaryKey, PrincipalSummary, string>;
  principalTopEventNames: DataLoader<PrincipalKey & { limit: number }, Array<{ name: string; count: number }>, string>;
  principalSessions: DataLoader<PrincipalSessionsKey, Page<Cursored<SessionSummary>>, string>;
  principalEvents: DataLoader<ParentEventsKey, Page<GraphEvent>, string>;
  principalResources: DataLoader<PrincipalKey & { page: GroupPage }, Page<Cursored<ResourceSeed>>, string>;
  /** Equal pages asked with different parts run once, with the union of their parts. */
  principalPage: DataLoader<PrincipalPageKey, Page<Cursored<PrincipalSummary>>, string>;
}

/** authz: `sessionCtx` scopes the session statements (ReadEvents and ReadSessions); the rest use `ctx`. */
export function principalLoaders(store: HistoryStore, ctx: QueryContext, sessionCtx: QueryContext = ctx): PrincipalLoaders {
  return {
    principalSummary: groupedLoader<PrincipalSummaryKey, PrincipalSummary>({
      group: (k) => partsGroup(k, 'arn'),
      cacheKey: keyText,
      run: async (keys) => {
        const found = await principalSummaries(store, [...new Set(keys.map((k) => k.arn))], keys[0].window, ctx, principalParts(...keys.map((k) => k.parts)));
        return keys.map((k) => found.get(k.arn) ?? new NotFoundError(k.arn));
      },
    }),
    principalTopEventNames: groupedLoader<PrincipalKey & { limit: number }, Array<{ name: string; count: number }>>({
      // Different limits share the statement: it ranks up to the largest, each key keeps its own.
      group: (k) => keyText(k.window),
      cacheKey: keyText,
      run: async (keys) => {
        const limit = Math.max(...keys.map((k) => k.limit));
        const found = await topEventNames(store, [...new Set(keys.map((k) => k.arn))], limit, keys[0].window, ctx);
        return keys.map((k) => (found.get(k.arn) ?? []).slice(0, k.limit));
      },
    }),
    principalSessions: groupedLoader<PrincipalSessionsKey, Page<Cursored<SessionSummary>>>({
      group: (k) => partsGroup(k, 'arn'),
      cacheKey: keyText,
      run: async (keys) => {
        const arns = [...new Set(keys.map((k) => k.arn))];
        const pages = await sessionsOfPrincipals(store, arns, keys[0].criteria, keys[0].window, keys[0].page, sessionCtx, sessionParts(...keys.map((k) => k.parts)));
        const byArn = new Map(arns.map((arn, i) => [arn, pages[i]]));
        return keys.map((k) => byArn.get(k.arn) ?? new Error(`no sessions page for ${k.arn}`));
      },
    }),
    principalEvents: groupedLoader<ParentEventsKey, Page<GraphEvent>>({
      group: (k) => without(k, 'parent'),
      cacheKey: keyText,
      run: (keys) => parentEvents(store, { ...keys[0], kind: 'principal', parents: keys.map((k) => k.parent), scope: ctx.scope }, ctx),
    }),
    principalResources: groupedLoader<PrincipalKey & { page: GroupPage }, Page<Cursored<ResourceSeed>>>({
      group: (k) => without(k, 'arn'),
      cacheKey: keyText,
      run: (keys) => resourcesOfPrincipals(store, keys.map((k) => k.arn), keys[0].window, keys[0].page, ctx),
    }),
    principalPage: groupedLoader<PrincipalPageKey, Page<Cursored<PrincipalSummary>>>({
      group: (k) => partsGroup(k),
      cacheKey: keyText,
      run: async (keys) => {
        const page = await principalPage(store, keys[0].criteria, keys[0].window, keys[0].page, ctx, principalParts(...keys.map((k) => k.parts)));
        return keys.map(() => page);
      },
    }),
  };
}
