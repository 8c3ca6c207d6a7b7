import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine } from '../history/duckdb/engine';
import { keysFromFile } from './public-keys';
import { openVerifySource } from './source';
import { verifyAndRecord } from './verify-and-record';
import { VerifyReport } from './verify';

/** Verifies a demo tree (its list-public-keys.output and newest-signatures.txt beside AWSLogs/) and records the verdicts: what `npm start` does after ingesting it. */
export async function verifyDemoTree(engine: DuckDbEngine, dir: string): Promise<VerifyReport> {
  const keys = await keysFromFile(join(dir, 'list-public-keys.output'));
  const newestSignatures = (await readFile(join(dir, 'newest-signatures.txt'), 'utf8')).split(/\s+/).filter((s) => s !== '');
  return verifyAndRecord(engine, openVerifySource(dir), { keys, newestSignatures });
}
