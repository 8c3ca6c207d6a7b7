import { resolve } from 'node:path';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { IngestSummary, ingestPaths } from '../../src/ingest';

/** The shared corpus of real CloudTrail records (read-only), next to the repository. */
export const CORPUS_DIR = resolve(__dirname, '../../../shared/corpus');

/** A fresh in-memory store holding every corpus file, ingested as `trailgraph ingest` would, and the ingest's account. */
export async function corpusStore(): Promise<{ engine: DuckDbEngine; summary: IngestSummary }> {
  const engine = await DuckDbEngine.open(':memory:');
  const summary = await ingestPaths(engine, [CORPUS_DIR]);
  return { engine, summary };
}

/** A fresh in-memory store holding every corpus file. Close it when done. */
export async function corpusEngine(): Promise<DuckDbEngine> {
  return (await corpusStore()).engine;
}
