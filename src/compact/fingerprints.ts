import { DuckDBConnection } from '@duckdb/node-api';
import { TABLE } from '../history/table';
import { PartitionKey } from './layout';

/** The days compact covers (whole UTC days, both ends included); unset: every day. */
export interface DayRange {
  since?: Date;
  until?: Date;
}

const dayNumber = (d: Date) => Number(d.toISOString().slice(0, 10).replace(/-/g, ''));

/** A WHERE over day_number for the range ('TRUE' when unbounded): integers only, never text. */
export function dayRangeWhere(range: DayRange): string {
  const parts = [range.since ? `day_number >= ${dayNumber(range.since)}` : '', range.until ? `day_number <= ${dayNumber(range.until)}` : ''].filter(Boolean);
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

export interface PartitionFingerprint extends PartitionKey {
  id: string;
  dayNumber: number;
  events: number;
  /** events:xor-of-md5(eventid): changes when any event is added. */
  fingerprint: string;
}

/** Every events partition of the store in the range, with its fingerprint (one scan of eventid). */
export async function partitionFingerprints(conn: DuckDBConnection, range: DayRange): Promise<PartitionFingerprint[]> {
  const reader = await conn.runAndReadAll(
    `SELECT account, region, day, min(day_number) AS day_number, count(*) AS n, bit_xor(md5_number(eventid))::VARCHAR AS h
     FROM ${TABLE} WHERE ${dayRangeWhere(range)} GROUP BY account, region, day ORDER BY day, account, region`,
  );
  return reader.getRowObjectsJS().map((r) => {
    const p = { account: String(r.account), region: String(r.region), day: String(r.day) };
    return { ...p, id: `${p.account}|${p.region}|${p.day}`, dayNumber: Number(r.day_number), events: Number(r.n), fingerprint: `${Number(r.n)}:${String(r.h)}` };
  });
}
