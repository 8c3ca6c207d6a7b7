import { DuckDBConnection, listValue } from '@duckdb/node-api';
import { DuckDbEngine } from '../history/duckdb/engine';
import { OBJECTS, SOURCES } from '../history/source-status';

/**
 * What the store has read, per source, in two tables of the embedded store:
 * the objects (or files) read, with the ETag (or size-mtime) they had, their
 * records and when; and per source its last poll, last error and lag. A
 * second ingest of a source skips what is here with the same ETag. An object
 * that failed is recorded as failed (not read), so it is tried again.
 */
const OBJECTS_TABLE = OBJECTS;
const SOURCES_TABLE = SOURCES;

const CREATE = [
  `CREATE TABLE IF NOT EXISTS ${OBJECTS_TABLE} (
    source VARCHAR NOT NULL, day_prefix VARCHAR NOT NULL, key VARCHAR NOT NULL, etag VARCHAR NOT NULL, size BIGINT,
    last_modified_ms BIGINT, records BIGINT, stored BIGINT, read_at_ms BIGINT, failure VARCHAR,
    PRIMARY KEY (source, key))`,
  `CREATE TABLE IF NOT EXISTS ${SOURCES_TABLE} (
    source VARCHAR PRIMARY KEY, last_poll_ms BIGINT, last_error VARCHAR, last_lag_ms BIGINT,
    newest_key VARCHAR, newest_modified_ms BIGINT, last_ingest_ms BIGINT)`,
];

/** One object as the read log holds it. */
export interface ObjectMark {
  readonly key: string;
  readonly etag: string;
  /** A read object has no failure; a failed one is not read. */
  readonly failure?: string;
}

export interface ReadObject {
  readonly dayPrefix: string;
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: Date;
  readonly records: number;
  readonly stored: number;
}

export interface FailedObject {
  readonly dayPrefix: string;
  readonly key: string;
  readonly etag: string;
  readonly reason: string;
}

function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

export async function createReadLogTables(conn: DuckDBConnection): Promise<void> {
  for (const stmt of CREATE) await conn.run(stmt);
}

export class ReadLog {
  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(engine: DuckDbEngine): Promise<ReadLog> {
    const conn = await engine.connect();
    await createReadLogTables(conn);
    return new ReadLog(conn);
  }

  /** The objects recorded for a source under one day prefix ('' for a local source: all of it), by key. */
  async marks(source: string, dayPrefix: string): Promise<Map<string, ObjectMark>> {
    const reader = await this.conn.runAndReadAll(
      `SELECT key, etag, failure FROM ${OBJECTS_TABLE} WHERE source = $1 AND day_prefix = $2`,
      [source, dayPrefix],
    );
    const out = new Map<string, ObjectMark>();
    for (const [key, etag, failure] of reader.getRows()) out.set(String(key), { key: String(key), etag: String(etag), failure: text(failure) ?? undefined });
    return out;
  }

  /** Records objects read (and clears their failures), in one statement. */
  async markRead(source: string, objects: readonly ReadObject[], at: Date): Promise<void> {
    if (objects.length === 0) return;
    await this.conn.run(
      `INSERT OR REPLACE INTO ${OBJECTS_TABLE}
       SELECT $1, unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), unnest($4::VARCHAR[]), unnest($5::BIGINT[]), unnest($6::BIGINT[]),
              unnest($7::BIGINT[]), unnest($8::BIGINT[]), $9::BIGINT, NULL`,
      [
        source,
        listValue(objects.map((o) => o.dayPrefix)),
        listValue(objects.map((o) => o.key)),
        listValue(objects.map((o) => o.etag)),
        listValue(objects.map((o) => BigInt(o.size))),
        listValue(objects.map((o) => BigInt(o.lastModified.getTime()))),
        listValue(objects.map((o) => BigInt(o.records))),
        listValue(objects.map((o) => BigInt(o.stored))),
        BigInt(at.getTime()),
      ],
    );
  }

  /** Records objects that could not be fetched: not read, so listed and tried again next time. */
  async markFailed(source: string, objects: readonly FailedObject[], at: Date): Promise<void> {
    if (objects.length === 0) return;
    await this.conn.run(
      `INSERT OR REPLACE INTO ${OBJECTS_TABLE}
       SELECT $1, unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), unnest($4::VARCHAR[]), NULL, NULL, NULL, NULL, $5::BIGINT, unnest($6::VARCHAR[])`,
      [
        source,
        listValue(objects.map((o) => o.dayPrefix)),
        listValue(objects.map((o) => o.key)),
        listValue(objects.map((o) => o.etag)),
        BigInt(at.getTime()),
        listValue(objects.map((o) => o.reason)),
      ],
    );
  }

  /** A poll's outcome: when, the error if it failed, and the lag and newest object of what it committed. */
  async recordPoll(source: string, poll: { at: Date; error: string | null; lagMs?: number; newest?: { key: string; lastModified: Date }; ingested: boolean }): Promise<void> {
    await this.conn.run(
      `INSERT INTO ${SOURCES_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (source) DO UPDATE SET last_poll_ms = excluded.last_poll_ms, last_error = excluded.last_error,
         last_lag_ms = coalesce(excluded.last_lag_ms, ${SOURCES_TABLE}.last_lag_ms),
         newest_key = CASE WHEN excluded.newest_modified_ms >= coalesce(${SOURCES_TABLE}.newest_modified_ms, 0) THEN excluded.newest_key ELSE ${SOURCES_TABLE}.newest_key END,
         newest_modified_ms = greatest(excluded.newest_modified_ms, ${SOURCES_TABLE}.newest_modified_ms),
         last_ingest_ms = coalesce(excluded.last_ingest_ms, ${SOURCES_TABLE}.last_ingest_ms)`,
      [
        source,
        BigInt(poll.at.getTime()),
        poll.error,
        poll.lagMs === undefined ? null : BigInt(Math.round(poll.lagMs)),
        poll.newest?.key ?? null,
        poll.newest ? BigInt(poll.newest.lastModified.getTime()) : null,
        poll.ingested ? BigInt(poll.at.getTime()) : null,
      ],
    );
  }

  close(): void {
    this.conn.closeSync();
  }
}
