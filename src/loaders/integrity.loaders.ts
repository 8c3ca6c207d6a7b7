import DataLoader from 'dataloader';
import { EventGroupKey, eventStateCountsSql, logFilesOfEventsSql } from '../integrity/integrity-sql';
import { windowKey } from '../history/window';
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
  /** Events of a session or principal by state (state → events); null on Athena. One statement for every group of a tick. */
  eventIntegrity: DataLoader<EventGroupKey, Map<string, number> | null, string>;
}

/**
 * Only the embedded store keeps the integrity tables; on Athena an event's
 * log file is not known to the API (docs/integrity.md), and the loader
 * answers null without a statement.
 */
export function integrityLoaders(store: HistoryStore, ctx: QueryContext, sessionCtx: QueryContext = ctx): IntegrityLoaders {
  return {
    logFileOfEvent: new DataLoader<string, EventLogFile | null>(async (ids) => {
      if (store.engine.name !== 'duckdb') return ids.map(() => null);
      const rows = await store.run(logFilesOfEventsSql([...new Set(ids)]), ctx);
      const byId = new Map(rows.map((r) => [String(r.eventid), { key: String(r.file_key), sha256: String(r.sha256), integrity: String(r.integrity) }]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    eventIntegrity: new DataLoader<EventGroupKey, Map<string, number> | null, string>(
      async (keys) => {
        if (store.engine.name !== 'duckdb') return keys.map(() => null);
        // Sessions are read within the sessions' scope, principals within the events' (as their other fields).
        const out = keys.map(() => new Map<string, number>());
        for (const kind of ['session', 'principal'] as const) {
          const idx = keys.map((k, i) => [k, i] as const).filter(([k]) => k.kind === kind);
          if (idx.length === 0) continue;
          const q = kind === 'session' ? sessionCtx : ctx;
          for (const r of await store.run(eventStateCountsSql(idx.map(([k]) => k), q.scope), q)) {
            const target = out[idx[Number(r.g)][1]];
            target.set(String(r.integrity), (target.get(String(r.integrity)) ?? 0) + Number(r.events));
          }
        }
        return out;
      },
      { cacheKeyFn: (k) => `${k.kind}|${k.ident}|${windowKey(k.window)}` },
    ),
  };
}
