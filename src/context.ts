import { ANONYMOUS } from './authz/caller';
import { RequestAuthorizer, UnrestrictedRequestAuthorizer } from './authz/request-authorizer';
import { Clock, systemClock } from './clock';
import { Config } from './config';
import { CostMeter } from './history/cost';
import { Scope, UNRESTRICTED } from './history/event-filter';
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
  /** authz: who is calling and what they may read (may(action, account) for guarded fields). */
  authz: RequestAuthorizer;
}

export interface ContextInput {
  config: Config;
  store: HistoryStore;
  signal?: AbortSignal;
  /** authz: the caller's account scope (in every statement's WHERE), the meter its decisions were counted on, and its authorizer. */
  scope?: Scope;
  /** authz: the scope of session statements (accounts with ReadEvents and ReadSessions); default `scope`. */
  sessionScope?: Scope;
  cost?: CostMeter;
  authz?: RequestAuthorizer;
  /** Where the request's "now" is read; the real clock by default. */
  clock?: Clock;
}

export function createContext({ config, store, signal, scope, sessionScope, cost, authz, clock = systemClock }: ContextInput): Context {
  // Every statement of the request is bounded by the engine's own partition day (boundPredicate).
  const days = store.engine.partitionDays;
  const query: QueryContext = { scope: { ...(scope ?? UNRESTRICTED), days }, cost: cost ?? new CostMeter(), signal };
  const sessionQuery: QueryContext = sessionScope ? { ...query, scope: { ...sessionScope, days } } : query;
  return { config, store, query, loaders: createLoaders(store, query, sessionQuery), now: clock(), authz: authz ?? new UnrestrictedRequestAuthorizer(ANONYMOUS) };
}
