import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULTS } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { EXPORT_FORMATS } from '../src/export/columns';
import { runExport } from '../src/export/run';
import { UNRESTRICTED } from '../src/history/event-filter';
import { HttpTarget } from './harness';
import { BenchRow } from './types';

/**
 * Export: the bench store's last 30 days written once in each format (what
 * `trailgraph export` runs after checking the filter and the caller), with
 * events/s and how far the process's RSS rose above where it stood before
 * (sampled every 20 ms; the store is the bench server's, so the export runs
 * in its process, with DuckDB held to the export's --db-memory-mb default
 * as the CLI holds it). Streaming keeps the rise flat whatever the event count.
 */
const DAY = 86_400_000;
const MIB = 1024 * 1024;

export async function exportBench(_target: HttpTarget, engine: DuckDbEngine, now: Date): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tg-bench-export-'));
  const window = { from: new Date(Math.floor(now.getTime() / DAY) * DAY - 30 * DAY), to: new Date(Math.ceil(now.getTime() / DAY) * DAY + DAY) };
  const rows: BenchRow[] = [];
  const conn = await engine.connect();
  const [[before]] = (await conn.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRows();
  await conn.run(`SET memory_limit = '${DEFAULTS.dbMemoryMb}MB'`);
  try {
    for (const format of EXPORT_FORMATS) {
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const t0 = performance.now();
      const summary = await runExport(engine, format, { window, criteria: {}, scope: { ...UNRESTRICTED, days: 'event' } }, { out: join(dir, `all.${format}`), stdout: new Writable() });
      const ms = performance.now() - t0;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      rows.push({
        name: `export ${format} (30 days, every event)`,
        p50: ms,
        p95: ms,
        note: `${summary.events} events, ${Math.round(summary.events / (ms / 1000))} events/s, ${(summary.bytes / MIB).toFixed(1)} MiB written; RSS +${((peak - before) / MIB).toFixed(0)} MiB (peak ${(peak / MIB).toFixed(0)} MiB)`,
      });
    }
  } finally {
    await conn.run(`SET memory_limit = '${String(before)}'`);
    conn.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
