import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
  | {
    readonly kind: 'local';
    readonly uri: string;
    readonly path: string;
    /** Only these files of the folder (files named on the command line); absent: all of it. */
    readonly files?: readonly string[];
  };

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

/**
 * The sources of a command line. Files named one by one (a shell glob) are
 * grouped by folder: one source per folder, reading only those files, so
 * that `ingest dir/*.json.gz` is one ingest, not one per file, and a later
 * `ingest dir` knows them as read.
 */
export function openSources(texts: readonly string[], s3: S3Settings = {}): Source[] {
  const out: Source[] = [];
  const byFolder = new Map<string, string[]>();
  for (const text of texts) {
    if (!isS3Uri(text) && isFile(resolve(text))) {
      const path = resolve(text);
      const list = byFolder.get(dirname(path)) ?? [];
      list.push(path);
      byFolder.set(dirname(path), list);
      continue;
    }
    out.push(openSource(text, s3));
  }
  for (const [folder, files] of byFolder) out.push({ kind: 'local', uri: folder, path: folder, files });
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
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
