import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authz, createAuthz } from '../src/authz';
import { Action } from '../src/authz/actions';
import { hashApiKey } from '../src/authz/api-keys';
import { SILENT } from '../src/authz/log';
import { Config, ConfigError, loadConfig } from '../src/config';
import { CostMeter } from '../src/history/cost';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';

const POLICIES = join(__dirname, '..', 'policies');
const [MANAGEMENT, PRODUCTION, SANDBOX] = ['418273645091', '602519374862', '739104582736'];
const KEYS = { app: 'tg_req_app_key_000000000001', portal: 'tg_req_portal_key_00000000002', analyst: 'tg_req_analyst_key_000000003' };
const apiKeys = JSON.stringify([
  { name: 'payments-app', sha256: hashApiKey(KEYS.app), groups: ['apps'], attributes: { accounts: [PRODUCTION] } },
  { name: 'compliance-portal', sha256: hashApiKey(KEYS.portal), groups: ['compliance'] },
  { name: 'analyst', sha256: hashApiKey(KEYS.analyst), groups: ['analysts'] },
]);

let dyn: CountingDynalite;
let tables = 0;

beforeAll(async () => {
  dyn = await startCountingDynalite();
});
afterAll(() => dyn.close());

function config(overrides: Partial<Config> = {}): Config {
  return loadConfig([], {}, {
    apiKeys,
    policyFile: join(POLICIES, 'example.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: `request-decisions-${++tables}`,
    ...overrides,
  }).config;
}

async function withAuthz<T>(cfg: Config, accounts: string[], body: (authz: Authz, asked: () => number) => Promise<T>): Promise<T> {
  let asked = 0;
  const authz = await createAuthz(cfg, { log: SILENT, knownAccounts: async () => (asked++, accounts) });
  try {
    return await body(authz, () => asked);
  } finally {
    await authz.close();
  }
}

test('each example caller gets its accounts per action, and a field check per event', async () => {
  await withAuthz(config(), [MANAGEMENT, PRODUCTION, SANDBOX], async (authz) => {
    const scopes: Record<string, unknown> = {};
    for (const [who, key] of Object.entries(KEYS)) {
      const r = authz.forRequest(await authz.authenticate({ 'x-api-key': key }), new CostMeter());
      scopes[who] = { events: await r.accountsFor(Action.ReadEvents), payloads: await r.accountsFor(Action.ReadPayloads), sandboxNetwork: await r.may(Action.ReadNetworkDetails, SANDBOX) };
    }
    expect(scopes).toEqual({
      app: { events: [PRODUCTION], payloads: [PRODUCTION], sandboxNetwork: false },
      portal: { events: [MANAGEMENT, PRODUCTION, SANDBOX], payloads: [], sandboxNetwork: true },
      analyst: { events: [PRODUCTION, SANDBOX], payloads: [PRODUCTION, SANDBOX], sandboxNetwork: true },
    });
  });
});

test('one request: one BatchGetItem for the scope and every field check; the cost meter counts them; warm, none', async () => {
  await withAuthz(config(), [MANAGEMENT, PRODUCTION, SANDBOX], async (authz) => {
    const portal = await authz.authenticate({ 'x-api-key': KEYS.portal });
    const run = async (): Promise<CostMeter> => {
      const cost = new CostMeter();
      const r = authz.forRequest(portal, cost);
      const scope = await r.accountsFor(Action.ReadEvents);
      // What the event resolvers do: one check per event and field, all in one tick.
      const checks = await Promise.all((scope ?? []).flatMap((a) => [r.may(Action.ReadPayloads, a), r.may(Action.ReadNetworkDetails, a), r.may(Action.ReadPayloads, a)]));
      expect(checks.filter(Boolean).length).toBe(3);
      return cost;
    };
    dyn.reset();
    const cold = await run();
    expect(dyn.counts()).toEqual({ BatchGetItem: 1, BatchWriteItem: 1 });
    expect(cold.toJSON()).toMatchObject({ decisionLookups: 12, cacheHits: 0, cacheMisses: 12 });
    dyn.reset();
    const warm = await run();
    // The decisions of the first request are held in memory until they expire (decision-memo.ts).
    expect(dyn.counts()).toEqual({});
    expect(warm.toJSON()).toMatchObject({ decisionLookups: 12, cacheHits: 12, cacheMisses: 0 });
  });
});

test('the known accounts are asked once per ttl, not per request', async () => {
  await withAuthz(config(), [PRODUCTION], async (authz, asked) => {
    const app = await authz.authenticate({ 'x-api-key': KEYS.app });
    for (let i = 0; i < 5; i++) await authz.forRequest(app, new CostMeter()).accountsFor(Action.ReadEvents);
    expect(asked()).toBe(1);
  });
});

test('many accounts: only the action asked is looked up, 100 keys per BatchGetItem', async () => {
  const many = Array.from({ length: 150 }, (_, i) => String(300000000000 + i));
  await withAuthz(config(), [...many, PRODUCTION], async (authz) => {
    const portal = await authz.authenticate({ 'x-api-key': KEYS.portal });
    dyn.reset();
    const cost = new CostMeter();
    const scope = await authz.forRequest(portal, cost).accountsFor(Action.ReadSessions);
    expect(scope?.length).toBe(151);
    expect(cost.decisionLookups).toBe(151);
    expect(dyn.batchGetSizes().sort((a, b) => b - a)).toEqual([100, 51]);
  });
});

test('an account that history does not know is not readable through the scope', async () => {
  await withAuthz(config(), [SANDBOX], async (authz) => {
    const r = authz.forRequest(await authz.authenticate({ 'x-api-key': KEYS.app }), new CostMeter());
    // The app may read production, but history (as last asked) holds no production: the scope is empty, never null.
    expect(await r.accountsFor(Action.ReadEvents)).toEqual([]);
    expect(await r.may(Action.ReadEvents, PRODUCTION)).toBe(true);
  });
});

test('without credentials: no authorization, no decision cache, every account readable', async () => {
  const cfg = loadConfig([], {}, {}).config;
  await withAuthz(cfg, [PRODUCTION], async (authz, asked) => {
    expect(authz.enabled).toBe(false);
    expect(authz.authorizer).toBeNull();
    const cost = new CostMeter();
    const r = authz.forRequest(await authz.authenticate({}), cost);
    expect(await r.accountsFor(Action.ReadEvents)).toBeNull();
    expect(await r.may(Action.ReadPayloads, PRODUCTION)).toBe(true);
    expect(cost.decisionLookups).toBe(0);
    expect(asked()).toBe(0);
  });
});

test('the embedded decision cache (dynalite in-process) is started and stopped with authz', async () => {
  await withAuthz(config({ dynamodbEndpoint: '' }), [PRODUCTION], async (authz) => {
    const app = await authz.authenticate({ 'x-api-key': KEYS.app });
    await authz.forRequest(app, new CostMeter()).accountsFor(Action.ReadEvents);
    const warm = new CostMeter();
    expect(await authz.forRequest(app, warm).accountsFor(Action.ReadEvents)).toEqual([PRODUCTION]);
    expect(warm.cacheHits).toBe(4);
  });
});

test('unreadable or invalid auth files are ConfigErrors naming the setting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-authz-'));
  const badPolicy = join(dir, 'bad.cedar');
  writeFileSync(badPolicy, 'permit (principal, action == Trailgraph::Action::"ReadEverything", resource);');
  const cases: [Partial<Config>, string][] = [
    [{ apiKeys: '', apiKeysFile: join(dir, 'missing.json') }, '--api-keys-file'],
    [{ apiKeys: '[{"name":"x"}]' }, '--api-keys (TRAILGRAPH_API_KEYS)'],
    [{ policyFile: join(dir, 'missing.cedar') }, '--policy-file'],
    [{ policyFile: badPolicy }, '--policy-file'],
    [{ policySchemaFile: badPolicy }, '--policy-schema-file'],
  ];
  for (const [o, setting] of cases) {
    const err = await createAuthz(config(o), { log: SILENT, knownAccounts: async () => [] }).then(
      (a) => a.close().then(() => null),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe(setting);
  }
});
