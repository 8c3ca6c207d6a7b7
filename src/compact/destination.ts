import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseS3Uri } from '../sources/s3-store';

/**
 * Where compact writes: a local folder or an S3 prefix. DuckDB writes each
 * partition's files into a scratch folder; the destination takes them by
 * key. Keys are '/'-separated and relative to the destination's root.
 */
export interface Destination {
  /** `s3://bucket/prefix/` or the folder's absolute path, for reports. */
  readonly root: string;
  /** The object's text, or null when there is none. */
  read(key: string): Promise<string | null>;
  /** Stores the local file under `key`, replacing what was there. */
  put(key: string, file: string): Promise<void>;
  putText(key: string, text: string): Promise<void>;
  remove(keys: readonly string[]): Promise<void>;
}

export class DestinationError extends Error {}

export class LocalDestination implements Destination {
  readonly root: string;
  constructor(folder: string) {
    this.root = resolve(folder);
  }

  private path(key: string): string {
    const p = resolve(this.root, key);
    if (!p.startsWith(this.root + '/')) throw new DestinationError(`key ${key} is outside ${this.root}`);
    return p;
  }

  async read(key: string): Promise<string | null> {
    const p = this.path(key);
    return existsSync(p) ? readFileSync(p, 'utf8') : null;
  }

  async put(key: string, file: string): Promise<void> {
    const p = this.path(key);
    mkdirSync(dirname(p), { recursive: true });
    // Copied beside its place, then renamed: a reader never sees half a file.
    const part = `${p}.partial`;
    copyFileSync(file, part);
    renameSync(part, p);
  }

  async putText(key: string, text: string): Promise<void> {
    const p = this.path(key);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(`${p}.partial`, text);
    renameSync(`${p}.partial`, p);
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const k of keys) {
      const p = this.path(k);
      if (existsSync(p)) unlinkSync(p);
    }
  }
}

export class S3Destination implements Destination {
  readonly root: string;
  private readonly prefix: string;
  constructor(private readonly client: S3Client, private readonly bucket: string, prefix: string) {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.root = `s3://${bucket}/${this.prefix}`;
  }

  async read(key: string): Promise<string | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return res.Body ? await res.Body.transformToString('utf8') : null;
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return null;
      throw err;
    }
  }

  async put(key: string, file: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: await readFile(file) }));
  }

  async putText(key: string, text: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: text, ContentType: 'application/json' }));
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((k) => ({ Key: this.prefix + k })) } }));
    }
  }
}

export interface S3Settings {
  region?: string;
  endpoint?: string;
  client?: S3Client;
}

/** The destination `--to` names: s3://BUCKET[/PREFIX] or a folder. */
export function openDestination(to: string, s3: S3Settings = {}): Destination {
  if (!/^s3:\/\//i.test(to)) return new LocalDestination(to);
  const parsed = parseS3Uri(to);
  if (!parsed || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(parsed.bucket)) throw new DestinationError(`"${to}" is not an s3://BUCKET[/PREFIX] URI`);
  const client =
    s3.client ??
    new S3Client({
      region: s3.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
      ...(s3.endpoint ? { endpoint: s3.endpoint, forcePathStyle: true } : {}),
      maxAttempts: 5,
    });
  return new S3Destination(client, parsed.bucket, parsed.prefix);
}
