import DataLoader from 'dataloader';
import { Row } from '../history/engine';
import { DecisionEventsQuery } from '../history/graph/decisions';
import { EventGraph } from '../history/graph/graph-events';
import { decisionEvents, eventGraphs } from '../history/graph/graph-store';
import { EventKey } from '../history/ids';
import { HistoryStore, QueryContext } from '../history/store';
import { keyText } from './graph-batch';
import { NotFoundError } from './not-found';
import { PrincipalLoaders, principalLoaders } from './principal.loaders';
import { ResourceLoaders, resourceLoaders } from './resource.loaders';
import { SessionLoaders, sessionLoaders } from './session.loaders';

/** The investigation graph's loaders: principals, sessions, resources, and what events link them to. */
export interface GraphLoaders extends PrincipalLoaders, SessionLoaders, ResourceLoaders {
  /** The derived principal, session and resources of events by key: one statement per tick. */
  eventGraph: DataLoader<EventKey, EventGraph, string>;
  /** Verified Permissions decision events (one statement per distinct query). */
  decisionEvents: DataLoader<DecisionEventsQuery, Row[], string>;
}

/** authz: `sessionCtx` carries the scope of session statements (accounts with ReadEvents and ReadSessions). */
export function graphLoaders(store: HistoryStore, ctx: QueryContext, sessionCtx: QueryContext = ctx): GraphLoaders {
  return {
    ...principalLoaders(store, ctx, sessionCtx),
    ...sessionLoaders(store, sessionCtx),
    ...resourceLoaders(store, ctx),
    eventGraph: new DataLoader<EventKey, EventGraph, string>(
      async (keys) => (await eventGraphs(store, keys, ctx)).map((g, i) => g ?? new NotFoundError(keys[i].eventId)),
      { cacheKeyFn: (k) => `${k.day}|${k.account}|${k.region}|${k.eventId}` },
    ),
    decisionEvents: new DataLoader<DecisionEventsQuery, Row[], string>(
      (queries) => Promise.all(queries.map((q) => decisionEvents(store, q, ctx).catch((e: Error) => e))),
      { cacheKeyFn: keyText },
    ),
  };
}
