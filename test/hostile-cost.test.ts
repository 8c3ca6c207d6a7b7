import { FastifyInstance } from 'fastify';
import { GraphQLSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { apiSchema } from '../resolvers/schema';
import { loadConfig, queryLimitsOf } from '../src/config';
import { loadInvestigations } from '../src/graphiql/investigations';
import { introspectionQueryFor } from '../src/graphiql/introspection';
import { documentCost, limitsRule } from '../src/graphql/limits';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { corpusRecords, storeWith } from './support/fixture-store';

/**
 * Issue 13, findings 1-4: a document is bounded in cost before it runs
 * (nodes, fields, aliases, depth, introspection included), in time linear
 * in its size, and its arguments and variables in size; an answer past the
 * response cap is a coded error.
 */
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 36600 });
const limits = queryLimitsOf(config);
let app: FastifyInstance;
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await apiSchema();
  app = await buildApp(config, { engine: await storeWith(corpusRecords().slice(0, 60)), logger: false });
});
afterAll(() => app.close());

const nested = (n: number) => `{ events(first: ${n}) { nodes { resources { events(first: ${n}) { nodes { resources { events(first: ${n}) { nodes { eventName } } } } } } } } }`;

test('finding 1: three nested pages of 500 are refused before anything runs, naming the estimate and the limit', async () => {
  const r = await gql(app, nested(500));
  expect(r.status).toBe(400);
  expect(codes(r)).toEqual(['QUERY_TOO_COMPLEX']);
  // GitHub's node count, by hand: 500 + 500*500 + 500*500*500.
  expect(r.errors?.[0].extensions).toMatchObject({ limit: 'maxNodes', max: config.maxQueryNodes });
  expect(Number(r.errors?.[0].extensions?.estimate)).toBeGreaterThan(config.maxQueryNodes);
  expect(r.data ?? null).toBeNull();
});

test('finding 1: the estimate multiplies page sizes down the nesting (literals, defaults, variables)', () => {
  const doc = parse(nested(100));
  const op = doc.definitions[0];
  if (op.kind !== 'OperationDefinition') throw new Error('no operation');
  expect(documentCost(schema, doc, op, { ...limits, maxNodes: 1e12 }).nodes).toBe(100 + 100 * 100 + 100 * 100 * 100);
  // Omitted first: the server's default page (50); a variable without a default: its least (1) for the document
  // alone, the request's value per request; a variable's default where it has one.
  const dflt = parse(`query Q($n: Int, $m: Int = 7) { events { nodes { eventId } } principals(first: $n) { nodes { arn } } sessions(first: $m) { nodes { id } } }`);
  const q = dflt.definitions[0];
  if (q.kind !== 'OperationDefinition') throw new Error('no operation');
  expect(documentCost(schema, dflt, q, limits)).toMatchObject({ nodes: config.defaultPageSize + 1 + 7, variablePages: true });
  expect(documentCost(schema, dflt, q, limits, { n: 400 }).nodes).toBe(config.defaultPageSize + 400 + 7);
});

test('finding 1 with page sizes in variables: counted with the request\'s values', async () => {
  const q = `query Q($n: Int) { events(first: $n) { nodes { resources { events(first: $n) { nodes { resources { events(first: $n) { nodes { eventName } } } } } } } } }`;
  const big = await gql(app, q, { n: 500 });
  expect(big.status).toBe(400);
  expect(codes(big)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(big.errors?.[0].extensions).toMatchObject({ limit: 'maxNodes', max: config.maxQueryNodes });
  expect(big.extensions?.cost?.historyQueries ?? 0).toBe(0);
  const small = await gql(app, q, { n: 2 });
  expect(small.errors).toBeUndefined();
  expect((small.extensions?.cost as unknown as { nodes: { requested: number } }).nodes.requested).toBe(2 + 2 * 2 + 2 * 2 * 2);
});

test('finding 1 at first: 100 is refused too; one level of 500 runs, and reports requested and actual nodes', async () => {
  expect(codes(await gql(app, nested(100)))).toEqual(['QUERY_TOO_COMPLEX']);
  const r = await gql<{ events: { nodes: unknown[] } }>(app, `{ events(first: 500) { nodes { eventId } } }`);
  expect(r.errors).toBeUndefined();
  const cost = r.extensions?.cost as unknown as { nodes: { requested: number; actual: number } };
  expect(cost.nodes.requested).toBe(500);
  expect(r.data?.events.nodes.length).toBeGreaterThan(0);
  expect(cost.nodes.actual).toBe(r.data?.events.nodes.length);
});

test('finding 2: nested fragment spreads are counted in linear time and refused at the first limit', async () => {
  // 40 levels: each doubles the expansion (2^40 fields); expanding them one by one would never finish.
  const levels = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`);
  const doc = `query { ...F40 } fragment F0 on Query { __typename } ${levels.join(' ')}`;
  const r = await gql(app, doc);
  expect(codes(r)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(r.errors?.[0].extensions?.limit).toBe('maxFields');
}, 10_000);

test('finding 3: aliased introspection is counted: 1,000 aliases of __schema are refused', async () => {
  const aliases = Array.from({ length: 1000 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');
  const r = await gql(app, `{ ${aliases} }`);
  expect(codes(r)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(r.data ?? null).toBeNull();
  // Below the token limit, the aliases are counted by the rule, introspection included.
  const fewer = Array.from({ length: 40 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ');
  const counted = await gql(app, `{ ${fewer} }`);
  expect(codes(counted)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(counted.errors?.[0].extensions?.limit).toBe('maxAliases');
});

test("GraphiQL's introspection and every saved investigation pass the default limits", () => {
  const rules = [...specifiedRules, limitsRule(limits)];
  const documents = [introspectionQueryFor(schema), getIntrospectionQuery({ descriptions: true }), ...loadInvestigations().map((i) => i.query)];
  expect(documents.length).toBeGreaterThanOrEqual(11);
  for (const d of documents) expect(validate(schema, parse(d), rules).map((e) => e.extensions.code)).toEqual([]);
});

test('finding 4: a 900,000-character filter value is BAD_USER_INPUT, as a literal and as a variable', async () => {
  const long = 'a'.repeat(900_000);
  const literal = await gql(app, `{ events(filter: { resourceArns: ["${long}"] }, first: 1) { nodes { eventId } } }`);
  expect(literal.status).toBe(400);
  expect(codes(literal)).toEqual(['BAD_USER_INPUT']);
  const variable = await gql(app, `query Q($arns: [String!]) { events(filter: { resourceArns: $arns }, first: 1) { nodes { eventId } } }`, { arns: [long] });
  expect(variable.status).toBe(400);
  expect(codes(variable)).toEqual(['BAD_USER_INPUT']);
  expect(variable.extensions?.cost?.historyQueries ?? 0).toBe(0);
});

test('finding 4: 20,000 ARNs and 50,000 event names are BAD_USER_INPUT; the limit itself passes', async () => {
  const q = `query Q($f: EventFilter) { events(filter: $f, first: 1) { nodes { eventId } } }`;
  const arns = await gql(app, q, { f: { resourceArns: Array.from({ length: 20_000 }, (_, i) => `arn:aws:s3:::b${i}`) } });
  expect(codes(arns)).toEqual(['BAD_USER_INPUT']);
  const names = await gql(app, q, { f: { eventNames: Array.from({ length: 50_000 }, (_, i) => `E${i}`) } });
  expect(codes(names)).toEqual(['BAD_USER_INPUT']);
  const atLimit = await gql(app, q, { f: { eventNames: Array.from({ length: config.maxListValues }, (_, i) => `E${i}`) } });
  expect(atLimit.errors).toBeUndefined();
  const sessions = await gql(app, `{ sessions(filter: { principalArns: [${Array.from({ length: 501 }, (_, i) => `"p${i}"`).join(',')}] }) { nodes { id } } }`);
  expect(codes(sessions)).toEqual(['BAD_USER_INPUT']);
});

test('an answer past the response cap is RESPONSE_TOO_LARGE, not a crash', async () => {
  const small = await buildApp({ ...config, maxResponseBytes: 2048 }, { engine: await storeWith(corpusRecords().slice(0, 60)), logger: false });
  try {
    const r = await gql(small, `{ events(first: 50) { nodes { eventId raw } } }`);
    expect(codes(r)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(r.data ?? null).toBeNull();
    const ok = await gql(small, `{ events(first: 1) { nodes { eventId } } }`);
    expect(ok.errors).toBeUndefined();
  } finally {
    await small.close();
  }
});
