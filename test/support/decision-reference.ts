import { CloudTrailRecord } from '../../src/cloudtrail/record';
import { eventOrder, timeOf } from './graph-reference';

/**
 * The Verified Permissions decisions recorded in raw records, read here in
 * plain TypeScript from AWS's documented IsAuthorized / BatchIsAuthorized
 * event shapes, without src/cloudtrail/decisions.ts.
 */
export interface ExpectedDecision {
  decision: string;
  principal: string | null;
  action: string | null;
  resource: string | null;
  policyStoreId: string | null;
  decidedAt: string;
}

type J = Record<string, unknown>;
const o = (v: unknown): J | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as J) : undefined);
const ref = (v: unknown, t: string, i: string) => (typeof o(v)?.[t] === 'string' && typeof o(v)?.[i] === 'string' ? `${o(v)![t]}::${JSON.stringify(o(v)![i])}` : null);
const NAMES = ['IsAuthorized', 'IsAuthorizedWithToken', 'BatchIsAuthorized', 'BatchIsAuthorizedWithToken'];

/** The decisions of each record, in the API's order (events by time and eventID, then each event's own order). */
export function decisionsOf(list: readonly CloudTrailRecord[], order: 'ASC' | 'DESC'): ExpectedDecision[] {
  return eventOrder(list.filter((r) => r.eventSource === 'verifiedpermissions.amazonaws.com' && NAMES.includes(String(r.eventName))), order).flatMap((r) => {
    const params = o(r.requestParameters);
    const extra = o(r.additionalEventData);
    const store = typeof params?.policyStoreId === 'string' ? params.policyStoreId : null;
    const one = (decision: unknown, req: J | undefined, fallback: J | undefined): ExpectedDecision[] => (decision === 'ALLOW' || decision === 'DENY' ? [{
      decision, policyStoreId: store, decidedAt: timeOf(r),
      principal: ref(req?.principal, 'entityType', 'entityId') ?? ref(fallback?.principal, 'entityType', 'entityId'),
      action: ref(req?.action, 'actionType', 'actionId') ?? ref(fallback?.action, 'actionType', 'actionId'),
      resource: ref(req?.resource, 'entityType', 'entityId') ?? ref(fallback?.resource, 'entityType', 'entityId'),
    }] : []);
    if (Array.isArray(extra?.results)) {
      const requests = Array.isArray(params?.requests) ? params.requests : [];
      return extra.results.flatMap((res: unknown, i: number) => one(o(res)?.decision, o(o(res)?.request) ?? o(requests[i]), o(requests[i])));
    }
    return one(extra?.decision, params, params);
  });
}
