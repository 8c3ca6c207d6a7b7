import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DERIVED_COLUMNS, PRINCIPAL_ARN, PRINCIPAL_KEY, PRINCIPAL_TYPE, SESSION_REF } from '../src/history/derive';
import { inSessions, principalCandidates } from '../src/history/graph/candidates';
import { DERIVED_RESOURCES, ENTRY_ACCOUNT, ENTRY_ARN, ENTRY_TYPE, resourceEntries } from '../src/history/graph/derive-resources';
import { TOUCHES } from '../src/history/graph/touches';
import { fillSideTables } from '../src/history/duckdb/side-tables';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { parseRef } from '../src/history/graph/session-ref';
import { Sql, sql, trusted } from '../src/history/sql/sql';
import { ResourceRef, principalArnOf, principalKeyOf, principalTypeOf, resourcesOf, sessionRefOf, timeOf } from './support/graph-reference';
import { graphCorpus } from './support/graph-corpus';
import { storeWith } from './support/fixture-store';
import { expectedPrincipalDays, expectedTouches, storedPrincipalDays, storedTouches } from './support/side-table-reference';
import { CloudTrailRecord } from '../src/cloudtrail/record';

/**
 * The derivations of derive.ts (SQL, run on the embedded engine) equal the
 * rules of docs/derivations.md written again in plain TypeScript, record by
 * record, over the corpus and records for the rules it lacks; and the cheap
 * pre-filters never drop a row the exact derivation keeps.
 */
const records = graphCorpus();
let engine: DuckDbEngine;
let rows: Map<string, { pk: string | null; ptype: string; sref: string | null; resources: ResourceRef[] }>;

async function query(s: Sql) {
  return (await engine.query(s)).rows;
}

beforeAll(async () => {
  engine = await storeWith(records);
  const derived = sql`SELECT *, ${DERIVED_RESOURCES} AS derived FROM cloudtrail`;
  const entries = sql`SELECT eventid, ${ENTRY_TYPE} AS t, ${ENTRY_ACCOUNT} AS a, ${ENTRY_ARN} AS arn
    FROM (SELECT eventid, ${resourceEntries(trusted('derived'))} AS entries FROM (${derived}) d) e CROSS JOIN UNNEST(e.entries) AS u(entry) WHERE entry IS NOT NULL`;
  const byEvent = new Map<string, Array<[string, string, string]>>();
  for (const r of await query(entries)) {
    const list = byEvent.get(String(r.eventid)) ?? [];
    list.push([String(r.arn), String(r.t), String(r.a)]);
    byEvent.set(String(r.eventid), list);
  }
  rows = new Map();
  for (const r of await query(sql`SELECT eventid, ${PRINCIPAL_ARN} AS pk, ${PRINCIPAL_TYPE} AS ptype, ${SESSION_REF} AS sref FROM cloudtrail`)) {
    const merged = new Map<string, ResourceRef>();
    for (const [arn, t, a] of byEvent.get(String(r.eventid)) ?? []) {
      const seen = merged.get(arn);
      const larger = (x: string | null, y: string) => (y === '' ? x : x === null || y > x ? y : x);
      merged.set(arn, { arn, type: larger(seen?.type ?? null, t), accountId: larger(seen?.accountId ?? null, a) });
    }
    const resources = [...merged.values()].sort((x, y) => (x.arn < y.arn ? -1 : 1));
    rows.set(String(r.eventid), { pk: r.pk === null ? null : String(r.pk), ptype: String(r.ptype), sref: r.sref === null ? null : String(r.sref), resources });
  }
});
afterAll(() => engine.close());

const byId = (id: string) => rows.get(id)!;

/** The derived columns of a stored row, and what the written rules give its record (the day number: YYYYMMDD of the event's day). */
const derivedOf = (r: Record<string, unknown>) => ({ principal_arn: r.principal_arn, principal_type: r.principal_type, session_ref: r.session_ref, day_number: Number(r.day_number) });
const expectedDerived = (r: CloudTrailRecord) => ({ principal_arn: principalArnOf(r), principal_type: principalTypeOf(r), session_ref: sessionRefOf(r), day_number: Number(timeOf(r).slice(0, 10).split('-').join('')) });

describe('each record derives what the written rules say', () => {
  test('every record is stored once and derived', () => {
    expect(rows.size).toBe(records.length);
  });

  test('principal ARN and type', () => {
    const wrong = records.filter((r) => byId(r.eventID).pk !== principalArnOf(r) || byId(r.eventID).ptype !== principalTypeOf(r));
    expect(wrong.map((r) => [r.eventID, byId(r.eventID).pk, principalArnOf(r)])).toEqual([]);
    // Every rule is exercised.
    const arns = new Set(records.map(principalArnOf));
    for (const expected of [
      'arn:aws:identitystore::111122223333:identitystore/d-1234567890/user/u-1111', // IdentityCenterUser
      'arn:aws:identitystore::111122223333:identitystore/d-1234567890/user/u-2222', // Unknown + onBehalfOf, before 2025
      'arn:aws:iam::111122223333:role/ops/Operator', // AssumedRole: the issuer, with its path
      'arn:aws:iam::111122223333:role/Builder', // AssumedRole: from the sts ARN
      'arn:aws:iam::111122223333:role/OnlyName', // AssumedRole: from the issuer's account and name
      'arn:aws:iam::111122223333:root', // Root
      'arn:aws:iam::444455556666:root', // AWSAccount
      'arn:aws:iam::111122223333:user/frank', // IAMUser without arn
      'cloudtrail.amazonaws.com', 'kms.amazonaws.com', // AWSService, and a service event without a type
      'PROVIDERHASH:dana@example.com', // SAMLUser
      'arn:aws:sts::111122223333:federated-user/build-bot', // FederatedUser
    ]) expect(arns).toContain(expected);
    expect(arns).toContain(null);
  });

  test('session of each call', () => {
    const wrong = records.filter((r) => byId(r.eventID).sref !== sessionRefOf(r));
    expect(wrong.map((r) => [r.eventID, byId(r.eventID).sref, sessionRefOf(r)])).toEqual([]);
    const kinds = new Set(records.map(sessionRefOf).filter((s): s is string => s !== null).map((s) => parseRef(s).kind));
    expect([...kinds].sort()).toEqual(['ASSUMED_ROLE', 'CONSOLE', 'FEDERATED', 'IDENTITY_CENTER']);
    // One role session name, two credentials: two sessions.
    const operator = new Set(records.map(sessionRefOf).filter((s) => s?.endsWith('AROAEXAMPLEROLEID:alice')));
    expect(operator.size).toBe(2);
    // Long-term keys have no session.
    expect(records.filter((r) => String(r.userIdentity?.accessKeyId ?? '').startsWith('AKIA') && sessionRefOf(r) === null).length).toBeGreaterThan(10);
  });

  test('resources of each call: resources[] and the requestParameters rules', () => {
    const wrong = records.filter((r) => JSON.stringify(byId(r.eventID).resources) !== JSON.stringify(resourcesOf(r)));
    expect(wrong.map((r) => [r.eventID, byId(r.eventID).resources, resourcesOf(r)])).toEqual([]);
    const types = new Set(records.flatMap((r) => resourcesOf(r).map((x) => `${x.type}`)));
    for (const t of ['AWS::S3::Bucket', 'AWS::S3::Object', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Policy', 'AWS::Lambda::Function', 'AWS::EC2::Instance', 'AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::VerifiedPermissions::PolicyStore']) {
      expect(types).toContain(t);
    }
    const arns = new Set(records.flatMap((r) => resourcesOf(r).map((x) => x.arn)));
    expect(arns).toContain('arn:aws:iam::111122223333:role/team/pathed');
    expect(arns).toContain('arn:aws:ec2:us-east-1:111122223333:instance/i-0aaa');
    expect(arns).toContain('arn:aws:kms:us-east-1:111122223333:alias/orders');
  });
});

describe('the pre-filters keep every row of what they look for', () => {
  /** Rows per principal key among the rows `where` keeps. */
  async function principalsKept(where: Sql): Promise<Map<string, number>> {
    const rows = await query(sql`SELECT pk, count(*) AS n FROM (SELECT ${PRINCIPAL_KEY} AS pk FROM cloudtrail WHERE ${where}) t GROUP BY pk`);
    return new Map(rows.map((r) => [String(r.pk), Number(r.n)]));
  }
  const count = (pred: (r: (typeof records)[number]) => boolean) => records.filter(pred).length;

  test('principalCandidates keeps every row of each principal asked, the unknown one too', async () => {
    const keys = [...new Set(records.map(principalKeyOf))];
    expect(keys).toContain('unknown');
    const kept = await principalsKept(principalCandidates(keys));
    for (const k of keys) expect([k, kept.get(k) ?? 0]).toEqual([k, count((r) => principalKeyOf(r) === k)]);
  });

  test('principalCandidates is narrower than everything', async () => {
    const one = await query(sql`SELECT count(*) AS n FROM cloudtrail WHERE ${principalCandidates(['arn:aws:iam::111122223333:user/erin'])}`);
    expect(Number(one[0].n)).toBeGreaterThan(0);
    expect(Number(one[0].n)).toBeLessThan(records.length / 10);
  });

  test('inSessions keeps exactly the rows of the sessions asked', async () => {
    const refs = [...new Set(records.map(sessionRefOf).filter((s): s is string => s !== null))];
    const asked = refs.filter((_, i) => i % 2 === 0);
    const rows = await query(sql`SELECT sref, count(*) AS n FROM (SELECT ${SESSION_REF} AS sref FROM cloudtrail WHERE ${inSessions(asked)}) t GROUP BY sref`);
    const kept = new Map(rows.map((r) => [String(r.sref), Number(r.n)]));
    expect(kept.size).toBe(asked.length);
    for (const ref of asked) expect([ref, kept.get(ref) ?? 0]).toEqual([ref, count((r) => sessionRefOf(r) === ref)]);
  });
});

describe('the resource touches', () => {
  const touchesOf = storedTouches;

  test('are each event\'s resources, once per ARN, with its day, time, principal and session', async () => {
    const expected = expectedTouches(records);
    expect(expected.length).toBeGreaterThan(100);
    expect(await touchesOf(engine)).toEqual(expected);
  });

  test('a store written without them gets them when it is opened; a fill adds only what is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-touches-'));
    const path = join(dir, 'old.duckdb');
    try {
      const old = await storeWith(records.slice(0, 300), path);
      const conn = await old.connect();
      await conn.run(`DROP TABLE ${TOUCHES}`);
      conn.closeSync();
      await old.close();
      const reopened = await DuckDbEngine.open(path);
      try {
        expect(await touchesOf(reopened)).toEqual(expectedTouches(records.slice(0, 300)));
        const again = await reopened.connect();
        expect(Object.values(await fillSideTables(again))).toEqual([0, 0]);
        again.closeSync();
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the principals\' daily activity', () => {
  test('per day, account, principal, type and event name: the calls, errors, first and last call, as the records say', async () => {
    const expected = expectedPrincipalDays(records);
    const got = await storedPrincipalDays(engine);
    expect(Object.keys(got).length).toBeGreaterThan(50);
    expect(got).toEqual(expected);
  });
});

describe('the derived columns', () => {
  test('hold what the written rules give each record (principal ARN and type, session, day number)', async () => {
    const stored = await query(sql`SELECT eventid, principal_arn, principal_type, session_ref, day_number FROM cloudtrail`);
    expect(stored.length).toBe(records.length);
    expect(Object.fromEntries(stored.map((r) => [String(r.eventid), derivedOf(r)]))).toEqual(Object.fromEntries(records.map((r) => [r.eventID, expectedDerived(r)])));
    expect(stored.filter((r) => r.principal_arn !== null).length).toBeGreaterThan(0);
    expect(stored.filter((r) => r.session_ref !== null).length).toBeGreaterThan(0);
  });

  test('a store written without them gets them when it is opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-derived-'));
    const path = join(dir, 'old.duckdb');
    try {
      const old = await storeWith(records.slice(0, 200), path);
      const conn = await old.connect();
      for (const [name] of DERIVED_COLUMNS) await conn.run(`ALTER TABLE cloudtrail DROP COLUMN ${name}`);
      conn.closeSync();
      await old.close();
      const reopened = await DuckDbEngine.open(path);
      try {
        const stored = (await reopened.query(sql`SELECT eventid, principal_arn, principal_type, session_ref, day_number FROM cloudtrail`)).rows;
        const first = records.slice(0, 200);
        expect(stored.length).toBe(new Set(first.map((r) => r.eventID)).size);
        expect(stored.filter((r) => r.principal_arn !== null).length).toBeGreaterThan(0);
        expect(Object.fromEntries(stored.map((r) => [String(r.eventid), derivedOf(r)]))).toEqual(Object.fromEntries(first.map((r) => [r.eventID, expectedDerived(r)])));
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
