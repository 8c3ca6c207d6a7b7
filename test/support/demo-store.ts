import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../../src/demo';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { ingestPaths } from '../../src/ingest';

/**
 * An in-memory store holding demo data, made the way `npm start` makes it:
 * the generator writes CloudTrail log files, ingest loads them.
 */
export async function demoStore(opts: { events: number; end: Date; seed?: number; days?: number }): Promise<{ engine: DuckDbEngine; stored: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tg-demo-'));
  try {
    await generateDemo({ events: opts.events, out: dir, seed: opts.seed, days: opts.days, end: opts.end });
    const engine = await DuckDbEngine.open(':memory:');
    const summary = await ingestPaths(engine, [dir]);
    return { engine, stored: summary.stored };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
