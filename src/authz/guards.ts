import { ErrorCode, TrailgraphError } from '../errors';
import { Action } from './actions';
import { RequestAuthorizer } from './request-authorizer';

/** The error of a field the caller may not read: the field is null, the rest of the response stands. */
export function forbidden(action: Action): TrailgraphError {
  return new TrailgraphError(ErrorCode.FORBIDDEN, `not allowed to read this field (${action})`, { action });
}

/** Throws FORBIDDEN unless the caller may do `action` on `account`. */
export async function requireAllowed(authz: RequestAuthorizer, action: Action, account: string): Promise<void> {
  if (!(await authz.may(action, account))) throw forbidden(action);
}

/** Keys of a CloudTrail record each read action guards. */
const RECORD_KEYS: Record<Action.ReadPayloads | Action.ReadNetworkDetails, readonly string[]> = {
  [Action.ReadPayloads]: ['requestParameters', 'responseElements', 'additionalEventData'],
  [Action.ReadNetworkDetails]: ['sourceIPAddress', 'userAgent', 'tlsDetails'],
};

/**
 * The record as delivered, less what the caller may not read. `raw` is
 * non-null in the API contract, so it cannot be nulled like the other
 * guarded fields without nulling the whole event: it is redacted instead.
 */
export async function readableRecord(authz: RequestAuthorizer, account: string, record: unknown): Promise<unknown> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const [payloads, network] = await Promise.all([authz.may(Action.ReadPayloads, account), authz.may(Action.ReadNetworkDetails, account)]);
  if (payloads && network) return record;
  const hidden = new Set([...(payloads ? [] : RECORD_KEYS[Action.ReadPayloads]), ...(network ? [] : RECORD_KEYS[Action.ReadNetworkDetails])]);
  return Object.fromEntries(Object.entries(record as Record<string, unknown>).filter(([k]) => !hidden.has(k)));
}

/**
 * Whether the caller may read network details in every account it may read
 * events in. Summaries (a session's or a principal's source IPs and user
 * agents) aggregate over events of possibly several accounts; their lists are
 * non-null in the contract, so a caller short of this gets them empty.
 */
export async function mayReadNetworkEverywhere(authz: RequestAuthorizer): Promise<boolean> {
  const [network, events] = await Promise.all([authz.accountsFor(Action.ReadNetworkDetails), authz.accountsFor(Action.ReadEvents)]);
  if (network === null) return true;
  if (events === null) return false;
  const allowed = new Set(network);
  return events.every((a) => allowed.has(a));
}
