import { walkPages } from './support/paging';
import { FastifyInstance } from 'fastify';
import { GraphQLObjectType } from 'graphql';
import { RecordingEngine } from './support/recording-engine';
import { PRINCIPAL_FIELD_PARTS } from '../resolvers/principal/principal-selection';
import { apiSchema } from '../resolvers/schema';
import { SESSION_FIELD_PARTS } from '../resolvers/session/session-selection';
import { PrincipalFieldsResolver } from '../resolvers/principal/principal-fields.resolver';
import { Principal } from '../resolvers/principal/principal.type';
import { SessionFieldsResolver } from '../resolvers/session/session-fields.resolver';
import { Session } from '../resolvers/session/session.type';
import { loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { Row, RunOptions, SqlEngine, StatementStats } from '../src/history/engine';
import { decodeSessionId } from '../src/history/graph/session-ref';
import { Sql } from '../src/history/sql/sql';
import { HistoryStore } from '../src/history/store';
import { resolveWindow } from '../src/history/window';
import { buildApp } from '../src/server';
import { GqlResponse, codes, gql } from './support/api';
import { demoStore } from './support/demo-store';
import { TEST_NOW, fixedClock } from './support/clock';
import { errorCodeOf } from './support/error-code';

/**
 * Principal and session summaries compute only the parts the selection
 * asks: a narrow selection's statement reads none of the columns of the
 * parts it leaves out, and every field asked alone (or through fragments,
 * aliases, node(id:), nested objects, filters that need a part) answers
 * what the widest selection answers.
 */
const NOW = TEST_NOW;
const DAY = 86_400_000;
const TIME = { from: new Date(NOW.getTime() - 3 * DAY).toISOString(), to: new Date(NOW.getTime() + 60_000).toISOString() };
const { config } = loadConfig([], {}, { maxSpanDays: 90, defaultWindowDays: 30, maxPageSize: 500 });

/** The real store, whose summary rows come back without one column (the app that owns the store closes it). */
class ColumnDroppingEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly prefersNarrowStatements = true;
  readonly partitionDays;
  constructor(private readonly inner: SqlEngine, private readonly column: string) {
    this.partitionDays = inner.partitionDays;
  }
  async query(statement: Sql, options?: RunOptions): Promise<{ rows: Row[]; stats: StatementStats }> {
    const out = await this.inner.query(statement, options);
    return { ...out, rows: out.rows.map(({ [this.column]: _dropped, ...rest }) => rest) };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

let app: FastifyInstance;
let dropping: FastifyInstance;
let recorder: RecordingEngine;
beforeAll(async () => {
  const { engine } = await demoStore({ events: 3_000, end: NOW, days: 3, seed: 23 });
  recorder = new RecordingEngine(engine);
  app = await buildApp(config, { engine: recorder, logger: false, clock: fixedClock() });
  dropping = await buildApp(config, { engine: new ColumnDroppingEngine(engine, 'agents'), logger: false, clock: fixedClock() });
});
afterAll(async () => {
  await dropping.close();
  await app.close();
});

async function run<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ data: T; statements: string[] }> {
  recorder.recorded = [];
  const r: GqlResponse<T> = await gql<T>(app, query, { t: TIME, ...variables });
  expect(r.errors).toBeUndefined();
  expect(r.extensions?.cost?.historyQueries).toBe(recorder.recorded.length);
  return { data: r.data!, statements: recorder.recorded.map((s) => s.text) };
}

/** The summary fields (lists of their own aside), with the sub-selection an object field needs. */
const PRINCIPAL_FIELDS = ['type', 'name', 'accountId', 'firstSeen', 'lastSeen', 'eventCount', 'errorCount', 'accessKeyIds', 'sourceIpAddresses', 'topEventNames { name count }'];
const SESSION_FIELDS = [
  'kind', 'createdAt', 'principal { arn }', 'sessionName', 'sourceIdentity', 'accessKeyId', 'mfaAuthenticated', 'firstEventTime', 'lastEventTime',
  'eventCount', 'writeCount', 'errorCount', 'accessDeniedCount', 'eventSources', 'regions', 'sourceIpAddresses', 'userAgents',
];
const ALL_PRINCIPAL = PRINCIPAL_FIELDS.join(' ');
const ALL_SESSION = SESSION_FIELDS.join(' ');
const nameOf = (field: string) => field.split(' ')[0];

type Obj = Record<string, unknown>;
/** Each object of `wide` cut down to `keys`. */
const cut = (wide: Obj[], keys: string[]) => wide.map((o) => Object.fromEntries(keys.map((k) => [k, o[k]])));

/** Columns of the summary parts (as the table names them); the statement of a narrow selection reads none it does not need. */
const LIST_AND_DETAIL_COLUMNS = ['useragent', 'sourceipaddress', 'accesskeyid', 'sourceidentity', 'additionaleventdata', 'mfaauthenticated', 'readonly', 'eventsource', 'awsregion'];

describe('a narrow selection computes and reads only what it asks', () => {
  test('a principals page of arn and type reads the type alone; the wide page reads the rest', async () => {
    const narrow = await run<{ principals: { nodes: Obj[] } }>(`query($t: TimeRange) { principals(first: 60, filter: {time: $t}) { nodes { arn type } } }`);
    const wide = await run<{ principals: { nodes: Obj[] } }>(`query($t: TimeRange) { principals(first: 60, filter: {time: $t}) { nodes { arn ${ALL_PRINCIPAL} } } }`);
    expect(narrow.statements).toHaveLength(1);
    const [page] = narrow.statements;
    expect(page).toContain('principal_type');
    for (const column of ['sourceipaddress', 'accesskeyid', 'username', 'accountid', 'errorcode', 'histogram']) expect(page).not.toContain(column);
    for (const column of ['sourceipaddress', 'accesskeyid', 'username', 'accountid', 'errorcode']) expect(wide.statements[0]).toContain(column);
    expect(narrow.data.principals.nodes.length).toBeGreaterThan(10);
    expect(narrow.data.principals.nodes).toEqual(cut(wide.data.principals.nodes, ['arn', 'type']));
  });

  test('the depth-4 investigation query: its sessions statement reads the session, the principal and the time alone', async () => {
    const query = `query($t: TimeRange) { principals(first: 50, filter: {time: $t}) { nodes { arn type sessions(first: 5) { nodes { id kind eventCount
      events(first: 10) { nodes { id eventTime eventName } } resources { nodes { arn type eventCount } } } } } } }`;
    const { data, statements } = await run<{ principals: { nodes: Array<{ arn: string; sessions: { nodes: Obj[] } }> } }>(query);
    expect(statements.length).toBeLessThanOrEqual(5);
    const sessions = statements.filter((s) => s.includes('session_ref AS sref') && s.includes('parent_key'));
    expect(sessions).toHaveLength(1);
    for (const column of LIST_AND_DETAIL_COLUMNS) expect(sessions[0]).not.toContain(column);
    const wide = await run<{ principals: { nodes: Array<{ arn: string; sessions: { nodes: Obj[] } }> } }>(
      `query($t: TimeRange) { principals(first: 50, filter: {time: $t}) { nodes { arn sessions(first: 5) { nodes { id ${ALL_SESSION} } } } } }`,
    );
    for (const column of LIST_AND_DETAIL_COLUMNS) expect(wide.statements.join('\n')).toContain(column);
    const narrowSessions = data.principals.nodes.map((p) => cut(p.sessions.nodes, ['id', 'kind', 'eventCount']));
    expect(narrowSessions.flat().length).toBeGreaterThan(20);
    expect(narrowSessions).toEqual(wide.data.principals.nodes.map((p) => cut(p.sessions.nodes, ['id', 'kind', 'eventCount'])));
  });

  test('a look-up by ARN counts event names only when topEventNames is asked', async () => {
    const arn = await busiestPrincipal();
    const plain = await run(`query($t: TimeRange, $a: String!) { principal(arn: $a, time: $t) { arn eventCount } }`, { a: arn });
    const named = await run(`query($t: TimeRange, $a: String!) { principal(arn: $a, time: $t) { arn eventCount topEventNames { name } } }`, { a: arn });
    expect(plain.statements).toHaveLength(1);
    expect(plain.statements[0]).not.toContain('histogram');
    expect(plain.statements[0]).not.toContain('eventname');
    expect(named.statements).toHaveLength(1);
    // The calls count names with histogram, the principals' days sum them per name.
    expect(named.statements[0]).toMatch(/histogram|map_from_entries/);
  });
});

describe('the principal and session of an event', () => {
  test('compute the parts their selection asks, and answer what the widest selection answers', async () => {
    const q = (p: string, se: string) => `query($t: TimeRange) { events(first: 120, filter: {time: $t}) { nodes { id principal { arn ${p} } session { id ${se} } } } }`;
    type Row = { id: string; principal: Obj | null; session: Obj | null };
    const narrow = await run<{ events: { nodes: Row[] } }>(q('type', 'eventCount'));
    const wide = await run<{ events: { nodes: Row[] } }>(q(ALL_PRINCIPAL, ALL_SESSION));
    // The summaries' statements (the event graph's own statement derives every event's principal, session and resources).
    const narrowText = narrow.statements.filter((t) => !t.includes('g_entries')).join('\n');
    for (const column of [...LIST_AND_DETAIL_COLUMNS, 'username', 'histogram']) expect([column, narrowText.includes(column)]).toEqual([column, false]);
    for (const column of ['useragent', 'sourceipaddress', 'accesskeyid']) expect(wide.statements.join('\n')).toContain(column);
    const cutRow = (r: Row) => ({ id: r.id, principal: r.principal && cut([r.principal], ['arn', 'type'])[0], session: r.session && cut([r.session], ['id', 'eventCount'])[0] });
    expect(narrow.data.events.nodes.filter((r) => r.principal && r.session).length).toBeGreaterThan(10);
    expect(narrow.data.events.nodes).toEqual(wide.data.events.nodes.map(cutRow));
  });
});

describe('the principals of a resource', () => {
  test('compute the parts their selection asks, and answer what the widest selection answers', async () => {
    const q = (fields: string) => `query($t: TimeRange) { resources(first: 40, filter: {time: $t}) { nodes { arn principals(first: 5) { nodes { arn ${fields} } } } } }`;
    type Row = { arn: string; principals: { nodes: Obj[] } };
    const narrow = await run<{ resources: { nodes: Row[] } }>(q('type'));
    const wide = await run<{ resources: { nodes: Row[] } }>(q(ALL_PRINCIPAL));
    for (const column of ['username', 'accesskeyid', 'sourceipaddress']) {
      expect([column, narrow.statements.join('\n').includes(column)]).toEqual([column, false]);
      expect(wide.statements.join('\n')).toContain(column);
    }
    expect(narrow.data.resources.nodes.flatMap((r) => r.principals.nodes).length).toBeGreaterThan(10);
    expect(narrow.data.resources.nodes).toEqual(wide.data.resources.nodes.map((r) => ({ arn: r.arn, principals: { nodes: cut(r.principals.nodes, ['arn', 'type']) } })));
  });
});

async function busiestPrincipal(): Promise<string> {
  const { data } = await run<{ principals: { nodes: Array<{ arn: string; eventCount: number }> } }>(`query($t: TimeRange) { principals(first: 200, filter: {time: $t}) { nodes { arn eventCount } } }`);
  return [...data.principals.nodes].sort((a, b) => b.eventCount - a.eventCount)[0].arn;
}

describe('each field asked alone answers what the widest selection answers', () => {
  test('principals page', async () => {
    const page = (fields: string) => run<{ principals: { nodes: Obj[] } }>(`query($t: TimeRange) { principals(first: 80, filter: {time: $t}) { nodes { arn ${fields} } } }`);
    const wide = (await page(ALL_PRINCIPAL)).data.principals.nodes;
    expect(wide.length).toBeGreaterThan(10);
    for (const field of PRINCIPAL_FIELDS) expect([field, (await page(field)).data.principals.nodes]).toEqual([field, cut(wide, ['arn', nameOf(field)])]);
  });

  test('principal(arn:) look-ups, by canonical and by sts ARN', async () => {
    const arns = (await run<{ principals: { nodes: Array<{ arn: string; type: string }> } }>(`query($t: TimeRange) { principals(first: 200, filter: {time: $t}) { nodes { arn type } } }`)).data.principals.nodes;
    const events = await run<{ events: { nodes: Array<{ userIdentity: { arn: string | null } }> } }>(`query($t: TimeRange) { events(first: 300, filter: {time: $t}) { nodes { userIdentity { arn } } } }`);
    const sts = events.data.events.nodes.map((e) => e.userIdentity.arn).find((a): a is string => a !== null && a.includes(':assumed-role/'));
    expect(sts).toBeDefined();
    const lookups = [...arns.filter((_, i) => i % 9 === 0).slice(0, 6).map((p) => p.arn), sts!];
    const one = (arn: string, fields: string) => run<{ principal: Obj }>(`query($t: TimeRange, $a: String!) { principal(arn: $a, time: $t) { arn ${fields} } }`, { a: arn });
    for (const arn of lookups) {
      const wide = (await one(arn, ALL_PRINCIPAL)).data.principal;
      for (const field of PRINCIPAL_FIELDS) expect([arn, field, (await one(arn, field)).data.principal]).toEqual([arn, field, cut([wide], ['arn', nameOf(field)])[0]]);
    }
  });

  test('sessions page, sessions of principals, session(id:), and the principal of a session', async () => {
    const page = (fields: string) => run<{ sessions: { nodes: Obj[] } }>(`query($t: TimeRange) { sessions(first: 60, filter: {time: $t}) { nodes { id ${fields} } } }`);
    const wide = (await page(ALL_SESSION)).data.sessions.nodes;
    expect(new Set(wide.map((s) => s.kind)).size).toBeGreaterThanOrEqual(3);
    for (const field of SESSION_FIELDS) expect([field, (await page(field)).data.sessions.nodes]).toEqual([field, cut(wide, ['id', nameOf(field)])]);

    const nested = (fields: string) =>
      run<{ principals: { nodes: Array<{ sessions: { nodes: Obj[] } }> } }>(`query($t: TimeRange) { principals(first: 40, filter: {time: $t}) { nodes { sessions(first: 4) { nodes { id ${fields} } } } } }`);
    const wideNested = (await nested(ALL_SESSION)).data.principals.nodes.flatMap((p) => p.sessions.nodes);
    expect(wideNested.length).toBeGreaterThan(20);
    for (const field of SESSION_FIELDS) {
      const got = (await nested(field)).data.principals.nodes.flatMap((p) => p.sessions.nodes);
      expect([field, got]).toEqual([field, cut(wideNested, ['id', nameOf(field)])]);
    }

    const ids = wide.filter((_, i) => i % 12 === 0).slice(0, 5).map((s) => String(s.id));
    const byId = (id: string, fields: string) => run<{ session: Obj }>(`query($i: ID!) { session(id: $i) { id ${fields} } }`, { i: id });
    for (const id of ids) {
      const whole = (await byId(id, ALL_SESSION)).data.session;
      for (const field of SESSION_FIELDS) expect([id, field, (await byId(id, field)).data.session]).toEqual([id, field, cut([whole], ['id', nameOf(field)])[0]]);
    }

    const principalOf = (fields: string) => run<{ sessions: { nodes: Array<{ principal: Obj }> } }>(`query($t: TimeRange) { sessions(first: 30, filter: {time: $t}) { nodes { principal { arn ${fields} } } } }`);
    const widePrincipals = (await principalOf(ALL_PRINCIPAL)).data.sessions.nodes.map((s) => s.principal);
    for (const field of PRINCIPAL_FIELDS) {
      const got = (await principalOf(field)).data.sessions.nodes.map((s) => s.principal);
      expect([field, got]).toEqual([field, cut(widePrincipals, ['arn', nameOf(field)])]);
    }
  });
});

describe('what needs a part indirectly', () => {
  type Sessions = { sessions: { nodes: Obj[] } };
  const sessionIds = async (filter: string) =>
    (await run<Sessions>(`query($t: TimeRange) { sessions(first: 500, filter: {time: $t${filter}}) { nodes { id } } }`)).data.sessions.nodes.map((s) => s.id);

  test('hasError and mfaAuthenticated filters on a selection that asks neither', async () => {
    const wide = (await run<Sessions>(`query($t: TimeRange) { sessions(first: 500, filter: {time: $t}) { nodes { id errorCount mfaAuthenticated } } }`)).data.sessions.nodes;
    const withErrors = wide.filter((s) => Number(s.errorCount) > 0).map((s) => s.id);
    const withMfa = wide.filter((s) => s.mfaAuthenticated === true).map((s) => s.id);
    expect(withErrors.length).toBeGreaterThan(0);
    expect(withMfa.length).toBeGreaterThan(0);
    expect(await sessionIds(', hasError: true')).toEqual(withErrors);
    expect(await sessionIds(', hasError: false')).toEqual(wide.filter((s) => Number(s.errorCount) === 0).map((s) => s.id));
    expect(await sessionIds(', mfaAuthenticated: true')).toEqual(withMfa);
    expect(await sessionIds(', mfaAuthenticated: false')).toEqual(wide.filter((s) => s.mfaAuthenticated !== true).map((s) => s.id));
  });

  test('principalArns filter (canonical and sts) and identityTypes filter', async () => {
    const wide = (await run<Sessions>(`query($t: TimeRange) { sessions(first: 500, filter: {time: $t}) { nodes { id principal { arn } } } }`)).data.sessions.nodes;
    const arn = String((wide[0].principal as Obj).arn);
    expect(await sessionIds(`, principalArns: ${JSON.stringify([arn])}`)).toEqual(wide.filter((s) => (s.principal as Obj).arn === arn).map((s) => s.id));

    type Principals = { principals: { nodes: Obj[] } };
    const all = (await run<Principals>(`query($t: TimeRange) { principals(first: 500, filter: {time: $t}) { nodes { arn type } } }`)).data.principals.nodes;
    const users = (await run<Principals>(`query($t: TimeRange) { principals(first: 500, filter: {time: $t, identityTypes: [IAM_USER]}) { nodes { arn } } }`)).data.principals.nodes;
    expect(users.length).toBeGreaterThan(0);
    expect(users).toEqual(all.filter((p) => p.type === 'IAM_USER').map((p) => ({ arn: p.arn })));
  });

  test('cursors: a narrow walk in small pages meets the same sessions in the same order', async () => {
    const walk = (fields: string) =>
      walkPages<Obj>(async (after) => {
        const r: { data: { sessions: { edges: Array<{ cursor: string; node: Obj }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = await run(
          `query($t: TimeRange, $a: String) { sessions(first: 25, after: $a, filter: {time: $t}) { edges { cursor node { ${fields} } } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
        );
        return { items: r.data.sessions.edges.map((e) => e.node), hasNextPage: r.data.sessions.pageInfo.hasNextPage, endCursor: r.data.sessions.pageInfo.endCursor };
      });
    const wide = await walk(`id ${ALL_SESSION}`);
    expect(wide.length).toBeGreaterThan(50);
    expect(await walk('id')).toEqual(cut(wide, ['id']));
  });
});

describe('fragments, aliases, node(id:), and batching', () => {
  test('fragment spreads and inline fragments narrow as the fields they hold, and answer the same', async () => {
    const query = `query($t: TimeRange) { principals(first: 60, filter: {time: $t}) { edges { node { ...P ... on Principal { n: eventCount } ... on Node { id } } } } }
      fragment P on Principal { arn kind: type errorCount }`;
    const { data, statements } = await run<{ principals: { edges: Array<{ node: Obj }> } }>(query);
    expect(statements[0]).not.toContain('sourceipaddress');
    expect(statements[0]).toContain('errorcode');
    const wide = (await run<{ principals: { nodes: Obj[] } }>(`query($t: TimeRange) { principals(first: 60, filter: {time: $t}) { nodes { id arn ${ALL_PRINCIPAL} } } }`)).data.principals.nodes;
    expect(data.principals.edges.map((e) => e.node)).toEqual(wide.map((p) => ({ arn: p.arn, kind: p.type, errorCount: p.errorCount, n: p.eventCount, id: p.id })));
  });

  test('node(id:) answers every field of principals and sessions as the direct look-ups do', async () => {
    const sessions = (await run<{ sessions: { nodes: Obj[] } }>(`query($t: TimeRange) { sessions(first: 5, filter: {time: $t}) { nodes { id ${ALL_SESSION} } } }`)).data.sessions.nodes;
    for (const s of sessions) {
      const r = await run<{ node: Obj }>(`query($i: ID!) { node(id: $i) { id ... on Session { ${ALL_SESSION} } } }`, { i: s.id });
      const direct = await run<{ session: Obj }>(`query($i: ID!) { session(id: $i) { id ${ALL_SESSION} } }`, { i: s.id });
      expect(r.data.node).toEqual(direct.data.session);
    }
    const arn = await busiestPrincipal();
    const direct = (await run<{ principal: Obj }>(`query($a: String!) { principal(arn: $a) { id arn ${ALL_PRINCIPAL} } }`, { a: arn })).data.principal;
    const node = await run<{ node: Obj }>(`query($i: ID!) { node(id: $i) { ... on Principal { id arn ${ALL_PRINCIPAL} } ... on Session { eventCount } } }`, { i: direct.id });
    expect(node.data.node).toEqual(direct);
  });

  test('keys that differ only in their parts share one statement, which computes the union', async () => {
    const nodes = (await run<{ principals: { nodes: Obj[] } }>(`query($t: TimeRange) { principals(first: 30, filter: {time: $t}) { nodes { arn ${ALL_PRINCIPAL} } } }`)).data.principals.nodes;
    const [a, b] = [nodes[1], nodes[5]];
    const looks = await run<Record<string, Obj>>(`query($t: TimeRange, $a: String!, $b: String!) {
      x: principal(arn: $a, time: $t) { arn type } y: principal(arn: $b, time: $t) { arn accessKeyIds } z: principal(arn: $a, time: $t) { arn errorCount } }`, { a: a.arn, b: b.arn });
    expect(looks.statements).toHaveLength(1);
    expect(looks.data).toEqual({ x: { arn: a.arn, type: a.type }, y: { arn: b.arn, accessKeyIds: b.accessKeyIds }, z: { arn: a.arn, errorCount: a.errorCount } });

    const sessions = (await run<{ sessions: { nodes: Obj[] } }>(`query($t: TimeRange) { sessions(first: 10, filter: {time: $t}) { nodes { id ${ALL_SESSION} } } }`)).data.sessions.nodes;
    const byIds = await run<Record<string, Obj>>(`query($a: ID!, $b: ID!) { s: session(id: $a) { id eventCount } u: session(id: $b) { id userAgents } v: session(id: $a) { id regions } }`, { a: sessions[0].id, b: sessions[3].id });
    expect(byIds.statements).toHaveLength(1);
    expect(byIds.statements[0]).toContain('useragent');
    expect(byIds.data).toEqual({ s: cut([sessions[0]], ['id', 'eventCount'])[0], u: cut([sessions[3]], ['id', 'userAgents'])[0], v: cut([sessions[0]], ['id', 'regions'])[0] });

    const pages = await run<Record<string, { nodes: Obj[] }>>(`query($t: TimeRange) { p: sessions(first: 10, filter: {time: $t}) { nodes { id eventCount } } q: sessions(first: 10, filter: {time: $t}) { nodes { id writeCount } } }`);
    expect(pages.statements).toHaveLength(1);
    expect(pages.data.p.nodes).toEqual(cut(sessions, ['id', 'eventCount']));
    expect(pages.data.q.nodes).toEqual(cut(sessions, ['id', 'writeCount']));

    const nested = await run<{ principals: { nodes: Array<Record<string, { nodes: Obj[] }>> } }>(`query($t: TimeRange) { principals(first: 20, filter: {time: $t}) { nodes {
      c: sessions(first: 3) { nodes { id eventCount } } d: sessions(first: 3) { nodes { id sourceIdentity } } } } }`);
    expect(nested.statements).toHaveLength(2);
  });

  test('every summary field of the schema is in the parts tables (a new field is noticed, not silently read whole)', async () => {
    const schema = await apiSchema();
    const fields = (name: string) => Object.keys((schema.getType(name) as GraphQLObjectType).getFields()).sort();
    expect(fields('Principal').filter((f) => !(f in PRINCIPAL_FIELD_PARTS))).toEqual([]);
    expect(fields('Session').filter((f) => !(f in SESSION_FIELD_PARTS))).toEqual([]);
  });
});

describe('a part that was not computed is never served as empty', () => {
  test('a resolver reading a field its summary lacks fails; those it has answer as the wide selection does', async () => {
    const wide = (await run<{ sessions: { nodes: Obj[] } }>(`query($t: TimeRange) { sessions(first: 3, filter: {time: $t}) { nodes { id ${ALL_SESSION} } } }`)).data.sessions.nodes[0];
    const ctx = createContext({ config, store: new HistoryStore(recorder), clock: fixedClock() });
    const { ref, window } = decodeSessionId(String(wide.id));
    const resolver = new SessionFieldsResolver();
    // Loaded by id with the writes part alone.
    const session = Session.of(ref, window, true, null, ['writes']);
    expect(await resolver.writeCount(session, ctx)).toBe(wide.writeCount);
    expect(await resolver.eventCount(session, ctx)).toBe(wide.eventCount);
    expect(await errorCodeOf(resolver.userAgents(session, ctx))).toBe('INTERNAL_SERVER_ERROR');
    expect(await errorCodeOf(resolver.regions(session, ctx))).toBe('INTERNAL_SERVER_ERROR');
    expect(await errorCodeOf(resolver.sessionName(session, ctx))).toBe('INTERNAL_SERVER_ERROR');
    expect(await errorCodeOf(resolver.accessDeniedCount(session, ctx))).toBe('INTERNAL_SERVER_ERROR');

    const arn = await busiestPrincipal();
    const principal = (await run<{ principal: Obj }>(`query($a: String!, $t: TimeRange) { principal(arn: $a, time: $t) { ${ALL_PRINCIPAL} } }`, { a: arn })).data.principal;
    const fields = new PrincipalFieldsResolver();
    const p = Principal.of(arn, resolveWindow({ from: new Date(TIME.from), to: new Date(TIME.to) }, config, NOW), null, null, ['errors']);
    expect(await fields.errorCount(p, ctx)).toBe(principal.errorCount);
    expect(await errorCodeOf(fields.accessKeyIds(p, ctx))).toBe('INTERNAL_SERVER_ERROR');
    expect(await errorCodeOf(fields.type(p, ctx))).toBe('INTERNAL_SERVER_ERROR');
    expect(await errorCodeOf(fields.name(p, ctx))).toBe('INTERNAL_SERVER_ERROR');
  });

  test('a summary statement that lacks a column of a part it was asked is an internal error, not an empty list', async () => {
    const r = await gql<{ sessions: { nodes: Obj[] } }>(dropping, `query($t: TimeRange) { sessions(first: 5, filter: {time: $t}) { nodes { id userAgents } } }`, { t: TIME });
    expect(codes(r)).toContain('INTERNAL_SERVER_ERROR');
    const fine = await gql<{ sessions: { nodes: Obj[] } }>(dropping, `query($t: TimeRange) { sessions(first: 5, filter: {time: $t}) { nodes { id regions } } }`, { t: TIME });
    expect(fine.errors).toBeUndefined();
    expect(fine.data!.sessions.nodes.length).toBe(5);
  });
});
