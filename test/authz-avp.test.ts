import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ALL_ACTIONS, Action } from '../src/authz/actions';
import { Authorizer } from '../src/authz/authorizer';
import { VerifiedPermissionsEngine } from '../src/authz/avp-engine';
import { Caller } from '../src/authz/caller';
import { CedarWasmEngine, checkPolicySet } from '../src/authz/cedar-engine';
import { avpClient } from '../src/authz';
import { KnownAccounts } from '../src/authz/known-accounts';
import { SILENT } from '../src/authz/log';
import { DecisionRequest } from '../src/authz/policy-engine';
import { AvpEndpoint, startAvpEndpoint } from './support/avp-endpoint';

const POLICIES = join(__dirname, '..', 'policies');
const policyText = readFileSync(join(POLICIES, 'example.cedar'), 'utf8');
const schemaText = readFileSync(join(POLICIES, 'trailgraph.cedarschema'), 'utf8');
const ACCOUNTS = ['418273645091', '602519374862', '739104582736', '123456789012'];

const caller = (name: string, groups: string[], attributes: Caller['attributes'] = {}): Caller => ({ id: `apiKey:${name}`, name, groups, kind: 'apiKey', attributes });
const CALLERS = [
  caller('payments-app', ['apps'], { accounts: ['602519374862'] }),
  caller('compliance-portal', ['compliance']),
  { id: 'jwt:https://sso.example.test/|dana', name: 'dana', groups: ['analysts'], kind: 'jwt', attributes: {} } satisfies Caller,
  caller('portal-admin', ['compliance', 'trailgraph-admins']),
  caller('nobody', []),
];

let avp: AvpEndpoint;
const meter = () => ({ decisionLookups: 0, cacheHits: 0, cacheMisses: 0 });

beforeAll(async () => {
  avp = await startAvpEndpoint({ policies: policyText, schema: schemaText });
});
afterAll(() => avp.close());
beforeEach(() => {
  avp.reset();
  avp.fail(false);
  avp.setPolicies(policyText);
});

function avpEngine(versionTtlMs = 30_000): VerifiedPermissionsEngine {
  return new VerifiedPermissionsEngine(avpClient(avp.endpoint), avp.policyStoreId, SILENT, { versionTtlMs });
}

test('Verified Permissions decides exactly as the local Cedar engine for every example caller', async () => {
  const requests: DecisionRequest[] = CALLERS.flatMap((c) => ALL_ACTIONS.flatMap((action) => ACCOUNTS.map((account) => ({ caller: c, action, account }))));
  const local = await new CedarWasmEngine(checkPolicySet(policyText, schemaText), SILENT).decide(requests);
  const remote = await avpEngine().decide(requests);
  expect(remote).toEqual(local);
  expect(local.filter((d) => d === 'allow').length).toBeGreaterThan(0);
  expect(local.filter((d) => d === 'deny').length).toBeGreaterThan(0);
  // One principal per call, at most 30 requests per call.
  expect(avp.batchSizes().every((n) => n <= 30)).toBe(true);
  expect(avp.counts().BatchIsAuthorized).toBe(CALLERS.length);
});

test('a large batch is split into calls of 30 requests of one principal', async () => {
  const many = Array.from({ length: 40 }, (_, i) => String(100000000000 + i));
  const requests = [CALLERS[1], CALLERS[2]].flatMap((c) => ALL_ACTIONS.flatMap((action) => many.map((account) => ({ caller: c, action, account }))));
  const decisions = await avpEngine().decide(requests);
  expect(decisions.length).toBe(320);
  // The compliance portal reads all but payloads; an analyst none of these accounts.
  expect(decisions.slice(0, 160).filter((d) => d === 'allow').length).toBe(120);
  expect(decisions.slice(160).every((d) => d === 'deny')).toBe(true);
  expect(avp.batchSizes().sort((a, b) => b - a)).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 10, 10]);
});

test('the version follows the policy store: same policies, same version; an edit, a new one', async () => {
  const engine = avpEngine(0);
  const v1 = await engine.version();
  expect(await engine.version()).toBe(v1);
  expect(await avpEngine(0).version()).toBe(v1);
  avp.setPolicies(`${policyText}\n@id("extra") permit (principal in Trailgraph::Group::"auditors", action == Trailgraph::Action::"ReadEvents", resource);`);
  const v2 = await engine.version();
  expect(v2).not.toBe(v1);
  expect(avp.counts().ListPolicies).toBeGreaterThanOrEqual(3);
});

test('the version is asked at most once per ttl', async () => {
  const engine = avpEngine(60_000);
  await Promise.all([engine.version(), engine.version(), engine.version()]);
  await engine.version();
  expect(avp.counts().ListPolicies).toBe(1);
});

test('Verified Permissions down: decide() fails, and the authorizer denies (fail closed)', async () => {
  const engine = avpEngine(60_000);
  await engine.version();
  avp.fail(true);
  const r = [{ caller: CALLERS[1], action: Action.ReadEvents, account: ACCOUNTS[0] }];
  // The service's own error code (the SDK names the error by it).
  await expect(engine.decide(r)).rejects.toMatchObject({ name: 'InternalServerException' });
  const errors: string[] = [];
  const authorizer = new Authorizer({ engine, cache: null, knownAccounts: new KnownAccounts(async () => ACCOUNTS, 1000, SILENT), log: { ...SILENT, error: (_o, m) => errors.push(m) } });
  const m = meter();
  expect(await authorizer.decide(CALLERS[1], [{ action: Action.ReadEvents, account: ACCOUNTS[0] }, { action: Action.ReadSessions, account: ACCOUNTS[1] }], m)).toEqual(['deny', 'deny']);
  expect(errors.length).toBe(1);
  expect(m).toEqual({ decisionLookups: 2, cacheHits: 0, cacheMisses: 2 });
  // A new engine cannot even learn the version: still deny.
  expect(await new Authorizer({ engine: avpEngine(), cache: null, knownAccounts: new KnownAccounts(async () => ACCOUNTS, 1000, SILENT), log: SILENT }).decide(CALLERS[1], [{ action: Action.ReadEvents, account: ACCOUNTS[0] }], meter())).toEqual(['deny']);
});
