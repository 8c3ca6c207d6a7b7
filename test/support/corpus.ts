import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { IngestSummary, ingestPaths } from '../../src/ingest';

import { CORPUS_DIR } from './corpus-files';

export { CORPUS_DIR };

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
