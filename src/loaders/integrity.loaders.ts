import DataLoader from 'dataloader';
import { logFilesOfEventsSql } from '../integrity/integrity-sql';
import { HistoryStore, QueryContext } from '../history/store';

/** An event's log file as the store remembers it. */
export interface EventLogFile {
  key: string;
  sha256: string;
  integrity: string;
}

export interface IntegrityLoaders {
  /** The log file of each event, by eventID: one statement for every event of a tick. */
  logFileOfEvent: DataLoader<string, EventLogFile | null>;
}

/**
 * Only the embedded store keeps the integrity tables; on Athena an event's
 * log file is not known to the API (docs/integrity.md), and the loader
 * answers null without a statement.
 */
export function integrityLoaders(store: HistoryStore, ctx: QueryContext): IntegrityLoaders {
  return {
    logFileOfEvent: new DataLoader<string, EventLogFile | null>(async (ids) => {
      if (store.engine.name !== 'duckdb') return ids.map(() => null);
      const rows = await store.run(logFilesOfEventsSql([...new Set(ids)]), ctx);
      const byId = new Map(rows.map((r) => [String(r.eventid), { key: String(r.file_key), sha256: String(r.sha256), integrity: String(r.integrity) }]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
