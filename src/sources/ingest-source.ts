import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../history/duckdb/engine';
import { ingestPaths } from '../ingest';
import { IngestOptions, IngestProblem, IngestSummary } from '../ingest/types';
import { Candidate, listNew } from './candidates';
import { fetchObjects } from './fetch';
import { LayoutFilter } from './layout';
import { FailedObject, ReadLog, ReadObject } from './read-log';
import { DEFAULT_RETRY, RetryPolicy } from './retry';
import { Source } from './source';
import { emptySummary, mergeSummaries } from './summaries';

/**
 * Ingests what a source holds that the store has not read, in batches: a
 * batch's objects are fetched into a temporary folder at their keys (a
 * local source's files are read in place), ingested as files are (the
 * same fast path, the same `raw`), then recorded as read in the read log;
 * objects that could not be fetched after retries are recorded as failed and
 * tried again next time. The next batch is fetched while one loads.
 * Events are keyed by eventID, so a batch cut short (the process killed) and
 * read again stores each event once.
 */
export interface SourceIngestOptions extends Pick<IngestOptions, 'workers' | 'fastPath' | 'onProblem' | 'shareStore'> {
  readonly filter: LayoutFilter;
  /** Objects fetched at once (default 8). */
  readonly concurrency?: number;
  /** A batch ends at this many objects or bytes (as stored), whichever first. */
  readonly batchObjects?: number;
  readonly batchBytes?: number;
  readonly retry?: RetryPolicy;
  /** Checked between batches: once aborted, no further batch starts (the one loading finishes). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SourceProgress) => void;
  /** After each batch is committed (its events queryable, its objects recorded). */
  readonly onCommitted?: (batch: CommittedBatch) => void | Promise<void>;
  /** Now, for "read at" and lag (tests pass a fixed clock). */
  readonly now?: () => Date;
}

export interface ObjectCounts {
  /** Objects the listing returned (log files only). */
  listed: number;
  /** Listed but already read with the same ETag (or size and mtime). */
  skipped: number;
  read: number;
  failed: number;
}

export interface SourceProgress extends ObjectCounts {
  readonly source: string;
  /** Objects left to read of those listed. */
  readonly pending: number;
  readonly records: number;
  readonly stored: number;
}

export interface CommittedBatch {
  readonly source: string;
  readonly objects: number;
  readonly stored: number;
  /** The newest object of the batch by delivery time, and the time from its delivery to its events being queryable. */
  readonly newest?: { key: string; lastModified: Date };
  readonly lagMs?: number;
  readonly committedAt: Date;
}

export interface SourceSummary extends ObjectCounts {
  readonly source: string;
  /** The day prefixes listed (S3 sources). */
  readonly prefixes: string[];
  /** Objects that could not be read, with their key and why. */
  readonly failures: { key: string; reason: string }[];
  readonly ingest: IngestSummary;
  readonly newest?: { key: string; lastModified: Date };
  readonly lagMs?: number;
}

const DEFAULTS = { concurrency: 8, s3: { objects: 1000, bytes: 48 << 20 }, local: { objects: 200_000, bytes: 4 * 1024 ** 3 } };

function batchesOf(candidates: readonly Candidate[], maxObjects: number, maxBytes: number): Candidate[][] {
  const out: Candidate[][] = [];
  let batch: Candidate[] = [];
  let bytes = 0;
  for (const c of candidates) {
    if (batch.length > 0 && (batch.length >= maxObjects || bytes + c.object.size > maxBytes)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(c);
    bytes += c.object.size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

interface Staged {
  readonly files: { candidate: Candidate; path: string }[];
  readonly failed: FailedObject[];
  readonly folder?: string;
}

export async function ingestSource(engine: DuckDbEngine, source: Source, log: ReadLog, opts: SourceIngestOptions): Promise<SourceSummary> {
  const now = opts.now ?? (() => new Date());
  const started = performance.now();
  const listing = await listNew(source, log, opts.filter);
  const counts: ObjectCounts = { listed: listing.listed, skipped: listing.skipped, read: 0, failed: 0 };
  const failures: { key: string; reason: string }[] = [];
  const problems: IngestProblem[] = [...listing.problems];
  for (const p of listing.problems) opts.onProblem?.(p);
  let ingest = emptySummary();
  let newest: { key: string; lastModified: Date } | undefined;
  let lagMs: number | undefined;
  const limits = source.kind === 's3' ? DEFAULTS.s3 : DEFAULTS.local;
  const batches = batchesOf(listing.candidates, opts.batchObjects ?? limits.objects, opts.batchBytes ?? limits.bytes);
  let pending = listing.candidates.length;
  const progress = (): void => opts.onProgress?.({ source: source.uri, ...counts, pending, records: ingest.records, stored: ingest.stored });
  progress();

  const stage = async (batch: Candidate[]): Promise<Staged> => {
    if (source.kind === 'local') return { files: batch.map((candidate) => ({ candidate, path: candidate.path ?? '' })), failed: [] };
    const folder = mkdtempSync(join(tmpdir(), 'trailgraph-source-'));
    const byKey = new Map(batch.map((c) => [c.object.key, c]));
    const got = await fetchObjects(source.store, batch.map((c) => c.object), folder, { concurrency: opts.concurrency ?? DEFAULTS.concurrency, retry: opts.retry ?? DEFAULT_RETRY, signal: opts.signal });
    return {
      folder,
      files: got.fetched.map((f) => ({ candidate: byKey.get(f.object.key) as Candidate, path: f.path })),
      failed: got.failed.map((f) => ({ dayPrefix: (byKey.get(f.object.key) as Candidate).dayPrefix, key: f.object.key, etag: f.object.etag, reason: f.reason })),
    };
  };

  const commit = async (staged: Staged): Promise<void> => {
    const summary = staged.files.length > 0
      // A fetched object's problems are told once its temporary path is renamed to its URI (below).
      ? await ingestPaths(engine, staged.files.map((f) => f.path), { workers: opts.workers, fastPath: opts.fastPath, shareStore: opts.shareStore, onProblem: source.kind === 'local' ? opts.onProblem : undefined })
      : emptySummary();
    const at = now();
    const reports = new Map(summary.perFile.map((r) => [r.path, r]));
    const read: ReadObject[] = staged.files.map(({ candidate, path }) => ({
      dayPrefix: candidate.dayPrefix, key: candidate.object.key, etag: candidate.object.etag, size: candidate.object.size,
      lastModified: candidate.object.lastModified, records: reports.get(path)?.records ?? 0, stored: reports.get(path)?.stored ?? 0,
    }));
    await log.markRead(source.uri, read, at);
    await log.markFailed(source.uri, staged.failed, at);
    for (const f of staged.failed) {
      failures.push({ key: f.key, reason: f.reason });
      const problem = { path: `${source.uri}${source.kind === 's3' ? f.key.slice(source.prefix.length) : f.key}`, reason: f.reason };
      problems.push(problem);
      opts.onProblem?.(problem);
    }
    counts.read += read.length;
    counts.failed += staged.failed.length;
    pending -= read.length + staged.failed.length;
    // Reported paths name the object, not the temporary file it was fetched to.
    const named = source.kind === 's3' ? renamePaths(summary, staged, source.uri, source.prefix) : summary;
    if (source.kind === 's3') for (const p of named.problems) opts.onProblem?.(p);
    ingest = mergeSummaries(ingest, named);
    let batchNewest: { key: string; lastModified: Date } | undefined;
    for (const r of read) if (!batchNewest || r.lastModified > batchNewest.lastModified) batchNewest = { key: r.key, lastModified: r.lastModified };
    const batchLag = batchNewest ? Math.max(0, at.getTime() - batchNewest.lastModified.getTime()) : undefined;
    if (batchNewest && (!newest || batchNewest.lastModified >= newest.lastModified)) newest = batchNewest;
    if (batchLag !== undefined) lagMs = batchLag;
    progress();
    await opts.onCommitted?.({ source: source.uri, objects: read.length, stored: summary.stored, newest: batchNewest, lagMs: batchLag, committedAt: at });
  };

  let next: Promise<Staged> | undefined = batches.length > 0 ? stage(batches[0]) : undefined;
  const folders: string[] = [];
  try {
    for (let i = 0; i < batches.length && next; i++) {
      const staged = await next;
      if (staged.folder) folders.push(staged.folder);
      // The next batch is fetched while this one loads, unless the work is to stop.
      next = i + 1 < batches.length && !opts.signal?.aborted ? stage(batches[i + 1]) : undefined;
      next?.catch(() => undefined);
      await commit(staged);
      if (staged.folder) rmSync(staged.folder, { recursive: true, force: true });
    }
  } finally {
    // A batch fetched but not loaded (stopped, or the load failed) leaves no files behind.
    const unused = next ? await next.catch(() => undefined) : undefined;
    if (unused?.folder) folders.push(unused.folder);
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  }
  ingest = { ...ingest, failedFiles: ingest.failedFiles + listing.problems.length, problems: [...problems, ...ingest.problems], elapsedMs: performance.now() - started };
  return { source: source.uri, ...counts, prefixes: listing.prefixes, failures, ingest, newest, lagMs };
}

/** A fetched object's temporary path in reports becomes its s3:// URI. */
function renamePaths(summary: IngestSummary, staged: Staged, uri: string, prefix: string): IngestSummary {
  const names = new Map(staged.files.map((f) => [f.path, `${uri}${f.candidate.object.key.slice(prefix.length)}`]));
  const name = (p: string): string => names.get(p) ?? p;
  return {
    ...summary,
    problems: summary.problems.map((p) => ({ ...p, path: name(p.path) })),
    perFile: summary.perFile.map((r) => ({ ...r, path: name(r.path) })),
  };
}
