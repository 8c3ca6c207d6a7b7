import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { hashApiKey } from '../src/authz/api-keys';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { exportEvents } from '../src/cli/export';
import { ingest } from '../src/cli/ingest';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { sql } from '../src/history/sql/sql';
import { runCli } from './support/cli-run';
import { demoLogRecords } from './support/log-files';
import { readCsv } from './support/rfc4180';

/**
 * `trailgraph export` as a caller of the API: the same API keys, Cedar
 * policies, account scope and payload guard as a request to the server.
 * Expected events come from the demo log files, read here in plain TypeScript.
 */
const PRODUCTION = '602519374862';
const SANDBOX = '739104582736';
const TIME = { from: '2026-11-18T00:00:00Z', to: '2026-11-21T00:00:00Z' };
const ALL = JSON.stringify({ time: TIME });
const KEYS = { app: 'key-of-the-payments-app', portal: 'key-of-the-compliance-portal', mixed: 'key-of-the-analyst', quiet: 'key-of-the-no-network-app' };

const POLICIES = `
permit (principal in Trailgraph::Group::"apps",
  action in [Trailgraph::Action::"ReadEvents", Trailgraph::Action::"ReadSessions", Trailgraph::Action::"ReadPayloads", Trailgraph::Action::"ReadNetworkDetails"],
  resource)
when { principal has accounts && principal.accounts.contains(resource.accountId) };

permit (principal in Trailgraph::Group::"compliance",
  action in [Trailgraph::Action::"ReadEvents", Trailgraph::Action::"ReadSessions", Trailgraph::Action::"ReadNetworkDetails"],
  resource);

permit (principal in Trailgraph::Group::"analysts",
  action in [Trailgraph::Action::"ReadEvents", Trailgraph::Action::"ReadNetworkDetails"],
  resource);
permit (principal in Trailgraph::Group::"analysts", action == Trailgraph::Action::"ReadPayloads", resource == Trailgraph::Account::"${PRODUCTION}");

permit (principal in Trailgraph::Group::"no-network",
  action in [Trailgraph::Action::"ReadEvents", Trailgraph::Action::"ReadPayloads"],
  resource);
`;

let dir: string;
let store: string;
let auth: string[];
let records: CloudTrailRecord[];

const accountOf = (r: CloudTrailRecord): string => String(r.recipientAccountId ?? r.userIdentity?.accountId);
const idsOf = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => String((JSON.parse(l) as { eventID: string }).eventID));
const sorted = (xs: string[]): string[] => [...xs].sort();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-export-authz-'));
  const logs = join(dir, 'logs');
  await generateDemo({ events: 600, out: logs, days: 3, end: new Date('2026-11-20T00:00:00Z'), seed: 23 });
  records = [...new Map(demoLogRecords(logs).map((r) => [String(r.eventID), r])).values()];
  store = join(dir, 'store.duckdb');
  expect((await runCli(ingest, ['--db', store, logs])).code).toBe(0);
  writeFileSync(join(dir, 'policies.cedar'), POLICIES);
  const keys = [
    { name: 'payments-app', sha256: hashApiKey(KEYS.app), groups: ['apps'], attributes: { accounts: [PRODUCTION] } },
    { name: 'compliance-portal', sha256: hashApiKey(KEYS.portal), groups: ['compliance'] },
    { name: 'analyst', sha256: hashApiKey(KEYS.mixed), groups: ['analysts'] },
    { name: 'no-network-app', sha256: hashApiKey(KEYS.quiet), groups: ['no-network'] },
  ];
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
  auth = ['--db', store, '--api-keys-file', join(dir, 'keys.json'), '--policy-file', join(dir, 'policies.cedar'), '--policy-schema-file', resolve(__dirname, '../policies/trailgraph.cedarschema')];
  // Bearer JWTs too, signed by a key of the JWKS file the settings name.
  const signing = await generateKeyPair('ES256');
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
  auth.push('--jwks-file', join(dir, 'jwks.json'), '--jwt-issuer', 'https://sso.example.com', '--jwt-audience', 'trailgraph');
  const token = await new SignJWT({ groups: ['analysts'] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuedAt().setIssuer('https://sso.example.com').setAudience('trailgraph').setSubject('dana@example.com').setExpirationTime('1h').sign(signing.privateKey);
  writeFileSync(join(dir, 'analyst.jwt'), token);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a scoped caller exports only its accounts, also when its filter names others', async () => {
  const out = join(dir, 'app.jsonl');
  const r = await runCli(exportEvents, [...auth, '--api-key', KEYS.app, '--filter', ALL, '--format', 'jsonl', '--out', out]);
  expect(r.code).toBe(0);
  const expected = records.filter((x) => accountOf(x) === PRODUCTION).map((x) => String(x.eventID));
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(records.length);
  expect(sorted(idsOf(out))).toEqual(sorted(expected));

  const other = join(dir, 'app-sandbox.jsonl');
  const s = await runCli(exportEvents, [...auth, '--api-key', KEYS.app, '--filter', JSON.stringify({ time: TIME, accountIds: [SANDBOX] }), '--format', 'jsonl', '--out', other]);
  expect(s.code).toBe(0);
  expect(records.some((x) => accountOf(x) === SANDBOX)).toBe(true);
  expect(idsOf(other)).toEqual([]);
});

test('a caller that may not read payloads gets no raw: jsonl is refused (FORBIDDEN, nothing written), csv leaves the payload columns out', async () => {
  const out = join(dir, 'portal.jsonl');
  const r = await runCli(exportEvents, [...auth, '--api-key', KEYS.portal, '--filter', ALL, '--format', 'jsonl', '--out', out]);
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toContain('FORBIDDEN');
  expect(existsSync(out)).toBe(false);

  const csv = join(dir, 'portal.csv');
  const c = await runCli(exportEvents, [...auth, '--api-key', KEYS.portal, '--filter', ALL, '--format', 'csv', '--out', csv]);
  expect(c.code).toBe(0);
  const [header, ...rows] = readCsv(readFileSync(csv, 'utf8'));
  for (const hidden of ['raw', 'requestparameters', 'responseelements', 'additionaleventdata']) expect(header).not.toContain(hidden);
  expect(header).toEqual(expect.arrayContaining(['eventid', 'eventname', 'sourceipaddress', 'useragent']));
  expect(rows.length).toBe(records.length);
  expect(sorted(rows.map((row) => String(row[header.indexOf('eventid')])))).toEqual(sorted(records.map((x) => String(x.eventID))));

  const parquet = join(dir, 'portal.parquet');
  expect((await runCli(exportEvents, [...auth, '--api-key', KEYS.portal, '--filter', ALL, '--format', 'parquet', '--out', parquet])).code).toBe(0);
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const { rows } = await engine.query(sql`SELECT count(*) AS n, count(DISTINCT eventid) AS ids FROM read_parquet(${parquet})`);
    expect(rows).toEqual([{ n: records.length, ids: records.length }]);
    const columns = (await engine.query(sql`SELECT name FROM parquet_schema(${parquet})`)).rows.map((x) => String(x.name));
    expect(columns).toEqual(expect.arrayContaining(['eventid', 'eventname', 'sourceipaddress', 'useridentity']));
    for (const hidden of ['raw', 'requestparameters', 'responseelements', 'additionaleventdata']) expect(columns).not.toContain(hidden);
  } finally {
    await engine.close();
  }
});

test('payload rights in some accounts only: jsonl where the filter keeps to them, refused where it does not', async () => {
  const out = join(dir, 'analyst.jsonl');
  const refused = await runCli(exportEvents, [...auth, '--api-key', KEYS.mixed, '--filter', ALL, '--format', 'jsonl', '--out', out]);
  expect(refused.code).toBe(2);
  expect(refused.err[0]).toContain('FORBIDDEN');
  const keyFile = join(dir, 'analyst.key');
  writeFileSync(keyFile, `${KEYS.mixed}\n`);
  const r = await runCli(exportEvents, [...auth, '--api-key', `@${keyFile}`, '--filter', JSON.stringify({ time: TIME, accountIds: [PRODUCTION] }), '--format', 'jsonl', '--out', out]);
  expect(r.code).toBe(0);
  const expected = records.filter((x) => accountOf(x) === PRODUCTION).map((x) => String(x.eventID));
  expect(expected.length).toBeGreaterThan(0);
  expect(sorted(idsOf(out))).toEqual(sorted(expected));
});

test('a caller that may not read network details: no raw, no network columns, and a filter on them matches nothing', async () => {
  const refused = await runCli(exportEvents, [...auth, '--api-key', KEYS.quiet, '--filter', ALL, '--format', 'jsonl', '--out', join(dir, 'quiet.jsonl')]);
  expect(refused.code).toBe(2);
  expect(refused.err[0]).toContain('FORBIDDEN');
  const csv = join(dir, 'quiet.csv');
  expect((await runCli(exportEvents, [...auth, '--api-key', KEYS.quiet, '--filter', ALL, '--format', 'csv', '--out', csv])).code).toBe(0);
  const [header, ...rows] = readCsv(readFileSync(csv, 'utf8'));
  for (const hidden of ['raw', 'sourceipaddress', 'useragent', 'tlsdetails']) expect(header).not.toContain(hidden);
  expect(header).toEqual(expect.arrayContaining(['eventid', 'requestparameters']));
  expect(rows.length).toBe(records.length);
  // What it may not read it may not filter by: a user agent the records carry selects nothing.
  const agent = records.map((x) => String(x.userAgent ?? '')).find((ua) => ua.length > 3) ?? '';
  expect(agent).not.toBe('');
  const filtered = join(dir, 'quiet-agent.csv');
  const f = await runCli(exportEvents, [...auth, '--api-key', KEYS.quiet, '--filter', JSON.stringify({ time: TIME, userAgentContains: agent }), '--format', 'csv', '--out', filtered]);
  expect(f.code).toBe(0);
  expect(readCsv(readFileSync(filtered, 'utf8'))).toHaveLength(1);
  // The same filter with the rights to read it selects the events of the reference.
  const open = join(dir, 'app-agent.jsonl');
  expect((await runCli(exportEvents, [...auth, '--api-key', KEYS.app, '--filter', JSON.stringify({ time: TIME, userAgentContains: agent }), '--format', 'jsonl', '--out', open])).code).toBe(0);
  const expected = records.filter((x) => accountOf(x) === PRODUCTION && String(x.userAgent ?? '').toLowerCase().includes(agent.toLowerCase())).map((x) => String(x.eventID));
  expect(expected.length).toBeGreaterThan(0);
  expect(sorted(idsOf(open))).toEqual(sorted(expected));
});

test('a caller named by a bearer JWT reads as its groups allow', async () => {
  const out = join(dir, 'jwt.jsonl');
  const r = await runCli(exportEvents, [...auth, '--bearer', `@${join(dir, 'analyst.jwt')}`, '--filter', JSON.stringify({ time: TIME, accountIds: [PRODUCTION] }), '--format', 'jsonl', '--out', out]);
  expect(r.code).toBe(0);
  const expected = records.filter((x) => accountOf(x) === PRODUCTION).map((x) => String(x.eventID));
  expect(expected.length).toBeGreaterThan(0);
  expect(sorted(idsOf(out))).toEqual(sorted(expected));
  const bad = await runCli(exportEvents, [...auth, '--bearer', 'not.a.jwt', '--filter', ALL, '--format', 'csv', '--out', join(dir, 'jwt.csv')]);
  expect(bad.code).toBe(2);
  expect(bad.err[0]).toContain('UNAUTHENTICATED');
});

test('with credentials configured, a missing or unknown key is UNAUTHENTICATED: one line, exit 2', async () => {
  for (const who of [[], ['--api-key', 'not-a-key']]) {
    const out = join(dir, 'nobody.jsonl');
    const r = await runCli(exportEvents, [...auth, ...who, '--filter', ALL, '--format', 'jsonl', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain('UNAUTHENTICATED');
    expect(existsSync(out)).toBe(false);
  }
});

test('bad flags and bad filters: one line naming the flag (a filter\'s with its code), exit 2, nothing written', async () => {
  const out = join(dir, 'bad.jsonl');
  const cases: Array<[string[], string]> = [
    [['--format', 'jsonl', '--out', out], '--filter'],
    [['--filter', ALL, '--out', out], '--format'],
    [['--filter', ALL, '--format', 'xml', '--out', out], '--format'],
    [['--filter', ALL, '--format', 'parquet'], '--out'],
    [['--filter', ALL, '--format', 'csv', '--out', join(dir, 'no-such-folder', 'x.csv')], '--out'],
    [['--filter', '{"eventNames":["ConsoleLogin"]}', '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: { from: '2026-01-01T00:00:00Z', to: '2026-11-21T00:00:00Z' } }), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: { from: '2026-11-21T00:00:00Z', to: '2026-11-18T00:00:00Z' } }), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: { from: '18 Nov 2026', to: TIME.to } }), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: TIME, eventCategories: ['Everything'] }), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: TIME, noSuchField: 1 }), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: TIME, detectionRuleIds: ['no-such-rule'] }), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: TIME, sessionIds: ['not-a-session-id'] }), '--format', 'csv', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', JSON.stringify({ time: TIME, eventNames: Array.from({ length: 501 }, (_, i) => `E${i}`) }), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', '{"time":', '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', join(dir, 'no-such-filter.json'), '--format', 'jsonl', '--out', out], 'BAD_USER_INPUT'],
    [['--filter', ALL, '--format', 'jsonl', '--out', out, '--api-key', KEYS.app], '--api-key'],
  ];
  for (const [args, says] of cases) {
    const r = await runCli(exportEvents, ['--db', store, ...args]);
    expect({ args, code: r.code, lines: r.err.length, out: r.out }).toEqual({ args, code: 2, lines: 1, out: [] });
    expect(r.err[0]).toContain(says);
    expect(r.err[0]).not.toMatch(/\n|    at /);
    expect(existsSync(out)).toBe(false);
  }
});

describe('the access audit log', () => {
  const linesOf = (file: string): Array<Record<string, unknown>> => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

  test('every export is one line: caller, format, the accounts it was bounded to, outcome; never the filter\'s values', async () => {
    const log = join(dir, 'audit', 'access.log');
    const filter = JSON.stringify({ time: TIME, accountIds: [SANDBOX, PRODUCTION], eventNames: ['AssumeRole'] });
    const ok = await runCli(exportEvents, [...auth, '--access-log', log, '--api-key', KEYS.app, '--filter', filter, '--format', 'csv', '--out', join(dir, 'audited.csv')]);
    expect(ok.code).toBe(0);
    const refused = await runCli(exportEvents, [...auth, '--access-log', log, '--api-key', KEYS.portal, '--filter', ALL, '--format', 'jsonl', '--out', join(dir, 'refused.jsonl')]);
    expect(refused.code).toBe(2);
    const lines = linesOf(log);
    expect(lines.map((l) => [l.operation, l.outcome])).toEqual([['export csv', 'OK'], ['export jsonl', 'FORBIDDEN']]);
    expect(String(lines[0].caller)).toContain('payments-app');
    expect(lines[0].accounts).toEqual([PRODUCTION]);
    expect(String(lines[1].caller)).toContain('compliance-portal');
    // The app's filter named the sandbox account and an event name: neither is in its line (its scope is production).
    const appLine = JSON.stringify(lines[0]);
    for (const value of ['AssumeRole', SANDBOX, KEYS.app]) expect(appLine).not.toContain(value);
    expect(readFileSync(log, 'utf8')).not.toContain(KEYS.portal);
  });

  test('an access log that cannot be written fails closed: SERVICE_UNAVAILABLE, nothing exported; with warn, the export goes on', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    const log = join(blocker, 'access.log');
    const out = join(dir, 'unaudited.jsonl');
    const closed = await runCli(exportEvents, [...auth, '--access-log', log, '--api-key', KEYS.app, '--filter', ALL, '--format', 'jsonl', '--out', out]);
    expect(closed.code).toBe(2);
    expect(closed.err).toHaveLength(1);
    expect(closed.err[0]).toContain('SERVICE_UNAVAILABLE');
    expect(existsSync(out)).toBe(false);
    const warned = await runCli(exportEvents, [...auth, '--access-log', log, '--access-log-on-failure', 'warn', '--api-key', KEYS.app, '--filter', ALL, '--format', 'jsonl', '--out', out]);
    expect(warned.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
