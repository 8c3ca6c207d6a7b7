import { HistoryStore, QueryContext } from '../history/store';
import { EventLoaders, eventLoaders } from './event.loaders';

/** Every DataLoader of one request. Created per request: nothing is shared between callers. */
export type Loaders = EventLoaders;

export function createLoaders(store: HistoryStore, ctx: QueryContext): Loaders {
  return { ...eventLoaders(store, ctx) };
}
