import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { keysFromFile } from '../src/integrity/public-keys';
import { openVerifySource } from '../src/integrity/source';
import { verifySource, VerifyReport } from '../src/integrity/verify';
import { demoDataset } from './dataset';
import { BenchRow } from './types';

/**
 * Log file integrity: `verify` over the demo dataset's logs and digests
 * (signatures, the chains, every log file hashed), in MB/s of uncompressed
 * log data, beside the baseline of the same run: Node reading the same log
 * files from disk, gunzipping and SHA-256 hashing them one after another,
 * nothing else. Target: verify at >= 0.7x the baseline.
 */
function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function baseline(paths: readonly string[]): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  let bytes = 0;
  for (const p of paths) {
    const plain = gunzipSync(await readFile(p));
    createHash('sha256').update(plain).digest('hex');
    bytes += plain.length;
  }
  return { ms: performance.now() - t0, bytes };
}

export async function integrityBench(_target: unknown, _engine: unknown, now: Date): Promise<BenchRow[]> {
  const data = await demoDataset(join(__dirname, '..', '..', '.bench'), flag('--events', 1_000_000), 42, now);
  const keys = await keysFromFile(join(data.dir, 'list-public-keys.output'));
  const newestSignatures = (await readFile(join(data.dir, 'newest-signatures.txt'), 'utf8')).split(/\s+/).filter((s) => s !== '');
  const run = async (): Promise<{ ms: number; report: VerifyReport }> => {
    const t0 = performance.now();
    const report = await verifySource(openVerifySource(data.dir), { keys, newestSignatures });
    return { ms: performance.now() - t0, report };
  };
  // Warm the page cache and the code once each, then the better of two timed rounds of each.
  const first = await run();
  const paths = first.report.logFiles.map((l) => join(data.dir, l.key));
  await baseline(paths);
  const verified = [await run(), await run()].sort((a, b) => a.ms - b.ms)[0];
  const base = [await baseline(paths), await baseline(paths)].sort((a, b) => a.ms - b.ms)[0];
  const mb = base.bytes / 1e6;
  const verifyRate = mb / (verified.ms / 1000);
  const baseRate = mb / (base.ms / 1000);
  const invalid = verified.report.failed ? ' (some INVALID: check the dataset)' : '';
  return [{
    name: `integrity: verify ${verified.report.digests.length} digests, ${paths.length} log files (${mb.toFixed(1)} MB)`,
    p50: verified.ms, p95: verified.ms, directP50: base.ms, directP95: base.ms,
    target: '>= 0.7x Node read+gunzip+SHA-256',
    note: `${verifyRate.toFixed(0)} MB/s vs ${baseRate.toFixed(0)} MB/s = ${(verifyRate / baseRate).toFixed(2)}x${invalid}`,
  }];
}
