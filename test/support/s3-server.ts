import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
// s3rver ships no types; the part used here is small.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => {
  run(): Promise<{ port: number; address: string }>;
  close(): Promise<void>;
  store: FilesystemStore;
};

interface ListResult {
  objects: { key: string }[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface FilesystemStore {
  listObjects(bucket: string, options: { delimiter?: string; prefix?: string; startAfter?: string; maxKeys?: number }): Promise<ListResult>;
}

/**
 * s3rver 3.7 prunes every folder below the first delimiter while it walks,
 * so a delimited listing finds no common prefix more than one level deep
 * (S3 itself does). Its listing with a delimiter is rebuilt here from the
 * same listing without one, as S3 defines it.
 */
function fixDelimitedListing(store: FilesystemStore): void {
  const plain = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    if (!options.delimiter) return plain(bucket, options);
    const { delimiter, prefix = '', maxKeys = Infinity } = options;
    const all = await plain(bucket, { ...options, delimiter: undefined, maxKeys: Infinity });
    const prefixes = new Set<string>();
    const objects: ListResult['objects'] = [];
    let isTruncated = false;
    for (const o of all.objects) {
      const idx = o.key.slice(prefix.length).indexOf(delimiter);
      if (idx !== -1) prefixes.add(o.key.slice(0, prefix.length + idx + delimiter.length));
      else if (objects.length < maxKeys) objects.push(o);
      else isTruncated = true;
    }
    return { objects, commonPrefixes: [...prefixes].sort(), isTruncated };
  };
}

/**
 * A real S3 wire-protocol server (s3rver) on a free loopback port, with its
 * objects in a temporary folder; `client` is configured for it.
 */
export interface TestS3 {
  readonly endpoint: string;
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  put(bucket: string, key: string, body: Buffer | string, metadata?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'trailgraph-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  fixDelimitedListing(server.store);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    client,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    put: async (bucket, key, body, metadata) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata }));
    },
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
