import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';

/**
 * Ingests one folder into a fresh store in its own process, so that its peak
 * RSS is the ingest's alone; prints one JSON line, with the milliseconds of
 * each ingest step (summed over batches).
 */
async function main(): Promise<void> {
  const [dir, db] = process.argv.slice(2);
  const engine = await DuckDbEngine.open(db);
  const steps: Record<string, number> = {};
  const t0 = performance.now();
  const summary = await ingestPaths(engine, [dir], { onStep: (step, ms) => (steps[step] = (steps[step] ?? 0) + ms) });
  const ms = performance.now() - t0;
  await engine.close();
  const usage = process.resourceUsage();
  const maxRssMiB = usage.maxRSS / 1024;
  // CPU time of every thread of the process (DuckDB's included): steadier than wall time on a shared machine.
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  console.log(JSON.stringify({ records: summary.records, stored: summary.stored, rejected: summary.rejected, ms, cpuMs, maxRssMiB, steps }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
