import { FastifyInstance } from 'fastify';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { decodeId, encodeId } from '../src/history/ids';
import { buildApp } from '../src/server';
import { GqlResponse, codes, gql } from './support/api';
import { graphCorpus } from './support/graph-corpus';
import { SessionExpect, eventOrder, resourcesOf, sessionRefOf, sessionSummaries, timeOf } from './support/graph-reference';
import { storeWith } from './support/fixture-store';
import { fixedClock } from './support/clock';
import { walkPages } from './support/paging';

/**
 * Sessions over the corpus and the synthetic records: every session and
 * every summary field against the plain-TypeScript computation, look-ups by
 * id within the session's own window, the sessionIds filter, the filters,
 * paging, and the lists of a session.
 */
const records = graphCorpus();
const times = records.map(timeOf).sort();
const TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };
const expected = sessionSummaries(records);
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600, maxPageSize: 500 });

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(config, { engine: await storeWith(records), logger: false, clock: fixedClock() });
});
afterAll(() => app.close());

const FIELDS = `id kind principal { arn } sessionName sourceIdentity accessKeyId mfaAuthenticated createdAt firstEventTime lastEventTime
  eventCount writeCount errorCount accessDeniedCount eventSources regions sourceIpAddresses userAgents`;
interface S extends Omit<SessionExpect, 'ref' | 'principal'> { id: string; principal: { arn: string } }
type Page = { sessions: { edges: Array<{ cursor: string; node: S }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null } } };

/** The reference's ref of an id: the id's parts are [day, kind, start, key]. */
function refOfId(id: string): string {
  const [, kind, start, key] = decodeId(id).parts;
  return `${kind}|${start}|${key}`;
}

function shape(s: S) {
  const { id, principal, ...rest } = s;
  return { ref: refOfId(id), principal: principal.arn, ...rest };
}

/** Newest first, ties by ref descending (the API's order). */
function ordered(list: Iterable<SessionExpect>): SessionExpect[] {
  return [...list].sort((a, b) => (a.firstEventTime !== b.firstEventTime ? (a.firstEventTime < b.firstEventTime ? 1 : -1) : a.ref < b.ref ? 1 : a.ref > b.ref ? -1 : 0));
}

async function walk(filter: Record<string, unknown>, first: number): Promise<S[]> {
  return walkPages(async (after) => {
    const r: GqlResponse<Page> = await gql<Page>(app, `query($f: SessionFilter, $first: Int, $after: String) { sessions(filter: $f, first: $first, after: $after) {
      edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`, { f: filter, first, after });
    expect(r.errors).toBeUndefined();
    const { edges, pageInfo } = r.data!.sessions;
    expect(pageInfo.hasPreviousPage).toBe(after !== null);
    return { items: edges.map((e) => e.node), hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor };
  }, { maxPages: 500 });
}

const HOUR = 3_600_000;
const LIFE: Record<string, number> = { ASSUMED_ROLE: 12 * HOUR, FEDERATED: 36 * HOUR, CONSOLE: 12 * HOUR, IDENTITY_CENTER: 7 * 24 * HOUR };

/** The calls a look-up by id counts: those in the session's own window (docs/derivations.md). */
function ownWindowRecords(s: SessionExpect): CloudTrailRecord[] {
  const mine = records.filter((r) => sessionRefOf(r) === s.ref);
  if (s.createdAt === null) {
    const day = Date.parse(`${s.firstEventTime.slice(0, 10)}T00:00:00Z`);
    return mine.filter((r) => Date.parse(timeOf(r)) < day + 24 * HOUR + LIFE[s.kind]);
  }
  const start = Date.parse(s.createdAt);
  return mine.filter((r) => Date.parse(timeOf(r)) >= start - 600_000 && Date.parse(timeOf(r)) < start + LIFE[s.kind] + 600_000);
}

describe('sessions equal the independent computation', () => {
  test('every session of the window, newest first, pages of 17, with every summary field', async () => {
    const got = await walk({ time: TIME }, 17);
    expect(got.map(shape)).toEqual(ordered(expected.values()));
    expect(new Set(got.map((s) => s.kind))).toEqual(new Set(['ASSUMED_ROLE', 'FEDERATED', 'CONSOLE', 'IDENTITY_CENTER']));
    expect(expected.size).toBeGreaterThan(100);
  });

  test.each([
    ['kinds', { kinds: ['CONSOLE', 'IDENTITY_CENTER'] }, (s: SessionExpect) => ['CONSOLE', 'IDENTITY_CENTER'].includes(s.kind)],
    ['hasError true', { hasError: true }, (s: SessionExpect) => s.errorCount > 0],
    ['hasError false', { hasError: false }, (s: SessionExpect) => s.errorCount === 0],
    ['mfaAuthenticated true', { mfaAuthenticated: true }, (s: SessionExpect) => s.mfaAuthenticated === true],
    ['mfaAuthenticated false', { mfaAuthenticated: false }, (s: SessionExpect) => s.mfaAuthenticated !== true],
    ['principalArns', { principalArns: ['arn:aws:iam::111122223333:role/ops/Operator'] }, (s: SessionExpect) => s.principal === 'arn:aws:iam::111122223333:role/ops/Operator'],
  ] as Array<[string, Record<string, unknown>, (s: SessionExpect) => boolean]>)('filter %s', async (_name, filter, pred) => {
    const want = ordered([...expected.values()].filter(pred));
    expect(want.length).toBeGreaterThan(0);
    expect((await walk({ time: TIME, ...filter }, 100)).map(shape)).toEqual(want);
  });

  test('an sts ARN in principalArns matches that role session alone', async () => {
    const got = await walk({ time: TIME, principalArns: ['arn:aws:sts::111122223333:assumed-role/Operator/alice'] }, 100);
    expect(got.length).toBe(2);
    expect(got.every((s) => s.sessionName === 'alice')).toBe(true);
  });
});

describe('session(id:), node(id:) and the sessionIds filter', () => {
  test('every session found by its id, counted in its own window; node(id:) the same', async () => {
    const all = await walk({ time: TIME }, 500);
    let whole = 0;
    const found = new Map<string, S>();
    // Twenty look-ups a request (the alias limit); each request's look-ups in one statement, its principals' in a second.
    for (let from = 0; from < all.length; from += 20) {
      const chunk = all.slice(from, from + 20);
      const r = await gql<Record<string, S>>(app, `{ ${chunk.map((s, i) => `s${i}: session(id: ${JSON.stringify(s.id)}) { ${FIELDS} }`).join('\n')} }`);
      expect(r.errors).toBeUndefined();
      expect(r.extensions?.cost?.historyQueries).toBe(1);
      chunk.forEach((s, i) => found.set(s.id, r.data![`s${i}`]));
    }
    for (const s of all) {
      const want = expected.get(refOfId(s.id))!;
      const own = ownWindowRecords(want);
      // Documentation samples whose calls lie outside their credentials' life are not found by id.
      const got = found.get(s.id) ?? null;
      expect([s.id, got?.eventCount ?? 0]).toEqual([s.id, own.length]);
      if (got === null) continue;
      if (own.length === want.eventCount) {
        whole += 1;
        expect(shape(got)).toEqual(shape(s));
      }
    }
    expect(whole).toBeGreaterThan(all.length * 0.8);
    const node = await gql<{ node: { id: string; kind: string; eventCount: number } }>(app, `query($id: ID!) { node(id: $id) { id ... on Session { kind eventCount } } }`, { id: all[0].id });
    expect(node.data!.node).toEqual({ id: all[0].id, kind: all[0].kind, eventCount: found.get(all[0].id)!.eventCount });
  });

  test('events(filter: {sessionIds}) are the calls of those sessions', async () => {
    const sessions = ordered(expected.values()).slice(0, 5);
    const page = (await walk({ time: TIME }, 100)).slice(0, 5);
    const r = await gql<{ events: { nodes: Array<{ eventId: string }> } }>(app, `query($t: TimeRange, $ids: [ID!]) { events(first: 500, filter: {time: $t, sessionIds: $ids}) { nodes { eventId } } }`,
      { t: TIME, ids: page.map((s) => s.id) });
    expect(r.errors).toBeUndefined();
    const refs = new Set(sessions.map((s) => s.ref));
    expect(r.data!.events.nodes.map((e) => e.eventId)).toEqual(eventOrder(records.filter((x) => refs.has(String(sessionRefOf(x)))), 'DESC').map((x) => x.eventID));
  });

  test('a malformed id is BAD_USER_INPUT; the id of no session is null', async () => {
    for (const bad of ['nope', encodeId('Session', ['2024/01/01', 'NOT_A_KIND', 'x', 'y']), encodeId('Session', ['2024/01/01', 'ASSUMED_ROLE', 'not a time', 'y'])]) {
      expect(codes(await gql(app, `query($id: ID!) { session(id: $id) { id } }`, { id: bad }))).toEqual(['BAD_USER_INPUT']);
    }
    const none = encodeId('Session', ['2024/01/01', 'ASSUMED_ROLE', '2024-01-01T00:00:00Z', 'AROANONE:x']);
    const r = await gql(app, `query($id: ID!) { session(id: $id) { id } node(id: $id) { id } }`, { id: none });
    expect(r.data).toEqual({ session: null, node: null });
    expect(codes(await gql(app, `query($ids: [ID!]) { events(filter: {sessionIds: $ids}) { nodes { eventId } } }`, { ids: ['nope'] }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('the lists of a session, and the session of an event', () => {
  test('events in ASC order by default and DESC when asked; resources', async () => {
    const r = await gql<{ sessions: { nodes: Array<{ id: string; asc: { nodes: Array<{ eventId: string }>; pageInfo: { hasNextPage: boolean } }; desc: { nodes: Array<{ eventId: string }> }; resources: { nodes: Array<{ arn: string; type: string | null }> } }> } }>(app,
      `query($t: TimeRange) { sessions(first: 500, filter: {time: $t}) { nodes { id asc: events(first: 2) { nodes { eventId } pageInfo { hasNextPage } } desc: events(first: 2, order: DESC) { nodes { eventId } } resources(first: 100) { nodes { arn type } } } } }`, { t: TIME });
    expect(r.errors).toBeUndefined();
    // The page, two event pages, the resources; and the summaries of the resources no call of the session typed.
    expect(r.extensions?.cost?.historyQueries).toBe(5);
    for (const s of r.data!.sessions.nodes) {
      const mine = records.filter((x) => sessionRefOf(x) === refOfId(s.id));
      expect(s.asc.nodes.map((e) => e.eventId)).toEqual(eventOrder(mine, 'ASC').slice(0, 2).map((x) => x.eventID));
      expect(s.asc.pageInfo.hasNextPage).toBe(mine.length > 2);
      expect(s.desc.nodes.map((e) => e.eventId)).toEqual(eventOrder(mine, 'DESC').slice(0, 2).map((x) => x.eventID));
      const arns = [...new Set(mine.flatMap((x) => resourcesOf(x).map((y) => y.arn)))].sort();
      expect(s.resources.nodes.map((x) => x.arn)).toEqual(arns);
    }
  });

  test('a session\'s events page on with a cursor', async () => {
    const big = ordered(expected.values()).filter((s) => s.eventCount >= 3)[0];
    const page = await walk({ time: TIME, principalArns: [big.principal] }, 500);
    const id = page.find((s) => refOfId(s.id) === big.ref)!.id;
    const ids = await walkPages<string>(async (after) => {
      const r: GqlResponse<{ session: { events: { nodes: Array<{ eventId: string }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string } } } }> = await gql(app,
        `query($id: ID!, $after: String) { session(id: $id) { events(first: 1, after: $after) { nodes { eventId } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`, { id, after });
      const ev = r.data!.session.events;
      expect(ev.pageInfo.hasPreviousPage).toBe(after !== null);
      return { items: ev.nodes.map((e) => e.eventId), hasNextPage: ev.pageInfo.hasNextPage, endCursor: ev.pageInfo.endCursor };
    });
    expect(ids).toEqual(eventOrder(ownWindowRecords(big), 'ASC').map((x) => x.eventID));
  });

  test('every event reaches its session (null outside one), the same session as the list has', async () => {
    const list = await walk({ time: TIME }, 500);
    const idOfRef = new Map(list.map((s) => [refOfId(s.id), s.id]));
    const byId = new Map(records.map((x) => [x.eventID, x]));
    for (const order of ['ASC', 'DESC']) {
      const r = await gql<{ events: { nodes: Array<{ eventId: string; session: { id: string; kind: string } | null }> } }>(app,
        `query($t: TimeRange, $o: SortOrder) { events(first: 500, order: $o, filter: {time: $t}) { nodes { eventId session { id kind } } } }`, { t: TIME, o: order });
      expect(r.errors).toBeUndefined();
      for (const e of r.data!.events.nodes) {
        const ref = sessionRefOf(byId.get(e.eventId)!);
        expect([e.eventId, e.session?.id ?? null]).toEqual([e.eventId, ref === null ? null : idOfRef.get(ref)]);
      }
    }
  });
});
