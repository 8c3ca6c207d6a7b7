import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { GenerateKeyPairResult, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { hashApiKey } from '../src/authz/api-keys';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { Config, loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';
import { buildApp } from '../src/server';
import { GqlResponse, codes, gql } from './support/api';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';
import { accountOf, commonValues, orderDesc, timeOf } from './support/expected';
import { storeWith } from './support/fixture-store';
import { ingestPaths } from '../src/ingest';
import { verifyDemoTree } from '../src/integrity/demo-verify';
import { referenceRule } from './support/sigma-reference';
import { BUILT_IN_DIR, loadRuleDir } from '../src/detections/load';
import { fixedClock } from './support/clock';
import { decisionsOf } from './support/decision-reference';
import { demoLogRecords } from './support/log-files';
import { walkPages } from './support/paging';

/**
 * The isolation matrix: callers limited to one account, to a group of
 * accounts, without payload access, and with no access at all, over a small
 * demo organisation, through the app's HTTP layer (app.inject: Fastify's
 * request handling, authentication hooks and headers, without a socket)
 * with the example policy set. Everything expected is computed here from
 * the raw records.
 */
const POLICIES = join(__dirname, '..', 'policies');
const [MANAGEMENT, PRODUCTION, SANDBOX] = ['418273645091', '602519374862', '739104582736'];
const ALL = [MANAGEMENT, PRODUCTION, SANDBOX];
const ISSUER = 'https://sso.example.test/';
const AUDIENCE = 'trailgraph';
const KEYS = { app: 'tg_iso_payments_app_key_1', portal: 'tg_iso_compliance_portal_key_2', nobody: 'tg_iso_nobody_key_3', auditor: 'tg_iso_auditor_key_4', admin: 'tg_iso_admin_key_5' };
/** The example policy set, plus one test caller that reads events but neither payloads nor network details. */
const AUDITORS = `@id("test-auditors")
permit (principal in Trailgraph::Group::"auditors", action in [Trailgraph::Action::"ReadEvents", Trailgraph::Action::"ReadSessions"], resource);`;
const PAYLOAD_FIELDS = ['requestParameters', 'responseElements', 'additionalEventData'] as const;
const NETWORK_FIELDS = ['sourceIpAddress', 'userAgent', 'tlsDetails'] as const;
const RECORD_KEYS: Record<string, string> = { requestParameters: 'requestParameters', responseElements: 'responseElements', additionalEventData: 'additionalEventData', sourceIpAddress: 'sourceIPAddress', userAgent: 'userAgent', tlsDetails: 'tlsDetails' };

interface Who {
  headers: () => Record<string, string>;
  events: string[];
  payloads: string[];
  network: string[];
}

let jwtKeys: GenerateKeyPairResult;
let analystToken = '';
const CALLERS: Record<string, Who> = {
  'one account (internal app)': { headers: () => ({ 'x-api-key': KEYS.app }), events: [PRODUCTION], payloads: [PRODUCTION], network: [PRODUCTION] },
  'a group of accounts (analyst, JWT)': { headers: () => ({ authorization: `Bearer ${analystToken}` }), events: [PRODUCTION, SANDBOX], payloads: [PRODUCTION, SANDBOX], network: [PRODUCTION, SANDBOX] },
  'no payload access (compliance portal)': { headers: () => ({ 'x-api-key': KEYS.portal }), events: ALL, payloads: [], network: ALL },
  'events without payloads or network details (auditor)': { headers: () => ({ 'x-api-key': KEYS.auditor }), events: ALL, payloads: [], network: [] },
  'no access (a key in no group)': { headers: () => ({ 'x-api-key': KEYS.nobody }), events: [], payloads: [], network: [] },
};
const PORTAL = CALLERS['no payload access (compliance portal)'];

let records: CloudTrailRecord[];
let TIME: { from: string; to: string };
let app: FastifyInstance;
let dyn: CountingDynalite;
let dir: string;
let digestAccounts: string[] = [];
let logFileAccounts: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-isolation-'));
  await generateDemo({ events: 300, out: join(dir, 'logs'), days: 2, end: new Date('2024-06-10T12:00:00Z'), seed: 7 });
  // Read back independently of the ingest pipeline.
  records = demoLogRecords(join(dir, 'logs'));
  const times = records.map(timeOf).sort();
  TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };

  jwtKeys = await generateKeyPair('ES256');
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(jwtKeys.publicKey)), kid: 'k1', alg: 'ES256' }] }));
  analystToken = await new SignJWT({ groups: ['analysts'] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('dana@example.com').setIssuedAt().setExpirationTime('30m').sign(jwtKeys.privateKey);

  writeFileSync(join(dir, 'policies.cedar'), `${readFileSync(join(POLICIES, 'example.cedar'), 'utf8')}\n${AUDITORS}\n`);
  dyn = await startCountingDynalite();
  const config: Config = loadConfig([], {}, {
    apiKeys: JSON.stringify([
      { name: 'payments-app', sha256: hashApiKey(KEYS.app), groups: ['apps'], attributes: { accounts: [PRODUCTION] } },
      { name: 'compliance-portal', sha256: hashApiKey(KEYS.portal), groups: ['compliance'] },
      { name: 'nobody', sha256: hashApiKey(KEYS.nobody), groups: [] },
      { name: 'auditor', sha256: hashApiKey(KEYS.auditor), groups: ['auditors'] },
      { name: 'admin', sha256: hashApiKey(KEYS.admin), groups: ['trailgraph-admins'] },
    ]),
    jwksFile: join(dir, 'jwks.json'),
    jwtIssuer: ISSUER,
    jwtAudience: AUDIENCE,
    policyFile: join(dir, 'policies.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: 'isolation-decisions',
  }).config;
  const engine = await storeWith(records);
  // The demo's log files and digests, ingested again (every event is already stored) and verified: the log file evidence logFileIntegrity reports.
  await ingestPaths(engine, [join(dir, 'logs')]);
  const verified = await verifyDemoTree(engine, join(dir, 'logs'));
  digestAccounts = verified.digests.filter((d) => d.end >= new Date(TIME.from).toISOString().replace('.000Z', 'Z') && d.end < new Date(TIME.to).toISOString()).map((d) => d.account);
  // Files delivered in the window, by the delivery minute in their name (ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_...).
  const delivered = (key: string): string => key.replace(/^.*_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/, '$1-$2-$3T$4:$5:00.000Z');
  logFileAccounts = verified.logFiles.filter((l) => delivered(l.key) >= new Date(TIME.from).toISOString() && delivered(l.key) < new Date(TIME.to).toISOString()).map((l) => l.account);
  app = await buildApp(config, { engine, logger: false, clock: fixedClock() });
});

afterAll(async () => {
  await app?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const EVENT_FIELDS = `id eventId recipientAccountId ${PAYLOAD_FIELDS.join(' ')} raw ${NETWORK_FIELDS.filter((f) => f !== 'tlsDetails').join(' ')} tlsDetails { tlsVersion cipherSuite clientProvidedHostHeader }`;
const eventsQuery = (fields: string) => `query($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) { edges { cursor node { ${fields} } } pageInfo { hasNextPage endCursor } }
}`;
const EVENTS = eventsQuery(EVENT_FIELDS);
const EVENT_IDS = eventsQuery('id eventId');

type EventNode = Record<string, unknown> & { id: string; eventId: string; raw: Record<string, unknown> };
type EventsData = { events: { edges: { cursor: string; node: EventNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

/** Every page of events for the caller; the responses kept for their errors. */
async function allEvents(who: Who, filter: Record<string, unknown> = {}, after?: string, query = EVENT_IDS): Promise<{ nodes: EventNode[]; cursors: string[]; responses: GqlResponse<EventsData>[] }> {
  const cursors: string[] = [];
  const responses: GqlResponse<EventsData>[] = [];
  const nodes = await walkPages(async (cursor) => {
    const r = await gql<EventsData>(app, query, { filter: { time: TIME, ...filter }, first: 500, after: cursor ?? undefined }, who.headers());
    responses.push(r);
    expect(r.status).toBe(200);
    expect(r.data).not.toBeNull();
    const conn = (r.data as EventsData).events;
    cursors.push(...conn.edges.map((e) => e.cursor));
    return { items: conn.edges.map((e) => e.node), hasNextPage: conn.pageInfo.hasNextPage, endCursor: conn.pageInfo.endCursor };
  }, { after, maxPages: 20 });
  return { nodes, cursors, responses };
}

/** Every event id and cursor, as the compliance portal (which reads every account's events) sees them; asked once. */
let listing: Promise<{ ids: { id: string; eventId: string }[]; cursors: string[] }> | null = null;
function portalListing(): Promise<{ ids: { id: string; eventId: string }[]; cursors: string[] }> {
  listing ??= (async () => {
    const q = `query($filter: EventFilter, $after: String) { events(filter: $filter, first: 500, after: $after) { edges { cursor node { id eventId } } pageInfo { hasNextPage endCursor } } }`;
    const cursors: string[] = [];
    const ids = await walkPages(async (after) => {
      const r = await gql<{ events: { edges: { cursor: string; node: { id: string; eventId: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(app, q, { filter: { time: TIME }, after }, PORTAL.headers());
      const conn = r.data?.events;
      if (!conn) throw new Error('portal listing failed');
      cursors.push(...conn.edges.map((e) => e.cursor));
      return { items: conn.edges.map((e) => e.node), hasNextPage: conn.pageInfo.hasNextPage, endCursor: conn.pageInfo.endCursor };
    });
    expect(ids.length).toBe(records.length);
    return { ids, cursors };
  })();
  return listing;
}

/** The investigation graph's root connections: each node with the events it covers. */
const GRAPH_ROOTS = {
  principals: { key: 'arn', summed: true },
  sessions: { key: 'id', summed: true },
  resources: { key: 'arn', summed: false },
} as const;
type GraphRoot = keyof typeof GRAPH_ROOTS;
interface GraphNode {
  key: string;
  eventCount: number;
  eventIds: string[];
}

async function graphNodes(root: GraphRoot, who: Who): Promise<GraphNode[]> {
  const key = GRAPH_ROOTS[root].key;
  const q = `query($time: TimeRange!, $after: String) {
    ${root}(filter: { time: $time }, first: 100, after: $after) {
      nodes { ${key} eventCount events(filter: { time: $time }, first: 500) { nodes { eventId } pageInfo { hasNextPage } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type Conn = { nodes: (Record<string, unknown> & { eventCount: number; events: { nodes: { eventId: string }[]; pageInfo: { hasNextPage: boolean } } })[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
  return walkPages(async (after) => {
    const r = await gql<Record<string, Conn>>(app, q, { time: TIME, after }, who.headers());
    expect(r.errors).toBeUndefined();
    const conn = (r.data as Record<string, Conn>)[root];
    for (const n of conn.nodes) expect(n.events.pageInfo.hasNextPage).toBe(false);
    const items = conn.nodes.map((n) => ({ key: String(n[key]), eventCount: n.eventCount, eventIds: n.events.nodes.map((e) => e.eventId) }));
    return { items, hasNextPage: conn.pageInfo.hasNextPage, endCursor: conn.pageInfo.endCursor };
  }, { maxPages: 50 });
}

const portalGraph = new Map<GraphRoot, Promise<GraphNode[]>>();
function portalNodes(root: GraphRoot): Promise<GraphNode[]> {
  let p = portalGraph.get(root);
  if (!p) {
    // Every permission: a caller without ReadPayloads sees no resource derived from a payload (issue 13).
    p = graphNodes(root, { ...PORTAL, headers: () => ({ 'x-api-key': KEYS.admin }), payloads: ALL });
    portalGraph.set(root, p);
  }
  return p;
}

const expectedFor = (accounts: string[]): CloudTrailRecord[] => orderDesc(records.filter((r) => accounts.includes(accountOf(r))));
const byId = (): Map<string, CloudTrailRecord> => new Map(records.map((r) => [r.eventID, r]));
const json = (v: unknown): unknown => (v === undefined ? null : v);

test('the demo covers every account, with payloads and network details', () => {
  for (const a of ALL) expect(records.filter((r) => accountOf(r) === a).length).toBeGreaterThan(40);
  expect(records.filter((r) => r.requestParameters).length).toBeGreaterThan(60);
  expect(records.filter((r) => r.tlsDetails).length).toBeGreaterThan(60);
  expect(decisionsOf(records, 'DESC').length).toBeGreaterThan(0);
  // Every caller that reads payloads somewhere has decisions to read, so its decision count is not 0 = 0.
  for (const who of Object.values(CALLERS)) if (who.payloads.length) expect(decisionsOf(records.filter((r) => who.payloads.includes(accountOf(r))), 'DESC').length).toBeGreaterThan(0);
});

describe('credentials', () => {
  const expired = async () =>
    new SignJWT({ groups: ['analysts'] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('dana').setIssuedAt(1_700_000_000).setExpirationTime(1_700_000_600).sign(jwtKeys.privateKey);
  const wrongAudience = async () =>
    new SignJWT({ groups: ['analysts'] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience('other').setSubject('dana').setExpirationTime('5m').sign(jwtKeys.privateKey);

  test.each<[string, () => Promise<Record<string, string>>]>([
    ['no credential', async () => ({})],
    ['an unknown API key', async () => ({ 'x-api-key': 'tg_wrong' })],
    ['an expired JWT', async () => ({ authorization: `Bearer ${await expired()}` })],
    ['a JWT for another audience', async () => ({ authorization: `Bearer ${await wrongAudience()}` })],
  ])('%s: HTTP 401, UNAUTHENTICATED, nothing resolved', async (_name, headers) => {
    dyn.reset();
    const r = await gql(app, EVENTS, { filter: { time: TIME }, first: 5 }, await headers());
    expect(r.status).toBe(401);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect(r.data).toBeUndefined();
    expect(dyn.counts()).toEqual({});
  });

  test('GET queries are authenticated too', async () => {
    const res = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ events(first: 1) { nodes { id } } }')}`, headers: { 'apollo-require-preflight': 'true' } });
    expect(res.statusCode).toBe(401);
    expect((JSON.parse(res.body) as GqlResponse).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe.each(Object.entries(CALLERS))('%s', (_name, who) => {
  test('events: exactly the events of the readable accounts, in order, over every page; guarded fields null with FORBIDDEN at their path where not readable, the rest stands', async () => {
    const { nodes, responses } = await allEvents(who, {}, undefined, EVENTS);
    // Not vacuous: every caller that reads an account has its events; one that reads none gets nothing of a non-empty history.
    expect(expectedFor(who.events).length > 0 || (who.events.length === 0 && byId().size > 0)).toBe(true);
    expect(nodes.map((n) => n.eventId)).toEqual(expectedFor(who.events).map((r) => r.eventID));
    const records = byId();
    const expectedPaths: string[] = [];
    let offset = 0;
    for (const r of responses) {
      const edges = (r.data as EventsData).events.edges;
      edges.forEach((e, i) => {
        const rec = records.get(e.node.eventId) as CloudTrailRecord;
        const account = accountOf(rec);
        expect(e.node.recipientAccountId).toBe(rec.recipientAccountId);
        for (const [fields, allowed] of [[PAYLOAD_FIELDS, who.payloads.includes(account)], [NETWORK_FIELDS, who.network.includes(account)]] as const) {
          for (const f of fields) {
            if (allowed && f !== 'tlsDetails') expect(e.node[f]).toEqual(json(rec[RECORD_KEYS[f]]));
            if (allowed && f === 'tlsDetails') expect(e.node[f] === null).toBe(rec.tlsDetails === undefined || rec.tlsDetails === null);
            if (!allowed) {
              expect(e.node[f]).toBeNull();
              expectedPaths.push(JSON.stringify([offset, 'events', 'edges', i, 'node', f]));
            }
            // raw: the record, less what may not be read.
            expect(RECORD_KEYS[f] in e.node.raw).toBe(allowed && RECORD_KEYS[f] in rec);
          }
        }
        expect(e.node.raw.eventID).toBe(rec.eventID);
      });
      offset++;
    }
    const actualPaths = responses.flatMap((r, page) => (r.errors ?? []).map((e) => {
      expect(e.extensions?.code).toBe('FORBIDDEN');
      return JSON.stringify([page, ...(e.path ?? [])]);
    }));
    expect(actualPaths.sort()).toEqual(expectedPaths.sort());
  });

  test('asking for one account: its events where readable, nothing and no error where not', async () => {
    // Every account is asked for, so callers that read them all are checked too (not a loop over nothing).
    for (const account of ALL) {
      const { nodes, responses } = await allEvents(who, { accountIds: [account] });
      const want = who.events.includes(account) ? expectedFor([account]).map((r) => r.eventID) : [];
      expect(expectedFor([account]).length).toBeGreaterThan(0);
      expect([account, nodes.map((n) => n.eventId)]).toEqual([account, want]);
      expect(responses.flatMap((r) => r.errors ?? [])).toEqual([]);
    }
  });

  test('eventStats: counts equal an independent count over the readable accounts', async () => {
    const q = `query($filter: EventFilter, $groupBy: [EventDimension!]!) { eventStats(filter: $filter, groupBy: $groupBy, limit: 1000) { keys count } }`;
    const byAccount = await gql<{ eventStats: { keys: string[]; count: number }[] }>(app, q, { filter: { time: TIME }, groupBy: ['ACCOUNT_ID'] }, who.headers());
    expect(byAccount.errors).toBeUndefined();
    const expected = who.events.map((a) => [a, records.filter((r) => accountOf(r) === a).length]).sort();
    expect((byAccount.data?.eventStats ?? []).map((g) => [g.keys[0], g.count]).sort()).toEqual(expected);
    const byName = await gql<{ eventStats: { keys: string[]; count: number }[] }>(app, q, { filter: { time: TIME }, groupBy: ['EVENT_NAME', 'REGION'] }, who.headers());
    const total = (byName.data?.eventStats ?? []).reduce((n, g) => n + g.count, 0);
    expect(total).toBe(expectedFor(who.events).length);
  });

  test('latestEventTime and earliestEventTime: the newest and oldest event of the readable accounts only', async () => {
    const r = await gql<{ latestEventTime: string | null; earliestEventTime: string | null }>(app, '{ latestEventTime earliestEventTime }', {}, who.headers());
    expect(r.errors).toBeUndefined();
    const times = records.filter((x) => who.events.includes(accountOf(x))).map((x) => Date.parse(timeOf(x))).sort((a, b) => a - b);
    const got = [r.data?.latestEventTime, r.data?.earliestEventTime].map((t) => (t ? Date.parse(t) : null));
    expect(got).toEqual(times.length ? [times[times.length - 1], times[0]] : [null, null]);
  });

  test('filtering or grouping on network details covers only accounts whose network details it may read', async () => {
    const visible = who.events.filter((a) => who.network.includes(a));
    const q = `query($filter: EventFilter, $groupBy: [EventDimension!]!) { eventStats(filter: $filter, groupBy: $groupBy, limit: 10000) { keys count } }`;
    for (const dim of ['SOURCE_IP_ADDRESS', 'USER_AGENT']) {
      const r = await gql<{ eventStats: { keys: (string | null)[]; count: number }[] }>(app, q, { filter: { time: TIME }, groupBy: [dim, 'ACCOUNT_ID'] }, who.headers());
      expect(r.errors).toBeUndefined();
      const expected = records.filter((x) => visible.includes(accountOf(x))).length;
      const groups = r.data?.eventStats ?? [];
      expect(groups.reduce((n, g) => n + g.count, 0)).toBe(expected);
      // Each group's account is one it may see; with none visible, no group at all (the history has events in every account).
      expect(groups.map((g) => String(g.keys[1])).filter((a) => !visible.includes(a))).toEqual([]);
      if (visible.length === 0) expect(groups).toEqual([]);
      else expect(groups.length).toBeGreaterThan(0);
    }
    // The most common address of each account: each matches only where it may be read.
    const addresses = ALL.map((a) => commonValues(records.filter((x) => accountOf(x) === a), (x) => x.sourceIPAddress, 1)[0]);
    expect(addresses.length).toBe(ALL.length);
    expect(addresses.filter((a) => !a)).toEqual([]);
    const { nodes } = await allEvents(who, { sourceIpAddresses: addresses });
    expect(nodes.map((n) => n.eventId)).toEqual(expectedFor(visible).filter((x) => addresses.includes(String(x.sourceIPAddress))).map((x) => x.eventID));
    const agent = await allEvents(who, { userAgentContains: 'a' });
    expect(agent.nodes.map((n) => n.eventId)).toEqual(expectedFor(visible).filter((x) => String(x.userAgent ?? '').toLowerCase().includes('a')).map((x) => x.eventID));
  });

  test('store: events, first and last event time, accounts and regions of the readable accounts only', async () => {
    const r = await gql<{ store: { events: number; firstEventTime: string | null; lastEventTime: string | null; accounts: string[]; regions: string[] } }>(
      app, '{ store { events firstEventTime lastEventTime accounts regions } }', {}, who.headers());
    expect(r.errors).toBeUndefined();
    const mine = records.filter((x) => who.events.includes(accountOf(x)));
    const times = mine.map((x) => new Date(x.eventTime).toISOString()).sort();
    expect(r.data?.store.events).toBe(mine.length);
    expect(r.data?.store.accounts).toEqual([...who.events].sort());
    expect(r.data?.store.regions).toEqual([...new Set(mine.map((x) => x.awsRegion))].sort());
    expect(r.data?.store.firstEventTime && new Date(r.data.store.firstEventTime).toISOString()).toBe(times.length ? times[0] : null);
    expect(r.data?.store.lastEventTime && new Date(r.data.store.lastEventTime).toISOString()).toBe(times.length ? times[times.length - 1] : null);
  });

  test('session and principal summaries list source IPs and user agents only for a caller with network details in every readable account', async () => {
    const q = `query($t: TimeRange) { sessions(first: 50, filter: { time: $t }) { nodes { sourceIpAddresses userAgents } } principals(first: 50, filter: { time: $t }) { nodes { sourceIpAddresses } } }`;
    type Lists = { sessions: { nodes: { sourceIpAddresses: string[]; userAgents: string[] }[] }; principals: { nodes: { sourceIpAddresses: string[] }[] } };
    const r = await gql<Lists>(app, q, { t: TIME }, who.headers());
    expect(r.errors).toBeUndefined();
    const lists = [...(r.data?.sessions.nodes ?? []).flatMap((n) => [n.sourceIpAddresses, n.userAgents]), ...(r.data?.principals.nodes ?? []).map((n) => n.sourceIpAddresses)];
    if (who.events.length === 0) {
      expect(lists).toEqual([]);
    } else if (who.events.every((a) => who.network.includes(a))) {
      expect(lists.some((l) => l.length > 0)).toBe(true);
    } else {
      expect(lists.length).toBeGreaterThan(0);
      expect(lists.filter((l) => l.length > 0)).toEqual([]);
    }
  });

  test.each(Object.keys(GRAPH_ROOTS) as GraphRoot[])('%s: the nodes and their events are those of the readable accounts; counts agree', async (root) => {
    const records = byId();
    const nodes = await graphNodes(root, who);
    if (who.events.length) expect(nodes.length).toBeGreaterThan(0);
    const seen = new Set(nodes.flatMap((n) => n.eventIds));
    for (const id of seen) expect(who.events).toContain(accountOf(records.get(id) as CloudTrailRecord));
    // What the portal (every account) sees, restricted to this caller's accounts, is exactly what this caller sees.
    const all = await portalNodes(root);
    expect(all.length).toBeGreaterThan(0);
    // A resource named only in a payload (requestParameters) is seen only with ReadPayloads (issue 13).
    const readable = (id: string, key: string) => {
      const r = records.get(id) as CloudTrailRecord;
      const named = (r.resources ?? []).some((x) => x.ARN === key);
      return who.events.includes(accountOf(r)) && (root !== 'resources' || named || who.payloads.includes(accountOf(r)));
    };
    const expected = all.map((n) => ({ key: n.key, eventIds: n.eventIds.filter((id) => readable(id, n.key)).sort() })).filter((n) => n.eventIds.length > 0);
    const actual = nodes.map((n) => ({ key: n.key, eventIds: [...n.eventIds].sort() }));
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
    for (const n of nodes) expect(n.eventCount).toBe(n.eventIds.length);
    if (GRAPH_ROOTS[root].summed) expect(nodes.reduce((k, n) => k + n.eventCount, 0)).toBe(seen.size);
    if (who.events.length === 0) expect(nodes).toEqual([]);
  });

  test('principal(arn:), resource(arn:) and session(id:) of another account are null, like missing ones', async () => {
    const records = byId();
    const onlyForbidden = (n: GraphNode) => n.eventIds.every((id) => !who.events.includes(accountOf(records.get(id) as CloudTrailRecord)));
    const q = {
      principals: `query($k: String!, $time: TimeRange) { x: principal(arn: $k, time: $time) { arn } }`,
      resources: `query($k: String!, $time: TimeRange) { x: resource(arn: $k, time: $time) { arn } }`,
      sessions: `query($k: ID!) { x: session(id: $k) { id } }`,
    };
    const missing = { principals: 'arn:aws:iam::999999999999:user/nobody-at-all', resources: 'arn:aws:s3:::no-such-bucket-anywhere', sessions: null };
    for (const root of Object.keys(GRAPH_ROOTS) as GraphRoot[]) {
      const forbidden = (await portalNodes(root)).filter(onlyForbidden).slice(0, 3);
      if (who.events.length < ALL.length) expect(forbidden.length).toBeGreaterThan(0);
      for (const n of forbidden) {
        const r = await gql(app, q[root], { k: n.key, time: TIME }, who.headers());
        expect({ data: r.data, errors: r.errors ?? [] }).toEqual({ data: { x: null }, errors: [] });
      }
      const m = missing[root];
      if (m) expect((await gql(app, q[root], { k: m, time: TIME }, who.headers())).data).toEqual({ x: null });
    }
  });

  test('authorizationDecisions: only those recorded in accounts whose payloads it may read', async () => {
    const readable = who.events.filter((a) => who.payloads.includes(a));
    const expected = decisionsOf(records.filter((r) => readable.includes(accountOf(r))), 'DESC').length;
    const q = `query($time: TimeRange!, $after: String) { authorizationDecisions(filter: { time: $time }, first: 500, after: $after) { nodes { decision } pageInfo { hasNextPage endCursor } } }`;
    const decisions = await walkPages(async (after) => {
      const r = await gql<{ authorizationDecisions: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(app, q, { time: TIME, after }, who.headers());
      expect(r.errors).toBeUndefined();
      const conn = r.data!.authorizationDecisions;
      return { items: conn.nodes, hasNextPage: conn.pageInfo.hasNextPage, endCursor: conn.pageInfo.endCursor };
    }, { maxPages: 20 });
    expect(decisions.length).toBe(expected);
    // Event.authorizationDecisions: empty where payloads may not be read.
    const ev = await gql<{ events: { nodes: { recipientAccountId: string; authorizationDecisions: unknown[] }[] } }>(
      app,
      `query($time: TimeRange!) { events(filter: { time: $time, eventSources: ["verifiedpermissions.amazonaws.com"] }, first: 500) { nodes { recipientAccountId authorizationDecisions { decision } } } }`,
      { time: TIME },
      who.headers(),
    );
    const decisionEvents = ev.data?.events.nodes ?? [];
    // Callers that read events see the decision events themselves; only their decisions are withheld where payloads are not readable.
    if (who.events.length) expect(decisionEvents.length).toBeGreaterThan(0);
    const perEvent = decisionEvents.reduce((k, e) => k + e.authorizationDecisions.length, 0);
    expect(perEvent).toBe(expected);
  });

  test('detections: each rule counts only the accounts where the caller may read what it reads', async () => {
    const r = await gql<{ detections: { rule: { id: string }; count: number }[] }>(app, `query($time: TimeRange!) { detections(filter: { time: $time }) { rule { id } count } }`, { time: TIME }, who.headers());
    expect(r.errors).toBeUndefined();
    const want: Record<string, number> = {};
    for (const rule of loadRuleDir(BUILT_IN_DIR, true)) {
      if (!rule.supported) continue;
      const accounts = who.events.filter((a) => (!rule.guards.includes('payloads') || who.payloads.includes(a)) && (!rule.guards.includes('network') || who.network.includes(a)));
      const n = expectedFor(accounts).filter(referenceRule(join(BUILT_IN_DIR, rule.origin.file)).matches).length;
      if (n) want[rule.meta.id] = n;
    }
    expect(Object.fromEntries((r.data?.detections ?? []).map((d) => [d.rule.id, d.count]))).toEqual(want);
  });

  test('event(id:) and node(id:) of another account are null, exactly like a missing event', async () => {
    const { ids: everything } = await portalListing();
    const records = byId();
    const firstOf = (a: string) => everything.find((n) => accountOf(records.get(n.eventId) as CloudTrailRecord) === a) as { id: string; eventId: string };
    const forbidden = ALL.filter((a) => !who.events.includes(a)).map(firstOf);
    const allowed = who.events.map(firstOf);
    // A well-formed id of an event that does not exist: the answer a forbidden id must be indistinguishable from.
    const missing = Buffer.from(Buffer.from(allowed[0]?.id ?? forbidden[0].id, 'base64url').toString('utf8').replace(/:[^:]+$/, ':00000000-0000-0000-0000-000000000000')).toString('base64url');
    const q = `query($id: ID!) { event(id: $id) { eventId } node(id: $id) { id } }`;
    const answerFor = async (id: string) => {
      const r = await gql(app, q, { id }, who.headers());
      return { status: r.status, data: r.data, errors: r.errors ?? [] };
    };
    const absent = await answerFor(missing);
    expect(absent).toEqual({ status: 200, data: { event: null, node: null }, errors: [] });
    expect(forbidden.length + allowed.length).toBe(ALL.length);
    for (const n of forbidden) expect(await answerFor(n.id)).toEqual(absent);
    for (const n of allowed) expect((await answerFor(n.id)).data).toEqual({ event: { eventId: n.eventId }, node: { id: n.id } });
  });

  test('a cursor taken from another caller\'s page only moves through what this caller may read', async () => {
    const { ids: everything, cursors } = await portalListing();
    const records = byId();
    const mid = Math.floor(everything.length / 2);
    const { nodes } = await allEvents(who, {}, cursors[mid]);
    const boundary = records.get(everything[mid].eventId) as CloudTrailRecord;
    const older = expectedFor(who.events).filter((r) => timeOf(r) < timeOf(boundary) || (timeOf(r) === timeOf(boundary) && r.eventID < boundary.eventID));
    if (who.events.length) expect(older.length).toBeGreaterThan(0);
    expect(nodes.map((n) => n.eventId)).toEqual(older.map((r) => r.eventID));
  });

  test('logFileIntegrity: the log files and digests of the readable accounts only', async () => {
    const q = `query($filter: LogFileIntegrityFilter) { logFileIntegrity(filter: $filter) { files { valid total } digestsChecked failures { nodes { accountId } } } }`;
    expect(logFileAccounts.length).toBeGreaterThan(0);
    for (const accountIds of [undefined, ALL]) {
      const r = await gql<{ logFileIntegrity: { files: { valid: number; total: number }; digestsChecked: number; failures: { nodes: unknown[] } } }>(app, q, { filter: { time: TIME, accountIds } }, who.headers());
      expect(r.errors).toBeUndefined();
      const own = logFileAccounts.filter((a) => who.events.includes(a)).length;
      expect(r.data?.logFileIntegrity.files).toEqual({ valid: own, total: own });
      expect(r.data?.logFileIntegrity.digestsChecked).toBe(digestAccounts.filter((a) => who.events.includes(a)).length);
      expect(r.data?.logFileIntegrity.failures.nodes).toEqual([]);
    }
  });

  test('accessLog: FORBIDDEN to a caller without ReadAccessLog (none of these holds it), before anything is read', async () => {
    const r = await gql<{ accessLog: unknown }>(app, '{ accessLog(first: 5) { nodes { caller outcome } } }', {}, who.headers());
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.data ?? null).toBeNull();
  });

  test('extensions.cost counts the decisions looked up', async () => {
    const r = await gql(app, EVENTS, { filter: { time: TIME }, first: 3 }, who.headers());
    const cost = r.extensions?.cost as Record<string, number>;
    expect(cost.decisionLookups).toBeGreaterThan(0);
    expect(cost.cacheHits + cost.cacheMisses).toBe(cost.decisionLookups);
  });
});

test('a warm request costs no DynamoDB call and no write, all hits', async () => {
  const who = CALLERS['a group of accounts (analyst, JWT)'];
  await gql(app, EVENTS, { filter: { time: TIME }, first: 50 }, who.headers());
  dyn.reset();
  const r = await gql(app, EVENTS, { filter: { time: TIME }, first: 50 }, who.headers());
  expect(r.errors).toBeUndefined();
  expect(dyn.counts()).toEqual({});
  const cost = r.extensions?.cost as Record<string, number>;
  expect(cost).toMatchObject({ cacheMisses: 0 });
  expect(cost.cacheHits).toBe(cost.decisionLookups);
});

test('every root field of the schema is in this matrix', async () => {
  // A new root field must be added to the matrix above, with its own checks.
  const COVERED = [
    'accessLog', 'authorizationDecisions', 'detectionRules', 'detections', 'earliestEventTime', 'event', 'eventStats', 'events', 'latestEventTime',
    'logFileIntegrity', 'node', 'principal', 'principals', 'resource', 'resources', 'session', 'sessions', 'store',
  ];
  const r = await gql<{ __schema: { queryType: { fields: { name: string }[] } } }>(app, '{ __schema { queryType { fields { name } } } }', {}, PORTAL.headers());
  expect((r.data?.__schema.queryType.fields ?? []).map((f) => f.name).sort()).toEqual(COVERED);
});
