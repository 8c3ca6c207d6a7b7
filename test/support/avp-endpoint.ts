import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import '../../src/authz/wasm-guard';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

/**
 * A local Amazon Verified Permissions endpoint: it speaks the service's wire
 * protocol (AWS JSON 1.0, X-Amz-Target VerifiedPermissions.*) for the few
 * operations trailgraph calls, and answers BatchIsAuthorized with the real
 * Cedar engine. It enforces the service's batch rules (at most 30 requests,
 * one principal or one resource per batch, at most 100 of each entity kind).
 */
export interface AvpEndpoint {
  endpoint: string;
  policyStoreId: string;
  /** Operations received since the last reset. */
  counts(): Record<string, number>;
  /** Requests per BatchIsAuthorized call since the last reset. */
  batchSizes(): number[];
  reset(): void;
  /** Replace the policy set (as the console or CreatePolicy would); policies whose text changed get a new lastUpdatedDate. */
  setPolicies(text: string): void;
  /** Answer every call with a 500 (the service down) until called with false. */
  fail(on: boolean): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
type AvpValue = { string?: string; long?: number; boolean?: boolean; set?: AvpValue[]; record?: Record<string, AvpValue>; entityIdentifier?: { entityType: string; entityId: string } };
type CedarJson = string | number | boolean | CedarJson[] | { [k: string]: CedarJson };

function cedarValue(v: AvpValue): CedarJson {
  if (v.string !== undefined) return v.string;
  if (v.long !== undefined) return v.long;
  if (v.boolean !== undefined) return v.boolean;
  if (v.set) return v.set.map(cedarValue);
  if (v.entityIdentifier) return { __entity: { type: v.entityIdentifier.entityType, id: v.entityIdentifier.entityId } };
  if (v.record) return Object.fromEntries(Object.entries(v.record).map(([k, x]) => [k, cedarValue(x)]));
  throw new Error('unsupported attribute value');
}

class ValidationException extends Error {}

export async function startAvpEndpoint(initial: { policies: string; schema: string | null }): Promise<AvpEndpoint> {
  const policyStoreId = 'PSTESTLOCAL0000000001';
  const created = new Date('2024-01-01T00:00:00Z');
  let policies: { id: string; text: string; updated: Date }[] = [];
  const schema = initial.schema;
  let counts: Record<string, number> = {};
  let sizes: number[] = [];
  let failing = false;
  let edits = 0;
  let preparsedId = '';
  if (schema !== null && cedar.preparseSchema('avp-endpoint-schema', schema).type === 'failure') throw new Error('schema does not parse');

  const setPolicies = (text: string): void => {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure') throw new Error(parts.errors.map((e) => e.message).join('; '));
    const now = new Date(Math.max(Date.now(), ...policies.map((p) => p.updated.getTime() + 1000)));
    policies = parts.policies.map((t, i) => {
      const old = policies[i];
      return { id: `policy${i}`, text: t, updated: old && old.text === t ? old.updated : now };
    });
    // Parsed once per edit, as the service would: evaluations then reuse it.
    preparsedId = `avp-endpoint-${++edits}`;
    const pre = cedar.preparsePolicySet(preparsedId, { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) });
    if (pre.type === 'failure') throw new Error(pre.errors.map((e) => e.message).join('; '));
  };
  setPolicies(initial.policies);

  const operations: Record<string, (body: Json) => Json> = {
    ListPolicies: () => ({
      policies: policies.map((p) => ({
        policyStoreId,
        policyId: p.id,
        policyType: 'STATIC',
        definition: { static: { statement: p.text } },
        createdDate: created.toISOString(),
        lastUpdatedDate: p.updated.toISOString(),
      })),
    }),
    ListPolicyTemplates: () => ({ policyTemplates: [] }),
    GetSchema: () => {
      if (schema === null) throw Object.assign(new Error('no schema'), { type: 'ResourceNotFoundException' });
      return { policyStoreId, schema, createdDate: created.toISOString(), lastUpdatedDate: created.toISOString() };
    },
    BatchIsAuthorized: (body) => {
      if (body.policyStoreId !== policyStoreId) throw Object.assign(new Error('policy store not found'), { type: 'ResourceNotFoundException' });
      const requests = body.requests as { principal: { entityType: string; entityId: string }; action: { actionType: string; actionId: string }; resource: { entityType: string; entityId: string } }[];
      sizes.push(requests.length);
      if (requests.length < 1 || requests.length > 30) throw new ValidationException('requests: 1 to 30');
      const principals = new Set(requests.map((r) => `${r.principal.entityType}::${r.principal.entityId}`));
      const resources = new Set(requests.map((r) => `${r.resource.entityType}::${r.resource.entityId}`));
      if (principals.size > 1 && resources.size > 1) throw new ValidationException('either the principal or the resource must be identical across all requests');
      const list = ((body.entities as { entityList?: Json[] } | undefined)?.entityList ?? []) as {
        identifier: { entityType: string; entityId: string };
        attributes?: Record<string, AvpValue>;
        parents?: { entityType: string; entityId: string }[];
      }[];
      if (list.length > 200) throw new ValidationException('too many entities');
      const entities = list.map((e) => ({
        uid: { type: e.identifier.entityType, id: e.identifier.entityId },
        attrs: Object.fromEntries(Object.entries(e.attributes ?? {}).map(([k, v]) => [k, cedarValue(v)])),
        parents: (e.parents ?? []).map((p) => ({ type: p.entityType, id: p.entityId })),
      }));
      return {
        results: requests.map((r) => {
          const answer = cedar.statefulIsAuthorized({
            principal: { type: r.principal.entityType, id: r.principal.entityId },
            action: { type: r.action.actionType, id: r.action.actionId },
            resource: { type: r.resource.entityType, id: r.resource.entityId },
            context: {},
            preparsedPolicySetId: preparsedId,
            ...(schema !== null ? { preparsedSchemaName: 'avp-endpoint-schema', validateRequest: true } : { validateRequest: false }),
            entities: entities as cedar.Entities,
          });
          if (answer.type === 'failure') throw new ValidationException(answer.errors.map((e) => e.message).join('; '));
          return {
            request: r,
            decision: answer.response.decision === 'allow' ? 'ALLOW' : 'DENY',
            determiningPolicies: answer.response.diagnostics.reason.map((policyId) => ({ policyId })),
            errors: answer.response.diagnostics.errors.map((e) => ({ errorDescription: e.error.message })),
          };
        }),
      };
    },
  };

  const send = (res: ServerResponse, status: number, body: Json, errorType?: string): void => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    if (errorType) res.setHeader('x-amzn-errortype', errorType);
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^VerifiedPermissions\./, '');
      counts[op] = (counts[op] ?? 0) + 1;
      if (failing) return send(res, 500, { __type: 'InternalServerException', message: 'down' }, 'InternalServerException');
      const handler = operations[op];
      if (!handler) return send(res, 400, { __type: 'UnknownOperationException', message: op }, 'UnknownOperationException');
      try {
        send(res, 200, handler(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json));
      } catch (err) {
        const type = err instanceof ValidationException ? 'ValidationException' : ((err as { type?: string }).type ?? 'InternalServerException');
        send(res, type === 'InternalServerException' ? 500 : 400, { __type: type, message: (err as Error).message }, type);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    policyStoreId,
    counts: () => ({ ...counts }),
    batchSizes: () => [...sizes],
    reset: () => {
      counts = {};
      sizes = [];
    },
    setPolicies,
    fail: (on) => (failing = on),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
