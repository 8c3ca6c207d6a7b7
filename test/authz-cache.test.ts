import { ALL_ACTIONS, Action } from '../src/authz/actions';
import { Authorizer } from '../src/authz/authorizer';
import { Caller } from '../src/authz/caller';
import { CedarWasmEngine, checkPolicySet } from '../src/authz/cedar-engine';
import { DecisionCache, DecisionStore, itemKey } from '../src/authz/decision-cache';
import { DecisionMemo } from '../src/authz/decision-memo';
import { dynamoClient, ensureDecisionTable } from '../src/authz/dynamo';
import { KnownAccounts } from '../src/authz/known-accounts';
import { AuthLogger, SILENT } from '../src/authz/log';
import { Decision, DecisionRequest, PolicyEngine } from '../src/authz/policy-engine';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';

const ALLOW_COMPLIANCE = 'permit (principal in Trailgraph::Group::"compliance", action, resource);';
const ALLOW_COMPLIANCE_NO_PAYLOADS = `${ALLOW_COMPLIANCE}\nforbid (principal, action == Trailgraph::Action::"ReadPayloads", resource);`;

/** The real Cedar engine, counting the requests it is asked to decide. */
class CountingEngine implements PolicyEngine {
  readonly kind = 'cedar';
  decided = 0;
  private readonly inner: CedarWasmEngine;
  constructor(policies: string) {
    this.inner = new CedarWasmEngine(checkPolicySet(policies, null), SILENT);
  }
  version(): Promise<string> {
    return this.inner.version();
  }
  decide(requests: readonly DecisionRequest[]): Promise<Decision[]> {
    this.decided += requests.length;
    return this.inner.decide(requests);
  }
}

const portal: Caller = { id: 'apiKey:compliance-portal', name: 'compliance-portal', groups: ['compliance'], kind: 'apiKey', attributes: {} };
const accounts = (n: number): string[] => Array.from({ length: n }, (_, i) => String(200000000000 + i));
const questions = (accts: string[], actions: readonly Action[] = ALL_ACTIONS) => actions.flatMap((action) => accts.map((account) => ({ action, account })));
const meter = () => ({ decisionLookups: 0, cacheHits: 0, cacheMisses: 0 });

let dyn: CountingDynalite;
let table = 0;

beforeAll(async () => {
  dyn = await startCountingDynalite();
});
afterAll(() => dyn.close());

/** A fresh table per test, so tests do not see each other's decisions. */
async function freshCache(ttlSeconds = 300, clock: () => number = Date.now): Promise<DecisionCache> {
  const client = dynamoClient({ endpoint: dyn.endpoint, localCredentials: true });
  const name = `decisions-${++table}`;
  await ensureDecisionTable(client, name, SILENT);
  dyn.reset();
  return new DecisionCache(client, name, ttlSeconds, clock);
}

function authorizer(engine: PolicyEngine, cache: DecisionStore | null, log: AuthLogger = SILENT, cacheRetryMs?: number): Authorizer {
  return new Authorizer({ engine, cache, knownAccounts: new KnownAccounts(async () => [], 1000, SILENT), log, cacheRetryMs });
}

test('the table is created once at boot, with a string hash key', async () => {
  const client = dynamoClient({ endpoint: dyn.endpoint, localCredentials: true });
  dyn.reset();
  expect(await ensureDecisionTable(client, 'boot-table', SILENT)).toBe('created');
  expect(await ensureDecisionTable(client, 'boot-table', SILENT)).toBe('exists');
  expect(dyn.counts().CreateTable).toBe(1);
});

test('cold: one BatchGetItem, the misses decided in one batch, one BatchWriteItem; warm: one BatchGetItem, all hits', async () => {
  const engine = new CountingEngine(ALLOW_COMPLIANCE_NO_PAYLOADS);
  const a = authorizer(engine, await freshCache());
  const qs = questions(accounts(5)); // 20 keys
  const cold = meter();
  const first = await a.decide(portal, qs, cold);
  expect(cold).toEqual({ decisionLookups: 20, cacheHits: 0, cacheMisses: 20 });
  expect(dyn.counts()).toEqual({ BatchGetItem: 1, BatchWriteItem: 1 });
  expect(engine.decided).toBe(20);
  expect(first.filter((d) => d === 'allow').length).toBe(15);

  dyn.reset();
  const warm = meter();
  expect(await a.decide(portal, qs, warm)).toEqual(first);
  expect(warm).toEqual({ decisionLookups: 20, cacheHits: 20, cacheMisses: 0 });
  expect(dyn.counts()).toEqual({ BatchGetItem: 1 });
  expect(engine.decided).toBe(20);
});

test('in memory in front of the table: a warm decision costs no DynamoDB call until it expires; another process reads the table', async () => {
  let now = Date.UTC(2024, 5, 1, 12, 0, 0);
  const engine = new CountingEngine(ALLOW_COMPLIANCE_NO_PAYLOADS);
  const table = await freshCache(300, () => now);
  const a = authorizer(engine, new DecisionMemo(table, () => now));
  const qs = questions(accounts(5)); // 20 keys
  const first = await a.decide(portal, qs, meter());
  expect(dyn.counts()).toEqual({ BatchGetItem: 1, BatchWriteItem: 1 });

  dyn.reset();
  const warm = meter();
  expect(await a.decide(portal, qs, warm)).toEqual(first);
  expect(warm).toEqual({ decisionLookups: 20, cacheHits: 20, cacheMisses: 0 });
  expect(dyn.counts()).toEqual({});

  // Another process (its own memory, the same table) finds them in DynamoDB, with their expiry.
  const other = authorizer(engine, new DecisionMemo(table, () => now));
  const shared = meter();
  expect(await other.decide(portal, qs, shared)).toEqual(first);
  expect(shared.cacheHits).toBe(20);
  expect(dyn.counts()).toEqual({ BatchGetItem: 1 });
  expect(engine.decided).toBe(20);

  // Past the expiry both forget them: decided again.
  now += 301_000;
  dyn.reset();
  const expired = meter();
  await other.decide(portal, qs, expired);
  expect(expired).toEqual({ decisionLookups: 20, cacheHits: 0, cacheMisses: 20 });
  expect(engine.decided).toBe(40);
});

test('the memory holds at most its limit, the oldest decisions leaving first', async () => {
  const table = await freshCache();
  const memo = new DecisionMemo(table, Date.now, 3);
  const keys = ['a', 'b', 'c', 'd'].map((account) => ({ callerKey: 'c', action: Action.ReadEvents, account, version: 'v' }));
  await memo.putMany(keys.map((key) => ({ key, decision: 'allow' as Decision })));
  dyn.reset();
  expect((await memo.getMany(keys.slice(1))).size).toBe(3);
  expect(dyn.counts()).toEqual({});
  expect((await memo.getMany(keys.slice(0, 1))).size).toBe(1); // from the table: 'a' had left the memory
  expect(dyn.counts()).toEqual({ BatchGetItem: 1 });
});

test('one BatchGetItem per 100 keys and one BatchWriteItem per 25 items', async () => {
  const a = authorizer(new CountingEngine(ALLOW_COMPLIANCE), await freshCache());
  const qs = questions(accounts(60)); // 240 keys
  await a.decide(portal, qs, meter());
  expect(dyn.batchGetSizes().sort((x, y) => y - x)).toEqual([100, 100, 40]);
  expect(dyn.batchWriteSizes().length).toBe(10);
  expect(dyn.batchWriteSizes().every((n) => n <= 25)).toBe(true);
  dyn.reset();
  const m = meter();
  await a.decide(portal, qs, m);
  expect(dyn.counts()).toEqual({ BatchGetItem: 3 });
  expect(m.cacheHits).toBe(240);
});

test('unprocessed keys are asked again until answered', async () => {
  const engine = new CountingEngine(ALLOW_COMPLIANCE);
  const a = authorizer(engine, await freshCache());
  const qs = questions(accounts(5));
  dyn.throttleNext(1); // the first BatchGetItem answers half its keys as unprocessed
  await a.decide(portal, qs, meter());
  dyn.reset();
  dyn.throttleNext(1);
  const m = meter();
  await a.decide(portal, qs, m);
  // 20 keys: 10 answered, 10 unprocessed and asked again; all of them hits (so the writes got through too).
  expect(dyn.batchGetSizes()).toEqual([20, 10]);
  expect(m).toEqual({ decisionLookups: 20, cacheHits: 20, cacheMisses: 0 });
  expect(engine.decided).toBe(20);
});

test('throttled writes are sent again until every item is written', async () => {
  const cache = await freshCache();
  const qs = questions(accounts(5));
  dyn.throttleNext(1); // the first BatchWriteItem writes half its items and returns the rest as unprocessed
  await cache.putMany(qs.map((q) => ({ key: { callerKey: 'c', action: q.action, account: q.account, version: 'v' }, decision: 'deny' as Decision })));
  expect(dyn.batchWriteSizes()).toEqual([20, 10]);
  const got = await cache.getMany(qs.map((q) => ({ callerKey: 'c', action: q.action, account: q.account, version: 'v' })));
  expect(got.size).toBe(20);
  expect([...got.values()].every((d) => d === 'deny')).toBe(true);
});

test('an expired decision is a miss even while the item is still in the table', async () => {
  let now = Date.UTC(2024, 5, 1, 12, 0, 0);
  const engine = new CountingEngine(ALLOW_COMPLIANCE);
  const a = authorizer(engine, await freshCache(300, () => now));
  const qs = questions(accounts(2), [Action.ReadEvents]);
  await a.decide(portal, qs, meter());
  now += 299_000;
  const before = meter();
  await a.decide(portal, qs, before);
  expect(before.cacheHits).toBe(2);
  now += 2_000; // 301 s after the write
  dyn.reset();
  const after = meter();
  await a.decide(portal, qs, after);
  expect(after).toEqual({ decisionLookups: 2, cacheHits: 0, cacheMisses: 2 });
  expect(engine.decided).toBe(4);
  // The expired items were still returned by DynamoDB, and rewritten with a new expiry.
  expect(dyn.counts()).toEqual({ BatchGetItem: 1, BatchWriteItem: 1 });
  const again = meter();
  await a.decide(portal, qs, again);
  expect(again.cacheHits).toBe(2);
});

test('a new policy version never serves a decision of the old one', async () => {
  const cache = await freshCache();
  const permissive = new CountingEngine(ALLOW_COMPLIANCE);
  const strict = new CountingEngine(ALLOW_COMPLIANCE_NO_PAYLOADS);
  const qs = questions(accounts(3), [Action.ReadPayloads]);
  expect(await authorizer(permissive, cache).decide(portal, qs, meter())).toEqual(['allow', 'allow', 'allow']);
  const m = meter();
  expect(await authorizer(strict, cache).decide(portal, qs, m)).toEqual(['deny', 'deny', 'deny']);
  expect(m.cacheHits).toBe(0);
  expect(strict.decided).toBe(3);
  // Each version keeps its own decisions.
  const back = meter();
  expect(await authorizer(permissive, cache).decide(portal, qs, back)).toEqual(['allow', 'allow', 'allow']);
  expect(back.cacheHits).toBe(3);
});

test('a caller whose groups change is decided again', async () => {
  const cache = await freshCache();
  const engine = new CountingEngine(ALLOW_COMPLIANCE);
  const qs = questions(accounts(2), [Action.ReadEvents]);
  expect(await authorizer(engine, cache).decide(portal, qs, meter())).toEqual(['allow', 'allow']);
  const demoted = { ...portal, groups: [] };
  const m = meter();
  expect(await authorizer(engine, cache).decide(demoted, qs, m)).toEqual(['deny', 'deny']);
  expect(m.cacheHits).toBe(0);
});

test('DynamoDB unreachable: decisions are made without the cache, logged once, retried after a pause', async () => {
  const client = dynamoClient({ endpoint: 'http://127.0.0.1:9', localCredentials: true });
  const warnings: string[] = [];
  const engine = new CountingEngine(ALLOW_COMPLIANCE_NO_PAYLOADS);
  // The cache's tries are counted and the pause is read from a clock the test moves: no sleeping, no timing.
  const unreachable = new DecisionCache(client, 'decisions', 300);
  let tries = 0;
  const counted: DecisionStore = {
    table: unreachable.table,
    getMany: (keys) => ((tries += 1), unreachable.getMany(keys)),
    putMany: (entries) => ((tries += 1), unreachable.putMany(entries)),
  };
  let now = 1_000_000;
  const a = new Authorizer({ engine, cache: counted, knownAccounts: new KnownAccounts(async () => [], 1000, SILENT), log: { ...SILENT, warn: (_o, msg) => warnings.push(msg) }, cacheRetryMs: 200, clock: () => now });
  const qs = questions(accounts(2));
  const m = meter();
  const decisions = await a.decide(portal, qs, m);
  expect(decisions.filter((d) => d === 'allow').length).toBe(6);
  expect(m).toEqual({ decisionLookups: 8, cacheHits: 0, cacheMisses: 8 });
  expect(warnings.length).toBe(1);
  expect(tries).toBe(1);
  // Within the pause the cache is not tried: no attempt, no second warning.
  now += 199;
  await a.decide(portal, qs, meter());
  expect(tries).toBe(1);
  expect(warnings.length).toBe(1);
  // Past it, tried again (and, still down, warned again).
  now += 1;
  await a.decide(portal, qs, meter());
  expect(tries).toBe(2);
  expect(warnings.length).toBe(2);
  expect(engine.decided).toBe(24);
});

test('a policy engine that throws denies everything not cached, and nothing is cached', async () => {
  const cache = await freshCache();
  const engine = new CountingEngine(ALLOW_COMPLIANCE);
  const qs = questions(accounts(2), [Action.ReadEvents]);
  await authorizer(engine, cache).decide(portal, qs.slice(0, 1), meter());
  const broken: PolicyEngine = { kind: 'cedar', version: () => engine.version(), decide: async () => Promise.reject(new Error('engine down')) };
  const errors: string[] = [];
  dyn.reset();
  const m = meter();
  // The cached allow stands (same version); the uncached one is denied, not guessed.
  expect(await authorizer(broken, cache, { ...SILENT, error: (_o, msg) => errors.push(msg) }).decide(portal, qs, m)).toEqual(['allow', 'deny']);
  expect(errors.length).toBe(1);
  expect(dyn.counts()).toEqual({ BatchGetItem: 1 });
  // An engine answering the wrong number of decisions is a failure too.
  const short: PolicyEngine = { kind: 'cedar', version: () => engine.version(), decide: async () => ['allow'] };
  expect(await authorizer(short, null).decide(portal, qs, meter())).toEqual(['deny', 'deny']);
});

test('item keys cannot collide through their separators', () => {
  const k = { callerKey: 'jwt:https://sso.example.test/|dana#abc', action: Action.ReadEvents, account: '111111111111', version: 'cedar-1' };
  expect(itemKey(k)).not.toBe(itemKey({ ...k, callerKey: 'jwt:https://sso.example.test/', account: `dana#abc|ReadEvents|${k.account}` }));
  expect(itemKey(k).split('|').length).toBe(4);
});
