/**
 * Verified Permissions decisions recorded in CloudTrail: IsAuthorized,
 * IsAuthorizedWithToken and BatchIsAuthorized(WithToken) data events carry
 * them in additionalEventData (results[].decision for batches, decision for
 * single calls) with the request's entities.
 */
export interface RecordedDecision {
  decision: 'ALLOW' | 'DENY';
  principal: string | null;
  action: string | null;
  resource: string | null;
  policyStoreId: string | null;
  decidedAt: string;
}

const DECISION_EVENTS = new Set(['IsAuthorized', 'IsAuthorizedWithToken', 'BatchIsAuthorized', 'BatchIsAuthorizedWithToken']);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

/** Cedar's entity reference form: Namespace::Type::"id". */
function entityRef(v: unknown, typeKey: string, idKey: string): string | null {
  const o = obj(v);
  if (!o || typeof o[typeKey] !== 'string' || typeof o[idKey] !== 'string') return null;
  return `${o[typeKey]}::${JSON.stringify(o[idKey])}`;
}

const principalOf = (r: Json | undefined) => entityRef(r?.principal, 'entityType', 'entityId');
const actionOf = (r: Json | undefined) => entityRef(r?.action, 'actionType', 'actionId');
const resourceOf = (r: Json | undefined) => entityRef(r?.resource, 'entityType', 'entityId');

function decisionOf(v: unknown): 'ALLOW' | 'DENY' | null {
  return v === 'ALLOW' || v === 'DENY' ? v : null;
}

export function isDecisionEvent(eventSource: unknown, eventName: unknown): boolean {
  return eventSource === 'verifiedpermissions.amazonaws.com' && typeof eventName === 'string' && DECISION_EVENTS.has(eventName);
}

export function recordedDecisions(
  eventSource: unknown,
  eventName: unknown,
  eventTime: string,
  requestParameters: unknown,
  additionalEventData: unknown,
): RecordedDecision[] {
  if (!isDecisionEvent(eventSource, eventName)) return [];
  const params = obj(requestParameters);
  const extra = obj(additionalEventData);
  const policyStoreId = typeof params?.policyStoreId === 'string' ? params.policyStoreId : null;
  const out: RecordedDecision[] = [];
  if (Array.isArray(extra?.results)) {
    const requests = Array.isArray(params?.requests) ? params.requests : [];
    extra.results.forEach((res: unknown, i: number) => {
      const r = obj(res);
      const decision = decisionOf(r?.decision);
      if (!decision) return;
      // The result echoes its request; fall back to the request at the same position.
      const req = obj(r?.request) ?? obj(requests[i]);
      const fallback = obj(requests[i]);
      out.push({
        decision,
        principal: principalOf(req) ?? principalOf(fallback),
        action: actionOf(req) ?? actionOf(fallback),
        resource: resourceOf(req) ?? resourceOf(fallback),
        policyStoreId,
        decidedAt: eventTime,
      });
    });
  } else {
    const decision = decisionOf(extra?.decision);
    if (decision) {
      out.push({ decision, principal: principalOf(params), action: actionOf(params), resource: resourceOf(params), policyStoreId, decidedAt: eventTime });
    }
  }
  return out;
}
