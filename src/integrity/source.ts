import { resolve } from 'node:path';
import { LocalObjectStore } from '../sources/local-store';
import { parseS3Uri, S3ObjectStore, S3StoreOptions } from '../sources/s3-store';
import { VerifySource } from './verify';

/**
 * A `verify` SOURCE: `s3://bucket[/prefix]` (signatures from object
 * metadata) or a local folder (an `aws s3 sync` copy, or the folder that
 * holds AWSLogs/, or a folder inside AWSLogs/).
 */
export function openVerifySource(spec: string, s3: S3StoreOptions = {}): VerifySource {
  const uri = parseS3Uri(spec);
  if (uri) return { store: new S3ObjectStore(uri.bucket, s3), prefix: uri.prefix && !uri.prefix.endsWith('/') ? `${uri.prefix}/` : uri.prefix, bucket: uri.bucket };
  const abs = resolve(spec).split('\\').join('/');
  const at = abs.indexOf('/AWSLogs');
  // Inside AWSLogs/: the store is rooted above it, so keys read AWSLogs/... as in the bucket.
  return at >= 0 ? { store: new LocalObjectStore(abs.slice(0, at) || '/'), prefix: '', bucket: null } : { store: new LocalObjectStore(abs), prefix: '', bucket: null };
}
