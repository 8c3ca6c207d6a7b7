import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ALL_ACTIONS, Action } from '../src/authz/actions';
import { Caller } from '../src/authz/caller';
import { CedarWasmEngine, PolicySetError, checkPolicySet, readPolicySet } from '../src/authz/cedar-engine';
import { SILENT } from '../src/authz/log';
import { DecisionRequest } from '../src/authz/policy-engine';
import { parseApiKeyList } from '../src/authz/api-keys';

const POLICIES = join(__dirname, '..', 'policies');
const MANAGEMENT = '418273645091';
const PRODUCTION = '602519374862';
const SANDBOX = '739104582736';
const ELSEWHERE = '123456789012';
const ACCOUNTS = [MANAGEMENT, PRODUCTION, SANDBOX, ELSEWHERE];

const caller = (name: string, groups: string[], attributes: Caller['attributes'] = {}, kind: Caller['kind'] = 'apiKey'): Caller => ({ id: `${kind}:${name}`, name, groups, kind, attributes });
const app = caller('payments-app', ['apps'], { accounts: [PRODUCTION] });
const portal = caller('compliance-portal', ['compliance']);
const analyst = caller('dana@example.com', ['analysts'], {}, 'jwt');

function engine(): CedarWasmEngine {
  return new CedarWasmEngine(readPolicySet(join(POLICIES, 'example.cedar'), join(POLICIES, 'trailgraph.cedarschema')), SILENT);
}

/** Which accounts the caller may act on, per action. */
async function grid(e: CedarWasmEngine, c: Caller): Promise<Record<Action, string[]>> {
  const requests: DecisionRequest[] = ALL_ACTIONS.flatMap((action) => ACCOUNTS.map((account) => ({ caller: c, action, account })));
  const decisions = await e.decide(requests);
  const out = Object.fromEntries(ALL_ACTIONS.map((a) => [a, [] as string[]])) as unknown as Record<Action, string[]>;
  requests.forEach((r, i) => decisions[i] === 'allow' && out[r.action].push(r.account));
  return out;
}

describe('the example policy set', () => {
  test('parses and validates against the example schema', () => {
    expect(() => engine()).not.toThrow();
  });

  test('the internal app reads everything of its own account only', async () => {
    expect(await grid(engine(), app)).toEqual({
      ReadEvents: [PRODUCTION],
      ReadSessions: [PRODUCTION],
      ReadPayloads: [PRODUCTION],
      ReadNetworkDetails: [PRODUCTION],
    });
  });

  test('an app key without an accounts attribute reads nothing', async () => {
    expect(Object.values(await grid(engine(), caller('new-app', ['apps']))).flat()).toEqual([]);
  });

  test('the compliance portal reads events, sessions and network details everywhere, payloads nowhere', async () => {
    expect(await grid(engine(), portal)).toEqual({ ReadEvents: ACCOUNTS, ReadSessions: ACCOUNTS, ReadPayloads: [], ReadNetworkDetails: ACCOUNTS });
  });

  test('forbid wins: a compliance caller that is also an admin still reads no payloads', async () => {
    const both = await grid(engine(), caller('portal-admin', ['compliance', 'trailgraph-admins']));
    expect(both.ReadPayloads).toEqual([]);
    expect(both.ReadEvents).toEqual(ACCOUNTS);
  });

  test('analysts read everything of the workload accounts, nothing of the others', async () => {
    const g = await grid(engine(), analyst);
    for (const a of ALL_ACTIONS) expect(g[a]).toEqual([PRODUCTION, SANDBOX]);
  });

  test('a caller in no group reads nothing', async () => {
    expect(Object.values(await grid(engine(), caller('stranger', []))).flat()).toEqual([]);
  });

  test('the example key list parses and matches the policies', () => {
    const keys = parseApiKeyList(readFileSync(join(POLICIES, 'api-keys.example.json'), 'utf8'));
    expect(keys.map((k) => [k.name, k.groups])).toEqual([
      ['payments-app', ['apps']],
      ['compliance-portal', ['compliance']],
      ['analyst-dana', ['analysts']],
    ]);
  });
});

describe('policy set checks', () => {
  const schema = readFileSync(join(POLICIES, 'trailgraph.cedarschema'), 'utf8');

  test('a syntax error, an invalid schema and a policy the schema rejects are refused at boot', () => {
    expect(() => checkPolicySet('permit (principal, action, resource', null)).toThrow(PolicySetError);
    expect(() => checkPolicySet('permit (principal, action, resource);', 'namespace X { entity }')).toThrow(PolicySetError);
    const typo = 'permit (principal, action == Trailgraph::Action::"ReadEvent", resource);';
    expect(() => checkPolicySet(typo, schema)).toThrow(PolicySetError);
    const badAttr = 'permit (principal, action, resource) when { principal.team == "x" };';
    expect(() => checkPolicySet(badAttr, schema)).toThrow(PolicySetError);
    // Without a schema the same text is accepted (Cedar then only parses).
    expect(checkPolicySet(typo, null).version).toMatch(/^cedar-/);
  });

  test('the version changes with the policy text and with the schema', () => {
    const p = 'permit (principal, action, resource);';
    const a = checkPolicySet(p, schema).version;
    expect(checkPolicySet(p, schema).version).toBe(a);
    expect(checkPolicySet(`${p}\n`, schema).version).not.toBe(a);
    expect(checkPolicySet(p, null).version).not.toBe(a);
  });

  test('a request the schema rejects (an undeclared attribute) is denied, and logged', async () => {
    const warnings: string[] = [];
    const e = new CedarWasmEngine(checkPolicySet('permit (principal, action, resource);', schema), { ...SILENT, warn: (_o, m) => warnings.push(m) });
    const ok = await e.decide([{ caller: caller('a', []), action: Action.ReadEvents, account: PRODUCTION }]);
    const bad = await e.decide([{ caller: caller('b', [], { team: 'x' }), action: Action.ReadEvents, account: PRODUCTION }]);
    expect(ok).toEqual(['allow']);
    expect(bad).toEqual(['deny']);
    expect(warnings.length).toBe(1);
  });

  test('two engines with different policy sets coexist in one process', async () => {
    const allow = new CedarWasmEngine(checkPolicySet('permit (principal, action, resource);', null), SILENT);
    const deny = new CedarWasmEngine(checkPolicySet('forbid (principal, action, resource);', null), SILENT);
    const r = [{ caller: portal, action: Action.ReadEvents, account: PRODUCTION }];
    expect([...(await allow.decide(r)), ...(await deny.decide(r)), ...(await allow.decide(r))]).toEqual(['allow', 'deny', 'allow']);
  });
});
