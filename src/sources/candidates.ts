import { stat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { discover } from '../ingest/discover';
import { isDigestPath } from '../ingest/process-file';
import { IngestProblem } from '../ingest/types';
import { LayoutFilter, dayPrefixes } from './layout';
import { StoredObject } from './object-store';
import { ObjectMark, ReadLog } from './read-log';
import { Source } from './source';

/**
 * What a source holds that the store has not read: each listed object is
 * either new (or changed: another ETag, size or mtime), or skipped as read.
 * A day prefix is listed from after the last key read in it (keys sort by
 * delivery time within a day), unless an earlier key there failed: then
 * from after the last read key before the first failure.
 */
export interface Candidate {
  readonly dayPrefix: string;
  readonly object: StoredObject;
  /** Where the file is, for a local source (read in place). */
  readonly path?: string;
}

export interface Listing {
  /** Keys of the day prefixes listed (S3), in order. */
  prefixes: string[];
  listed: number;
  skipped: number;
  candidates: Candidate[];
  problems: IngestProblem[];
}

const LOG_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

function isRead(mark: ObjectMark | undefined, etag: string): boolean {
  return mark !== undefined && mark.failure === undefined && mark.etag === etag;
}

/** StartAfter for a day prefix: after the last read key that sorts before every failed key. */
export function startAfterOf(marks: ReadonlyMap<string, ObjectMark>): string | undefined {
  let firstFailed: string | undefined;
  for (const m of marks.values()) if (m.failure !== undefined && (firstFailed === undefined || m.key < firstFailed)) firstFailed = m.key;
  let after: string | undefined;
  for (const m of marks.values()) {
    if (m.failure !== undefined || (firstFailed !== undefined && m.key >= firstFailed)) continue;
    if (after === undefined || m.key > after) after = m.key;
  }
  return after;
}

async function listBucket(source: Extract<Source, { kind: 's3' }>, log: ReadLog, filter: LayoutFilter): Promise<Listing> {
  const out: Listing = { prefixes: [], listed: 0, skipped: 0, candidates: [], problems: [] };
  out.prefixes = await dayPrefixes(source.store, source.prefix, filter);
  for (const dayPrefix of out.prefixes) {
    const marks = await log.marks(source.uri, dayPrefix);
    for await (const object of source.store.list(dayPrefix, { startAfter: startAfterOf(marks) })) {
      if (!LOG_FILE.test(object.key) || isDigestPath(object.key)) continue;
      out.listed++;
      if (isRead(marks.get(object.key), object.etag)) out.skipped++;
      else out.candidates.push({ dayPrefix, object });
    }
  }
  return out;
}

async function listFolder(source: Extract<Source, { kind: 'local' }>, log: ReadLog): Promise<Listing> {
  const found = await discover(source.files ?? [source.path]);
  const marks = await log.marks(source.uri, '');
  const out: Listing = { prefixes: [], listed: 0, skipped: 0, candidates: [], problems: found.problems };
  for (const f of found.files) {
    let s;
    try {
      s = await stat(f.path);
    } catch {
      continue; // gone since the listing: the next poll will not see it either
    }
    const rel = relative(source.path, f.path);
    const key = (rel === '' ? basename(f.path) : rel).split(sep).join('/');
    const object: StoredObject = { key, size: s.size, lastModified: s.mtime, etag: `${s.size}-${Math.trunc(s.mtimeMs)}` };
    out.listed++;
    if (isRead(marks.get(key), object.etag)) out.skipped++;
    else out.candidates.push({ dayPrefix: '', object, path: f.path });
  }
  return out;
}

/** Lists what `source` holds and the store has not read (S3: the day prefixes of `filter`; a folder: all of it). */
export function listNew(source: Source, log: ReadLog, filter: LayoutFilter): Promise<Listing> {
  switch (source.kind) {
    case 's3':
      return listBucket(source, log, filter);
    case 'local':
      return listFolder(source, log);
  }
}
