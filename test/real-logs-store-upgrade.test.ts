import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { TOUCHES } from '../src/history/graph/touches';
import { PRINCIPAL_DAYS } from '../src/history/graph/principal-days';
import { TABLE } from '../src/history/table';
import { corpusRecords, storeWith } from './support/fixture-store';

/**
 * A store written by an earlier version (touches without their origin, a
 * console session keyed by principalId, error counts that took "" for an
 * error) opens, and answers by today's rules: the derived columns are
 * computed again and the side tables derived anew.
 */
const ROOT_SIGN_IN = 'deb1e1f9-c99b-4612-8e9f-21f93b5d79c0';
const EMPTY_CODE = '6795ef5c-7777-4444-8888-cabb7f252bd3';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tg-upgrade-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rows(engine: DuckDbEngine, text: string): Promise<Array<Record<string, unknown>>> {
  const conn = await engine.connect();
  try {
    return (await conn.runAndReadAll(text)).getRowObjectsJS() as Array<Record<string, unknown>>;
  } finally {
    conn.closeSync();
  }
}

test('an older store opens and is derived again by the current rules', async () => {
  const path = join(dir, 'old.duckdb');
  const first = await storeWith(corpusRecords(), path);
  // Make it look like a store of the previous version.
  const conn = await first.connect();
  await conn.run(`COMMENT ON TABLE ${TABLE} IS NULL`);
  await conn.run(`UPDATE ${TABLE} SET session_ref = 'CONSOLE|2022-11-10T16:24:34Z|AIDACKCEVSQ6C2EXAMPLE' WHERE eventid = '${ROOT_SIGN_IN}'`);
  await conn.run(`ALTER TABLE ${TOUCHES} DROP COLUMN resource_origin`);
  await conn.run(`COMMENT ON TABLE ${TOUCHES} IS NULL`);
  await conn.run(`UPDATE ${PRINCIPAL_DAYS} SET errors = n`);
  await conn.run(`COMMENT ON TABLE ${PRINCIPAL_DAYS} IS NULL`);
  conn.closeSync();
  await first.close();

  const again = await DuckDbEngine.open(path);
  try {
    const [session] = await rows(again, `SELECT session_ref FROM ${TABLE} WHERE eventid = '${ROOT_SIGN_IN}'`);
    expect(session.session_ref).toBe('CONSOLE|2022-11-10T16:24:34Z|arn:aws:iam::111122223333:root');
    const origins = await rows(again, `SELECT DISTINCT resource_origin AS o FROM ${TOUCHES} ORDER BY 1`);
    expect(origins.map((r) => r.o)).toEqual(['derived', 'resources']);
    // The S3 DeleteBucket written with errorCode "" is no error in its principal's day.
    const [day] = await rows(again, `SELECT sum(d.errors) AS errors FROM ${PRINCIPAL_DAYS} d JOIN ${TABLE} t
      ON d.day = t.day AND d.account = t.account AND d.principal_arn = t.principal_arn AND d.eventname = t.eventname WHERE t.eventid = '${EMPTY_CODE}'`);
    expect(Number(day.errors)).toBe(0);
  } finally {
    await again.close();
  }
});
