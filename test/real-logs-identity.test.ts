import { FastifyInstance } from 'fastify';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { ENGINE_NAMES, EngineHandle, openEngine } from './support/engines';
import { corpusRecords, storeWith } from './support/fixture-store';
import { IDC_PRINCIPAL, IDC_USER_ID, IDENTITY_CENTER_EXAMPLES, READ_ONLY_EXAMPLES } from './fixtures/aws-doc-records';

/**
 * Who did it, on real records: empty error codes are successes, console
 * sessions are told apart by identity and recognised in records older than
 * sessionCredentialFromConsole, Identity Center users are named by their
 * sign-ins, and readOnly reads as records write it. Expected values are
 * literals from the records, or counted here over the raw records.
 */
const records = [...corpusRecords(), ...IDENTITY_CENTER_EXAMPLES, ...READ_ONLY_EXAMPLES];
const firstOfId = new Map<string, CloudTrailRecord>();
for (const r of records) if (!firstOfId.has(r.eventID)) firstOfId.set(r.eventID, r);
const stored = [...firstOfId.values()];
const times = stored.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
const TIME = { from: new Date(times[0]).toISOString(), to: new Date(times[times.length - 1] + 1000).toISOString() };
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 7 });

type Json = Record<string, unknown>;
const field = (root: unknown, ...path: string[]): unknown => {
  let v: unknown = root;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Json)[p] : undefined;
  return v;
};
const failed = (r: CloudTrailRecord) => typeof r.errorCode === 'string' && r.errorCode !== '';

/** AWS's examples of successful calls written with errorCode "": a Cognito Login_GET and an S3 DeleteBucket. */
const EMPTY_CODE_IDS = ['382ae09a-151d-4116-8f2b-6ac0a804a38c', '6795ef5c-7777-4444-8888-cabb7f252bd3'];
const BUCKET_ADMIN = 'arn:aws:iam::123456789012:role/BucketAdministrator';
/** AWS's sign-in examples: root (MFA not used) and the IAM user anaya (MFA used), both with principalId AIDACKCEVSQ6C2EXAMPLE. */
const ROOT_SIGN_IN = 'deb1e1f9-c99b-4612-8e9f-21f93b5d79c0';
const USER_SIGN_IN = 'fed06f42-cb12-4764-8c69-121063dc79b9';
const OTRF = stored.filter((r) => field(r.userIdentity, 'userName') === 'pedro');

let duck: DuckDbEngine;
beforeAll(async () => {
  duck = await storeWith(records);
});
afterAll(() => duck.close());

describe.each(ENGINE_NAMES)('on %s', (name) => {
  let handle: EngineHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await openEngine(name, duck);
    app = await buildApp(config, { engine: handle.engine, logger: false });
  });
  afterAll(async () => {
    await app.close();
    await handle.close();
  });
  const ask = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const r = await gql<T>(app, query, variables);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const idsWhere = async (filter: Record<string, unknown>): Promise<string[]> =>
    (await ask<{ events: { nodes: Array<{ eventId: string }> } }>(`query($f: EventFilter) { events(filter: $f, first: 100) { nodes { eventId } } }`, { f: { time: TIME, ...filter } }))
      .events.nodes.map((e) => e.eventId).sort();

  test('errorCode "" is a success: hasError, error counts and stats', async () => {
    expect(EMPTY_CODE_IDS.map((id) => firstOfId.get(id)?.errorCode)).toEqual(['', '']);
    expect(await idsWhere({ eventIds: EMPTY_CODE_IDS, hasError: true })).toEqual([]);
    expect(await idsWhere({ eventIds: EMPTY_CODE_IDS, hasError: false })).toEqual([...EMPTY_CODE_IDS].sort());
    const stats = await ask<{ eventStats: Array<{ keys: Array<string | null>; count: number }> }>(
      `query($f: EventFilter) { eventStats(filter: $f, groupBy: [ERROR_CODE]) { keys count } }`, { f: { time: TIME, eventIds: EMPTY_CODE_IDS } });
    expect(stats.eventStats).toEqual([{ keys: [null], count: 2 }]);
    // The role's calls and the DeleteBucket's session, counted here.
    const roleCalls = stored.filter((r) => field(r.userIdentity, 'sessionContext', 'sessionIssuer', 'arn') === BUCKET_ADMIN && r.userIdentity?.type === 'AssumedRole');
    expect(roleCalls.length).toBeGreaterThan(0);
    const p = await ask<{ principal: { eventCount: number; errorCount: number } }>(`query($a: String!, $t: TimeRange!) { principal(arn: $a, time: $t) { eventCount errorCount } }`, { a: BUCKET_ADMIN, t: TIME });
    expect(p.principal).toEqual({ eventCount: roleCalls.length, errorCount: roleCalls.filter(failed).length });
    const deleteBucket = firstOfId.get(EMPTY_CODE_IDS[1])!;
    const sameSession = stored.filter((r) => field(r.userIdentity, 'principalId') === field(deleteBucket.userIdentity, 'principalId')
      && field(r.userIdentity, 'sessionContext', 'attributes', 'creationDate') === field(deleteBucket.userIdentity, 'sessionContext', 'attributes', 'creationDate'));
    const e = await ask<{ events: { nodes: Array<{ session: { eventCount: number; errorCount: number } }> } }>(
      `query($f: EventFilter) { events(filter: $f) { nodes { session { eventCount errorCount } } } }`, { f: { time: TIME, eventIds: [EMPTY_CODE_IDS[1]] } });
    expect(e.events.nodes[0].session).toEqual({ eventCount: sameSession.length, errorCount: sameSession.filter(failed).length });
  });

  test('root and an IAM user sharing a principalId have their own console sessions', async () => {
    type Node = { eventId: string; session: { id: string; kind: string; mfaAuthenticated: boolean | null; principal: { arn: string } } };
    const r = await ask<{ events: { nodes: Node[] } }>(
      `query($f: EventFilter) { events(filter: $f) { nodes { eventId session { id kind mfaAuthenticated principal { arn } } } } }`, { f: { time: TIME, eventIds: [ROOT_SIGN_IN, USER_SIGN_IN] } });
    const by = new Map(r.events.nodes.map((n) => [n.eventId, n.session]));
    expect(field(firstOfId.get(ROOT_SIGN_IN)!.userIdentity, 'principalId')).toBe(field(firstOfId.get(USER_SIGN_IN)!.userIdentity, 'principalId'));
    expect(by.get(ROOT_SIGN_IN)).toMatchObject({ kind: 'CONSOLE', mfaAuthenticated: false, principal: { arn: 'arn:aws:iam::111122223333:root' } });
    expect(by.get(USER_SIGN_IN)).toMatchObject({ kind: 'CONSOLE', mfaAuthenticated: true, principal: { arn: 'arn:aws:iam::111122223333:user/anaya' } });
    expect(by.get(ROOT_SIGN_IN)!.id).not.toBe(by.get(USER_SIGN_IN)!.id);
  });

  test('console sessions of records older than sessionCredentialFromConsole (OTRF, pedro)', async () => {
    expect(OTRF.length).toBe(87);
    expect(OTRF.every((r) => r.sessionCredentialFromConsole === undefined)).toBe(true);
    const arn = String(field(OTRF[0].userIdentity, 'arn'));
    const created = String(field(OTRF[0].userIdentity, 'sessionContext', 'attributes', 'creationDate'));
    type S = { kind: string; createdAt: string; eventCount: number; mfaAuthenticated: boolean | null; principal: { arn: string } };
    const r = await ask<{ sessions: { nodes: S[] } }>(
      `query($f: SessionFilter) { sessions(filter: $f, first: 10) { nodes { kind createdAt eventCount mfaAuthenticated principal { arn } } } }`, { f: { time: TIME, principalArns: [arn] } });
    expect(r.sessions.nodes).toEqual([{ kind: 'CONSOLE', createdAt: created, eventCount: OTRF.length, mfaAuthenticated: true, principal: { arn } }]);
  });

  test('temporary credentials of an IAM user used outside the console form no console session', async () => {
    // Records of a user's temporary credentials (a creationDate, no flag) whose agent is an SDK, a service or a tool, not the console.
    const consoleAgent = /console|mozilla|signin\.amazonaws\.com|^aws internal/i;
    const cli = stored.filter((r) => (r.userIdentity?.type === 'IAMUser' || r.userIdentity?.type === 'Root') && field(r.userIdentity, 'sessionContext', 'attributes', 'creationDate') !== undefined
      && r.sessionCredentialFromConsole === undefined && !consoleAgent.test(String(r.userAgent ?? '')) && r.eventName !== 'ConsoleLogin');
    expect(cli.length).toBeGreaterThan(0);
    const r = await ask<{ events: { nodes: Array<{ session: unknown }> } }>(`query($f: EventFilter) { events(filter: $f, first: 100) { nodes { session { id } } } }`, { f: { time: TIME, eventIds: cli.map((x) => x.eventID) } });
    expect(r.events.nodes.length).toBe(cli.length);
    expect(r.events.nodes.map((n) => n.session)).toEqual(cli.map(() => null));
  });

  test('an Identity Center user is named by the sign-in within the window', async () => {
    const q = `query($a: String!, $t: TimeRange!) { principal(arn: $a, time: $t) { type name } }`;
    const day = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
    expect((await ask<{ principal: unknown }>(q, { a: IDC_PRINCIPAL, t: day })).principal).toEqual({ type: 'IDENTITY_CENTER_USER', name: 'anyuser@example.com' });
    const hour = { from: '2026-03-02T09:00:00Z', to: '2026-03-02T10:00:00Z' };
    expect((await ask<{ principal: unknown }>(q, { a: IDC_PRINCIPAL, t: hour })).principal).toEqual({ type: 'IDENTITY_CENTER_USER', name: 'anyuser@example.com' });
    // A window without a sign-in: the records hold no name, the user id stands for it.
    const nextDay = { from: '2026-03-03T00:00:00Z', to: '2026-03-04T00:00:00Z' };
    expect((await ask<{ principal: unknown }>(q, { a: IDC_PRINCIPAL, t: nextDay })).principal).toEqual({ type: 'IDENTITY_CENTER_USER', name: IDC_USER_ID });
    // The hidden text of a failed sign-in names nobody.
    const names = await ask<{ principals: { nodes: Array<{ name: string | null }> } }>(`query($t: TimeRange!) { principals(filter: { time: $t }, first: 100) { nodes { name } } }`, { t: day });
    expect(names.principals.nodes.map((n) => n.name)).not.toContain('HIDDEN_DUE_TO_SECURITY_REASONS');
  });

  test('readOnly: "True"/"False" texts are the booleans they name; false also matches records without readOnly', async () => {
    const ids = READ_ONLY_EXAMPLES.map((r) => r.eventID);
    expect(await idsWhere({ eventIds: ids, readOnly: true })).toEqual(['ro-bool-true', 'ro-text-true']);
    expect(await idsWhere({ eventIds: ids, readOnly: false })).toEqual(['ro-absent', 'ro-bool-false', 'ro-text-false']);
    const r = await ask<{ events: { nodes: Array<{ eventId: string; readOnly: boolean | null }> } }>(
      `query($f: EventFilter) { events(filter: $f) { nodes { eventId readOnly } } }`, { f: { time: TIME, eventIds: ids } });
    expect(Object.fromEntries(r.events.nodes.map((n) => [n.eventId, n.readOnly]))).toEqual({
      'ro-bool-true': true, 'ro-text-true': true, 'ro-bool-false': false, 'ro-text-false': false, 'ro-absent': null,
    });
  });
});
