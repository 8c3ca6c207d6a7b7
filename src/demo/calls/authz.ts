import { CAST } from '../cast';
import { Call, Place } from '../records';

/**
 * Verified Permissions authorization calls (data events). Principal, action
 * and resource are Cedar entity references; the decisions are in
 * additionalEventData.results[], one per request, in request order.
 */
const APP_USERS = ['alice', 'bob', 'chen', 'dara', 'eve', 'farid', 'gwen'];
const ACTIONS = ['ViewOrder', 'UpdateOrder', 'CancelOrder', 'ViewInvoice', 'ExportReport'];

interface EntityRef {
  entityType: string;
  entityId: string;
}

interface AuthzRequest {
  principal: EntityRef;
  action: { actionType: string; actionId: string };
  resource: EntityRef;
}

function request(place: Place): AuthzRequest {
  const { rng } = place;
  const action = rng.pick(ACTIONS);
  const resourceType = action.endsWith('Invoice') ? 'OrdersApp::Invoice' : action === 'ExportReport' ? 'OrdersApp::Report' : 'OrdersApp::Order';
  return {
    principal: { entityType: 'OrdersApp::User', entityId: rng.pick(APP_USERS) },
    action: { actionType: 'OrdersApp::Action', actionId: action },
    resource: { entityType: resourceType, entityId: `${resourceType.split('::')[1].toLowerCase()}-${rng.int(1000, 99999)}` },
  };
}

/** eve is a contractor: most of her requests are denied; cancellations usually are too. */
function decide(place: Place, r: AuthzRequest): 'ALLOW' | 'DENY' {
  const denyRate = r.principal.entityId === 'eve' ? 0.8 : r.action.actionId === 'CancelOrder' ? 0.5 : 0.08;
  return place.rng.chance(denyRate) ? 'DENY' : 'ALLOW';
}

function policyStore(place: Place): Array<{ accountId: string; type: string; ARN: string }> {
  return [{ accountId: place.account.id, type: 'AWS::VerifiedPermissions::PolicyStore', ARN: `arn:aws:verifiedpermissions::${place.account.id}:policy-store/${CAST.policyStoreId}` }];
}

export function isAuthorized(place: Place): Call {
  const r = request(place);
  return {
    source: 'verifiedpermissions.amazonaws.com', name: 'IsAuthorized', readOnly: true, data: true,
    params: { policyStoreId: CAST.policyStoreId, ...r },
    additional: { results: [{ decision: decide(place, r) }] },
    resources: policyStore(place),
  };
}

export function batchIsAuthorized(place: Place): Call {
  const requests = Array.from({ length: place.rng.int(2, 6) }, () => request(place));
  return {
    source: 'verifiedpermissions.amazonaws.com', name: 'BatchIsAuthorized', readOnly: true, data: true,
    params: { policyStoreId: CAST.policyStoreId, requests },
    additional: { results: requests.map((r) => ({ decision: decide(place, r) })) },
    resources: policyStore(place),
  };
}
