import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import './wasm-guard';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { AuthLogger } from './log';
import { Caller } from './caller';
import { CedarEntity, Decision, DecisionRequest, PolicyEngine, accountEntity, actionUid, callerEntity } from './policy-engine';

/** A policy set and its schema, as text, with the version that names them. */
export interface PolicySetText {
  policies: string;
  schema: string | null;
  version: string;
}

export class PolicySetError extends Error {
  constructor(readonly file: 'policy' | 'schema', message: string) {
    super(message);
  }
}

function messages(errors: readonly { message: string }[]): string {
  return errors.map((e) => e.message).join('; ');
}

/** The version of a policy set: a digest of the policy text and the schema text. */
export function policySetVersion(policies: string, schema: string | null): string {
  return `cedar-${createHash('sha256').update(policies).update('\u0000').update(schema ?? '').digest('hex').slice(0, 20)}`;
}

/** Parses the policy set (and schema) and validates the policies against the schema. */
export function checkPolicySet(policies: string, schema: string | null): PolicySetText {
  const parsed = cedar.checkParsePolicySet({ staticPolicies: policies });
  if (parsed.type === 'failure') throw new PolicySetError('policy', `policies do not parse: ${messages(parsed.errors)}`);
  if (schema !== null) {
    const s = cedar.checkParseSchema(schema);
    if (s.type === 'failure') throw new PolicySetError('schema', `schema does not parse: ${messages(s.errors)}`);
    const v = cedar.validate({ schema, policies: { staticPolicies: policies } });
    if (v.type === 'failure') throw new PolicySetError('policy', `policies do not validate: ${messages(v.errors)}`);
    if (v.validationErrors.length) {
      throw new PolicySetError('policy', `policies do not validate against the schema: ${v.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ')}`);
    }
  }
  return { policies, schema, version: policySetVersion(policies, schema) };
}

export function readPolicySet(policyFile: string, schemaFile: string | null): PolicySetText {
  return checkPolicySet(readFileSync(policyFile, 'utf8'), schemaFile ? readFileSync(schemaFile, 'utf8') : null);
}

/**
 * Decides locally with the Cedar engine compiled to WebAssembly. The policy
 * set and schema are parsed once (preparsed under their version id); each
 * decision then costs one evaluation with two entities.
 */
export class CedarWasmEngine implements PolicyEngine {
  readonly kind = 'cedar';
  private readonly id: string;

  constructor(
    private readonly set: PolicySetText,
    private readonly log: AuthLogger,
  ) {
    this.id = set.version;
    const p = cedar.preparsePolicySet(this.id, { staticPolicies: set.policies });
    if (p.type === 'failure') throw new PolicySetError('policy', `policies do not parse: ${messages(p.errors)}`);
    if (set.schema !== null) {
      const s = cedar.preparseSchema(this.id, set.schema);
      if (s.type === 'failure') throw new PolicySetError('schema', `schema does not parse: ${messages(s.errors)}`);
    }
  }

  async version(): Promise<string> {
    return this.set.version;
  }

  async decide(requests: readonly DecisionRequest[]): Promise<Decision[]> {
    // The principal entity is built once per caller of the batch.
    const principals = new Map<Caller, CedarEntity>();
    const out: Decision[] = new Array<Decision>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i];
      let principal = principals.get(r.caller);
      if (!principal) {
        principal = callerEntity(r.caller);
        principals.set(r.caller, principal);
      }
      out[i] = this.evaluate(principal, r);
    }
    return out;
  }

  private evaluate(principal: CedarEntity, r: DecisionRequest): Decision {
    const resource = accountEntity(r.account);
    const call: cedar.StatefulAuthorizationCall = {
      principal: principal.uid,
      action: actionUid(r.action),
      resource: resource.uid,
      context: {},
      preparsedPolicySetId: this.id,
      validateRequest: this.set.schema !== null,
      entities: [principal, resource],
    };
    if (this.set.schema !== null) call.preparsedSchemaName = this.id;
    const answer = cedar.statefulIsAuthorized(call);
    if (answer.type === 'failure') {
      // A request the schema rejects (say, an attribute it does not declare) is denied, never guessed.
      this.log.warn({ caller: r.caller.id, action: r.action, account: r.account, errors: messages(answer.errors) }, 'Cedar could not evaluate a request; denied');
      return 'deny';
    }
    if (answer.response.diagnostics.errors.length) this.logPolicyErrors(r, answer.response.diagnostics.errors);
    return answer.response.decision === 'allow' ? 'allow' : 'deny';
  }

  private logPolicyErrors(r: DecisionRequest, errors: readonly cedar.AuthorizationError[]): void {
    this.log.warn({ caller: r.caller.id, action: r.action, errors: errors.map((e) => `${e.policyId}: ${e.error.message}`) }, 'Cedar policy errors');
  }
}
