import { TABLE } from '../history/table';
import { FILE_COLUMN, POSITION_COLUMN } from './rows';

/**
 * Duplicates and conflicts of a batch: rows whose eventID is already stored,
 * or repeats an earlier row of the batch by (file, position). A duplicate is
 * the same record; a conflict, another record reusing the eventID.
 */
export interface Clash {
  file: number;
  position: number;
  eventId: string;
  /** Same record (a duplicate) or a different record reusing the eventID (a conflict). */
  same: boolean;
  /** Clashes with a stored row rather than an earlier row of the same batch. */
  stored: boolean;
}

export const KEYS = 'ingest_key';
export const CANDIDATES = 'ingest_candidate';
export const CLASHES = 'ingest_clash';
export const CANDIDATE_KEYS = 'ingest_candidate_key';

/** Keys of the batch whose eventID is stored, or occurs more than once in the batch. The join builds on the (smaller) batch side. */
export const CANDIDATE_KEYS_SQL = `
  SELECT k.${FILE_COLUMN} AS f, k.${POSITION_COLUMN} AS p FROM ${KEYS} k
    WHERE k.eventid IN (SELECT DISTINCT s.eventid FROM ${TABLE} s JOIN ${KEYS} b ON b.eventid = s.eventid)
       OR k.eventid IN (SELECT eventid FROM ${KEYS} GROUP BY eventid HAVING count(*) > 1)`;

/**
 * Same record = same text. Where the texts differ, both are kept (raw and
 * other) and compared again as JSON values (sameRecord): the two paths write
 * the same record's numbers differently (the fast path keeps `1.0`).
 */
export const CLASH_SQL = `CREATE OR REPLACE TEMP TABLE ${CLASHES} AS
  SELECT f, p, eventid, same, stored, CASE WHEN NOT same THEN raw END AS raw, CASE WHEN NOT same THEN other END AS other FROM (
    SELECT b.f, b.p, b.eventid, bool_or(b.raw = s.raw) AS same, true AS stored, any_value(b.raw) AS raw, any_value(s.raw) AS other
      FROM ${CANDIDATES} b JOIN ${TABLE} s ON s.eventid = b.eventid GROUP BY b.f, b.p, b.eventid
    UNION ALL
    SELECT f, p, eventid, same, false, raw, other FROM (
      SELECT f, p, eventid, raw, first_value(raw) OVER w AS other, raw = first_value(raw) OVER w AS same, row_number() OVER w AS n
        FROM ${CANDIDATES} WINDOW w AS (PARTITION BY eventid ORDER BY f, p)
    ) WHERE n > 1
  )`;

/** The same record as the Node path sees it: equal once parsed and written again by JSON.stringify. */
export function sameRecord(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}
