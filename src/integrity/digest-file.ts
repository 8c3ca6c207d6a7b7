import { gunzipSync } from 'node:zlib';

/**
 * CloudTrail digest files: where they live (the key names the account,
 * region, trail and end time) and what they hold. Field names are AWS's.
 */
export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
}

export interface DigestContent {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** What a digest's key says: AWSLogs/[o-ORG/]ACCOUNT/CloudTrail-Digest/REGION/Y/M/D/ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_STAMP[_backfill].json.gz */
export interface DigestKey {
  key: string;
  /** Everything before AWSLogs/ (a trail's S3 key prefix, or the source's own prefix). */
  prefix: string;
  org: string | null;
  account: string;
  region: string;
  trail: string;
  homeRegion: string;
  /** The digest's end time from its name (second precision). */
  end: Date;
  backfill: boolean;
}

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const DIGEST_KEY = new RegExp(
  `^(.*?)AWSLogs/(?:(o-[a-z0-9]+)/)?(\\d{12})/CloudTrail-Digest/(${REGION})/\\d{4}/\\d{2}/\\d{2}/\\d{12}_CloudTrail-Digest_${REGION}_(.+)_(${REGION})_(\\d{8}T\\d{6}Z)(_backfill)?\\.json\\.gz$`,
);

function stampDate(stamp: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp) ?? [];
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

export function parseDigestKey(key: string): DigestKey | undefined {
  const m = DIGEST_KEY.exec(key);
  if (!m) return undefined;
  return { key, prefix: m[1], org: m[2] ?? null, account: m[3], region: m[4], trail: m[5], homeRegion: m[6], end: stampDate(m[7]), backfill: m[8] !== undefined };
}

/** Chain identity: one trail's digests for one region. */
export function chainId(k: DigestKey): string {
  return `${k.prefix}|${k.account}|${k.region}|${k.trail}|${k.homeRegion}`;
}

const LOG_KEY = new RegExp(`^(.*?)AWSLogs/(?:(o-[a-z0-9]+)/)?(\\d{12})/CloudTrail/(${REGION})/\\d{4}/\\d{2}/\\d{2}/\\d{12}_CloudTrail_${REGION}_(\\d{8}T\\d{4})Z_[A-Za-z0-9]+\\.json\\.gz$`);

/** A log file's account, region and delivery minute from its key (AWS's naming). */
export function parseLogKey(key: string): { account: string; region: string; delivered: Date } | undefined {
  const m = LOG_KEY.exec(key);
  if (!m) return undefined;
  return { account: m[3], region: m[4], delivered: stampDate(`${m[5]}00Z`) };
}

/**
 * The part of a key from `AWSLogs/` on: a digest names its files by their
 * full key in the bucket, a local copy (or a source given as
 * s3://bucket/prefix) may lack the trail's prefix, so keys are compared on
 * this part. A key without AWSLogs/ is kept whole.
 */
export function logKeyTail(key: string): string {
  const at = key.indexOf('AWSLogs/');
  return at >= 0 ? key.slice(at) : key;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const textOrNull = (v: unknown): v is string | null => v === null || v === undefined || typeof v === 'string';

/** The uncompressed bytes of a stored digest or log file (gzip, or plain when it is not gzip). */
export function uncompressed(body: Buffer): Buffer {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
}

/** A digest's JSON, checked for the fields verification needs; undefined when it is not a digest (the "invalid format" verdict). */
export function parseDigest(bytes: Buffer): DigestContent | undefined {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const d = v as Record<string, unknown>;
  const required = ['awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint', 'digestSignatureAlgorithm'];
  if (!required.every((k) => isText(d[k]))) return undefined;
  const optional = ['newestEventTime', 'oldestEventTime', 'previousDigestS3Bucket', 'previousDigestS3Object', 'previousDigestHashValue', 'previousDigestHashAlgorithm', 'previousDigestSignature'];
  if (!optional.every((k) => textOrNull(d[k]))) return undefined;
  if (!Array.isArray(d.logFiles)) return undefined;
  const logFiles: DigestLogFile[] = [];
  for (const f of d.logFiles as unknown[]) {
    if (typeof f !== 'object' || f === null) return undefined;
    const l = f as Record<string, unknown>;
    if (!isText(l.s3Bucket) || !isText(l.s3Object) || !isText(l.hashValue)) return undefined;
    logFiles.push({
      s3Bucket: l.s3Bucket, s3Object: l.s3Object, hashValue: l.hashValue.toLowerCase(), hashAlgorithm: isText(l.hashAlgorithm) ? l.hashAlgorithm : 'SHA-256',
      newestEventTime: isText(l.newestEventTime) ? l.newestEventTime : null, oldestEventTime: isText(l.oldestEventTime) ? l.oldestEventTime : null,
    });
  }
  const opt = (k: string): string | null => (isText(d[k]) ? (d[k] as string) : null);
  return {
    awsAccountId: d.awsAccountId as string, digestStartTime: d.digestStartTime as string, digestEndTime: d.digestEndTime as string,
    digestS3Bucket: d.digestS3Bucket as string, digestS3Object: d.digestS3Object as string,
    digestPublicKeyFingerprint: d.digestPublicKeyFingerprint as string, digestSignatureAlgorithm: d.digestSignatureAlgorithm as string,
    newestEventTime: opt('newestEventTime'), oldestEventTime: opt('oldestEventTime'),
    previousDigestS3Bucket: opt('previousDigestS3Bucket'), previousDigestS3Object: opt('previousDigestS3Object'),
    previousDigestHashValue: opt('previousDigestHashValue'), previousDigestHashAlgorithm: opt('previousDigestHashAlgorithm'),
    previousDigestSignature: opt('previousDigestSignature'), logFiles,
  };
}
