import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { hashApiKey } from '../src/authz/api-keys';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { demoStore } from './support/demo-store';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';
import { fixedClock } from './support/clock';

/**
 * eventStats with authorization on (API keys, the example Cedar policies):
 * counts cover only the caller's accounts, and keys that are network details
 * (USER_AGENT, SOURCE_IP_ADDRESS) only the accounts whose network details the
 * caller may read.
 */
const POLICIES = join(__dirname, '..', 'policies');
const [MANAGEMENT, PRODUCTION, SANDBOX] = ['418273645091', '602519374862', '739104582736'];
const KEYS = { portal: 'tg_stats_portal_key_1', app: 'tg_stats_app_key_2', auditor: 'tg_stats_auditor_key_3' };
/** An auditor reads events everywhere, and network details of the sandbox account only. */
const AUDITORS = `@id("test-auditors")
permit (principal in Trailgraph::Group::"auditors", action == Trailgraph::Action::"ReadEvents", resource);
@id("test-auditors-sandbox-network")
permit (principal in Trailgraph::Group::"auditors", action == Trailgraph::Action::"ReadNetworkDetails", resource == Trailgraph::Account::"${SANDBOX}");`;
const END = new Date('2024-06-10T12:00:00Z');
const TIME = { from: '2024-06-07T00:00:00Z', to: '2024-06-10T12:00:01Z' };

let app: FastifyInstance;
let dyn: CountingDynalite;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-stats-authz-'));
  writeFileSync(join(dir, 'policies.cedar'), `${readFileSync(join(POLICIES, 'example.cedar'), 'utf8')}\n${AUDITORS}\n`);
  dyn = await startCountingDynalite();
  const { config } = loadConfig([], {}, {
    apiKeys: JSON.stringify([
      { name: 'compliance-portal', sha256: hashApiKey(KEYS.portal), groups: ['compliance'] },
      { name: 'payments-app', sha256: hashApiKey(KEYS.app), groups: ['apps'], attributes: { accounts: [PRODUCTION] } },
      { name: 'auditor', sha256: hashApiKey(KEYS.auditor), groups: ['auditors'] },
    ]),
    policyFile: join(dir, 'policies.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: 'stats-authz-decisions',
  });
  const { engine } = await demoStore({ events: 2000, end: END, days: 3 });
  app = await buildApp(config, { engine, logger: false, clock: fixedClock() });
});

afterAll(async () => {
  await app?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const STATS = `query($groupBy: [EventDimension!]!, $filter: EventFilter) { eventStats(groupBy: $groupBy, filter: $filter, limit: 10000) { keys count } }`;
type Groups = Array<{ keys: (string | null)[]; count: number }>;

async function groups(key: string, groupBy: string[], filter: Record<string, unknown> = {}): Promise<Groups> {
  const r = await gql<{ eventStats: Groups }>(app, STATS, { groupBy, filter: { time: TIME, ...filter } }, { 'x-api-key': key });
  expect(r.errors).toBeUndefined();
  return r.data!.eventStats;
}

const total = (gs: Groups) => gs.reduce((a, g) => a + g.count, 0);
const byAccount = async (key: string, filter: Record<string, unknown> = {}) =>
  Object.fromEntries((await groups(key, ['ACCOUNT_ID'], filter)).map((g) => [g.keys[0], g.count]));

describe('eventStats and what the caller may read', () => {
  test('counts cover the caller\'s accounts only', async () => {
    const all = await byAccount(KEYS.portal);
    expect(Object.keys(all).sort()).toEqual([MANAGEMENT, PRODUCTION, SANDBOX]);
    expect(await byAccount(KEYS.app)).toEqual({ [PRODUCTION]: all[PRODUCTION] });
    expect(total(await groups(KEYS.app, ['EVENT_SOURCE']))).toBe(all[PRODUCTION]);
  });

  test('network-detail keys count only the accounts whose network details the caller may read', async () => {
    const all = await byAccount(KEYS.portal);
    // The auditor counts events everywhere ...
    expect(await byAccount(KEYS.auditor)).toEqual(all);
    expect(total(await groups(KEYS.auditor, ['CLIENT_TOOL']))).toBe(all[MANAGEMENT] + all[PRODUCTION] + all[SANDBOX]);
    // ... but user agents and addresses of the sandbox account only, as its Event fields show them.
    for (const d of ['USER_AGENT', 'SOURCE_IP_ADDRESS']) {
      const seen = await groups(KEYS.auditor, [d, 'ACCOUNT_ID']);
      expect([d, [...new Set(seen.map((g) => g.keys[1]))]]).toEqual([d, [SANDBOX]]);
      expect([d, total(seen)]).toEqual([d, all[SANDBOX]]);
      expect(await groups(KEYS.auditor, [d], { accountIds: [PRODUCTION] })).toEqual([]);
    }
  });

  test('without credentials there is nothing to count', async () => {
    const r = await gql(app, STATS, { groupBy: ['EVENT_NAME'], filter: { time: TIME } });
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
  });
});
