import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dataset, demoDataset } from './dataset';
import { ScaleCase, ScaleResult } from './scale-child';

/**
 * `npm run bench -- --scale [--scale-sizes 1000000,3000000,10000000]
 * [--data-root DIR] [--reuse-store] [--scale-runs N]`: for each size, the
 * demo dataset (the same 30 days, denser), its store `scale-N.duckdb` under
 * the data root (ingested by bench/ingest-child.ts unless --reuse-store
 * finds it), then the cases served from that store by a child process of
 * its own (bench/scale-child.ts). One table: a row per case, columns per
 * size, the growth from the first size to the last and the verdict against
 * the issue's targets. Written to .bench/scale.md too.
 */

const GiB = 1024 ** 3;

export interface SizeRun {
  size: number;
  result: ScaleResult;
  /** Seconds of each stage: generating the dataset (null when reused), ingest (null when the store was reused), the child's cases. */
  generateS: number | null;
  ingestS: number | null;
  casesS: number;
}

/** The argument after `name`, or a one-line error naming the flag. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new ScaleUsageError(`${name} needs a value`);
  return v;
}

class ScaleUsageError extends Error {}

/**
 * The dataset of `size` under `root`: today's if complete, else the newest
 * complete one of that size (a day's generation reused the next day), else
 * generated. A folder without its marker is being generated (or was cut
 * short): it is never removed from under its writer, the run stops instead.
 */
async function dataset(root: string, size: number, now: Date): Promise<Dataset> {
  const prefix = `demo-${size}-42-`;
  const dirs = existsSync(root) ? readdirSync(root).filter((d) => d.startsWith(prefix)).sort() : [];
  const today = `${prefix}${now.toISOString().slice(0, 10)}`;
  const complete = dirs.filter((d) => existsSync(join(root, d, 'dataset.json')));
  const incomplete = dirs.includes(today) && !complete.includes(today);
  if (incomplete) throw new ScaleUsageError(`dataset ${join(root, today)} is incomplete (still being generated?): wait for it or remove it`);
  const chosen = complete.includes(today) ? today : complete.at(-1);
  // demoDataset finds a dataset by its day; a reused one's events are read from the store, whatever its day.
  return demoDataset(root, size, 42, chosen ? new Date(`${chosen.slice(prefix.length)}T00:00:00Z`) : now);
}

/** Ingests the dataset into `scale-N.duckdb` in bench/ingest-child.ts (or reuses the store); seconds, or null when reused. */
function store(root: string, data: Dataset, size: number, reuse: boolean): { db: string; ingestS: number | null; note: string } {
  const db = join(root, `scale-${size}.duckdb`);
  if (reuse && existsSync(db)) return { db, ingestS: null, note: 'store reused' };
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [join(__dirname, 'ingest-child.js'), data.dir, db], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  const ingestS = (performance.now() - t0) / 1000;
  const got = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { records: number; ms: number; maxRssMiB: number };
  return { db, ingestS, note: `store ingested in ${ingestS.toFixed(1)} s (${Math.round(got.records / (got.ms / 1000))} events/s, peak RSS ${got.maxRssMiB.toFixed(0)} MiB)` };
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const growth = (a: number, b: number) => (a > 0 ? b / a : NaN);

/** The target of a case (by its name) and whether a growth meets it; sizes' ratio for "linear". */
function verdict(first: ScaleCase, last: ScaleCase, sizeRatio: number): string {
  const c = first;
  const timeG = growth(first.p50, last.p50);
  const rowsG = growth(first.rowsRead, last.rowsRead);
  const within = (limit: number, label: string) => {
    const misses = [timeG > limit ? 'p50' : '', rowsG > limit ? 'rows read' : ''].filter(Boolean);
    return `${label}: ${misses.length ? `MISS (${misses.join(', ')})` : 'pass'}`;
  };
  if (c.name.startsWith('events ') && !c.name.includes('auth')) return within(2, '≤ 2x');
  if (c.name.startsWith('graph: one session')) return within(2, '≤ 2x');
  if (c.name.startsWith('graph: principal') || c.name.startsWith('eventStats')) return within(sizeRatio, `≤ linear (${sizeRatio.toFixed(1)}x)`);
  if (c.name.startsWith('graph: depth-4')) return `≤ 5 statements: ${last.statements <= 5 ? 'pass' : 'MISS'}`;
  return '';
}

/** For the auth-on row: auth on / off p50 at each size (the authz bench's target: ≤ 1.1x). */
function authNote(per: readonly ScaleCase[], runs: readonly SizeRun[]): string {
  if (!per[0].name.endsWith('auth on')) return '';
  const ratios = runs.map((r, i) => {
    const off = r.result.cases.find((c) => c.name.endsWith('auth off'));
    return off ? `${(per[i].p50 / off.p50).toFixed(2)}x` : '?';
  });
  return `auth on / off p50 (≤ 1.1x): ${ratios.join(', ')}`;
}

/** The Markdown table: a row per case, per size p50/p95/statements/rows read, the growth first -> last and the verdict. */
export function scaleTable(runs: readonly SizeRun[]): string {
  const sizes = runs.map((r) => r.size.toLocaleString('en-US'));
  const head = ['case', ...sizes.flatMap((s) => [`${s} p50 ms`, `${s} p95 ms`, `${s} stmts`, `${s} rows read`]), `growth ${sizes[0]} → ${sizes.at(-1)} (p50, rows read)`, 'target: verdict'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 || i >= head.length - 1 ? '---' : '---:')).join(' | ')} |`];
  const first = runs[0];
  const last = runs[runs.length - 1];
  const sizeRatio = last.size / first.size;
  first.result.cases.forEach((c, i) => {
    const per = runs.map((r) => r.result.cases[i]);
    const l = per[per.length - 1];
    const cells = per.flatMap((x) => [ms(x.p50), ms(x.p95), String(x.statements), String(x.rowsRead)]);
    const g = `${growth(c.p50, l.p50).toFixed(2)}x, ${growth(c.rowsRead, l.rowsRead).toFixed(2)}x`;
    lines.push(`| ${c.name} | ${cells.join(' | ')} | ${g} | ${verdict(c, l, sizeRatio) || authNote(per, runs)} |`);
  });
  const blank = (v: (r: SizeRun) => string) => runs.flatMap((r) => [v(r), '', '', '']);
  // The server's peak while serving the cases (the whole process's peak also holds the bench's set-up look-ups).
  const serving = (r: SizeRun) => r.result.servingPeakRssMiB ?? r.result.maxRssMiB;
  const rss = serving(last) * 1024 * 1024;
  lines.push(`| store size MiB | ${blank((r) => (r.result.storeBytes / 1024 ** 2).toFixed(0)).join(' | ')} | ${growth(first.result.storeBytes, last.result.storeBytes).toFixed(2)}x | |`);
  lines.push(`| server peak RSS MiB while serving (whole process with set-up; at the end; DuckDB's part) | ${blank((r) => `${serving(r).toFixed(0)} (${r.result.maxRssMiB.toFixed(0)}; ${r.result.endRssMiB.toFixed(0)}; ${r.result.duckdbMiB.toFixed(0)})`).join(' | ')} | ${growth(serving(first), serving(last)).toFixed(2)}x | < 1.5 GiB at the largest: ${rss < 1.5 * GiB ? 'pass' : 'MISS'} |`);
  lines.push(`| stage seconds: generate / ingest / cases | ${blank((r) => `${r.generateS === null ? 'reused' : r.generateS.toFixed(0)} / ${r.ingestS === null ? 'reused' : r.ingestS.toFixed(0)} / ${r.casesS.toFixed(0)}`).join(' | ')} | | |`);
  return lines.join('\n');
}

export async function scaleBench(argv: readonly string[]): Promise<void> {
  const sizes = (flagValue(argv, '--scale-sizes') ?? '1000000,3000000,10000000').split(',').map(Number);
  if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new ScaleUsageError('--scale-sizes needs two or more whole numbers of events, each at least 1000, e.g. 1000000,3000000,10000000');
  const runsText = flagValue(argv, '--scale-runs') ?? '30';
  const caseRuns = Number(runsText);
  if (!Number.isInteger(caseRuns) || caseRuns < 1) throw new ScaleUsageError('--scale-runs needs a whole number of runs, at least 1');
  const benchDir = join(__dirname, '..', '..', '.bench');
  const root = flagValue(argv, '--data-root') ?? benchDir;
  mkdirSync(root, { recursive: true });
  const reuse = argv.includes('--reuse-store');
  const now = new Date();
  const runs: SizeRun[] = [];
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const data = await dataset(root, size, now);
    const { db, ingestS, note } = store(root, data, size, reuse);
    const t0 = performance.now();
    const out = execFileSync(process.execPath, [join(__dirname, 'scale-child.js'), db, String(caseRuns)], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ScaleResult;
    const run: SizeRun = { size, result, generateS: data.generateMs === null ? null : data.generateMs / 1000, ingestS, casesS: (performance.now() - t0) / 1000 };
    runs.push(run);
    console.log(`scale ${size}: dataset ${data.generateMs === null ? 'reused' : `generated in ${run.generateS?.toFixed(1)} s`}, ${note}, cases in ${run.casesS.toFixed(1)} s`);
  }
  const text = `Scale: ${sizes.join(', ')} demo events (30 days), stores under ${root}, ${caseRuns} timed runs per case\n\n${scaleTable(runs)}\n`;
  console.log(`\n${text}`);
  mkdirSync(benchDir, { recursive: true });
  writeFileSync(join(benchDir, 'scale.md'), text);
}

/** A CLI mistake is one line naming the flag; anything else is the bench's own failure. */
export function isScaleUsageError(err: unknown): err is Error {
  return err instanceof ScaleUsageError;
}
