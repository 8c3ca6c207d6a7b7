import { DuckDbEngine } from '../src/history/duckdb/engine';
import { Scope } from '../src/history/event-filter';
import { PRINCIPAL_DAYS, splitWindow } from '../src/history/graph/principal-days';
import { principalGroupsSql, principalSummariesSql, topEventNamesSql } from '../src/history/graph/principals';
import { PRINCIPAL_PARTS, PrincipalParts } from '../src/history/graph/summary-parts';
import { toPrincipalSummary } from '../src/history/graph/summaries';
import { Sql } from '../src/history/sql/sql';
import { TimeWindow } from '../src/history/window';
import { demoStore } from './support/demo-store';

/**
 * On the embedded store a principal's summary, a page of principals and
 * their top event names read the principals' days for the window's whole
 * days and the calls for the hours at its ends. Whatever the window, they
 * answer what the calls alone answer (the path every engine can take).
 */
const END = new Date('2026-03-10T18:00:00Z');
const H = 3_600_000;
let engine: DuckDbEngine;
const statements: string[] = [];

beforeAll(async () => {
  ({ engine } = await demoStore({ events: 4000, end: END, seed: 11, days: 6 }));
}, 60_000);
afterAll(() => engine.close());

async function rows(s: Sql) {
  statements.push(s.text);
  return (await engine.query(s)).rows;
}

const DAYS: Scope = { accounts: null, days: 'event' };
const CALLS: Scope = { accounts: null, days: 'delivery' };
const at = (hoursBeforeEnd: number) => new Date(END.getTime() - hoursBeforeEnd * H);
const WINDOWS: Array<[string, TimeWindow]> = [
  ['whole days', { from: new Date('2026-03-05T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') }],
  ['hours at both ends', { from: at(100.5), to: at(2.25) }],
  ['within one day', { from: at(17), to: at(3) }],
  ['a day and an hour', { from: at(43), to: at(18) }],
];
const PARTS: PrincipalParts = PRINCIPAL_PARTS.filter((p) => p !== 'accessKeys' && p !== 'sourceIps');

const byArn = (list: Array<{ arn: string }>) => [...list].sort((a, b) => (a.arn < b.arn ? -1 : 1));

test.each(WINDOWS)('%s: summaries of every principal equal those from the calls', async (_name, window) => {
  const page = await rows(principalGroupsSql({}, window, CALLS, PARTS));
  const arns = page.map((r) => String(r.arn));
  expect(arns.length).toBeGreaterThan(5);
  const fromCalls = (await rows(principalSummariesSql(arns, window, CALLS, PARTS))).map((r) => toPrincipalSummary(r, PARTS));
  const fromDays = (await rows(principalSummariesSql(arns, window, DAYS, PARTS))).map((r) => toPrincipalSummary(r, PARTS));
  expect(byArn(fromDays)).toEqual(byArn(fromCalls));
  expect(fromCalls.reduce((n, s) => n + s.eventCount, 0)).toBeGreaterThan(0);
});

test.each(WINDOWS)('%s: a page with criteria, and top event names, equal those from the calls', async (_name, window) => {
  const criteria = { identityTypes: ['AssumedRole', 'IAMUser'], arnPrefix: 'arn:aws:iam::' };
  const pageParts: PrincipalParts = ['type', 'errors'];
  const page = async (scope: Scope) => byArn((await rows(principalGroupsSql(criteria, window, scope, pageParts))).map((r) => toPrincipalSummary(r, pageParts)));
  const fromCalls = await page(CALLS);
  expect(fromCalls.length).toBeGreaterThan(2);
  expect(await page(DAYS)).toEqual(fromCalls);
  const arns = fromCalls.map((s) => s.arn);
  const top = async (scope: Scope) => (await rows(topEventNamesSql(arns, 3, window, scope))).map((r) => `${r.pk} ${r.eventname} ${r.n} ${r.rn}`).sort();
  expect(await top(DAYS)).toEqual(await top(CALLS));
});

test('the whole days are read from the principals\' days, the hours at the ends from the calls', () => {
  expect(splitWindow({ from: at(100.5), to: at(2.25) })).toEqual({
    whole: { from: new Date('2026-03-07T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') },
    parts: [{ from: at(100.5), to: new Date('2026-03-07T00:00:00Z') }, { from: new Date('2026-03-10T00:00:00Z'), to: at(2.25) }],
  });
  expect(splitWindow({ from: at(17), to: at(3) }).whole).toBeNull();
  // The statements themselves, built here (not left over from the tests above, so this test runs alone):
  // on the days scope a window with whole days reads the daily table, one within a day does not; the calls scope never does.
  const reads = (window: TimeWindow, scope: Scope) => principalSummariesSql(['arn:aws:iam::1:user/a'], window, scope, ['type']).text.includes(PRINCIPAL_DAYS);
  expect(WINDOWS.map(([name, w]) => [name, reads(w, DAYS), reads(w, CALLS)])).toEqual([
    ['whole days', true, false],
    ['hours at both ends', true, false],
    ['within one day', false, false],
    ['a day and an hour', true, false],
  ]);
});

test('the distinct lists (access keys, source IPs) and sts session ARNs are answered from the calls', () => {
  const window = WINDOWS[0][1];
  expect(principalSummariesSql(['arn:aws:iam::1:user/a'], window, DAYS, ['accessKeys']).text).not.toContain(PRINCIPAL_DAYS);
  expect(principalSummariesSql(['arn:aws:sts::1:assumed-role/r/s'], window, DAYS, ['type']).text).not.toContain(PRINCIPAL_DAYS);
  expect(principalSummariesSql(['arn:aws:iam::1:user/a'], window, DAYS, ['type']).text).toContain(PRINCIPAL_DAYS);
});
