import DataLoader from 'dataloader';
import { logKeyTail } from '../integrity/digest-file';
import { EventGroupKey, eventPathCountsSql, eventPathsSql, eventStateCountsSql, logFilesOfEventsSql, verdictsOfFilesSql } from '../integrity/integrity-sql';
import { EventKey } from '../history/ids';
import { HistoryStore, QueryContext } from '../history/store';
import { windowKey } from '../history/window';

/** An event's log file as the store remembers it. */
export interface EventLogFile {
  key: string;
  sha256: string | null;
  integrity: string;
}

export interface IntegrityLoaders {
  /** The log file of each event: one statement for every event of a tick (two on Athena). */
  logFileOfEvent: DataLoader<EventKey, EventLogFile | null, string>;
  /** Events of a session or principal by state (state → events); null where no evidence is kept. One statement for every group of a tick. */
  eventIntegrity: DataLoader<EventGroupKey, Map<string, number> | null, string>;
}

const CHUNK = 500;

/** Athena: the verdicts of files by "$path" (s3://bucket/key), read from the evidence store. */
async function verdictsOf(evidence: HistoryStore, paths: readonly string[], ctx: QueryContext): Promise<Map<string, { sha256: string | null; integrity: string }>> {
  const tails = [...new Set(paths.map(logKeyTail))];
  const out = new Map<string, { sha256: string | null; integrity: string }>();
  for (let i = 0; i < tails.length; i += CHUNK) {
    for (const r of await evidence.run(verdictsOfFilesSql(tails.slice(i, i + CHUNK)), ctx)) {
      out.set(String(r.file_key), { sha256: r.sha256 === null ? null : String(r.sha256), integrity: String(r.integrity) });
    }
  }
  return out;
}

/**
 * On the embedded store, ingest's own record of each event's file and the
 * verdicts beside it. On Athena, an event's file is its "$path", and the
 * verdicts come from `evidence` (the embedded store `verify` recorded into);
 * without it, the loaders answer null without a statement.
 */
export function integrityLoaders(store: HistoryStore, ctx: QueryContext, sessionCtx: QueryContext = ctx, evidence?: HistoryStore): IntegrityLoaders {
  const embedded = store.engine.name === 'duckdb';
  return {
    logFileOfEvent: new DataLoader<EventKey, EventLogFile | null, string>(
      async (keys) => {
        if (embedded) {
          const rows = await store.run(logFilesOfEventsSql([...new Set(keys.map((k) => k.eventId))]), ctx);
          const byId = new Map(rows.map((r) => [String(r.eventid), { key: String(r.file_key), sha256: String(r.sha256), integrity: String(r.integrity) }]));
          return keys.map((k) => byId.get(k.eventId) ?? null);
        }
        if (!evidence) return keys.map(() => null);
        const paths = new Map((await store.run(eventPathsSql(keys, ctx.scope), ctx)).map((r) => [String(r.eventid), String(r.path)]));
        const verdicts = await verdictsOf(evidence, [...paths.values()], ctx);
        return keys.map((k) => {
          const path = paths.get(k.eventId);
          if (path === undefined) return null;
          const v = verdicts.get(logKeyTail(path));
          return { key: logKeyTail(path), sha256: v?.sha256 ?? null, integrity: v?.integrity ?? 'UNVERIFIED' };
        });
      },
      { cacheKeyFn: (k) => `${k.day}|${k.account}|${k.region}|${k.eventId}` },
    ),
    eventIntegrity: new DataLoader<EventGroupKey, Map<string, number> | null, string>(
      async (keys) => {
        if (!embedded && !evidence) return keys.map(() => null);
        // Sessions are read within the sessions' scope, principals within the events' (as their other fields).
        const out = keys.map(() => new Map<string, number>());
        const add = (i: number, state: string, n: number): void => {
          out[i].set(state, (out[i].get(state) ?? 0) + n);
        };
        for (const kind of ['session', 'principal'] as const) {
          const idx = keys.map((k, i) => [k, i] as const).filter(([k]) => k.kind === kind);
          if (idx.length === 0) continue;
          const q = kind === 'session' ? sessionCtx : ctx;
          const groups = idx.map(([k]) => k);
          if (embedded) {
            for (const r of await store.run(eventStateCountsSql(groups, q.scope), q)) add(idx[Number(r.g)][1], String(r.integrity), Number(r.events));
            continue;
          }
          const rows = await store.run(eventPathCountsSql(groups, q.scope), q);
          const verdicts = await verdictsOf(evidence as HistoryStore, rows.map((r) => String(r.path)), q);
          for (const r of rows) add(idx[Number(r.g)][1], verdicts.get(logKeyTail(String(r.path)))?.integrity ?? 'UNVERIFIED', Number(r.events));
        }
        return out;
      },
      { cacheKeyFn: (k) => `${k.kind}|${k.ident}|${windowKey(k.window)}` },
    ),
  };
}
