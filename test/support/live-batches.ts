import { mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudTrailRecord, checkRecord } from '../../src/cloudtrail/record';
import { generateDemo } from '../../src/demo';

/** A folder of log files to ingest as one batch, and its records (read here, independently of src/ingest). */
export interface Batch {
  dir: string;
  records: CloudTrailRecord[];
}

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)])).sort();
}

function recordsOf(file: string): CloudTrailRecord[] {
  return (JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: unknown[] }).Records.flatMap((v) => {
    const c = checkRecord(v);
    return 'record' in c ? [c.record] : [];
  });
}

/** A CloudTrail log file (not a digest, not the demo's key list) by its place in the S3 layout. */
function isLogFile(path: string): boolean {
  return /[\\/]CloudTrail[\\/].*\.json\.gz$/.test(path);
}

/** Every record of the log files under `dir`. */
export function demoRecords(dir: string): CloudTrailRecord[] {
  return walk(dir).filter(isLogFile).flatMap(recordsOf);
}

/**
 * A demo organisation's log files at a fixed date, split into batches of
 * `sizes[i]` files each (in path order; the rest go to the last batch), each
 * under its own folder in the S3 layout.
 */
export async function demoBatches(root: string, sizes: readonly number[], opts: { events: number; seed: number }): Promise<Batch[]> {
  const logs = join(root, 'logs');
  await generateDemo({ events: opts.events, out: logs, days: 2, end: new Date('2024-06-10T12:00:00Z'), seed: opts.seed });
  // The demo also writes digests and its public keys beside the logs: the batches are of log files.
  const files = walk(logs).filter(isLogFile);
  const batches: Batch[] = [];
  let next = 0;
  sizes.forEach((size, i) => {
    const take = i === sizes.length - 1 ? files.slice(next) : files.slice(next, next + size);
    next += take.length;
    const dir = join(root, `batch-${i}`);
    const records: CloudTrailRecord[] = [];
    for (const f of take) {
      const to = join(dir, relative(logs, f));
      mkdirSync(dirname(to), { recursive: true });
      renameSync(f, to);
      records.push(...recordsOf(to));
    }
    batches.push({ dir, records });
  });
  return batches;
}

/** The window every test subscription asks: the demo's days and around. */
export const DEMO_TIME = { from: '2024-06-01T00:00:00Z', to: '2024-06-15T00:00:00Z' };
