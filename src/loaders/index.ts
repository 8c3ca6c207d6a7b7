import { HistoryStore, QueryContext } from '../history/store';
import { EventLoaders, eventLoaders } from './event.loaders';
import { GraphLoaders, graphLoaders } from './graph.loaders';
import { IntegrityLoaders, integrityLoaders } from './integrity.loaders';
import { DetectionLoaders, detectionLoaders } from './detection.loaders';

/** Every DataLoader of one request. Created per request: nothing is shared between callers. */
export type Loaders = EventLoaders & GraphLoaders & IntegrityLoaders & DetectionLoaders;

/** authz: `sessionCtx` (same meter and signal, the sessions' scope) for session statements; default `ctx`. */
export function createLoaders(store: HistoryStore, ctx: QueryContext, sessionCtx: QueryContext = ctx, evidence?: HistoryStore): Loaders {
  return { ...eventLoaders(store, ctx), ...graphLoaders(store, ctx, sessionCtx), ...integrityLoaders(store, ctx, sessionCtx, evidence), ...detectionLoaders(store, ctx) };
}
