/**
 * Where log and digest files live, seen the way S3 shows a bucket: keys
 * under prefixes, listed in key order, read whole with their user metadata.
 * A local folder (for example an `aws s3 sync` copy of the bucket) is read
 * the same way, so the sources, the follow loop and integrity checks have
 * one code path for both.
 */
export interface StoredObject {
  /** The key, relative to the store's root ('/'-separated). */
  readonly key: string;
  readonly size: number;
  /** S3 LastModified, or a file's mtime. */
  readonly lastModified: Date;
  /** S3 ETag (without quotes), or `size-mtimeMs` for a file. */
  readonly etag: string;
}

export interface ObjectContent {
  /** The bytes as stored (a .gz object is still compressed). */
  readonly body: Buffer;
  /** User metadata (S3 `x-amz-meta-*`, names lower-case, prefix dropped); empty for files. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ListOptions {
  /** Only keys sorting after this one (S3 ListObjectsV2 StartAfter). */
  readonly startAfter?: string;
}

export interface ObjectStore {
  /** `s3://bucket` or the folder's absolute path: where keys are relative to. */
  readonly root: string;
  /** The objects whose key starts with `prefix`, in key order. */
  list(prefix: string, opts?: ListOptions): AsyncIterable<StoredObject>;
  /** The next level of "folders" under `prefix` (which ends with '/' or is ''), each ending with '/'. */
  listPrefixes(prefix: string): Promise<string[]>;
  get(key: string): Promise<ObjectContent>;
}
