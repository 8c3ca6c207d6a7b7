import { Action, CEDAR_TYPES } from './actions';
import { AttributeValue, Caller } from './caller';

/** One question: may this caller do this action on this AWS account? */
export interface DecisionRequest {
  readonly caller: Caller;
  readonly action: Action;
  readonly account: string;
}

export type Decision = 'allow' | 'deny';

/**
 * Decides with a policy set. `version` names the policy set (and schema) in
 * force: a cached decision is only served for the version that made it.
 * decide() answers every request in order; it throws when the engine cannot
 * be reached (the caller then denies: fail closed).
 */
export interface PolicyEngine {
  readonly kind: 'cedar' | 'avp';
  version(): Promise<string>;
  decide(requests: readonly DecisionRequest[]): Promise<Decision[]>;
}

/** A Cedar entity in Cedar's JSON entity format. */
export interface CedarEntity {
  uid: { type: string; id: string };
  attrs: Record<string, string | number | boolean | string[]>;
  parents: { type: string; id: string }[];
}

function cedarAttribute(v: AttributeValue): string | number | boolean | string[] {
  return Array.isArray(v) ? [...v] : (v as string | number | boolean);
}

/** The principal: a Caller with its groups as parents and its attributes. */
export function callerEntity(c: Caller): CedarEntity {
  const attrs: CedarEntity['attrs'] = { name: c.name, kind: c.kind };
  for (const [k, v] of Object.entries(c.attributes)) attrs[k] = cedarAttribute(v);
  return {
    uid: { type: CEDAR_TYPES.caller, id: c.id },
    attrs,
    parents: c.groups.map((g) => ({ type: CEDAR_TYPES.group, id: g })),
  };
}

/** The resource: an AWS account. */
export function accountEntity(account: string): CedarEntity {
  return { uid: { type: CEDAR_TYPES.account, id: account }, attrs: { accountId: account }, parents: [] };
}

export function actionUid(action: Action): { type: string; id: string } {
  return { type: CEDAR_TYPES.action, id: action };
}
