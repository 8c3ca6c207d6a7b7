import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/server';
import { GqlResponse, codes, gql } from './support/api';
import { graphCorpus } from './support/graph-corpus';
import { ResourceExpect, eventOrder, principalKeyOf, resourceSummaries, resourcesOf, timeOf } from './support/graph-reference';
import { storeWith } from './support/fixture-store';
import { fixedClock } from './support/clock';
import { walkPages } from './support/paging';

/**
 * Resources over the corpus and the synthetic records: every resource with
 * its summary against the plain-TypeScript computation (resources[] and the
 * requestParameters rules), look-ups, filters, paging, who touched each and
 * its events, and the resources of an event.
 */
const records = graphCorpus();
const times = records.map(timeOf).sort();
const TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };
const expected = resourceSummaries(records);
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600, maxPageSize: 500 });

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(config, { engine: await storeWith(records), logger: false, clock: fixedClock() });
});
afterAll(() => app.close());

const FIELDS = 'id arn type accountId firstSeen lastSeen eventCount';
interface R extends ResourceExpect { id: string }
type Page = { resources: { edges: Array<{ node: R }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null } } };
const strip = ({ id: _id, ...r }: R) => r;
const sortedArns = (xs: Iterable<string>) => [...xs].sort();

async function walk(filter: Record<string, unknown>, first: number): Promise<R[]> {
  return walkPages(async (after) => {
    const r: GqlResponse<Page> = await gql<Page>(app, `query($f: ResourceFilter, $first: Int, $after: String) { resources(filter: $f, first: $first, after: $after) {
      edges { node { ${FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`, { f: filter, first, after });
    expect(r.errors).toBeUndefined();
    const { edges, pageInfo } = r.data!.resources;
    expect(pageInfo.hasPreviousPage).toBe(after !== null);
    return { items: edges.map((e) => e.node), hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor };
  }, { maxPages: 500 });
}

describe('resources equal the independent computation', () => {
  test('every resource of the window, by ARN, pages of 29, with its summary', async () => {
    const got = await walk({ time: TIME }, 29);
    expect(got.map(strip)).toEqual(sortedArns(expected.keys()).map((a) => expected.get(a)));
    expect(expected.size).toBeGreaterThan(150);
  });

  test('filters: types, ARN prefix, accounts', async () => {
    const types = ['AWS::S3::Bucket', 'AWS::KMS::Key'];
    expect((await walk({ time: TIME, types }, 100)).map(strip)).toEqual([...expected.values()].filter((r) => types.includes(String(r.type))).sort((a, b) => (a.arn < b.arn ? -1 : 1)));
    const prefix = 'arn:aws:s3:::';
    expect((await walk({ time: TIME, arnPrefix: prefix }, 100)).map((r) => r.arn)).toEqual(sortedArns([...expected.keys()].filter((a) => a.startsWith(prefix))));
    const account = '111122223333';
    const inAccount = records.filter((r) => String(r.recipientAccountId ?? r.userIdentity?.accountId ?? 'unknown') === account);
    const want = resourceSummaries(inAccount);
    expect((await walk({ time: TIME, accountIds: [account] }, 100)).map(strip)).toEqual(sortedArns(want.keys()).map((a) => want.get(a)));
  });

  test('resource(arn:) for ARNs named in resources[], in requestParameters only, and nowhere', async () => {
    const one = `query($arn: String!, $t: TimeRange) { resource(arn: $arn, time: $t) { ${FIELDS} } }`;
    for (const arn of ['arn:aws:s3:::orders-data', 'arn:aws:iam::111122223333:role/team/pathed', 'arn:aws:kms:us-east-1:111122223333:alias/orders', 'arn:aws:lambda:us-east-1:111122223333:function:orders-api']) {
      const r = await gql<{ resource: R }>(app, one, { arn, t: TIME });
      expect(strip(r.data!.resource)).toEqual(expected.get(arn));
    }
    expect((await gql<{ resource: R | null }>(app, one, { arn: 'arn:aws:s3:::no-such-bucket', t: TIME })).data!.resource).toBeNull();
    expect(codes(await gql(app, one, { arn: '', t: TIME }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('who touched each resource, and its events', () => {
  test('principals and events (DESC) of the forty most touched resources, in one request per list', async () => {
    const top = [...expected.values()].sort((a, b) => b.eventCount - a.eventCount || (a.arn < b.arn ? -1 : 1)).slice(0, 40).map((r) => r.arn);
    const r = await gql<{ resources: { nodes: Array<{ arn: string; principals: { nodes: Array<{ arn: string; eventCount: number }> }; events: { nodes: Array<{ eventId: string }> } }> } }>(app,
      `query($t: TimeRange) { resources(first: 500, filter: {time: $t}) { nodes { arn principals(first: 50) { nodes { arn eventCount } } events(first: 3) { nodes { eventId } } } } }`, { t: TIME });
    expect(r.errors).toBeUndefined();
    // The page, the principals of all, their summaries, the events of all.
    expect(r.extensions?.cost?.historyQueries).toBe(4);
    const byArn = new Map(r.data!.resources.nodes.map((x) => [x.arn, x]));
    for (const arn of top) {
      const touching = records.filter((x) => resourcesOf(x).some((y) => y.arn === arn));
      const got = byArn.get(arn)!;
      expect(got.principals.nodes.map((p) => p.arn)).toEqual(sortedArns(new Set(touching.map(principalKeyOf))));
      for (const p of got.principals.nodes) expect(p.eventCount).toBe(records.filter((x) => principalKeyOf(x) === p.arn).length);
      expect(got.events.nodes.map((e) => e.eventId)).toEqual(eventOrder(touching, 'DESC').slice(0, 3).map((x) => x.eventID));
    }
  });

  test('a principal list pages on with a cursor', async () => {
    const busiest = [...expected.values()].map((x) => ({ arn: x.arn, n: new Set(records.filter((y) => resourcesOf(y).some((z) => z.arn === x.arn)).map(principalKeyOf)).size }))
      .sort((a, b) => b.n - a.n)[0];
    expect(busiest.n).toBeGreaterThan(2);
    const arns = await walkPages<string>(async (after) => {
      const r: GqlResponse<{ resource: { principals: { nodes: Array<{ arn: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } }> = await gql(app,
        `query($arn: String!, $t: TimeRange, $after: String) { resource(arn: $arn, time: $t) { principals(first: 2, after: $after) { nodes { arn } pageInfo { hasNextPage endCursor } } } }`, { arn: busiest.arn, t: TIME, after });
      const { nodes, pageInfo } = r.data!.resource.principals;
      return { items: nodes.map((p) => p.arn), hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor };
    });
    expect(arns.length).toBe(busiest.n);
    expect(arns).toEqual([...arns].sort());
  });

  test('every event lists its resources, and they know their summary', async () => {
    const byId = new Map(records.map((x) => [x.eventID, x]));
    // What the same page costs alone: on the embedded store a page may read its window in a few slices.
    const pageStatements = async (order: string): Promise<number> => {
      const alone = await gql(app, `query($t: TimeRange, $o: SortOrder) { events(first: 500, order: $o, filter: {time: $t}) { nodes { eventId } } }`, { t: TIME, o: order });
      return alone.extensions?.cost?.historyQueries ?? NaN;
    };
    for (const order of ['ASC', 'DESC']) {
      const r = await gql<{ events: { nodes: Array<{ eventId: string; resources: Array<{ arn: string; type: string | null; eventCount: number }> }> } }>(app,
        `query($t: TimeRange, $o: SortOrder) { events(first: 500, order: $o, filter: {time: $t}) { nodes { eventId resources { arn type eventCount } } } }`, { t: TIME, o: order });
      expect(r.errors).toBeUndefined();
      // The page (its own statements: see pageStatements), the events' derivations, the resources' summaries.
      expect(r.extensions?.cost?.historyQueries).toBe((await pageStatements(order)) + 2);
      for (const e of r.data!.events.nodes) {
        const want = resourcesOf(byId.get(e.eventId)!);
        expect(e.resources.map((x) => x.arn)).toEqual(want.map((x) => x.arn));
        for (const x of e.resources) expect([x.arn, x.eventCount]).toEqual([x.arn, expected.get(x.arn)!.eventCount]);
      }
    }
  });
});
