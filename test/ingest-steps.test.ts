import { DuckDbEngine } from '../src/history/duckdb/engine';
import { INGEST_STEPS, IngestStep, ingestPaths } from '../src/ingest';
import { logFile, tempTree } from './support/temp-tree';
import { sampleRecord } from './support/sample-record';

/**
 * IngestOptions.onStep: the bench's timing of each ingest step. The listener
 * hears every step of a load, with a duration; the ingest's account is the
 * same with or without it.
 */
const tree = tempTree('tg-ingest-steps-');

/** Two regular log files (the fast path) and one JSON Lines file (the Node path), 3 + 2 + 2 records, one repeated. */
function inputs(): string {
  const r = (i: number) => sampleRecord(i);
  return tree.files({
    'AWSLogs/111111111111/CloudTrail/us-east-1/2025/02/03/a.json': logFile([r(1), r(2), r(3)]),
    'AWSLogs/111111111111/CloudTrail/us-east-1/2025/02/03/b.json': logFile([r(4), r(1)]),
    'extra/c.jsonl': `${JSON.stringify(r(5))}\n${JSON.stringify(r(6))}\n`,
  });
}

async function ingest(db: string, listen: boolean) {
  const engine = await DuckDbEngine.open(db);
  const heard: Array<[IngestStep, number]> = [];
  try {
    const summary = await ingestPaths(engine, [inputs()], listen ? { onStep: (step, ms) => heard.push([step, ms]) } : {});
    return { summary, heard };
  } finally {
    await engine.close();
  }
}

describe('ingest step timing', () => {
  it('tells the listener each step with its duration, once per batch', async () => {
    const { summary, heard } = await ingest(tree.path('timed.duckdb'), true);
    expect(summary.records).toBe(7);
    const steps = new Set(heard.map(([s]) => s));
    expect([...steps].sort()).toEqual([...INGEST_STEPS].sort());
    for (const [, ms] of heard) {
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(0);
    }
    // One batch: each step is heard once.
    expect(heard).toHaveLength(INGEST_STEPS.length);
  });

  it('gives the same account with the listener as without', async () => {
    const timed = await ingest(tree.path('with.duckdb'), true);
    const plain = await ingest(tree.path('without.duckdb'), false);
    expect(plain.heard).toHaveLength(0);
    const account = (s: typeof plain.summary) => ({ records: s.records, stored: s.stored, duplicates: s.duplicates, rejected: s.rejected, files: s.files });
    // 7 records, one a duplicate of an earlier one (r(1) twice).
    expect(account(plain.summary)).toEqual({ records: 7, stored: 6, duplicates: 1, rejected: 0, files: 3 });
    expect(account(timed.summary)).toEqual(account(plain.summary));
  });
});
