import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { GqlResponse, codes, gql } from './support/api';
import { graphCorpus } from './support/graph-corpus';
import {
  UNKNOWN, eventOrder, principalKeyOf, principalSummaries, resourcesOf, sessionRefOf, timeOf, topEventNames,
} from './support/graph-reference';
import { storeWith } from './support/fixture-store';
import { fixedClock } from './support/clock';
import { walkPages } from './support/paging';

/**
 * Principals over the corpus (and the synthetic records): every principal
 * and every summary field against the plain-TypeScript computation, the
 * look-ups, the filters, paging, and the lists hanging off a principal.
 */
const records = graphCorpus();
const times = records.map(timeOf).sort();
const TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };
const expected = principalSummaries(records);
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600, maxPageSize: 500 });

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(config, { engine: await storeWith(records), logger: false, clock: fixedClock() });
});
afterAll(() => app.close());

const FIELDS = 'id arn type accountId name firstSeen lastSeen eventCount errorCount accessKeyIds sourceIpAddresses';
interface P { id: string; arn: string; type: string; accountId: string | null; name: string | null; firstSeen: string; lastSeen: string; eventCount: number; errorCount: number; accessKeyIds: string[]; sourceIpAddresses: string[] }
type Page = { principals: { edges: Array<{ cursor: string; node: P }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null } } };

async function walk(filter: Record<string, unknown>, first: number): Promise<P[]> {
  return walkPages(async (after) => {
    const r: GqlResponse<Page> = await gql<Page>(app, `query($f: PrincipalFilter, $first: Int, $after: String) { principals(filter: $f, first: $first, after: $after) {
      edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`, { f: filter, first, after });
    expect(r.errors).toBeUndefined();
    const { edges, pageInfo } = r.data!.principals;
    expect(pageInfo.hasPreviousPage).toBe(after !== null);
    return { items: edges.map((e) => e.node), hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor };
  }, { maxPages: 500 });
}

const strip = ({ id: _id, ...p }: P) => p;
const sortedArns = (xs: Iterable<string>) => [...xs].sort();

describe('principals equal the independent computation', () => {
  test('every principal of the window, in ARN order, pages of 13, with every summary field', async () => {
    const got = await walk({ time: TIME }, 13);
    expect(got.map((p) => p.arn)).toEqual(sortedArns(expected.keys()));
    expect(got.map(strip)).toEqual(sortedArns(expected.keys()).map((a) => expected.get(a)));
    expect(expected.size).toBeGreaterThan(100);
    expect(got.find((p) => p.arn === UNKNOWN)?.type).toBe('UNKNOWN');
  });

  test('filters: identity types, ARN prefix, accounts', async () => {
    const roles = await walk({ time: TIME, identityTypes: ['ASSUMED_ROLE', 'ROOT'] }, 100);
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.map((p) => p.arn)).toEqual(sortedArns([...expected.values()].filter((p) => ['ASSUMED_ROLE', 'ROOT'].includes(p.type)).map((p) => p.arn)));
    const prefix = 'arn:aws:iam::111122223333:';
    const byPrefix = await walk({ time: TIME, arnPrefix: prefix }, 100);
    expect(byPrefix.length).toBeGreaterThan(0);
    expect(byPrefix.map((p) => p.arn)).toEqual(sortedArns([...expected.keys()].filter((a) => a.startsWith(prefix))));
    const account = '123456789012';
    const inAccount = records.filter((r) => String(r.recipientAccountId ?? r.userIdentity?.accountId ?? 'unknown') === account);
    const byAccount = await walk({ time: TIME, accountIds: [account] }, 100);
    expect(inAccount.length).toBeGreaterThan(0);
    expect(byAccount.map(strip)).toEqual(sortedArns(principalSummaries(inAccount).keys()).map((a) => principalSummaries(inAccount).get(a)));
  });

  test('topEventNames of every principal, in one request', async () => {
    const r = await gql<{ principals: { nodes: Array<{ arn: string; topEventNames: Array<{ name: string; count: number }>; two: Array<{ name: string }> }> } }>(app,
      `query($t: TimeRange) { principals(first: 500, filter: {time: $t}) { nodes { arn topEventNames { name count } two: topEventNames(limit: 2) { name } } } }`, { t: TIME });
    expect(r.errors).toBeUndefined();
    expect(r.data!.principals.nodes.length).toBe(expected.size);
    for (const p of r.data!.principals.nodes) {
      expect(p.topEventNames).toEqual(topEventNames(records, p.arn, 10));
      expect(p.two).toEqual(topEventNames(records, p.arn, 2).map(({ name }) => ({ name })));
    }
    // The page, and one statement for both limits.
    expect(r.extensions?.cost?.historyQueries).toBe(2);
  });
});

describe('principal(arn:) and node(id:)', () => {
  const one = `query($arn: String!, $t: TimeRange) { principal(arn: $arn, time: $t) { ${FIELDS} } }`;

  test('by canonical ARN, by sts assumed-role ARN, and not found', async () => {
    const role = 'arn:aws:iam::111122223333:role/ops/Operator';
    const byArn = await gql<{ principal: P }>(app, one, { arn: role, t: TIME });
    expect(strip(byArn.data!.principal)).toEqual(expected.get(role));
    const bySession = await gql<{ principal: P }>(app, one, { arn: 'arn:aws:sts::111122223333:assumed-role/Operator/alice', t: TIME });
    expect(bySession.data!.principal).toEqual(byArn.data!.principal);
    const missing = await gql<{ principal: P | null }>(app, one, { arn: 'arn:aws:iam::999999999999:user/nobody', t: TIME });
    expect(missing.data!.principal).toBeNull();
    expect(codes(await gql(app, one, { arn: '', t: TIME }))).toEqual(['BAD_USER_INPUT']);
  });

  test('a window narrows the counts', async () => {
    const arn = 'arn:aws:iam::111122223333:role/ops/Operator';
    const window = { from: '2024-05-10T14:00:00Z', to: '2024-05-11T00:00:00Z' };
    const inWindow = records.filter((r) => timeOf(r) >= window.from && timeOf(r) < window.to);
    const r = await gql<{ principal: P }>(app, one, { arn, t: window });
    expect(strip(r.data!.principal)).toEqual(principalSummaries(inWindow).get(arn));
    expect(r.data!.principal.eventCount).toBeLessThan(expected.get(arn)!.eventCount);
  });

  test('node(id:) finds the principal (in the default window)', async () => {
    const r = await gql<{ principal: P }>(app, one, { arn: 'arn:aws:iam::111122223333:root', t: TIME });
    const node = await gql<{ node: { id: string; arn: string; eventCount: number } }>(app, `query($id: ID!) { node(id: $id) { id ... on Principal { arn eventCount } } }`, { id: r.data!.principal.id });
    expect(node.data!.node).toEqual({ id: r.data!.principal.id, arn: r.data!.principal.arn, eventCount: r.data!.principal.eventCount });
  });
});

describe('the lists of a principal', () => {
  const busiest = [...expected.values()].filter((p) => p.arn !== UNKNOWN).sort((a, b) => b.eventCount - a.eventCount || (a.arn < b.arn ? -1 : 1)).slice(0, 12);

  test('events (DESC and ASC), sessions and resources of a dozen principals, each as computed', async () => {
    const r = await gql<{ principals: { nodes: Array<{ arn: string; desc: { nodes: Array<{ eventId: string }> }; asc: { nodes: Array<{ eventId: string }> }; sessions: { nodes: Array<{ kind: string; eventCount: number }> }; resources: { nodes: Array<{ arn: string }> } }> } }>(app,
      `query($t: TimeRange) { principals(first: 500, filter: {time: $t}) { nodes { arn
        desc: events(first: 4) { nodes { eventId } } asc: events(first: 3, order: ASC) { nodes { eventId } }
        sessions(first: 50) { nodes { kind eventCount } } resources(first: 100) { nodes { arn } } } } }`, { t: TIME });
    expect(r.errors).toBeUndefined();
    const byArn = new Map(r.data!.principals.nodes.map((p) => [p.arn, p]));
    expect(busiest.length).toBe(12);
    for (const p of busiest) {
      const mine = records.filter((x) => principalKeyOf(x) === p.arn);
      const got = byArn.get(p.arn)!;
      expect(got.desc.nodes.map((e) => e.eventId)).toEqual(eventOrder(mine, 'DESC').slice(0, 4).map((x) => x.eventID));
      expect(got.asc.nodes.map((e) => e.eventId)).toEqual(eventOrder(mine, 'ASC').slice(0, 3).map((x) => x.eventID));
      const sessions = new Set(mine.map(sessionRefOf).filter((s) => s !== null));
      expect(got.sessions.nodes.length).toBe(sessions.size);
      expect(got.sessions.nodes.reduce((n, s) => n + s.eventCount, 0)).toBe(mine.filter((x) => sessionRefOf(x) !== null).length);
      expect(got.resources.nodes.map((x) => x.arn)).toEqual(sortedArns(new Set(mine.flatMap((x) => resourcesOf(x).map((y) => y.arn)))));
    }
    // Four lists of every principal: four statements, plus the page.
    expect(r.extensions?.cost?.historyQueries).toBe(5);
  });

  test('every event reaches its principal, whose type agrees with the event\'s derivation', async () => {
    const byId = new Map(records.map((x) => [x.eventID, x]));
    const seen: Array<string | null> = [];
    // What the same page costs alone: on the embedded store a page may read its window in a few slices.
    const pageStatements = async (order: string): Promise<number> => {
      const alone = await gql(app, `query($t: TimeRange, $o: SortOrder) { events(first: 500, order: $o, filter: {time: $t}) { nodes { eventId } } }`, { t: TIME, o: order });
      return alone.extensions?.cost?.historyQueries ?? NaN;
    };
    for (const order of ['ASC', 'DESC']) {
      const r = await gql<{ events: { nodes: Array<{ eventId: string; principal: { arn: string; type: string } | null }> } }>(app,
        `query($t: TimeRange, $o: SortOrder) { events(first: 500, order: $o, filter: {time: $t}) { nodes { eventId principal { arn type } } } }`, { t: TIME, o: order });
      expect(r.errors).toBeUndefined();
      expect(r.data!.events.nodes.length).toBe(Math.min(500, records.length));
      for (const e of r.data!.events.nodes) {
        const key = principalKeyOf(byId.get(e.eventId)!);
        expect(e.principal?.arn ?? UNKNOWN).toBe(key);
        if (e.principal) expect(e.principal.type).toBe(expected.get(key)!.type);
        seen.push(e.principal?.arn ?? null);
      }
      // The page (its own statements: see pageStatements), the events' derivations, the principals' summaries.
      expect(r.extensions?.cost?.historyQueries).toBe((await pageStatements(order)) + 2);
    }
    expect(records.length).toBeLessThanOrEqual(1000);
    expect(seen).toContain(null);
  });
});
