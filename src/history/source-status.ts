import { HistoryStore, QueryContext } from './store';
import { sql, trusted } from './sql/sql';

/**
 * The sources the embedded store has read (src/sources/read-log.ts keeps
 * the tables): per source its last poll, last error, lag, newest object and
 * objects read. Empty on Athena, and on a store no source was read into.
 */
export interface SourceStatusRow {
  source: string;
  lastPoll: Date | null;
  lastError: string | null;
  lagMs: number | null;
  newestKey: string | null;
  newestModified: Date | null;
  lastIngest: Date | null;
  objectsRead: number;
}

/** The read log's tables (src/sources/read-log.ts writes them). */
export const SOURCES = 'source_polls';
export const OBJECTS = 'source_objects';

function date(v: unknown): Date | null {
  return typeof v === 'number' ? new Date(v) : null;
}

export async function sourceStatuses(store: HistoryStore, ctx: QueryContext): Promise<SourceStatusRow[]> {
  if (store.engine.name !== 'duckdb') return [];
  const [exists] = await store.run(sql`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name IN ${[SOURCES, OBJECTS]}`, ctx);
  if (Number(exists?.n ?? 0) < 2) return [];
  const rows = await store.run(
    sql`SELECT s.source, s.last_poll_ms, s.last_error, s.last_lag_ms, s.newest_key, s.newest_modified_ms, s.last_ingest_ms, coalesce(o.n, 0) AS objects_read
      FROM ${trusted(SOURCES)} s LEFT JOIN (SELECT source, count(*) AS n FROM ${trusted(OBJECTS)} WHERE failure IS NULL GROUP BY source) o ON o.source = s.source
      ORDER BY s.source`,
    ctx,
  );
  return rows.map((r) => ({
    source: String(r.source),
    lastPoll: date(r.last_poll_ms),
    lastError: typeof r.last_error === 'string' ? r.last_error : null,
    lagMs: typeof r.last_lag_ms === 'number' ? r.last_lag_ms : null,
    newestKey: typeof r.newest_key === 'string' ? r.newest_key : null,
    newestModified: date(r.newest_modified_ms),
    lastIngest: date(r.last_ingest_ms),
    objectsRead: Number(r.objects_read ?? 0),
  }));
}
