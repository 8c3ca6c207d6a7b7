import { Config } from './config';
import { CostMeter } from './history/cost';
import { UNRESTRICTED } from './history/event-filter';
import { HistoryStore, QueryContext } from './history/store';
import { Loaders, createLoaders } from './loaders';

/** What every resolver of one GraphQL request sees. */
export interface Context {
  config: Config;
  store: HistoryStore;
  /** Scope, cost meter and abort signal of this request's history statements. */
  query: QueryContext;
  loaders: Loaders;
  /** One "now" per request, so every default window of the request agrees. */
  now: Date;
}

export interface ContextInput {
  config: Config;
  store: HistoryStore;
  signal?: AbortSignal;
}

export function createContext({ config, store, signal }: ContextInput): Context {
  const query: QueryContext = { scope: UNRESTRICTED, cost: new CostMeter(), signal };
  return { config, store, query, loaders: createLoaders(store, query), now: new Date() };
}
