import { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorText } from './decode';
import { IngestProblem } from './types';

/**
 * The input files: files named on the command line (whatever their name),
 * and in directories, recursively, the files named like log files
 * (.json, .jsonl, .ndjson, optionally .gz). Sorted by the day in their S3
 * path, then their delivery time, then path, so that rows arrive roughly in
 * day order whatever the account and region folders.
 */
export interface InputFile {
  path: string;
  bytes: number;
}

const LOG_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;
const S3_DAY = /[\\/](\d{4})[\\/](\d{2})[\\/](\d{2})[\\/]/;
const DELIVERY = /_(\d{8}T\d{4}Z)_/;

/** "YYYYMMDD" + "THHmmZ" when the path has them; files without sort first, by path. */
export function orderKey(path: string): string {
  const day = S3_DAY.exec(path);
  const delivered = DELIVERY.exec(basename(path));
  if (delivered) return delivered[1];
  return day ? `${day[1]}${day[2]}${day[3]}` : '';
}

async function walk(dir: string, out: InputFile[], skipped: string[]): Promise<void> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out, skipped);
    else if (e.isFile() && LOG_FILE.test(e.name)) out.push({ path, bytes: (await stat(path)).size });
    else if (e.isFile()) skipped.push(path);
  }
}

/** `skipped`: files in the named folders that are not named like log files (a README, a .tsv), so not read. */
export async function discover(paths: readonly string[]): Promise<{ files: InputFile[]; problems: IngestProblem[]; skipped: string[] }> {
  const files: InputFile[] = [];
  const problems: IngestProblem[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    try {
      const s = await stat(path);
      if (s.isDirectory()) await walk(path, files, skipped);
      else files.push({ path, bytes: s.size });
    } catch (err) {
      problems.push({ path, reason: `cannot read: ${errorText(err)}` });
    }
  }
  const keyed = files.map((f) => ({ f, key: orderKey(f.path) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.f.path < b.f.path ? -1 : a.f.path > b.f.path ? 1 : 0));
  const seen = new Set<string>();
  return { files: keyed.map((k) => k.f).filter((f) => !seen.has(f.path) && seen.add(f.path)), problems, skipped: skipped.sort() };
}
