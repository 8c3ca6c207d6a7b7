import DataLoader from 'dataloader';
import { GraphEvent } from '../history/graph/graph-events';
import { Cursored, ResourceSeed, parentEvents, resourcesOfSessions, sessionLookups, sessionPage, sessionSummaries } from '../history/graph/graph-store';
import { GroupPage } from '../history/graph/keyset';
import { SessionRef, refText } from '../history/graph/session-ref';
import { SessionCriteria } from '../history/graph/sessions';
import { SessionSummary } from '../history/graph/summaries';
import { SessionParts, sessionParts } from '../history/graph/summary-parts';
import { Page } from '../history/page';
import { HistoryStore, QueryContext } from '../history/store';
import { TimeWindow } from '../history/window';
import { groupedLoader, keyText, windowText, without } from './graph-batch';
import { NotFoundError } from './not-found';
import { ParentEventsKey, partsGroup } from './principal.loaders';

export interface SessionKey {
  ref: SessionRef;
  window: TimeWindow;
  /**
   * true: the window is the session's own (a look-up by id, or the session of
   * an event); such keys of any windows share one statement.
   */
  own: boolean;
  /** The parts the request's selection needs (summary-parts.ts). */
  parts: SessionParts;
}

export interface SessionPageKey {
  criteria: SessionCriteria;
  window: TimeWindow;
  page: GroupPage;
  parts: SessionParts;
}

export interface SessionLoaders {
  /** NotFoundError where the session has no event in the window. Keys that differ only in their parts share a statement (the union of their parts). */
  sessionSummary: DataLoader<SessionKey, SessionSummary, string>;
  sessionEvents: DataLoader<ParentEventsKey, Page<GraphEvent>, string>;
  sessionResources: DataLoader<{ ref: SessionRef; window: TimeWindow; page: GroupPage }, Page<Cursored<ResourceSeed>>, string>;
  /** Equal pages asked with different parts run once, with the union of their parts. */
  sessionPage: DataLoader<SessionPageKey, Page<Cursored<SessionSummary>>, string>;
}

export function sessionLoaders(store: HistoryStore, ctx: QueryContext): SessionLoaders {
  return {
    sessionSummary: groupedLoader<SessionKey, SessionSummary>({
      group: (k) => (k.own ? 'own' : partsGroup(k, 'ref')),
      cacheKey: keyText,
      run: async (keys) => {
        const parts = sessionParts(...keys.map((k) => k.parts));
        if (keys[0].own) {
          // The same session in the same window asked with different parts is looked up once.
          const lookupKey = (k: SessionKey) => `${refText(k.ref)} ${windowText(k.window)}`;
          const lookups = [...new Map(keys.map((k) => [lookupKey(k), k])).values()];
          const found = await sessionLookups(store, lookups, ctx, parts);
          const byKey = new Map(lookups.map((k, i) => [lookupKey(k), found[i]]));
          return keys.map((k) => byKey.get(lookupKey(k)) ?? new NotFoundError(refText(k.ref)));
        }
        const refs = [...new Map(keys.map((k) => [refText(k.ref), k.ref])).values()];
        const found = await sessionSummaries(store, refs, keys[0].window, ctx, parts);
        return keys.map((k) => found.get(refText(k.ref)) ?? new NotFoundError(refText(k.ref)));
      },
    }),
    sessionEvents: groupedLoader<ParentEventsKey, Page<GraphEvent>>({
      group: (k) => without(k, 'parent'),
      cacheKey: keyText,
      run: (keys) => parentEvents(store, { ...keys[0], kind: 'session', parents: keys.map((k) => k.parent), scope: ctx.scope }, ctx),
    }),
    sessionResources: groupedLoader<{ ref: SessionRef; window: TimeWindow; page: GroupPage }, Page<Cursored<ResourceSeed>>>({
      group: (k) => without(k, 'ref'),
      cacheKey: keyText,
      run: (keys) => resourcesOfSessions(store, keys.map((k) => k.ref), keys[0].window, keys[0].page, ctx),
    }),
    sessionPage: groupedLoader<SessionPageKey, Page<Cursored<SessionSummary>>>({
      group: (k) => partsGroup(k),
      cacheKey: keyText,
      run: async (keys) => {
        const page = await sessionPage(store, keys[0].criteria, keys[0].window, keys[0].page, ctx, sessionParts(...keys.map((k) => k.parts)));
        return keys.map(() => page);
      },
    }),
  };
}
