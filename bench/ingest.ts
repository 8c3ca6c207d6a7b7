import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INGEST_STEPS } from '../src/ingest';
import { demoDataset } from './dataset';
import { BenchRow } from './types';

/**
 * Ingest at the machine's limit: `trailgraph ingest` of the demo log files
 * beside DuckDB's own CREATE TABLE AS of the same files (ingest-baseline.ts),
 * each in its own child process into a fresh file-backed store, alternated
 * (A B A B: the machine is shared and noisy), with the median of the pairwise
 * ratios, by wall time and by CPU time (steadier on a shared machine). Then
 * the time of each ingest step (median over the runs).
 * Options: --ingest-events N (default 300,000), --ingest-pairs N (default 3).
 */
function option(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface ChildRun {
  records: number;
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
  steps?: Record<string, number>;
}

function runChild(script: string, args: readonly string[]): ChildRun {
  const out = execFileSync(process.execPath, [join(__dirname, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildRun;
}

/** The CloudTrail log files of the dataset (not its digest files, not its key listings). */
function logFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /[\\/]CloudTrail[\\/]/.test(join(e.parentPath, e.name)) && /\.json(\.gz)?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export async function ingestBench(_target: unknown, _engine: unknown, now: Date): Promise<BenchRow[]> {
  const events = option('--ingest-events', 300_000);
  const pairs = Math.max(1, option('--ingest-pairs', 3));
  const data = await demoDataset(join(__dirname, '..', '..', '.bench'), events, 42, now);
  const work = mkdtempSync(join(tmpdir(), 'tg-bench-ingest-'));
  try {
    const list = join(work, 'files.txt');
    writeFileSync(list, logFiles(data.dir).join('\n'));
    const ingests: ChildRun[] = [];
    const baselines: ChildRun[] = [];
    for (let i = 0; i < pairs; i++) {
      ingests.push(runChild('ingest-child.js', [data.dir, join(work, `ingest-${i}.duckdb`)]));
      baselines.push(runChild('ingest-baseline.js', [join(work, `baseline-${i}.duckdb`), list]));
      rmSync(join(work, `ingest-${i}.duckdb`), { force: true });
      rmSync(join(work, `baseline-${i}.duckdb`), { force: true });
    }
    const rate = (r: ChildRun) => r.records / (r.ms / 1000);
    const ratios = ingests.map((r, i) => rate(r) / rate(baselines[i]));
    const cpuRatios = ingests.map((r, i) => baselines[i].cpuMs / r.cpuMs);
    const cpuSeconds = (runs: ChildRun[]) => `${(median(runs.map((r) => r.cpuMs)) / 1000).toFixed(1)} CPU s`;
    const ms = (runs: ChildRun[]) => runs.map((r) => r.ms);
    const rows: BenchRow[] = [
      {
        name: `ingest: trailgraph ingest, ${ingests[0].records} records`,
        p50: median(ms(ingests)), p95: Math.max(...ms(ingests)), target: 'peak RSS < 1024 MiB',
        note: `${Math.round(median(ingests.map(rate)))} records/s; ${cpuSeconds(ingests)}; peak RSS ${Math.round(Math.max(...ingests.map((r) => r.maxRssMiB)))} MiB`,
      },
      {
        name: `ingest baseline: DuckDB CREATE TABLE AS, ${baselines[0].records} records`,
        p50: median(ms(baselines)), p95: Math.max(...ms(baselines)),
        note: `${Math.round(median(baselines.map(rate)))} records/s; ${cpuSeconds(baselines)}; peak RSS ${Math.round(Math.max(...baselines.map((r) => r.maxRssMiB)))} MiB`,
      },
      {
        name: `ingest / baseline (median of ${pairs} alternated pairs)`,
        p50: NaN, p95: NaN, target: '≥ 0.6x',
        note: `${median(ratios).toFixed(2)}x (pairs: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
      },
      {
        name: 'ingest / baseline by CPU time (baseline CPU s / ingest CPU s, median of the pairs)',
        p50: NaN, p95: NaN,
        note: `${median(cpuRatios).toFixed(2)}x (pairs: ${cpuRatios.map((r) => r.toFixed(2)).join(', ')})`,
      },
    ];
    for (const step of INGEST_STEPS) {
      const times = ingests.map((r) => r.steps?.[step] ?? 0);
      rows.push({ name: `ingest step: ${step}`, p50: median(times), p95: Math.max(...times), note: 'summed over batches; median of the runs' });
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
