import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FastifyInstance } from 'fastify';
import { hashApiKey } from '../src/authz/api-keys';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { BUILT_IN_DIR, loadRuleDir } from '../src/detections/load';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { corpusEngine } from './support/corpus';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';
import { firstOfEachId, timeOf } from './support/expected';
import { corpusRecords } from './support/fixture-store';
import { principalArnOf, sessionRefOf } from './support/graph-reference';
import { referenceRule } from './support/sigma-reference';

/**
 * Detections through the API over the corpus, with the built-in pack and
 * SigmaHQ's rules (--rules): each detection's counts, times and principals
 * equal the reference evaluation over the raw records; Event.detections,
 * Principal.detections and the detectionRuleIds filter agree with it; all
 * rules run in one statement; a caller without ReadPayloads does not run
 * the rules that read payloads.
 */
const SIGMA_DIR = resolve(__dirname, '../../shared/sigma/rules');
const POLICIES = join(__dirname, '..', 'policies');
const KEYS = { full: 'tg_detect_full_key_1', analyst: 'tg_detect_analyst_key_2' };
const POLICY = `@id("full")
permit (principal in Trailgraph::Group::"full", action, resource);
@id("analysts-events")
permit (principal in Trailgraph::Group::"analysts", action == Trailgraph::Action::"ReadEvents", resource);
`;
const TIME = { from: '2010-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' };

const records: CloudTrailRecord[] = firstOfEachId(corpusRecords());
const ruleFiles = [...loadRuleDir(BUILT_IN_DIR, true).map((r) => ({ r, dir: BUILT_IN_DIR })), ...loadRuleDir(SIGMA_DIR).map((r) => ({ r, dir: SIGMA_DIR }))].filter((x) => x.r.supported);
/** Rule id → the raw records it matches (the reference). */
const expected = new Map(ruleFiles.map(({ r, dir }) => [r.meta.id, records.filter(referenceRule(join(dir, r.origin.file)).matches)]));
/** Rules that read payloads or network details: the analyst may read neither. */
const guardedRules = new Set(ruleFiles.filter(({ r }) => r.supported && r.guards.length > 0).map(({ r }) => r.meta.id));

let app: FastifyInstance;
let dyn: CountingDynalite;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-detections-'));
  writeFileSync(join(dir, 'policies.cedar'), POLICY);
  dyn = await startCountingDynalite();
  const { config } = loadConfig(['--rules', SIGMA_DIR], {}, {
    maxSpanDays: 36600,
    apiKeys: JSON.stringify([
      { name: 'full', sha256: hashApiKey(KEYS.full), groups: ['full'] },
      { name: 'analyst', sha256: hashApiKey(KEYS.analyst), groups: ['analysts'] },
    ]),
    policyFile: join(dir, 'policies.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: 'detections-decisions',
  });
  app = await buildApp(config, { engine: await corpusEngine(), logger: false });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Det {
  rule: { id: string; title: string; author: string | null; attribution: string | null; builtIn: boolean };
  count: number;
  firstSeen: string;
  lastSeen: string;
  principalCount: number;
  sessionCount: number;
  principals: Array<{ arn: string }>;
  sessions: Array<{ id: string; kind: string }>;
}

const DETECTIONS = `query($filter: EventFilter) { detections(filter: $filter) {
  rule { id title author attribution builtIn } count firstSeen lastSeen principalCount sessionCount principals(first: 100) { arn } sessions(first: 100) { id kind } } }`;

test('detectionRules lists every rule loaded, SigmaHQ\'s unsupported one with its reason', async () => {
  const r = await gql<{ detectionRules: Array<{ id: string; supported: boolean; reason: string | null; file: string }> }>(app, '{ detectionRules { id supported reason file } }', {}, { 'x-api-key': KEYS.full });
  expect(r.errors).toBeUndefined();
  const rules = r.data!.detectionRules;
  expect(rules).toHaveLength(loadRuleDir(BUILT_IN_DIR, true).length + 57);
  const off = rules.filter((x) => !x.supported);
  expect(off.map((x) => x.file)).toEqual(['aws_delete_saml_provider.yml']);
  expect(off[0].reason).toContain('status');
});

test('each detection equals the reference: counts, first and last time, principals; attribution for third-party rules; one statement', async () => {
  const r = await gql<{ detections: Det[] }>(app, DETECTIONS, { filter: { time: TIME } }, { 'x-api-key': KEYS.full });
  expect(r.errors).toBeUndefined();
  const got = new Map(r.data!.detections.map((d) => [d.rule.id, d]));
  const matched = [...expected].filter(([, xs]) => xs.length > 0);
  expect(matched.length).toBeGreaterThanOrEqual(20);
  expect([...got.keys()].sort()).toEqual(matched.map(([id]) => id).sort());
  for (const [id, xs] of matched) {
    const d = got.get(id)!;
    const times = xs.map(timeOf).sort();
    const principals = [...new Set(xs.map(principalArnOf).filter((p): p is string => p !== null))].sort();
    const sessions = [...new Set(xs.map(sessionRefOf).filter((p): p is string => p !== null))];
    // Listed: the first 100 by matched events (all of them when fewer).
    const kinds = sessions.map((x) => x.split('|')[0]).sort();
    const listed = d.sessions.map((x) => x.kind).sort();
    expect({ id, sessionCount: d.sessionCount, listed: listed.length }).toEqual({ id, sessionCount: sessions.length, listed: Math.min(100, sessions.length) });
    if (sessions.length <= 100) expect(listed).toEqual(kinds);
    else for (const k of listed) expect(kinds).toContain(k);
    expect({ id, count: d.count, first: new Date(d.firstSeen).getTime(), last: new Date(d.lastSeen).getTime(), principalCount: d.principalCount, principals: d.principals.map((p) => p.arn).sort() })
      .toEqual({ id, count: xs.length, first: Date.parse(times[0]), last: Date.parse(times[times.length - 1]) - (Date.parse(times[times.length - 1]) % 1000), principalCount: principals.length, principals });
    if (!d.rule.builtIn) expect(d.rule.attribution).toContain(d.rule.author ?? '');
    else expect(d.rule.attribution).toBeNull();
  }
  // The summaries in one statement, the principals of every detection in one more, their sessions in one more.
  expect(r.extensions?.cost?.historyQueries).toBe(3);
});

test('events filtered by detectionRuleIds, and Event.detections, agree with the reference', async () => {
  const [id, xs] = [...expected].filter(([, v]) => v.length >= 2).sort((a, b) => b[1].length - a[1].length)[0];
  const q = `query($filter: EventFilter) { events(first: 500, filter: $filter) { nodes { eventId detections { id } } } }`;
  const r = await gql<{ events: { nodes: Array<{ eventId: string; detections: Array<{ id: string }> }> } }>(app, q, { filter: { time: TIME, detectionRuleIds: [id] } }, { 'x-api-key': KEYS.full });
  expect(r.errors).toBeUndefined();
  const nodes = r.data!.events.nodes;
  expect(nodes.map((n) => n.eventId).sort()).toEqual(xs.map((x) => x.eventID).sort());
  for (const n of nodes) {
    const rec = records.find((x) => x.eventID === n.eventId)!;
    const want = [...expected].filter(([, v]) => v.includes(rec)).map(([rid]) => rid).sort();
    expect(n.detections.map((d) => d.id).sort()).toEqual(want);
  }
  // The matches of all the page's events: one statement more than the page alone.
  const page = await gql(app, q.replace(' detections { id }', ''), { filter: { time: TIME, detectionRuleIds: [id] } }, { 'x-api-key': KEYS.full });
  expect(r.extensions?.cost?.historyQueries).toBe((page.extensions?.cost?.historyQueries ?? 0) + 1);
});

test('Principal.detections counts the principal\'s matched events', async () => {
  const withPrincipal = [...expected].flatMap(([id, xs]) => xs.map((x) => ({ id, arn: principalArnOf(x) }))).filter((x): x is { id: string; arn: string } => x.arn !== null);
  expect(withPrincipal.length).toBeGreaterThan(0);
  const arn = withPrincipal[0].arn;
  const want = new Map<string, number>();
  for (const x of withPrincipal) if (x.arn === arn) want.set(x.id, (want.get(x.id) ?? 0) + 1);
  const q = `query($arn: String!, $time: TimeRange) { principal(arn: $arn, time: $time) { detections { rule { id } count } } }`;
  const r = await gql<{ principal: { detections: Array<{ rule: { id: string }; count: number }> } }>(app, q, { arn, time: TIME }, { 'x-api-key': KEYS.full });
  expect(r.errors).toBeUndefined();
  expect(Object.fromEntries(r.data!.principal.detections.map((d) => [d.rule.id, d.count]))).toEqual(Object.fromEntries(want));
});

test('a caller without ReadPayloads and ReadNetworkDetails does not run the rules that read them; the others run for it as for anyone', async () => {
  const full = await gql<{ detections: Det[] }>(app, DETECTIONS, { filter: { time: TIME } }, { 'x-api-key': KEYS.full });
  const analyst = await gql<{ detections: Det[] }>(app, DETECTIONS, { filter: { time: TIME } }, { 'x-api-key': KEYS.analyst });
  expect(analyst.errors).toBeUndefined();
  const fullIds = full.data!.detections.map((d) => d.rule.id);
  expect(fullIds.some((id) => guardedRules.has(id))).toBe(true);
  expect(analyst.data!.detections.map((d) => d.rule.id).sort()).toEqual(fullIds.filter((id) => !guardedRules.has(id)).sort());
  // Nor may it filter events by such a rule.
  const id = fullIds.find((x) => guardedRules.has(x))!;
  const ev = await gql<{ events: { nodes: unknown[] } }>(app, `query($f: EventFilter) { events(filter: $f) { nodes { eventId } } }`, { f: { time: TIME, detectionRuleIds: [id] } }, { 'x-api-key': KEYS.analyst });
  expect(ev.errors).toBeUndefined();
  expect(ev.data!.events.nodes).toEqual([]);
});

test('an unknown rule id is BAD_USER_INPUT', async () => {
  const r = await gql(app, `{ detections(ruleIds: ["no-such-rule"]) { count } }`, {}, { 'x-api-key': KEYS.full });
  expect(codes(r)).toEqual(['BAD_USER_INPUT']);
  const e = await gql(app, `{ events(filter: { detectionRuleIds: ["no-such-rule"] }) { nodes { eventId } } }`, {}, { 'x-api-key': KEYS.full });
  expect(codes(e)).toEqual(['BAD_USER_INPUT']);
});
