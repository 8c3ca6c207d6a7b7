import { Scope } from '../history/event-filter';
import { intersectAccounts } from '../authz/query-scope';
import { ReadableParts } from './columns';

/** Every account of `selected` is in `allowed` (null or undefined: every account is). */
function covers(allowed: readonly string[] | null | undefined, selected: readonly string[] | null): boolean {
  if (allowed === undefined || allowed === null) return true;
  if (selected === null) return false;
  const set = new Set(allowed);
  return selected.every((a) => set.has(a));
}

/**
 * authz: what the caller may read in every account an export can select:
 * the accounts of its scope (ReadEvents), narrowed by filter.accountIds; of
 * those, the scope says where it may read payloads and network details
 * (authz/query-scope.ts requestScopes, as for every API request).
 */
export function readableParts(scope: Scope, accountIds: readonly string[] | undefined): ReadableParts {
  const selected = accountIds?.length ? intersectAccounts(scope.accounts, accountIds) : scope.accounts;
  return { payloads: covers(scope.payloadAccounts, selected), network: covers(scope.networkAccounts, selected) };
}
