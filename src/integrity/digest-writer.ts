import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { fingerprintOf, signingString } from './signature';

const gzipAsync = promisify(gzip);

/**
 * Writes the digest files CloudTrail would deliver for a set of log files
 * (the demo's): one per account, region and hour from the first log file
 * to the last, empty hours included, chained and signed with a key pair
 * made here. The public key is written as a ListPublicKeys-shaped file
 * (list-public-keys.output) and each chain's newest signature (what S3 metadata
 * would hold) as newest-signatures.txt, beside AWSLogs/; the private key
 * is never written.
 */
export const DEMO_BUCKET = 'trailgraph-demo-trail';
export const DEMO_TRAIL = 'demo-trail';
const HOME_REGION = 'us-east-1';
const HOUR = 3_600_000;

interface LoggedFile {
  key: string;
  sha256: string;
  delivered: number;
  oldest: string;
  newest: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const stamp = (ms: number): string => iso(ms).replace(/[-:]/g, '');
const day = (ms: number): string => { const d = new Date(ms); return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`; };

export class DigestWriter {
  private readonly streams = new Map<string, LoggedFile[]>();
  private readonly privateKey: KeyObject;
  private readonly der: Buffer;

  constructor(private readonly out: string) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.der = pair.publicKey.export({ format: 'der', type: 'pkcs1' });
  }

  /** A log file written under `out` at `key` (AWSLogs/ACCOUNT/CloudTrail/REGION/...), with its uncompressed text. */
  add(account: string, region: string, key: string, text: string, delivered: Date, oldest: string, newest: string): void {
    const id = `${account}/${region}`;
    const list = this.streams.get(id) ?? [];
    list.push({ key, sha256: createHash('sha256').update(text).digest('hex'), delivered: delivered.getTime(), oldest, newest });
    this.streams.set(id, list);
  }

  async close(): Promise<{ digests: number }> {
    const fingerprint = fingerprintOf(this.der);
    const newest: string[] = [];
    let digests = 0;
    for (const [id, files] of this.streams) {
      const [account, region] = id.split('/');
      files.sort((a, b) => a.delivered - b.delivered);
      const first = Math.floor(files[0].delivered / HOUR) * HOUR;
      const last = Math.floor(files[files.length - 1].delivered / HOUR) * HOUR;
      let previous = null as { bucketKey: string; sha256: string; signature: string } | null;
      let f = 0;
      for (let start = first; start <= last; start += HOUR) {
        const end = start + HOUR;
        const hourFiles: LoggedFile[] = [];
        while (f < files.length && files[f].delivered < end) hourFiles.push(files[f++]);
        const key = `AWSLogs/${account}/CloudTrail-Digest/${region}/${day(end)}/${account}_CloudTrail-Digest_${region}_${DEMO_TRAIL}_${HOME_REGION}_${stamp(end)}.json.gz`;
        const content: Record<string, unknown> = {
          awsAccountId: account, digestStartTime: iso(start), digestEndTime: iso(end), digestS3Bucket: DEMO_BUCKET, digestS3Object: key,
          digestPublicKeyFingerprint: fingerprint, digestSignatureAlgorithm: 'SHA256withRSA',
          newestEventTime: hourFiles.length ? hourFiles[hourFiles.length - 1].newest : null, oldestEventTime: hourFiles.length ? hourFiles[0].oldest : null,
          previousDigestS3Bucket: previous ? DEMO_BUCKET : null, previousDigestS3Object: previous?.bucketKey ?? null,
          previousDigestHashValue: previous?.sha256 ?? null, previousDigestHashAlgorithm: previous ? 'SHA-256' : null, previousDigestSignature: previous?.signature ?? null,
          logFiles: hourFiles.map((h) => ({ s3Bucket: DEMO_BUCKET, s3Object: h.key, hashValue: h.sha256, hashAlgorithm: 'SHA-256', newestEventTime: h.newest, oldestEventTime: h.oldest })),
        };
        const plain: Buffer = Buffer.from(JSON.stringify(content));
        const sha256: string = createHash('sha256').update(plain).digest('hex');
        const signature: string = sign('sha256', Buffer.from(signingString(iso(end), DEMO_BUCKET, key, sha256, previous?.signature ?? null)), this.privateKey).toString('hex');
        const path = join(this.out, ...key.split('/'));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, await gzipAsync(plain));
        previous = { bucketKey: key, sha256, signature };
        digests++;
      }
      if (previous) newest.push(previous.signature);
    }
    const validFrom = iso(Date.UTC(2000, 0, 1));
    const validTo = iso(Date.UTC(2100, 0, 1));
    await writeFile(join(this.out, 'list-public-keys.output'), JSON.stringify({ PublicKeyList: [{ Value: this.der.toString('base64'), ValidityStartTime: validFrom, ValidityEndTime: validTo, Fingerprint: fingerprint }] }, null, 2));
    await writeFile(join(this.out, 'newest-signatures.txt'), `${newest.join('\n')}\n`);
    return { digests };
  }
}
