import '../src/production-mode';
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { demoDataset } from './dataset';
import { eventsBench } from './events';
import { HttpTarget, RecordingEngine, table } from './harness';
import { BenchRow } from './types';

/**
 * `npm run bench [-- --events N] [--reuse-store] [--db STORE] [--only AREA,...] [--load-seconds N] [--sources-events N] [--sources-follow-seconds S] [--ingest-events N] [--ingest-pairs N]` (areas: benchAreas below):
 * generates the demo dataset, ingests it in a child process (events/s, peak
 * RSS), then times the API over real HTTP beside the same SQL run directly on
 * the engine. Prints a table; writes it to .bench/latest.md. `--db` times an
 * existing store instead (no dataset, no ingest); `--only` picks areas.
 * `--scale [--scale-sizes ...] [--data-root DIR]` runs the growth bench instead (bench/scale.ts).
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--scale')) return runScale(argv);
  const flag = (name: string, dflt: number): number => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const events = flag('--events', 1_000_000);
  const root = join(__dirname, '..', '..', '.bench');
  mkdirSync(root, { recursive: true });
  const now = new Date();
  const lines: string[] = [];
  const say = (s: string) => {
    console.log(s);
    lines.push(s);
  };

  const given = (() => {
    const i = argv.indexOf('--db');
    return i >= 0 ? argv[i + 1] : undefined;
  })();
  const db = given ?? join(root, 'bench.duckdb');
  if (given === undefined) await ingestDemo(root, db, events, argv.includes('--reuse-store'), now, say);
  else say(`store: ${given} (given; no dataset, no ingest)`);

  const engine = await DuckDbEngine.open(db);
  const recorder = new RecordingEngine(engine);
  const { config } = loadConfig([], {}, { db, logLevel: 'warn', maxSpanDays: 90 });
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const target: HttpTarget = { url, app, recorder };
  const rows: BenchRow[] = [];
  // Each area prints its rows as soon as it has them; one failing area does not lose the others.
  const only = (() => {
    const i = argv.indexOf('--only');
    return i >= 0 ? new Set(argv[i + 1].split(',')) : null;
  })();
  const benches = (await benchAreas()).filter((b) => only === null || only.has(AREA_OF.get(b) ?? ''));
  for (const bench of benches) {
    try {
      const got = await bench(target, engine, now);
      rows.push(...got);
      console.log(table(got));
    } catch (err) {
      say(`bench ${bench.name} failed: ${String(err)}`);
    }
  }
  await app.close();

  say('');
  say(table(rows));
  writeFileSync(join(root, 'latest.md'), lines.join('\n') + '\n');
}

/** `--scale`: the growth bench (bench/scale.ts), on its own stores; a flag mistake is one line. */
async function runScale(argv: readonly string[]): Promise<void> {
  const { scaleBench, isScaleUsageError } = await import('./scale');
  try {
    await scaleBench(argv);
  } catch (err) {
    if (!isScaleUsageError(err)) throw err;
    console.error(`bench --scale: ${err.message}`);
    process.exitCode = 2;
  }
}

type Bench = (target: HttpTarget, engine: DuckDbEngine, now: Date) => Promise<BenchRow[]>;

/** Each bench's area name, for `--only events,graph`. */
const AREA_OF = new Map<Bench, string>();

/** Generates (or reuses) the demo dataset and ingests it into `db` in a child process, printing events/s and peak RSS. */
async function ingestDemo(root: string, db: string, events: number, reuseStore: boolean, now: Date, say: (s: string) => void): Promise<void> {
  const data = await demoDataset(root, events, 42, now);
  say(`dataset: ${data.events} demo events in ${data.files} files${data.generateMs ? `, generated in ${(data.generateMs / 1000).toFixed(1)} s` : ' (reused)'}`);
  const reuse = reuseStore && existsSync(db);
  if (!reuse) {
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
  const out = reuse ? JSON.stringify({ records: 0, stored: 0, ms: 1, maxRssMiB: 0 }) : execFileSync(process.execPath, [join(__dirname, 'ingest-child.js'), data.dir, db], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ingest = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { records: number; stored: number; ms: number; maxRssMiB: number };
  const rate = ingest.records / (ingest.ms / 1000);
  say('');
  say('| ingest | value | target |');
  say('| --- | ---: | --- |');
  say(`| records | ${ingest.records} | |`);
  say(`| stored | ${ingest.stored} | |`);
  say(`| seconds | ${(ingest.ms / 1000).toFixed(2)} | |`);
  say(`| events/s | ${Math.round(rate)} | ≥ 100,000 |`);
  say(`| peak RSS MiB | ${ingest.maxRssMiB.toFixed(0)} | < 1024 |`);
}

/** The benches of every area, each in its own module, in the order they run. */
async function benchAreas(): Promise<Bench[]> {
  const areas: Array<[string, Bench]> = [
    ['events', eventsBench],
    ['graph', (await import('./graph')).graphBench],
    ['authz', (await import('./authz')).authzBench],
    ['stats', (await import('./stats')).statsBench],
    ['athena', (await import('../test/athena-emulator/bench')).athenaBench],
    ['parquet', (await import('../test/athena-emulator/parquet-bench')).parquetBench],
    ['operations', (await import('./operations')).operationsBench],
    ['sources', (await import('./sources')).sourcesBench],
    ['integrity', (await import('./integrity')).integrityBench],
    ['detections', (await import('./detections')).detectionsBench],
    ['abuse', (await import('./abuse')).abuseBench],
    ['load', (await import('./load')).loadBench],
    ['export', (await import('./export')).exportBench],
    ['ingest', (await import('./ingest')).ingestBench],
  ];
  for (const [area, bench] of areas) AREA_OF.set(bench, area);
  return areas.map(([, bench]) => bench);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
