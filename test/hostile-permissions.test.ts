import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { GraphQLField, GraphQLSchema, getNamedType, isObjectType } from 'graphql';
import { apiSchema } from '../resolvers/schema';
import { hashApiKey } from '../src/authz/api-keys';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';
import { storeWith } from './support/fixture-store';

/**
 * Issue 13, findings 5 and 6: what a caller may not read (network details,
 * payloads) it may not filter, group, count or derive by, on any path. The
 * test walks the whole schema: every field that takes a filter or an
 * argument naming a guarded value is probed, from every type that holds it,
 * for a caller with ReadEvents and ReadSessions only (expected: nothing
 * matches) and for one with every permission (expected: the same probe
 * matches, so the data is there). A field the walk does not know how to
 * reach fails the test.
 */
const ACCT = '111122223333';
const IP = '203.0.113.77';
const AGENT = 'aws-cli/2.15.0 secret-agent-x';
const DERIVED_BUCKET = 'arn:aws:s3:::secret-bucket';
const DERIVED_OBJECT = 'arn:aws:s3:::secret-bucket/payroll.csv';
const NAMED_TABLE = `arn:aws:dynamodb:us-east-1:${ACCT}:table/visible`;
const KEYS = { full: 'tg_hostile_full_key_1', limited: 'tg_hostile_limited_key_2' };

const alice = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEALICE:alice',
  arn: `arn:aws:sts::${ACCT}:assumed-role/Ops/alice`,
  accountId: ACCT,
  accessKeyId: 'ASIAEXAMPLEALICE0001',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEALICE', arn: `arn:aws:iam::${ACCT}:role/Ops`, accountId: ACCT, userName: 'Ops' },
    attributes: { creationDate: '2024-06-10T09:00:00Z', mfaAuthenticated: 'false' },
  },
};
const bob = { type: 'IAMUser', principalId: 'AIDAEXAMPLEBOB000001', arn: `arn:aws:iam::${ACCT}:user/bob`, accountId: ACCT, userName: 'bob' };

function record(n: number, fields: Record<string, unknown>): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    eventTime: `2024-06-10T10:0${n}:00Z`,
    awsRegion: 'us-east-1',
    sourceIPAddress: IP,
    userAgent: AGENT,
    eventID: `00000000-0000-4000-8000-00000000000${n}`,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCT,
    userIdentity: alice,
    readOnly: true,
    ...fields,
  } as unknown as CloudTrailRecord;
}

const RECORDS: CloudTrailRecord[] = [
  // Resources named only in requestParameters: a bucket and an object.
  record(1, { eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventCategory: 'Data', requestParameters: { bucketName: 'secret-bucket', key: 'payroll.csv' } }),
  // A resource named in resources[]: visible to anyone who may read the event.
  record(2, { eventSource: 'dynamodb.amazonaws.com', eventName: 'GetItem', resources: [{ ARN: NAMED_TABLE, type: 'AWS::DynamoDB::Table', accountId: ACCT }] }),
  // MFA said only in additionalEventData.
  record(3, {
    eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', userIdentity: bob,
    sourceIPAddress: '198.51.100.1', userAgent: 'Mozilla/5.0', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' },
  }),
  // A Verified Permissions decision: read from the payloads.
  record(4, {
    eventSource: 'verifiedpermissions.amazonaws.com', eventName: 'IsAuthorized', eventCategory: 'Data',
    requestParameters: { policyStoreId: 'PSEXAMPLE', principal: { entityType: 'App::User', entityId: 'carol' }, action: { actionType: 'App::Action', actionId: 'View' }, resource: { entityType: 'App::Doc', entityId: 'd1' } },
    additionalEventData: { decision: 'ALLOW' },
  }),
];

const POLICY = `@id("full")
permit (principal in Trailgraph::Group::"full", action, resource);
@id("limited")
permit (principal in Trailgraph::Group::"limited", action in [Trailgraph::Action::"ReadEvents", Trailgraph::Action::"ReadSessions"], resource);`;

let app: FastifyInstance;
let dyn: CountingDynalite;
let dir: string;
let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await apiSchema();
  dir = mkdtempSync(join(tmpdir(), 'tg-hostile-perm-'));
  writeFileSync(join(dir, 'policies.cedar'), POLICY);
  dyn = await startCountingDynalite();
  const { config } = loadConfig([], {}, {
    apiKeys: JSON.stringify([
      { name: 'full', sha256: hashApiKey(KEYS.full), groups: ['full'] },
      { name: 'limited', sha256: hashApiKey(KEYS.limited), groups: ['limited'] },
    ]),
    policyFile: join(dir, 'policies.cedar'),
    policySchemaFile: join(__dirname, '..', 'policies', 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: 'hostile-permissions',
    maxSpanDays: 36600,
    defaultWindowDays: 36600,
  });
  app = await buildApp(config, { engine: await storeWith(RECORDS), logger: false });
});

afterAll(async () => {
  await app?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** How a walk reaches a field of each type: a query with the field's selection inside. */
const REACH: Record<string, (inner: string) => string> = {
  Query: (x) => `{ ${x} }`,
  Event: (x) => `{ events(first: 50) { nodes { ${x} } } }`,
  Principal: (x) => `{ principals(first: 50) { nodes { ${x} } } }`,
  Session: (x) => `{ sessions(first: 50) { nodes { ${x} } } }`,
  Resource: (x) => `{ resources(first: 50) { nodes { ${x} } } }`,
};

type Guard = 'network' | 'payloads';
interface Probe {
  guard: Guard;
  args: string;
  /** The full caller's answer is not asserted non-empty (the EventFilter resource filters read resources[] only until they read the touches). */
  fullMayBeEmpty?: boolean;
}

/** The probes of each guarded argument type: values the limited caller may not filter, group or derive by. */
const PROBES: Record<string, Probe[]> = {
  EventFilter: [
    { guard: 'network', args: `filter: { sourceIpAddresses: ["${IP}"] }` },
    { guard: 'network', args: `filter: { userAgentContains: "SECRET-AGENT" }` },
    { guard: 'payloads', args: `filter: { resourceArns: ["${DERIVED_OBJECT}"] }`, fullMayBeEmpty: true },
    { guard: 'payloads', args: `filter: { resourceTypes: ["AWS::S3::Object"] }`, fullMayBeEmpty: true },
  ],
  EventDimension: [
    { guard: 'network', args: `groupBy: [SOURCE_IP_ADDRESS]` },
    { guard: 'network', args: `groupBy: [USER_AGENT]` },
  ],
  SessionFilter: [{ guard: 'payloads', args: `filter: { mfaAuthenticated: true }` }],
  ResourceFilter: [
    { guard: 'payloads', args: `filter: { types: ["AWS::S3::Object"] }` },
    { guard: 'payloads', args: `filter: { arnPrefix: "arn:aws:s3:::secret" }` },
  ],
  AuthorizationDecisionFilter: [{ guard: 'payloads', args: `filter: { policyStoreIds: ["PSEXAMPLE"] }` }],
  'Query.resource.arn': [{ guard: 'payloads', args: `arn: "${DERIVED_OBJECT}"` }],
};

/** Arguments a probe must still give (required, or a grouping for a filter probe). */
const REQUIRED: Record<string, string> = { groupBy: 'groupBy: [EVENT_NAME]', arn: `arn: "${DERIVED_OBJECT}"` };

/** What the probed field answers, as something countable. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type).name;
  if (type.endsWith('Connection')) return '{ nodes { __typename } }';
  if (type === 'EventGroup') return '{ count }';
  if (type === 'Resource') return '{ eventCount }';
  if (type === 'Detection') return '{ count }';
  throw new Error(`no selection for ${type}`);
}

/** The matches under every `probe` alias: nodes of connections, counts of groups, events of a resource. */
function countProbes(value: unknown, inProbe = false): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countProbes(v, inProbe), 0);
  if (value === null || typeof value !== 'object') return 0;
  const o = value as Record<string, unknown>;
  if (inProbe && typeof o.count === 'number') return o.count;
  if (inProbe && typeof o.eventCount === 'number') return o.eventCount;
  if (inProbe && typeof o.__typename === 'string') return 1;
  return Object.entries(o).reduce((n, [k, v]) => n + countProbes(v, inProbe || k === 'probe'), 0);
}

interface Case {
  name: string;
  query: string;
  probe: Probe;
}

function walk(): { cases: Case[]; unreachable: string[] } {
  const cases: Case[] = [];
  const unreachable: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    // Subscriptions run over WebSocket: their network filter is refused without the permission in subscriptions-authz.test.ts.
    if (type === schema.getSubscriptionType()) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) {
        const probes = PROBES[`${type.name}.${field.name}.${arg.name}`] ?? PROBES[getNamedType(arg.type).name];
        if (!probes) continue;
        const reach = REACH[type.name];
        if (!reach) {
          unreachable.push(`${type.name}.${field.name}(${arg.name})`);
          continue;
        }
        for (const given of probes) {
          // detections answer only the rules some event matches: the probes' events need match none for the full caller.
          const probe = type.name === 'Query' && field.name === 'detections' ? { ...given, fullMayBeEmpty: true } : given;
          const others = field.args.filter((a) => a !== arg && a.type.toString().endsWith('!') && REQUIRED[a.name]).map((a) => REQUIRED[a.name]);
          const args = [probe.args, ...others].join(', ');
          cases.push({ name: `${type.name}.${field.name}(${args})`, query: reach(`probe: ${field.name}(${args}) ${selectionOf(field)}`), probe });
        }
      }
    }
  }
  return { cases, unreachable };
}

async function count(key: string, query: string): Promise<number> {
  const r = await gql(app, query, {}, { 'x-api-key': key });
  // A probe may be refused (FORBIDDEN, BAD_USER_INPUT) instead of answering nothing; it may not answer something.
  for (const e of r.errors ?? []) expect(['FORBIDDEN', 'BAD_USER_INPUT']).toContain(e.extensions?.code);
  return countProbes(r.data);
}

test('the walk reaches every field that takes a guarded argument, on every type that has one', () => {
  const { cases, unreachable } = walk();
  expect(unreachable).toEqual([]);
  const names = cases.map((c) => c.name.split('(')[0]);
  // By hand: the four event connections, eventStats, sessions at the root and of principals, resources, resource, decisions.
  for (const f of ['Query.events', 'Principal.events', 'Session.events', 'Resource.events', 'Query.eventStats', 'Query.sessions', 'Principal.sessions', 'Query.resources', 'Query.resource', 'Query.authorizationDecisions']) {
    expect(names).toContain(f);
  }
});

test('findings 5 and 6: no guarded value can be filtered, grouped or counted by without its permission, on any path', async () => {
  const { cases } = walk();
  // By hand: 4 event connections x 4 filter probes, eventStats 4 + 2 groupings, 2 session connections, 2 resource filters, resource(arn:), decisions.
  expect(cases.length).toBeGreaterThanOrEqual(28);
  const leaks: string[] = [];
  const empty: string[] = [];
  for (const c of cases) {
    const [full, limited] = [await count(KEYS.full, c.query), await count(KEYS.limited, c.query)];
    if (limited !== 0) leaks.push(`${c.probe.guard} ${c.name}: ${limited}`);
    if (full === 0 && !c.probe.fullMayBeEmpty) empty.push(c.name);
  }
  expect(leaks).toEqual([]);
  expect(empty).toEqual([]);
});

/** Every field that answers resources, with the ARNs it answers. */
const RESOURCE_OUTPUTS: Record<string, string> = {
  'Event.resources': REACH.Event('probe: resources { arn }'),
  'Principal.resources': REACH.Principal('probe: resources(first: 50) { nodes { arn } }'),
  'Session.resources': REACH.Session('probe: resources(first: 50) { nodes { arn } }'),
  'Query.resources': REACH.Query('probe: resources(first: 50) { nodes { arn } }'),
};

function arnsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(arnsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (k === 'arn' && typeof v === 'string' ? [v] : arnsIn(v)));
}

test('finding 6: resources derived from requestParameters are answered only with ReadPayloads, on every field that answers resources', async () => {
  const answering = Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.values((t as import('graphql').GraphQLObjectType).getFields()).map((f) => [t.name, f] as const))
    .filter(([t, f]) => ['Resource', 'ResourceConnection'].includes(getNamedType(f.type).name) && !(t === 'Query' && f.name === 'resource') && !t.endsWith('Edge') && !t.endsWith('Connection'))
    .map(([t, f]) => `${t}.${f.name}`)
    .sort();
  expect(answering).toEqual(Object.keys(RESOURCE_OUTPUTS).sort());
  for (const [name, query] of Object.entries(RESOURCE_OUTPUTS)) {
    const full = arnsIn((await gql(app, query, {}, { 'x-api-key': KEYS.full })).data);
    const limited = arnsIn((await gql(app, query, {}, { 'x-api-key': KEYS.limited })).data);
    expect({ name, full: full.includes(DERIVED_OBJECT) && full.includes(DERIVED_BUCKET) }).toEqual({ name, full: true });
    expect({ name, leaked: limited.filter((a) => a.startsWith('arn:aws:s3:::') || a.includes('policy-store')) }).toEqual({ name, leaked: [] });
    // resources[] stays visible: only what the payload names is guarded.
    if (name !== 'Principal.resources' || limited.length) expect({ name, named: limited.includes(NAMED_TABLE) }).toEqual({ name, named: true });
  }
});

test('finding 6: MFA read from a sign-in\'s additionalEventData is not said without ReadPayloads', async () => {
  const q = `{ sessions(first: 10) { nodes { kind mfaAuthenticated } } }`;
  const mfa = async (key: string) =>
    ((await gql<{ sessions: { nodes: Array<{ kind: string; mfaAuthenticated: boolean | null }> } }>(app, q, {}, { 'x-api-key': key })).data?.sessions.nodes ?? [])
      .filter((s) => s.kind === 'CONSOLE')
      .map((s) => s.mfaAuthenticated);
  expect(await mfa(KEYS.full)).toEqual([true]);
  expect(await mfa(KEYS.limited)).toEqual([null]);
});
