import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ObjectStore, StoredObject } from './object-store';
import { RetryPolicy, failureText, withRetry } from './retry';

/**
 * Objects fetched into a folder, each at its key (so the ingest sees the
 * S3 layout in the path, and reads the very bytes stored: `raw` is the same
 * as from a local copy). A few at a time: memory holds at most
 * `concurrency` objects; the folder holds one batch.
 */
export interface Fetched {
  readonly object: StoredObject;
  readonly path: string;
}

export interface FetchFailure {
  readonly object: StoredObject;
  readonly reason: string;
}

export async function fetchObjects(
  store: ObjectStore,
  objects: readonly StoredObject[],
  folder: string,
  opts: { concurrency: number; retry: RetryPolicy; signal?: AbortSignal },
): Promise<{ fetched: Fetched[]; failed: FetchFailure[] }> {
  const fetched: Fetched[] = [];
  const failed: FetchFailure[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const object = objects[next++];
      const path = join(folder, ...object.key.split('/').filter((p) => p !== '..' && p !== '.' && p !== ''));
      try {
        const { body } = await withRetry(() => store.get(object.key), opts.retry, opts.signal);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, body);
        fetched.push({ object, path });
      } catch (err) {
        failed.push({ object, reason: failureText(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, objects.length)) }, worker));
  const byKey = (a: { object: StoredObject }, b: { object: StoredObject }): number => (a.object.key < b.object.key ? -1 : a.object.key > b.object.key ? 1 : 0);
  return { fetched: fetched.sort(byKey), failed: failed.sort(byKey) };
}
