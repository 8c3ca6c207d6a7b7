import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudTrailRecord, checkRecord } from '../../src/cloudtrail/record';
import { LOG_FILE, logValues } from './log-files';

/** The shared corpus of real CloudTrail records (read-only), next to the repository. */
export const CORPUS_DIR = resolve(__dirname, '../../../shared/corpus');

/** The corpus's log files (not its notes and provenance tables), sorted. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR).filter((f) => LOG_FILE.test(f)).sort().map((f) => join(CORPUS_DIR, f));
}

/** Every value of every corpus file as delivered, also those the store rejects. */
export function corpusValues(): unknown[] {
  return corpusFiles().flatMap((f) => logValues(f));
}

/** Every record of the corpus that passes the record check, in file order. */
export function corpusRecords(): CloudTrailRecord[] {
  return corpusValues().flatMap((v) => {
    const c = checkRecord(v);
    return 'record' in c ? [c.record] : [];
  });
}
