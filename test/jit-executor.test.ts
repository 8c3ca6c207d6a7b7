import { FastifyInstance } from 'fastify';
import { ExecutionResult, GraphQLSchema, Kind, OperationTypeNode, execute, parse } from 'graphql';
import { apiSchema } from '../resolvers/schema';
import { loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { loadInvestigations, resolveVariables } from '../src/graphiql/investigations';
import { CompiledOperations } from '../src/graphql/jit-executor';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { HistoryStore } from '../src/history/store';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { demoStore } from './support/demo-store';
import { TEST_NOW, fixedClock } from './support/clock';
import { emptyListPaths } from './support/non-empty';

/**
 * The server executes operations with graphql-jit (src/graphql/jit-executor.ts).
 * Its answers must be graphql-js's: every query here runs through the app and
 * through graphql-js's own execute, on the same store, and the data must be
 * equal; bad variables stay BAD_USER_INPUT; each operation is compiled once.
 */
const NOW = TEST_NOW;
const DAY = 86_400_000;
const TIME = { from: new Date(NOW.getTime() - 3 * DAY).toISOString(), to: new Date(NOW.getTime() + 60_000).toISOString() };
const { config } = loadConfig([], {}, { maxSpanDays: 90, defaultWindowDays: 30, maxPageSize: 500 });

let engine: DuckDbEngine;
let app: FastifyInstance;
let schema: GraphQLSchema;
beforeAll(async () => {
  ({ engine } = await demoStore({ events: 6_000, end: NOW, days: 3, seed: 23 }));
  app = await buildApp(config, { engine, logger: false, clock: fixedClock() });
  schema = await apiSchema();
});
afterAll(() => app.close());

/** The same operation run by graphql-js itself, with a context made as the server makes one (no authz configured). */
async function graphqlJs(query: string, variables: Record<string, unknown>): Promise<ExecutionResult> {
  const contextValue = createContext({ config, store: new HistoryStore(engine), clock: fixedClock() });
  return execute({ schema, document: parse(query), contextValue, variableValues: variables });
}

const EVENT_FIELDS = `id eventId eventTime eventName eventSource eventType eventCategory awsRegion sourceIpAddress userAgent clientTool sdkLanguage
  errorCode errorMessage readOnly managementEvent recipientAccountId requestId sharedEventId vpcEndpointId
  userIdentity { type principalId arn accountId accessKeyId userName invokedBy credentialId mfaAuthenticated sessionCreatedAt sourceIdentity
    sessionIssuer { type principalId arn accountId userName } onBehalfOf { userId identityStoreArn } }
  resources { arn accountId type } requestParameters responseElements additionalEventData raw
  authorizationDecisions { decision principal action resource policyStoreId decidedAt }`;

const QUERIES: ReadonlyArray<readonly [string, string, Record<string, unknown>]> = [
  ['a page of events with every field', `query($t: TimeRange) { events(first: 40, filter: {time: $t}) {
    edges { cursor node { ${EVENT_FIELDS} } } nodes { __typename id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, { t: TIME }],
  ['the last page, oldest first, with fragments and aliases', `query($t: TimeRange) {
    older: events(last: 25, order: ASC, filter: {time: $t, errorCodes: ["AccessDenied"]}) { ...page }
    newer: events(first: 5, filter: {time: $t}) { ...page } }
    fragment page on EventConnection { nodes { ...ev eventId } pageInfo { hasNextPage hasPreviousPage } }
    fragment ev on Event { id when: eventTime name: eventName userIdentity { ... on UserIdentity { arn type } } }`, { t: TIME }],
  ['principals, their sessions and the sessions\' events', `query($t: TimeRange) { principals(first: 15, filter: {time: $t}) {
    nodes { id arn type eventCount errorCount firstSeen lastSeen sessions(first: 3) { nodes { id kind eventCount principal { arn }
      events(first: 4) { nodes { eventName } } } } } } }`, { t: TIME }],
  ['resources and who touched them', `query($t: TimeRange) { resources(first: 10, filter: {time: $t}) {
    nodes { id arn type eventCount principals(first: 5) { nodes { arn } } } } }`, { t: TIME }],
  ['eventStats', `query($t: TimeRange) { eventStats(groupBy: [EVENT_NAME], filter: {time: $t}) { keys count } }`, { t: TIME }],
  ['@include and @skip by variables', `query($t: TimeRange, $yes: Boolean!, $no: Boolean!) { events(first: 10, filter: {time: $t}) {
    nodes { eventId eventName @include(if: $yes) errorCode @skip(if: $yes) userIdentity @include(if: $no) { arn } } } }`, { t: TIME, yes: true, no: false }],
  ['an error in one field leaves the rest', `query($t: TimeRange) { events(first: 2, filter: {time: $t}) { nodes { eventId } }
    event(id: "not an id") { eventId } }`, { t: TIME }],
];

describe('graphql-jit answers as graphql-js does', () => {
  test.each(QUERIES)('%s', async (_name, query, variables) => {
    const [served, direct] = await Promise.all([gql(app, query, variables), graphqlJs(query, variables)]);
    // Not vacuous: every list of the answer has items, so two empty answers cannot agree.
    expect(direct.data).toBeTruthy();
    expect(emptyListPaths(direct.data)).toEqual([]);
    expect(served.data).toEqual(JSON.parse(JSON.stringify(direct.data)));
    // Errors: the same fields fail (graphql-js's are unformatted; the server's are coded).
    expect((served.errors ?? []).map((e) => e.path)).toEqual((direct.errors ?? []).map((e) => e.path));
  });

  test('node(id:) resolves each kind of object to its type', async () => {
    const page = await gql<{ events: { nodes: Array<{ id: string; session: { id: string } | null; principal: { id: string } }> }; resources: { nodes: Array<{ id: string }> } }>(app,
      `query($t: TimeRange) { events(first: 30, filter: {time: $t}) { nodes { id session { id } principal { id } } } resources(first: 1, filter: {time: $t}) { nodes { id } } }`, { t: TIME });
    expect(page.data!.resources.nodes.length).toBeGreaterThan(0);
    const withSession = page.data!.events.nodes.find((n) => n.session !== null)!;
    expect(withSession).toBeDefined();
    const ids = [withSession.id, withSession.session!.id, withSession.principal.id, page.data!.resources.nodes[0].id];
    const query = `query($id: ID!) { node(id: $id) { __typename id } }`;
    const types: string[] = [];
    for (const id of ids) {
      const [served, direct] = await Promise.all([gql<{ node: { __typename: string; id: string } }>(app, query, { id }), graphqlJs(query, { id })]);
      expect(served.errors).toBeUndefined();
      expect(served.data).toEqual(JSON.parse(JSON.stringify(direct.data)));
      types.push(served.data!.node.__typename);
    }
    expect(types).toEqual(['Event', 'Session', 'Principal', 'Resource']);
  });

  // Queries only: a subscription is served over WebSocket by graphql-js (test/subscriptions*.test.ts).
  const queries = loadInvestigations().filter((i) => !parse(i.query).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.SUBSCRIPTION));
  // Lists a verified demo leaves empty: it has no gaps in its digest chains and no failing log file.
  const EMPTY_BY_DESIGN: Record<string, string[]> = { 'session-integrity-review': ['logFileIntegrity.gaps', 'logFileIntegrity.failures.nodes'] };
  test.each(queries.map((i) => [i.id, i] as const))('saved investigation %s', async (id, inv) => {
    const variables = resolveVariables(inv.variables, NOW) as Record<string, unknown>;
    const [served, direct] = await Promise.all([gql(app, inv.query, variables), graphqlJs(inv.query, variables)]);
    expect(served.errors).toBeUndefined();
    expect(direct.data).toBeTruthy();
    expect(emptyListPaths(direct.data)).toEqual(EMPTY_BY_DESIGN[id] ?? []);
    expect(served.data).toEqual(JSON.parse(JSON.stringify(direct.data)));
  });
});

describe('variables that cannot be coerced', () => {
  const PAGE = `query($t: TimeRange!, $n: Int) { events(first: $n, filter: {time: $t}) { nodes { eventId } } }`;
  test.each([
    ['a DateTime that is not an instant', { t: { from: 'yesterday', to: TIME.to }, n: 1 }],
    ['a required variable missing', { n: 1 }],
    ['an Int that is a string', { t: TIME, n: 'ten' }],
    ['an unknown input field', { t: { ...TIME, zone: 'UTC' }, n: 1 }],
  ])('%s is BAD_USER_INPUT with status 400, and nothing runs', async (_name, variables) => {
    const r = await gql(app, PAGE, variables);
    expect(r.status).toBe(400);
    expect(r.data ?? null).toBeNull();
    expect(codes(r).length).toBeGreaterThan(0);
    expect(new Set(codes(r))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(r.extensions?.cost?.historyQueries).toBe(0);
  });

  test('the scalar\'s own reason is kept in the message, and the error points at the variable\'s definition', async () => {
    const r = await gql<unknown>(app, PAGE, { t: { from: 'yesterday', to: TIME.to } });
    expect(r.errors![0].message).toContain('RFC 3339');
    expect(r.errors![0].message).toContain('"$t"');
    // `$t: TimeRange!` starts at line 1, column 7 of PAGE.
    expect((r.errors![0] as { locations?: unknown }).locations).toEqual([{ line: 1, column: 7 }]);
  });
});

describe('compiled operations', () => {
  const doc = (n: number) => ({ queryHash: `h${n}`, operationName: null, document: parse(`{ events(first: ${n}) { nodes { eventId } } }`) });

  test('each operation is compiled once; past the capacity the least recently used is dropped', async () => {
    const ops = new CompiledOperations(await apiSchema(), 2);
    const [a, b, c] = [doc(1), doc(2), doc(3)];
    const first = ops.of(a);
    ops.of(b);
    expect(ops.of(a)).toBe(first);
    expect(ops.compilations).toBe(2);
    ops.of(c); // b is now the least recently used
    expect(ops.size).toBe(2);
    expect(ops.of(a)).toBe(first);
    expect(ops.compilations).toBe(3);
    ops.of(b);
    expect(ops.compilations).toBe(4);
  });

  test('one operation name of a document is compiled apart from another', async () => {
    const ops = new CompiledOperations(await apiSchema());
    const document = parse(`query A { events(first: 1) { nodes { eventId } } } query B { events(first: 2) { nodes { eventId } } }`);
    const a = ops.of({ queryHash: 'same', operationName: 'A', document });
    const b = ops.of({ queryHash: 'same', operationName: 'B', document });
    expect(a).not.toBe(b);
    expect(ops.compilations).toBe(2);
  });
});
