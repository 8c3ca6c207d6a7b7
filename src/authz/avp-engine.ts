import { createHash } from 'node:crypto';
import {
  AttributeValue as AvpAttribute,
  BatchIsAuthorizedCommand,
  BatchIsAuthorizedInputItem,
  EntityItem,
  GetSchemaCommand,
  ListPoliciesCommand,
  ListPolicyTemplatesCommand,
  VerifiedPermissionsClient,
} from '@aws-sdk/client-verifiedpermissions';
import { CEDAR_TYPES } from './actions';
import { callerCacheKey } from './caller';
import { AuthLogger } from './log';
import { CedarEntity, Decision, DecisionRequest, PolicyEngine, accountEntity, callerEntity } from './policy-engine';

/** BatchIsAuthorized takes at most 30 requests, all for one principal (or one resource). */
export const AVP_BATCH_SIZE = 30;
const PARALLEL_BATCHES = 4;

function avpAttribute(v: CedarEntity['attrs'][string]): AvpAttribute {
  if (Array.isArray(v)) return { set: v.map((s) => ({ string: s })) };
  if (typeof v === 'string') return { string: v };
  if (typeof v === 'number') return { long: v };
  return { boolean: v };
}

function avpEntity(e: CedarEntity): EntityItem {
  return {
    identifier: { entityType: e.uid.type, entityId: e.uid.id },
    attributes: Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k, avpAttribute(v)])),
    parents: e.parents.map((p) => ({ entityType: p.type, entityId: p.id })),
  };
}

export interface AvpEngineOptions {
  /** How long a computed policy-store version is trusted before it is asked again. */
  versionTtlMs?: number;
}

/**
 * Decides with Amazon Verified Permissions (BatchIsAuthorized). The version
 * is a digest of the store's policies, templates and schema (ids and
 * last-updated dates), asked again at most every versionTtlMs: an edit in the
 * store gets a new version, so cached decisions of the old one are not served.
 */
export class VerifiedPermissionsEngine implements PolicyEngine {
  readonly kind = 'avp';
  private cachedVersion: { value: string; at: number } | null = null;
  private pendingVersion: Promise<string> | null = null;
  private readonly versionTtlMs: number;

  constructor(
    private readonly client: VerifiedPermissionsClient,
    private readonly policyStoreId: string,
    private readonly log: AuthLogger,
    options: AvpEngineOptions = {},
  ) {
    this.versionTtlMs = options.versionTtlMs ?? 30_000;
  }

  async version(): Promise<string> {
    const c = this.cachedVersion;
    if (c && Date.now() - c.at < this.versionTtlMs) return c.value;
    this.pendingVersion ??= this.computeVersion().finally(() => (this.pendingVersion = null));
    try {
      return await this.pendingVersion;
    } catch (err) {
      // The store cannot be read: keep the last version known (decisions will fail closed if it is really down).
      if (c) {
        this.log.warn({ err: String(err) }, 'Verified Permissions: policy store version unavailable; keeping the last one');
        return c.value;
      }
      throw err;
    }
  }

  private async computeVersion(): Promise<string> {
    const parts: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.client.send(new ListPoliciesCommand({ policyStoreId: this.policyStoreId, nextToken, maxResults: 50 }));
      for (const p of out.policies ?? []) parts.push(`p:${p.policyId}@${p.lastUpdatedDate?.toISOString()}`);
      nextToken = out.nextToken;
    } while (nextToken);
    do {
      const out = await this.client.send(new ListPolicyTemplatesCommand({ policyStoreId: this.policyStoreId, nextToken, maxResults: 50 }));
      for (const t of out.policyTemplates ?? []) parts.push(`t:${t.policyTemplateId}@${t.lastUpdatedDate?.toISOString()}`);
      nextToken = out.nextToken;
    } while (nextToken);
    try {
      const schema = await this.client.send(new GetSchemaCommand({ policyStoreId: this.policyStoreId }));
      parts.push(`s:${schema.lastUpdatedDate?.toISOString()}`);
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
      parts.push('s:none');
    }
    parts.sort();
    const value = `avp-${createHash('sha256').update(this.policyStoreId).update('\u0000').update(parts.join('\n')).digest('hex').slice(0, 20)}`;
    this.cachedVersion = { value, at: Date.now() };
    return value;
  }

  async decide(requests: readonly DecisionRequest[]): Promise<Decision[]> {
    // One principal per batch, as BatchIsAuthorized requires.
    const byCaller = new Map<string, number[]>();
    requests.forEach((r, i) => {
      const k = callerCacheKey(r.caller);
      const list = byCaller.get(k) ?? [];
      list.push(i);
      byCaller.set(k, list);
    });
    const batches: number[][] = [];
    for (const indexes of byCaller.values()) {
      for (let i = 0; i < indexes.length; i += AVP_BATCH_SIZE) batches.push(indexes.slice(i, i + AVP_BATCH_SIZE));
    }
    const out: Decision[] = new Array<Decision>(requests.length).fill('deny');
    for (let i = 0; i < batches.length; i += PARALLEL_BATCHES) {
      await Promise.all(batches.slice(i, i + PARALLEL_BATCHES).map((b) => this.decideBatch(b.map((j) => requests[j]), b, out)));
    }
    return out;
  }

  private async decideBatch(batch: readonly DecisionRequest[], indexes: readonly number[], out: Decision[]): Promise<void> {
    const principal = callerEntity(batch[0].caller);
    const accounts = [...new Set(batch.map((r) => r.account))];
    const items: BatchIsAuthorizedInputItem[] = batch.map((r) => ({
      principal: { entityType: principal.uid.type, entityId: principal.uid.id },
      action: { actionType: CEDAR_TYPES.action, actionId: r.action },
      resource: { entityType: CEDAR_TYPES.account, entityId: r.account },
      context: { contextMap: {} },
    }));
    const res = await this.client.send(
      new BatchIsAuthorizedCommand({
        policyStoreId: this.policyStoreId,
        entities: { entityList: [avpEntity(principal), ...accounts.map((a) => avpEntity(accountEntity(a)))] },
        requests: items,
      }),
    );
    const results = res.results ?? [];
    batch.forEach((r, k) => {
      // Results come in request order; the echoed request is checked so a reordering can never grant the wrong key.
      const item = results[k];
      const same = item?.request?.action?.actionId === r.action && item.request.resource?.entityId === r.account;
      if (!same) {
        this.log.error({ action: r.action, account: r.account }, 'Verified Permissions answered out of order; denied');
        return;
      }
      if (item.errors?.length) this.log.warn({ errors: item.errors.map((e) => e.errorDescription) }, 'Verified Permissions policy errors');
      out[indexes[k]] = item.decision === 'ALLOW' ? 'allow' : 'deny';
    });
  }
}
