import { SESSION_REF } from '../src/history/derive';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { SESSION_ROWS } from '../src/history/graph/candidates';
import { sql } from '../src/history/sql/sql';
import { graphCorpus } from './support/graph-corpus';
import { storeWith } from './support/fixture-store';
import { sessionRefOf } from './support/graph-reference';

/**
 * SESSION_ROWS, the cheap pre-filter the session statements test in the
 * scan: it keeps every row that belongs to a session (as the written rules
 * say), and it drops rows (else it would be of no use).
 */
const records = graphCorpus();
let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await storeWith(records);
});
afterAll(() => engine.close());

test('SESSION_ROWS keeps every row of a session and drops others', async () => {
  const { rows } = await engine.query(sql`SELECT eventid, ${SESSION_REF} AS sref FROM cloudtrail WHERE ${SESSION_ROWS}`);
  const kept = new Map(rows.map((r) => [String(r.eventid), r.sref === null ? null : String(r.sref)]));
  const inSessions = records.filter((r) => sessionRefOf(r) !== null);
  expect(inSessions.length).toBeGreaterThan(0);
  expect(inSessions.filter((r) => kept.get(r.eventID) !== sessionRefOf(r)).map((r) => r.eventID)).toEqual([]);
  expect(kept.size).toBeLessThan(records.length);
});
