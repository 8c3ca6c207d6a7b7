import { resolve } from 'node:path';
import { LocalObjectStore } from './local-store';
import { ObjectStore } from './object-store';
import { S3ObjectStore, parseS3Uri } from './s3-store';

/**
 * A source of log files: a bucket (with an optional prefix) or a local path
 * (a folder, or one file). Its `uri` names it in the store's read log: the
 * same bucket and prefix, or the same absolute path, is the same source.
 */
export type Source =
  | { readonly kind: 's3'; readonly uri: string; readonly store: ObjectStore; readonly prefix: string }
  | { readonly kind: 'local'; readonly uri: string; readonly path: string };

export interface S3Settings {
  /** `--s3-region` ('' = the SDK's). */
  readonly region?: string;
  /** `--s3-endpoint` ('' = AWS). */
  readonly endpoint?: string;
}

export function isS3Uri(text: string): boolean {
  return /^s3:\/\//i.test(text);
}

/** A source from what the user typed; a malformed s3:// URI throws a SourceError. */
export function openSource(text: string, s3: S3Settings = {}): Source {
  if (!isS3Uri(text)) {
    const path = resolve(text);
    return { kind: 'local', uri: path, path };
  }
  const parsed = parseS3Uri(text);
  if (!parsed || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(parsed.bucket)) throw new SourceError(text, 'not an s3://BUCKET[/PREFIX] URI');
  const prefix = parsed.prefix === '' || parsed.prefix.endsWith('/') ? parsed.prefix : `${parsed.prefix}/`;
  const store = new S3ObjectStore(parsed.bucket, { region: s3.region || undefined, endpoint: s3.endpoint || undefined });
  return { kind: 's3', uri: `s3://${parsed.bucket}/${prefix}`, store, prefix };
}

/** A source over a given object store (tests and the bench pass their own S3 client). */
export function storeSource(store: ObjectStore, prefix = ''): Source {
  const p = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return { kind: 's3', uri: `${store.root}/${p}`, store, prefix: p };
}

export class SourceError extends Error {
  constructor(readonly source: string, reason: string) {
    super(`${source}: ${reason}`);
  }
}
