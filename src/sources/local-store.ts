import { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { ListOptions, ObjectContent, ObjectStore, StoredObject } from './object-store';

/** A local folder read as a bucket: keys are paths relative to it with '/' separators. */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;

  constructor(folder: string) {
    this.root = resolve(folder);
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<StoredObject> {
    // Walk only the deepest folder the prefix names, not the whole tree.
    const dirKey = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const keys: StoredObject[] = [];
    await this.walk(dirKey, prefix, keys);
    keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const o of keys) {
      if (opts.startAfter !== undefined && o.key <= opts.startAfter) continue;
      yield o;
    }
  }

  private async walk(dirKey: string, prefix: string, out: StoredObject[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.pathOf(dirKey), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw err;
    }
    for (const e of entries) {
      const key = dirKey + e.name;
      if (e.isDirectory()) {
        const sub = key + '/';
        if (sub.startsWith(prefix) || prefix.startsWith(sub)) await this.walk(sub, prefix, out);
      } else if (e.isFile() && key.startsWith(prefix)) {
        const s = await stat(this.pathOf(key));
        out.push({ key, size: s.size, lastModified: s.mtime, etag: `${s.size}-${Math.trunc(s.mtimeMs)}` });
      }
    }
  }

  async listPrefixes(prefix: string): Promise<string[]> {
    try {
      const entries = await readdir(this.pathOf(prefix), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => `${prefix}${e.name}/`).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async get(key: string): Promise<ObjectContent> {
    if (key.split('/').includes('..') || key.includes(sep === '/' ? '\0' : '\\')) throw new Error(`not a key: ${key}`);
    return { body: await readFile(this.pathOf(key)), metadata: {} };
  }
}
