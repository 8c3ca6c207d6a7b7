import { Action } from './actions';
import { RequestAuthorizer } from './request-authorizer';

/** A history scope as authorization sees it: null is every account. */
export interface AccountScope {
  readonly accounts: readonly string[] | null;
}

/** Does an events question filter or group on network details (source IP, user agent)? */
export function touchesNetworkDetails(criteria: { sourceIpAddresses?: readonly string[]; userAgentContains?: string }, groupBy: readonly string[] = []): boolean {
  return !!criteria.sourceIpAddresses?.length || !!criteria.userAgentContains || groupBy.includes('SOURCE_IP_ADDRESS') || groupBy.includes('USER_AGENT');
}

/**
 * The scope of a question that filters or groups on network details: only
 * the accounts whose network details the caller may also read (the same
 * bound the statements' networkGuard gives), for callers that need the
 * narrowed account list itself (a subscription refused where it is empty,
 * the detections of rules on network fields).
 */
export async function networkScope<S extends AccountScope>(authz: RequestAuthorizer, base: S, touchesNetwork: boolean): Promise<S> {
  return touchesNetwork ? narrowScope(authz, base, Action.ReadNetworkDetails) : base;
}

/** `base` narrowed to the accounts where the caller may also do `action` (answers derived from payloads, say). */
export async function narrowScope<S extends AccountScope>(authz: RequestAuthorizer, base: S, action: Action): Promise<S> {
  return intersectScopes(base, { accounts: await authz.accountsFor(action) });
}

/** Accounts in both scopes (null = every account). */
export function intersectScopes<S extends AccountScope>(a: S, b: AccountScope): S {
  return { ...a, accounts: intersectAccounts(a.accounts, b.accounts) };
}

/** Accounts in both lists (null = every account). */
export function intersectAccounts(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const other = new Set(b);
  return a.filter((x) => other.has(x));
}

/**
 * The request's scope: the one place that decides what a caller's
 * statements may read, filter, group and derive by. `accounts`: where it may
 * read events; `networkAccounts` / `payloadAccounts`: of those, where it may
 * also read network details / payloads (src/history/event-filter.ts guards
 * every statement with them); the session scope: where it may also read
 * sessions.
 */
export async function requestScopes(authz: RequestAuthorizer): Promise<{ scope: RequestScope; sessionScope: RequestScope }> {
  const [events, sessions, network, payloads] = await Promise.all(
    [Action.ReadEvents, Action.ReadSessions, Action.ReadNetworkDetails, Action.ReadPayloads].map((a) => authz.accountsFor(a)),
  );
  // null where the permission covers every account the caller reads: the accounts predicate says it all (no guard).
  const within = (allowed: readonly string[] | null) => {
    const both = intersectAccounts(events, allowed);
    return both === null || (events !== null && both.length === events.length) ? null : both;
  };
  const scope: RequestScope = { accounts: events, networkAccounts: within(network), payloadAccounts: within(payloads) };
  return { scope, sessionScope: intersectScopes(scope, { accounts: sessions }) };
}

export interface RequestScope extends AccountScope {
  /** Of `accounts`, those with ReadNetworkDetails; null when that is all of them. */
  readonly networkAccounts: readonly string[] | null;
  /** Of `accounts`, those with ReadPayloads; null when that is all of them. */
  readonly payloadAccounts: readonly string[] | null;
}
