import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ListOptions, ObjectContent, ObjectStore, StoredObject } from './object-store';
import { TruncatedBodyError } from './retry';

export interface S3StoreOptions {
  /** Region of the bucket (default: the SDK's, e.g. AWS_REGION). */
  readonly region?: string;
  /** An S3-compatible endpoint (MinIO, a local test server): path-style addressing. */
  readonly endpoint?: string;
  /** Retries of throttled or dropped requests (the SDK's standard retry strategy, jittered backoff). */
  readonly maxAttempts?: number;
  readonly client?: S3Client;
}

/** A bucket, read through @aws-sdk/client-s3 with the standard credential chain. */
export class S3ObjectStore implements ObjectStore {
  readonly root: string;
  readonly client: S3Client;

  constructor(readonly bucket: string, opts: S3StoreOptions = {}) {
    this.root = `s3://${bucket}`;
    this.client =
      opts.client ??
      new S3Client({
        region: opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
        ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
        maxAttempts: opts.maxAttempts ?? 5,
      });
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, StartAfter: token ? undefined : opts.startAfter, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        yield { key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0), etag: (o.ETag ?? '').replace(/"/g, '') };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async listPrefixes(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }

  async get(key: string): Promise<ObjectContent> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!res.Body) throw new Error(`empty body for s3://${this.bucket}/${key}`);
    const body = Buffer.from(await res.Body.transformToByteArray());
    checkWhole(key, body, res.ContentLength);
    return { body, metadata: { ...(res.Metadata ?? {}) } };
  }
}

/**
 * A body cut short (a dropped connection after the headers) must not pass
 * for the object: its length must be the Content-Length. (The ETag is no
 * check: under SSE-KMS, as CloudTrail buckets often are, it is not the MD5.)
 */
function checkWhole(key: string, body: Buffer, length: number | undefined): void {
  if (length !== undefined && body.length !== length) throw new TruncatedBodyError(`${key}: body ended after ${body.length} of ${length} bytes`);
}

/** `s3://bucket/prefix` into its parts; undefined for anything else. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1], prefix: m[2] } : undefined;
}
