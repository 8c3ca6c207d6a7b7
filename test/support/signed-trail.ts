import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * A small CloudTrail trail written the way CloudTrail writes one, for
 * integrity tests: log files and hourly digest files chained by their
 * previous* fields and signed with a key pair made here, written from
 * AWS's documented format with Node's crypto (independently of
 * src/integrity). Objects are key → bytes, with the S3 metadata CloudTrail
 * puts on each digest.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const BUCKET = 'audit-trail-bucket';
export const TRAIL = 'org-trail';

export interface TrailObject {
  body: Buffer;
  metadata: Record<string, string>;
}

export interface SignedTrail {
  objects: Map<string, TrailObject>;
  /** Digest keys, oldest first. */
  digests: string[];
  /** Log file keys, oldest first. */
  logs: string[];
  /** The ListPublicKeys-shaped document with the public key. */
  publicKeys: { PublicKeyList: Array<{ Value: string; ValidityStartTime: string; ValidityEndTime: string; Fingerprint: string }> };
  fingerprint: string;
  privateKey: KeyObject;
  /** Signature (hex) of each digest, by key. */
  signatures: Map<string, string>;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const stamp = (d: Date, seconds: boolean): string =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ''}Z`;
const dayPath = (d: Date): string => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function logKey(delivered: Date, unique: string): string {
  return `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${dayPath(delivered)}/${ACCOUNT}_CloudTrail_${REGION}_${stamp(delivered, false)}_${unique}.json.gz`;
}

export function digestKey(end: Date, backfill = false): string {
  return `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/${dayPath(end)}/${ACCOUNT}_CloudTrail-Digest_${REGION}_${TRAIL}_${REGION}_${stamp(end, true)}${backfill ? '_backfill' : ''}.json.gz`;
}

export function record(id: string, time: Date): Record<string, unknown> {
  return {
    eventVersion: '1.08', userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' },
    eventTime: iso(time), eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: REGION, sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0', requestParameters: { bucketName: 'data' }, responseElements: null, requestID: `req-${id}`, eventID: id,
    readOnly: true, eventType: 'AwsApiCall', managementEvent: false, recipientAccountId: ACCOUNT, eventCategory: 'Data',
  };
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/**
 * `hours` hourly digests starting at `start`, each hour with `perHour` log
 * files of two records (hours listed in `emptyHours` have none; a digest in
 * `backfillHours` is named as a backfill). The first digest starts the chain.
 */
export function signedTrail(start: Date, hours: number, perHour: number, opts: { emptyHours?: number[]; backfillHours?: number[] } = {}): SignedTrail {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ format: 'der', type: 'pkcs1' });
  const fingerprint = createHash('md5').update(der).digest('hex');
  const objects = new Map<string, TrailObject>();
  const digests: string[] = [];
  const logs: string[] = [];
  const signatures = new Map<string, string>();
  let previous: { key: string; plain: Buffer; signature: string } | null = null;
  for (let h = 0; h < hours; h++) {
    const hourStart = new Date(start.getTime() + h * 3_600_000);
    const hourEnd = new Date(hourStart.getTime() + 3_600_000);
    const files: Array<Record<string, unknown>> = [];
    if (!opts.emptyHours?.includes(h)) {
      for (let f = 0; f < perHour; f++) {
        const delivered = new Date(hourStart.getTime() + (f + 1) * 600_000);
        const key = logKey(delivered, `h${h}f${f}abcdefghij`.replace(/[^A-Za-z0-9]/g, ''));
        const recs = [record(`ev-${h}-${f}-a`, new Date(delivered.getTime() - 120_000)), record(`ev-${h}-${f}-b`, new Date(delivered.getTime() - 60_000))];
        const plain = Buffer.from(JSON.stringify({ Records: recs }));
        objects.set(key, { body: gzipSync(plain), metadata: {} });
        logs.push(key);
        files.push({ s3Bucket: BUCKET, s3Object: key, hashValue: sha256(plain), hashAlgorithm: 'SHA-256', newestEventTime: iso(new Date(delivered.getTime() - 60_000)), oldestEventTime: iso(new Date(delivered.getTime() - 120_000)) });
      }
    }
    const key = digestKey(hourEnd, opts.backfillHours?.includes(h));
    const content: Record<string, unknown> = {
      awsAccountId: ACCOUNT, digestStartTime: iso(hourStart), digestEndTime: iso(hourEnd), digestS3Bucket: BUCKET, digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint, digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: files.length ? files[files.length - 1].newestEventTime : null, oldestEventTime: files.length ? files[0].oldestEventTime : null,
      previousDigestS3Bucket: previous ? BUCKET : null, previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous ? sha256(previous.plain) : null, previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null, logFiles: files,
    };
    const plain: Buffer = Buffer.from(JSON.stringify(content));
    const text = `${String(content.digestEndTime)}\n${BUCKET}/${key}\n${sha256(plain)}\n${previous?.signature ?? 'null'}`;
    const signature: string = sign('sha256', Buffer.from(text), privateKey).toString('hex');
    objects.set(key, { body: gzipSync(plain), metadata: { signature, 'signature-algorithm': 'SHA256withRSA' } });
    digests.push(key);
    signatures.set(key, signature);
    previous = { key, plain, signature };
  }
  const publicKeys = { PublicKeyList: [{ Value: der.toString('base64'), ValidityStartTime: iso(new Date(start.getTime() - 86_400_000)), ValidityEndTime: iso(new Date(start.getTime() + 30 * 86_400_000)), Fingerprint: fingerprint }] };
  return { objects, digests, logs, publicKeys, fingerprint, privateKey, signatures };
}

/** Re-signs a digest (after a test edits it) so only the edit under test fails, not its signature. */
export function resign(trail: SignedTrail, key: string, content: Record<string, unknown>): void {
  const plain = Buffer.from(JSON.stringify(content));
  const text = `${String(content.digestEndTime)}\n${String(content.digestS3Bucket)}/${String(content.digestS3Object)}\n${sha256(plain)}\n${String(content.previousDigestSignature ?? 'null')}`;
  const signature = sign('sha256', Buffer.from(text), trail.privateKey).toString('hex');
  trail.objects.set(key, { body: gzipSync(plain), metadata: { signature, 'signature-algorithm': 'SHA256withRSA' } });
  trail.signatures.set(key, signature);
}
