import DataLoader from 'dataloader';
import { EventCriteria } from '../history/event-filter';
import { EventProjection } from '../history/event-projection';
import { GraphEvent } from '../history/graph/graph-events';
import { Cursored, ResourceSeed, parentEvents, principalPage, principalSummaries, resourcesOfPrincipals, sessionsOfPrincipals, topEventNames } from '../history/graph/graph-store';
import { GroupPage } from '../history/graph/keyset';
import { PrincipalCriteria } from '../history/graph/principals';
import { SessionCriteria } from '../history/graph/sessions';
import { PrincipalSummary, SessionSummary } from '../history/graph/summaries';
import { Page, SortOrder } from '../history/page';
import { HistoryStore, QueryContext } from '../history/store';
import { TimeWindow } from '../history/window';
import { groupedLoader, keyText, without } from './graph-batch';
import { NotFoundError } from './not-found';

export interface PrincipalKey {
  arn: string;
  window: TimeWindow;
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
  /** Summaries of all principals asked in a tick: one statement per window. NotFoundError where none. */
  principalSummary: DataLoader<PrincipalKey, PrincipalSummary, string>;
  principalTopEventNames: DataLoader<PrincipalKey & { limit: number }, Array<{ name: string; count: number }>, string>;
  principalSessions: DataLoader<PrincipalKey & { criteria: SessionCriteria; page: GroupPage }, Page<Cursored<SessionSummary>>, string>;
  principalEvents: DataLoader<ParentEventsKey, Page<GraphEvent>, string>;
  principalResources: DataLoader<PrincipalKey & { page: GroupPage }, Page<Cursored<ResourceSeed>>, string>;
  principalPage: DataLoader<{ criteria: PrincipalCriteria; window: TimeWindow; page: GroupPage }, Page<Cursored<PrincipalSummary>>, string>;
}

/** authz: `sessionCtx` scopes the session statements (ReadEvents and ReadSessions); the rest use `ctx`. */
export function principalLoaders(store: HistoryStore, ctx: QueryContext, sessionCtx: QueryContext = ctx): PrincipalLoaders {
  return {
    principalSummary: groupedLoader<PrincipalKey, PrincipalSummary>({
      group: (k) => without(k, 'arn'),
      cacheKey: keyText,
      run: async (keys) => {
        const found = await principalSummaries(store, [...new Set(keys.map((k) => k.arn))], keys[0].window, ctx);
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
    principalSessions: groupedLoader<PrincipalKey & { criteria: SessionCriteria; page: GroupPage }, Page<Cursored<SessionSummary>>>({
      group: (k) => without(k, 'arn'),
      cacheKey: keyText,
      run: (keys) => sessionsOfPrincipals(store, keys.map((k) => k.arn), keys[0].criteria, keys[0].window, keys[0].page, sessionCtx),
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
    principalPage: new DataLoader<{ criteria: PrincipalCriteria; window: TimeWindow; page: GroupPage }, Page<Cursored<PrincipalSummary>>, string>(
      (keys) => Promise.all(keys.map((k) => principalPage(store, k.criteria, k.window, k.page, ctx).catch((e: Error) => e))),
      { cacheKeyFn: keyText },
    ),
  };
}
