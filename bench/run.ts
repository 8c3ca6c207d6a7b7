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
 * `npm run bench [-- --events N] [--reuse-store]`: generates the demo dataset, ingests it in a
 * child process (events/s, peak RSS), then times the API over real HTTP beside
 * the same SQL run directly on the engine. Prints a table; writes it to
 * .bench/latest.md.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string, dflt: number) => {
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

  const data = await demoDataset(root, events, 42, now);
  say(`dataset: ${data.events} demo events in ${data.files} files${data.generateMs ? `, generated in ${(data.generateMs / 1000).toFixed(1)} s` : ' (reused)'}`);

  const db = join(root, 'bench.duckdb');
  const reuse = argv.includes('--reuse-store') && existsSync(db);
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

  const engine = await DuckDbEngine.open(db);
  const recorder = new RecordingEngine(engine);
  const { config } = loadConfig([], {}, { db, logLevel: 'warn', maxSpanDays: 90 });
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const target: HttpTarget = { url, app, recorder };
  const rows: BenchRow[] = [];
  // Each area prints its rows as soon as it has them; one failing area does not lose the others.
  for (const bench of [eventsBench, ...(await extraBenches())]) {
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

type Bench = (target: HttpTarget, engine: DuckDbEngine, now: Date) => Promise<BenchRow[]>;

/** The benches of the other areas (graph, stats, authz, athena), each in its own module. */
async function extraBenches(): Promise<Bench[]> {
  return [(await import('./graph')).graphBench, (await import('./authz')).authzBench, (await import('./stats')).statsBench, (await import('../test/athena-emulator/bench')).athenaBench];
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
