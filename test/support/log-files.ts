import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudTrailRecord } from '../../src/cloudtrail/record';

/**
 * CloudTrail log files read back here, independently of src/ingest: a
 * `{"Records": [...]}` document (.json, .json.gz) or one record a line
 * (.jsonl, .jsonl.gz).
 */
export const LOG_FILE = /\.(json|jsonl)(\.gz)?$/;

/** The values of one log file, as delivered. `skipUnparsable` leaves out JSON Lines lines that are not JSON (else they throw). */
export function logValues(path: string, opts: { skipUnparsable?: boolean } = {}): unknown[] {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  if (/\.jsonl(\.gz)?$/.test(path)) {
    return text.split('\n').filter((l) => l.trim() !== '').flatMap((l) => {
      try {
        return [JSON.parse(l) as unknown];
      } catch (e) {
        if (opts.skipUnparsable) return [];
        throw e;
      }
    });
  }
  return (JSON.parse(text) as { Records: unknown[] }).Records;
}

/** Every file under a folder (recursively), sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)])).sort();
}

/** Every record of the log files a demo run wrote under `dir` (the generator writes only valid records; its digests hold none). */
export function demoLogRecords(dir: string): CloudTrailRecord[] {
  return filesUnder(dir).filter((f) => LOG_FILE.test(f) && !/CloudTrail-Digest/.test(f)).flatMap((f) => logValues(f) as CloudTrailRecord[]);
}
