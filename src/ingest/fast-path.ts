import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { DuckDBValue, listValue } from '@duckdb/node-api';
import { isDigestPath } from './process-file';
import { CREATE_FAST_STAGE, FAST_FILES_SQL, FAST_STAGE, STAGE_FILES_SQL } from './fast-sql';
import { MAX_LINE_BYTES } from './rows';

/**
 * The fast path: regular CloudTrail log files are read by DuckDB itself, in
 * batches, into a staging table (see fast-sql.ts). Everything irregular is
 * refused, whole file at a time, and goes the Node path, which reads any
 * input and reports bad parts precisely: a file DuckDB cannot read (cut,
 * not JSON, a lone UTF-16 surrogate, too large), a file that is more than
 * one JSON value, and a file with any record that is not regular.
 */
export interface FastFile {
  /** The file's number in this ingest. */
  index: number;
  path: string;
  bytes: number;
}

/** How the loader runs statements (with its out-of-memory retry). */
export interface StatementRunner {
  run(statement: string, params?: DuckDBValue[]): Promise<unknown>;
  rows(statement: string): Promise<DuckDBValue[][]>;
}

const FAST_NAME = /\.json(\.gz)?$/i;
const LOG_FILE_START = /^[\t\n\r ]*\{[\t\n\r ]*"Records"[\t\n\r ]*:[\t\n\r ]*\[/;
const HEAD_BYTES = 4096;

/** The first characters of a file, gunzipped if it is gzip; empty when they cannot be read. */
async function headText(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return head.toString('utf8');
    // A prefix of a gzip stream: a sync flush gives back what it decodes to.
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return '';
  } finally {
    await fh.close();
  }
}

/** A file for the fast path: named like a log file (not JSON Lines, not a digest) and starting like one: {"Records":[. */
export async function isFastCandidate(path: string, bytes: number): Promise<boolean> {
  if (!FAST_NAME.test(path) || isDigestPath(path)) return false;
  if (!/\.gz$/i.test(path) && bytes > MAX_LINE_BYTES) return false;
  try {
    return LOG_FILE_START.test(await headText(path));
  } catch {
    return false;
  }
}

/** Files checked at once (each check opens the file). */
const CHECKS_AT_ONCE = 32;

/** isFastCandidate of each file, in order. */
export async function fastCandidates(files: ReadonlyArray<{ path: string; bytes: number }>): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < files.length; i += CHECKS_AT_ONCE) {
    out.push(...(await Promise.all(files.slice(i, i + CHECKS_AT_ONCE).map((f) => isFastCandidate(f.path, f.bytes)))));
  }
  return out;
}

export interface StagedFile {
  file: FastFile;
  records: number;
}

export interface StageResult {
  /** Files whose records are in the staging table, in file order. */
  staged: StagedFile[];
  /** Files for the Node path, in file order. */
  refused: FastFile[];
}

/** The file a DuckDB error names, if it names one of these. */
function namedIn(err: unknown, files: readonly FastFile[]): FastFile | undefined {
  const text = err instanceof Error ? err.message : String(err);
  return files.find((f) => text.includes(`"${f.path}"`));
}

/**
 * Stages a group of files with one statement. If it fails, the file the
 * error names is refused and the rest retried; if it names none, the group
 * is halved; a file that fails alone is refused. Each statement is atomic:
 * a failed one staged nothing.
 */
async function stageGroup(db: StatementRunner, files: readonly FastFile[], refused: FastFile[]): Promise<void> {
  if (files.length === 0) return;
  try {
    await db.run(STAGE_FILES_SQL, [listValue(files.map((f) => f.path)), listValue(files.map((f) => f.index))]);
  } catch (err) {
    if (files.length === 1) {
      refused.push(files[0]);
      return;
    }
    const named = namedIn(err, files);
    if (named) {
      refused.push(named);
      await stageGroup(db, files.filter((f) => f !== named), refused);
      return;
    }
    const half = files.length >> 1;
    await stageGroup(db, files.slice(0, half), refused);
    await stageGroup(db, files.slice(half), refused);
  }
}

/**
 * Stages the files (one batch) into FAST_STAGE, replacing what it held.
 * Afterwards the table holds the records of the staged files only.
 */
export async function stageFiles(db: StatementRunner, files: readonly FastFile[]): Promise<StageResult> {
  await db.run(CREATE_FAST_STAGE);
  const refused: FastFile[] = [];
  await stageGroup(db, files, refused);
  const seen = new Map<number, { records: number; ok: boolean }>();
  for (const [f, records, ok] of await db.rows(FAST_FILES_SQL)) seen.set(Number(f), { records: Number(records), ok: ok === true });
  const staged: StagedFile[] = [];
  const dropped: number[] = [];
  const refusedSet = new Set(refused);
  for (const file of files) {
    if (refusedSet.has(file)) continue;
    const s = seen.get(file.index);
    if (s?.ok) {
      staged.push({ file, records: s.records });
      continue;
    }
    refused.push(file);
    if (s) dropped.push(file.index);
  }
  await db.run(
    dropped.length > 0 ? `DELETE FROM ${FAST_STAGE} WHERE p < 0 OR list_contains($1::INTEGER[], f)` : `DELETE FROM ${FAST_STAGE} WHERE p < 0`,
    dropped.length > 0 ? [listValue(dropped)] : [],
  );
  refused.sort((a, b) => a.index - b.index);
  return { staged, refused };
}
