import { Action } from './actions';
import { Caller, callerCacheKey } from './caller';
import { DecisionKey, DecisionStore, itemKey } from './decision-cache';
import { KnownAccounts } from './known-accounts';
import { AuthLogger } from './log';
import { Decision, DecisionRequest, PolicyEngine } from './policy-engine';

/** The counters of extensions.cost that authorization fills (CostMeter has them). */
export interface DecisionMeter {
  decisionLookups: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface AuthorizerOptions {
  engine: PolicyEngine;
  /** Null: every decision goes to the engine. */
  cache: DecisionStore | null;
  knownAccounts: KnownAccounts;
  log: AuthLogger;
  /** After a cache failure, how long requests skip the cache before trying it again. */
  cacheRetryMs?: number;
  /** Where the retry pause reads the time (milliseconds); Date.now by default, a test's own clock in tests. */
  clock?: () => number;
}

/**
 * Decides batches of (caller, action, account) questions: the fresh ones from
 * the DynamoDB cache, the rest with the policy engine in one call, written
 * back. DynamoDB failing: decide without it (and say so in the log). The
 * policy engine failing: deny (fail closed) and cache nothing.
 */
export class Authorizer {
  readonly engine: PolicyEngine;
  readonly cache: DecisionStore | null;
  readonly knownAccounts: KnownAccounts;
  private readonly log: AuthLogger;
  private readonly cacheRetryMs: number;
  private cacheDownUntil = 0;
  private readonly clock: () => number;

  constructor(o: AuthorizerOptions) {
    this.engine = o.engine;
    this.cache = o.cache;
    this.knownAccounts = o.knownAccounts;
    this.log = o.log;
    this.cacheRetryMs = o.cacheRetryMs ?? 5000;
    this.clock = o.clock ?? Date.now;
  }

  async decide(caller: Caller, questions: readonly { action: Action; account: string }[], meter: DecisionMeter): Promise<Decision[]> {
    meter.decisionLookups += questions.length;
    let version: string;
    try {
      version = await this.engine.version();
    } catch (err) {
      this.log.error({ engine: this.engine.kind, err: String(err) }, 'policy engine unreachable; denying');
      meter.cacheMisses += questions.length;
      return questions.map(() => 'deny');
    }
    const callerKey = callerCacheKey(caller);
    const keys: DecisionKey[] = questions.map((q) => ({ callerKey, action: q.action, account: q.account, version }));
    const cached = await this.cachedDecisions(keys);
    const out: (Decision | null)[] = keys.map((k) => cached.get(itemKey(k)) ?? null);
    const missing = out.flatMap((d, i) => (d === null ? [i] : []));
    meter.cacheHits += questions.length - missing.length;
    meter.cacheMisses += missing.length;
    if (missing.length === 0) return out as Decision[];

    const requests: DecisionRequest[] = missing.map((i) => ({ caller, action: questions[i].action, account: questions[i].account }));
    let decided: Decision[];
    try {
      decided = await this.engine.decide(requests);
      if (decided.length !== requests.length) throw new Error(`engine answered ${decided.length} of ${requests.length} requests`);
    } catch (err) {
      this.log.error({ engine: this.engine.kind, err: String(err) }, 'policy engine failed; denying');
      return out.map((d) => d ?? 'deny');
    }
    missing.forEach((i, j) => (out[i] = decided[j]));
    await this.writeBack(missing.map((i, j) => ({ key: keys[i], decision: decided[j] })));
    return out as Decision[];
  }

  private cacheUsable(): DecisionStore | null {
    return this.cache && this.clock() >= this.cacheDownUntil ? this.cache : null;
  }

  private cacheFailed(err: unknown, during: string): void {
    this.cacheDownUntil = this.clock() + this.cacheRetryMs;
    this.log.warn({ table: this.cache?.table, err: String(err), retryInMs: this.cacheRetryMs }, `decision cache unavailable (${during}); deciding without it`);
  }

  private async cachedDecisions(keys: readonly DecisionKey[]): Promise<Map<string, Decision>> {
    const cache = this.cacheUsable();
    if (!cache) return new Map();
    try {
      return await cache.getMany(keys);
    } catch (err) {
      this.cacheFailed(err, 'read');
      return new Map();
    }
  }

  private async writeBack(entries: { key: DecisionKey; decision: Decision }[]): Promise<void> {
    const cache = this.cacheUsable();
    if (!cache) return;
    try {
      await cache.putMany(entries);
    } catch (err) {
      this.cacheFailed(err, 'write');
    }
  }
}
