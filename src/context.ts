import { Action, Authz, Caller } from './authz';
import { ANONYMOUS } from './authz/caller';
import { requestScopes } from './authz/query-scope';
import { RequestAuthorizer, UnrestrictedRequestAuthorizer } from './authz/request-authorizer';
import { Clock, systemClock } from './clock';
import { Config } from './config';
import { CostMeter, StatementBudget } from './history/cost';
import { Scope, UNRESTRICTED } from './history/event-filter';
import { HistoryStore, QueryContext } from './history/store';
import { Loaders, createLoaders } from './loaders';
import type { AccessLogOptions } from './operations/access-log';
import { RuleCatalog, builtInCatalog } from './detections/catalog';

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
  /** Where this server's access audit is (accessLog); null when it goes to standard output. */
  accessLog: AccessLogOptions | null;
  /** On Athena: where log file verdicts are kept (docs/integrity.md); the embedded store keeps its own. */
  evidence?: HistoryStore;
  /** The detection rules the server loaded (built-in pack and --rules folders). */
  detections: RuleCatalog;
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
  accessLog?: AccessLogOptions | null;
  /** On Athena: the embedded store `trailgraph verify` recorded log file verdicts into (docs/integrity.md). */
  evidence?: HistoryStore;
  /** Default: the built-in pack alone. */
  detections?: RuleCatalog;
  /** Where the request's "now" is read; the real clock by default. */
  clock?: Clock;
}

export function createContext({ config, store, signal, scope, sessionScope, cost, authz, accessLog, evidence, detections, clock = systemClock }: ContextInput): Context {
  // Every statement of the request is bounded by the engine's own partition day (boundPredicate).
  const days = store.engine.partitionDays;
  const query: QueryContext = { scope: { ...(scope ?? UNRESTRICTED), days }, cost: cost ?? new CostMeter(), signal };
  const sessionQuery: QueryContext = sessionScope ? { ...query, scope: { ...sessionScope, days } } : query;
  return {
    config,
    store,
    query,
    loaders: createLoaders(store, query, sessionQuery, evidence),
    now: clock(),
    authz: authz ?? new UnrestrictedRequestAuthorizer(ANONYMOUS),
    accessLog: accessLog ?? null,
    evidence,
    detections: detections ?? builtInCatalog(),
  };
}

/**
 * The context of one request of `caller`: the accounts it may read (events;
 * events and sessions for session statements) decided by authorization and
 * put into every statement's WHERE. HTTP requests and subscription
 * deliveries are built alike.
 */
export async function contextForCaller(input: {
  config: Config;
  store: HistoryStore;
  authz: Authz;
  caller: Caller;
  signal?: AbortSignal;
  /** The caller's hourly budget (src/operations/budgets.ts), if it has one. */
  budget?: StatementBudget | null;
  accessLog?: AccessLogOptions | null;
  evidence?: HistoryStore;
  detections?: RuleCatalog;
  clock?: Clock;
}): Promise<Context> {
  const cost = new CostMeter();
  cost.budget = input.budget ?? null;
  const requestAuthz = input.authz.forRequest(input.caller, cost);
  // The request's scope: where it may read events, and of those where it may read network details and payloads (authz/query-scope.ts).
  const { scope, sessionScope } = await requestScopes(requestAuthz);
  return createContext({ config: input.config, store: input.store, signal: input.signal, scope, sessionScope, cost, authz: requestAuthz, accessLog: input.accessLog, evidence: input.evidence, detections: input.detections, clock: input.clock });
}
