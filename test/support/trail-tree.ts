import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { generateDemo } from '../../src/demo';
import { CORPUS_DIR } from './corpus';
import { TestS3 } from './s3-server';

/**
 * A trail as CloudTrail lays it out in a bucket, written to a folder: the
 * demo logs (fixed end date) and the shared corpus's log files under day
 * prefixes, in the account layout or the organization trail's.
 */
export type Layout = 'account' | 'organization';

export const ORG_ID = 'o-a1b2c3d4e5';
export const CORPUS_ACCOUNT = '111111111111';
export const CORPUS_DAY = '2024/06/09';
export const DEMO_END = new Date('2024-06-10T12:00:00Z');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

/** AWSLogs/ACCT/... with the organization's folder put in when the layout asks. */
function laidOut(key: string, layout: Layout): string {
  return layout === 'organization' ? key.replace(/^AWSLogs\//, `AWSLogs/${ORG_ID}/`) : key;
}

/** Writes the trail under `dir` (demo logs generated in `scratch`); returns its keys, sorted. */
export async function writeTrail(dir: string, scratch: string, layout: Layout, demoEvents = 400, corpus = true): Promise<string[]> {
  await generateDemo({ events: demoEvents, out: scratch, days: 3, end: DEMO_END, seed: 5 });
  const keys: string[] = [];
  // The log files (the demo also writes digests, its public keys and newest signatures: test/integrity-*.test.ts).
  for (const f of files(scratch).filter((p) => relative(scratch, p).split(sep).includes('CloudTrail'))) {
    const key = laidOut(relative(scratch, f).split(sep).join('/'), layout);
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    copyFileSync(f, join(dir, key));
    keys.push(key);
  }
  for (const name of corpus ? readdirSync(CORPUS_DIR).filter((n) => /\.(json|jsonl)(\.gz)?$/.test(n)) : []) {
    const key = laidOut(`AWSLogs/${CORPUS_ACCOUNT}/CloudTrail/us-east-1/${CORPUS_DAY}/${name}`, layout);
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    copyFileSync(join(CORPUS_DIR, name), join(dir, key));
    keys.push(key);
  }
  return keys.sort();
}

/** Puts the files of `dir` into `bucket` at their relative paths. */
export async function upload(s3: TestS3, bucket: string, dir: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) await s3.put(bucket, key, readFileSync(join(dir, key)));
}

export function testClient(endpoint: string, maxAttempts = 3): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, maxAttempts });
}

export function totalBytes(dir: string, keys: readonly string[]): number {
  return keys.reduce((a, k) => a + statSync(join(dir, k)).size, 0);
}
