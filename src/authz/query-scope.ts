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
 * the accounts whose network details the caller may also read, so counts
 * and matches cannot reveal a source IP or user agent it may not see.
 */
export async function networkScope(authz: RequestAuthorizer, base: AccountScope, touchesNetwork: boolean): Promise<AccountScope> {
  return touchesNetwork ? narrowScope(authz, base, Action.ReadNetworkDetails) : base;
}

/** `base` narrowed to the accounts where the caller may also do `action` (answers derived from payloads, say). */
export async function narrowScope(authz: RequestAuthorizer, base: AccountScope, action: Action): Promise<AccountScope> {
  return intersectScopes(base, { accounts: await authz.accountsFor(action) });
}

/** Accounts in both scopes (null = every account). */
export function intersectScopes(a: AccountScope, b: AccountScope): AccountScope {
  if (a.accounts === null) return b;
  if (b.accounts === null) return a;
  const other = new Set(b.accounts);
  return { accounts: a.accounts.filter((x) => other.has(x)) };
}
