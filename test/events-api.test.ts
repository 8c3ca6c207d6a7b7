import { FastifyInstance } from 'fastify';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { RecordingEngine } from './support/recording-engine';
import { GqlResponse, codes, gql } from './support/api';
import { accountOf, commonValues, firstOfEachId, orderDesc, resourceArnsOf, resourceTypesOf, timeOf } from './support/expected';
import { corpusRecords, storeWith } from './support/fixture-store';
import { ENGINE_NAMES, EngineHandle, openEngine } from './support/engines';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { TEST_NOW, fixedClock } from './support/clock';
import { walkPages } from './support/paging';

/**
 * The Event API over the whole corpus, on both engines: every filter field against an
 * independent computation over the raw records, both orders, and the
 * connection's paging rules.
 */
const records = firstOfEachId(corpusRecords());
const times = records.map(timeOf).sort();
const TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 7, maxPageSize: 200 });

let app: FastifyInstance;
let recorder: RecordingEngine;

const PAGE = `query($filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String, $order: SortOrder) {
  events(filter: $filter, first: $first, after: $after, last: $last, before: $before, order: $order) {
    edges { cursor node { eventId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
interface PageData {
  events: { edges: Array<{ cursor: string; node: { eventId: string } }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } };
}

/** Walks forward through every page (walkPages) and returns the ids in order; each page says whether one is behind it. */
async function walkForward(filter: Record<string, unknown>, order: 'ASC' | 'DESC', first = 200): Promise<string[]> {
  let seen = 0;
  return walkPages(async (after) => {
    const r: GqlResponse<PageData> = await gql<PageData>(app, PAGE, { filter, first, after, order });
    expect(r.errors).toBeUndefined();
    const { edges, pageInfo } = r.data!.events;
    expect(pageInfo.hasPreviousPage).toBe(after !== null && seen > 0);
    seen += edges.length;
    return { items: edges.map((e) => e.node.eventId), hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor };
  });
}

function expectedIds(pred: (r: CloudTrailRecord) => boolean, order: 'ASC' | 'DESC' = 'DESC'): string[] {
  const ids = orderDesc(records.filter(pred)).map((r) => r.eventID);
  return order === 'DESC' ? ids : ids.reverse();
}

const ui = (r: CloudTrailRecord) => r.userIdentity ?? {};
const pickTwo = (f: (r: CloudTrailRecord) => unknown) => commonValues(records, f, 2);

type Case = [string, Record<string, unknown>, (r: CloudTrailRecord) => boolean];
function cases(): Case[] {
  const names = pickTwo((r) => r.eventName);
  const sources = pickTwo((r) => r.eventSource);
  const accounts = pickTwo(accountOf);
  const regions = pickTwo((r) => r.awsRegion);
  const keys = pickTwo((r) => ui(r).accessKeyId);
  const ips = pickTwo((r) => r.sourceIPAddress);
  const errors = pickTwo((r) => r.errorCode);
  const userArns = commonValues(records, (r) => (ui(r).type === 'IAMUser' ? ui(r).arn : undefined), 2);
  const resArns = commonValues(records.flatMap((r) => resourceArnsOf(r).map((arn) => ({ ...r, eventName: arn }))), (r) => r.eventName, 2);
  const resTypes = commonValues(records.flatMap((r) => resourceTypesOf(r).map((t) => ({ ...r, eventName: t }))), (r) => r.eventName, 2);
  const someIds = records.slice(0, 5).map((r) => r.eventID);
  const isTrue = (v: unknown) => String(v).toLowerCase() === 'true';
  return [
    ['eventIds', { eventIds: someIds }, (r) => someIds.includes(r.eventID)],
    ['accountIds', { accountIds: accounts }, (r) => accounts.includes(accountOf(r))],
    ['regions', { regions }, (r) => regions.includes(String(r.awsRegion))],
    ['eventNames', { eventNames: names }, (r) => names.includes(String(r.eventName))],
    ['eventSources', { eventSources: sources }, (r) => sources.includes(String(r.eventSource))],
    ['eventCategories DATA', { eventCategories: ['DATA'] }, (r) => r.eventCategory === 'Data'],
    ['eventCategories MANAGEMENT', { eventCategories: ['MANAGEMENT'] }, (r) => !['Data', 'Insight', 'NetworkActivity'].includes(String(r.eventCategory))],
    ['identityTypes', { identityTypes: ['ROOT', 'AWS_SERVICE'] }, (r) => ['Root', 'AWSService'].includes(String(ui(r).type))],
    ['principalArns (IAM users)', { principalArns: userArns }, (r) => userArns.includes(String(ui(r).arn))],
    ['accessKeyIds', { accessKeyIds: keys }, (r) => keys.includes(String(ui(r).accessKeyId))],
    ['sourceIpAddresses', { sourceIpAddresses: ips }, (r) => ips.includes(String(r.sourceIPAddress))],
    ['resourceArns', { resourceArns: resArns }, (r) => resourceArnsOf(r).some((a) => resArns.includes(a))],
    ['resourceTypes', { resourceTypes: resTypes }, (r) => resourceTypesOf(r).some((a) => resTypes.includes(a))],
    ['readOnly true', { readOnly: true }, (r) => isTrue(r.readOnly)],
    ['readOnly false', { readOnly: false }, (r) => !isTrue(r.readOnly)],
    ['errorCodes', { errorCodes: errors }, (r) => errors.includes(String(r.errorCode))],
    ['hasError true', { hasError: true }, (r) => typeof r.errorCode === 'string' && r.errorCode !== ''],
    ['hasError false', { hasError: false }, (r) => r.errorCode === undefined || r.errorCode === null || r.errorCode === ''],
    ['userAgentContains', { userAgentContains: 'AWS-CLI' }, (r) => String(r.userAgent ?? '').toLowerCase().includes('aws-cli')],
    ['combined (AND)', { eventSources: sources, hasError: false, readOnly: true }, (r) => sources.includes(String(r.eventSource)) && !r.errorCode && isTrue(r.readOnly)],
  ];
}

// One suite, run once per engine: embedded DuckDB, and Athena (the real SDK against the emulator over the same store).
describe.each(ENGINE_NAMES)('on %s', (engineName) => {
  let duck: DuckDbEngine;
  let handle: EngineHandle;
  beforeAll(async () => {
    duck = await storeWith(records);
    handle = await openEngine(engineName, duck);
    recorder = new RecordingEngine(handle.engine);
    app = await buildApp(config, { engine: recorder, logger: false, clock: fixedClock() });
  });
  afterAll(async () => {
    await app.close();
    await handle.close();
    await duck.close();
  });

  describe('events filters match an independent computation over the corpus', () => {
    test.each(cases())('%s', async (_name, filter, pred) => {
      const want = expectedIds(pred);
      expect(want.length).toBeGreaterThan(0);
      expect(await walkForward({ ...filter, time: TIME }, 'DESC')).toEqual(want);
    });

    test('a time window keeps only events inside [from, to)', async () => {
      const from = times[Math.floor(times.length / 3)];
      const to = times[Math.floor((2 * times.length) / 3)];
      const want = expectedIds((r) => timeOf(r) >= from && timeOf(r) < to);
      expect(await walkForward({ time: { from, to } }, 'DESC')).toEqual(want);
    });

    test('with no time, the default window is the configured days ending at the server\'s clock', async () => {
      // A clock an hour after the newest corpus event: the default window (7 days) holds the corpus's last week, as computed here.
      const newest = Date.parse(times[times.length - 1]);
      const clockAt = new Date(newest + 3_600_000);
      const lastWeek = expectedIds((r) => Date.parse(timeOf(r)) > clockAt.getTime() - 7 * 86_400_000 && Date.parse(timeOf(r)) <= clockAt.getTime());
      expect(lastWeek.length).toBeGreaterThan(0);
      const inner = handle.engine;
      const unclosed = { name: inner.name, prefersNarrowStatements: inner.prefersNarrowStatements, partitionDays: inner.partitionDays, query: inner.query.bind(inner), close: async () => undefined };
      const then = await buildApp(config, { engine: unclosed, logger: false, clock: fixedClock(clockAt) });
      try {
        const ids = await walkPages(async (after) => {
          const r: GqlResponse<PageData> = await gql<PageData>(then, PAGE, { first: 200, after });
          expect(r.errors).toBeUndefined();
          const { edges, pageInfo } = r.data!.events;
          return { items: edges.map((e) => e.node.eventId), hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor };
        });
        expect(ids).toEqual(lastWeek);
      } finally {
        await then.close();
      }
      // At the suite's clock, long after the corpus: the same question answers nothing, as computed here.
      const atTestNow = expectedIds((r) => Date.parse(timeOf(r)) > TEST_NOW.getTime() - 7 * 86_400_000);
      const r = await gql<PageData>(app, PAGE, { first: 5 });
      expect(r.errors).toBeUndefined();
      expect(r.data!.events.edges.map((e) => e.node.eventId)).toEqual(atTestNow.slice(0, 5));
    });
  });

  describe('order and paging', () => {
    test('ASC and DESC over the whole corpus, pages of 37, equal the full ordered list', async () => {
      expect(await walkForward({ time: TIME }, 'DESC', 37)).toEqual(expectedIds(() => true, 'DESC'));
      expect(await walkForward({ time: TIME }, 'ASC', 37)).toEqual(expectedIds(() => true, 'ASC'));
    });

    test('walking backward with last/before gives the same list, with no gaps or duplicates', async () => {
      for (const order of ['DESC', 'ASC'] as const) {
        const ids: string[] = [];
        let before: string | null = null;
        for (;;) {
          const r: GqlResponse<PageData> = await gql<PageData>(app, PAGE, { filter: { time: TIME }, last: 41, before, order });
          expect(r.errors).toBeUndefined();
          const { edges, pageInfo } = r.data!.events;
          ids.unshift(...edges.map((e) => e.node.eventId));
          expect(pageInfo.hasNextPage).toBe(before !== null);
          if (!pageInfo.hasPreviousPage) break;
          before = pageInfo.startCursor;
        }
        expect(ids).toEqual(expectedIds(() => true, order));
        expect(new Set(ids).size).toBe(ids.length);
      }
    });

    test('first: 0 gives an empty page with null cursors and says more follow', async () => {
      const r = await gql<PageData>(app, PAGE, { filter: { time: TIME }, first: 0 });
      expect(r.data!.events.edges).toEqual([]);
      expect(r.data!.events.pageInfo.startCursor).toBeNull();
      expect(r.data!.events.pageInfo.hasNextPage).toBe(true);
    });
  });

  describe('events by id', () => {
    const FIELDS = `id eventId eventTime eventName eventSource awsRegion raw userIdentity { type arn }`;
    test('event(id:) and node(id:) return the event of every id a page gave', async () => {
      const page = await gql<{ events: { nodes: Array<{ id: string; eventId: string }> } }>(app, `query($t: TimeRange) { events(first: 25, filter: {time: $t}) { nodes { id eventId } } }`, { t: TIME });
      const nodes = page.data!.events.nodes;
      expect(nodes).toHaveLength(25);
      for (const n of nodes.slice(0, 10)) {
        const r = await gql<{ event: { eventId: string; raw: unknown }; node: { id: string; eventId: string } }>(app, `query($id: ID!) { event(id: $id) { ${FIELDS} } node(id: $id) { id ... on Event { eventId } } }`, { id: n.id });
        expect(r.errors).toBeUndefined();
        expect(r.data!.event.eventId).toBe(n.eventId);
        expect(r.data!.node).toEqual({ id: n.id, eventId: n.eventId });
        expect(r.data!.event.raw).toEqual(records.find((x) => x.eventID === n.eventId));
      }
    });

    test('many ids in one request are fetched in one history statement', async () => {
      const page = await gql<{ events: { nodes: Array<{ id: string }> } }>(app, `query($t: TimeRange) { events(first: 20, filter: {time: $t}) { nodes { id } } }`, { t: TIME });
      const ids = page.data!.events.nodes.map((n) => n.id);
      const query = `{ ${ids.map((id, i) => `e${i}: event(id: ${JSON.stringify(id)}) { eventId }`).join(' ')} }`;
      const r = await gql(app, query);
      expect(r.errors).toBeUndefined();
      expect(r.extensions?.cost?.historyQueries).toBe(1);
    });

    test('an id of an event that does not exist is null; a malformed id is BAD_USER_INPUT', async () => {
      const real = (await gql<{ events: { nodes: Array<{ id: string }> } }>(app, `query($t: TimeRange) { events(first: 1, filter: {time: $t}) { nodes { id } } }`, { t: TIME })).data!.events.nodes[0].id;
      const decoded = Buffer.from(real, 'base64url').toString('utf8');
      const missing = Buffer.from(decoded.replace(/:[^:]+$/, ':no-such-event'), 'utf8').toString('base64url');
      const r = await gql(app, `query($id: ID!) { event(id: $id) { eventId } node(id: $id) { id } }`, { id: missing });
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({ event: null, node: null });
      for (const bad of ['not an id!', 'Zm9vOmJhcg', Buffer.from('Event:2024/01/01', 'utf8').toString('base64url')]) {
        expect(codes(await gql(app, `query($id: ID!) { event(id: $id) { eventId } }`, { id: bad }))).toEqual(['BAD_USER_INPUT']);
      }
    });
  });

  describe('bad arguments are BAD_USER_INPUT', () => {
    test.each([
      ['to before from', { filter: { time: { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } } }],
      ['a span over the maximum', { filter: { time: { from: '1900-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } } }],
      ['a time that is not an instant', { filter: { time: { from: 'yesterday', to: '2024-01-01T00:00:00Z' } } }],
      ['an unparseable after cursor', { first: 5, after: 'bm9wZQ' }],
      ['an unparseable before cursor', { last: 5, before: '!!!' }],
      ['first over the maximum page size', { first: 201 }],
      ['first with last', { first: 5, last: 5 }],
      ['a negative first', { first: -1 }],
    ])('%s', async (_name, vars) => {
      const r = await gql(app, PAGE, vars);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(r.errors)).not.toMatch(/\bat .*\.ts:\d+/);
    });

    test('a bad literal argument is BAD_USER_INPUT too', async () => {
      const r = await gql(app, `{ events(filter: { time: { from: "nope", to: "2024-01-01T00:00:00Z" } }) { nodes { id } } }`);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('the statement reads what the request asks', () => {
    const ask = async (fields: string, variables: Record<string, unknown> = {}) => {
      recorder.recorded = [];
      const r = await gql<{ events: { nodes: Array<Record<string, unknown> & { eventId: string }> } }>(
        app, `query($t: TimeRange) { events(first: 30, filter: {time: $t}) { nodes { eventId ${fields} } } }`, { t: TIME, ...variables },
      );
      expect(r.errors).toBeUndefined();
      return { ids: r.data!.events.nodes.map((n) => n.eventId), nodes: r.data!.events.nodes, text: recorder.recorded.map((s) => s.text).join('\n') };
    };

    test('a page that asks no payload field does not read the payload columns; one that asks raw does', async () => {
      const light = await ask('eventName');
      const full = await ask('raw');
      expect(light.ids).toEqual(full.ids);
      for (const column of ['raw', 'requestparameters', 'useridentity', 'resources']) expect(light.text).not.toMatch(new RegExp(`\\b${column}\\b`));
      expect(full.text).toMatch(/\braw\b/);
      expect(full.nodes[0].raw).toEqual(records.find((x) => x.eventID === full.ids[0]));
    });

    test('every Event field reads the same from a page that asks only it as from a page that asks everything', async () => {
      const fields: Record<string, string> = {
        eventName: 'eventName', eventSource: 'eventSource', eventType: 'eventType', eventCategory: 'eventCategory',
        readOnly: 'readOnly', errorCode: 'errorCode', sourceIpAddress: 'sourceIpAddress', clientTool: 'clientTool',
        tlsDetails: 'tlsDetails { tlsVersion }', authorizationDecisions: 'authorizationDecisions { decision action }',
        userIdentity: 'userIdentity { type arn accountId sessionIssuer { arn } mfaAuthenticated sessionCreatedAt sourceIdentity onBehalfOf { userId } credentialId }',
      };
      // All of them at once, one through an inline fragment (whose fields count too).
      const everything = await ask(`${Object.values(fields).join(' ')} ...on Event { awsRegion }`);
      expect(everything.text).toMatch(/useridentity\.sessioncontext\.sessionissuer/);
      expect(everything.text).toMatch(/\bawsregion\b/);
      for (const [name, selection] of Object.entries(fields)) {
        const one = await ask(selection);
        expect(one.ids).toEqual(everything.ids);
        expect(one.nodes.map((n) => n[name])).toEqual(everything.nodes.map((n) => n[name]));
      }
      // Identity parts read apart equal the record as delivered.
      type Identity = { arn?: string; accountId?: string; credentialId?: string; onBehalfOf?: { userId?: string };
        sessionContext?: { sourceIdentity?: string; sessionIssuer?: { arn?: string }; attributes?: { mfaAuthenticated?: string } } };
      for (const n of everything.nodes) {
        const ui = ((records.find((x) => x.eventID === n.eventId) as { userIdentity?: Identity } | undefined)?.userIdentity) ?? {};
        const got = n.userIdentity as { arn: string | null; accountId: string | null; credentialId: string | null; sourceIdentity: string | null;
          sessionIssuer: { arn: string | null } | null; onBehalfOf: { userId: string | null } | null; mfaAuthenticated: boolean | null };
        expect(got.arn).toBe(ui.arn ?? null);
        expect(got.accountId).toBe(ui.accountId ?? null);
        expect(got.credentialId).toBe(ui.credentialId ?? null);
        expect(got.sourceIdentity).toBe(ui.sessionContext?.sourceIdentity ?? null);
        expect(got.sessionIssuer?.arn ?? null).toBe(ui.sessionContext?.sessionIssuer?.arn ?? null);
        expect(got.onBehalfOf?.userId ?? null).toBe(ui.onBehalfOf?.userId ?? null);
        const mfa = ui.sessionContext?.attributes?.mfaAuthenticated;
        expect(got.mfaAuthenticated).toBe(mfa === undefined ? null : String(mfa) === 'true');
      }
      const identity = await ask('userIdentity { arn }');
      expect(identity.text).toMatch(/useridentity\.arn/);
      expect(identity.text).not.toMatch(/useridentity\.sessioncontext/);
    });
  });
});
