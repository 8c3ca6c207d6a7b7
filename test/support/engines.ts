import { AthenaEngine } from '../../src/history/athena/engine';
import { EngineLog } from '../../src/history/athena/log';
import { AthenaEngineOptions } from '../../src/history/athena/options';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { SqlEngine } from '../../src/history/engine';
import { AthenaEmulator, EmulatorKnobs } from '../athena-emulator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDestination, compactStore } from '../../src/compact';

/**
 * The history engines over the same data, for suites that run once per
 * engine (describe.each(ENGINE_NAMES)): the embedded DuckDB engine itself,
 * the Athena engine (the real AWS SDK) talking to the Athena emulator
 * that executes on that same DuckDB store (the tables over the JSON logs),
 * and the Athena engine with --athena-format parquet over the emulator's
 * Parquet mode, reading what `trailgraph compact` wrote from that store.
 */
// The SDK warns once per process that its 2027 releases will need Node 22; tests run on 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const ENGINE_NAMES = ['duckdb', 'athena', 'athena-parquet'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface EngineHandle {
  name: EngineName;
  /** Closing it (as buildApp does on app.close) never closes the shared DuckDB store. */
  engine: SqlEngine;
  /** The emulator behind the athena variant (null for duckdb): knobs and what it saw. */
  emulator: AthenaEmulator | null;
  /** Stops the emulator and the client; the DuckDB store stays open for its owner to close. */
  close(): Promise<void>;
}

/** A logger that keeps what it is given, for tests that look at the logs. */
export class MemoryLog implements EngineLog {
  readonly lines: Array<{ level: string; msg: string; obj: object }> = [];
  debug = (obj: object, msg: string) => void this.lines.push({ level: 'debug', msg, obj });
  info = (obj: object, msg: string) => void this.lines.push({ level: 'info', msg, obj });
  warn = (obj: object, msg: string) => void this.lines.push({ level: 'warn', msg, obj });
  error = (obj: object, msg: string) => void this.lines.push({ level: 'error', msg, obj });
  text(): string {
    return this.lines.map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.obj)}`).join('\n');
  }
}

/** Engine options for tests: the emulator's endpoint, fake credentials, short polls and backoff. */
export function testAthenaOptions(endpoint: string, overrides: Partial<AthenaEngineOptions> = {}): AthenaEngineOptions {
  return {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'emulator-secret' },
    workgroup: 'primary',
    database: 'default',
    catalog: 'AwsDataCatalog',
    table: 'cloudtrail',
    outputLocation: 's3://trailgraph-test-results/',
    maxConcurrency: 20,
    statementTimeoutMs: 30_000,
    resultReuseMaxAgeMinutes: 0,
    poll: { initialMs: 1, factor: 2, maxMs: 8 },
    retry: { maxAttempts: 5, baseMs: 1, capMs: 8 },
    pageSize: 1000,
    stopTimeoutMs: 2000,
    log: new MemoryLog(),
    ...overrides,
  };
}

/** The shared store, with a close() that leaves it open. */
export function shared(engine: DuckDbEngine): SqlEngine {
  return { name: engine.name, prefersNarrowStatements: engine.prefersNarrowStatements, partitionDays: engine.partitionDays, query: (statement, options) => engine.query(statement, options), close: async () => undefined };
}

export interface AthenaOver {
  engine: AthenaEngine;
  emulator: AthenaEmulator;
  close(): Promise<void>;
}

/** An Athena engine over an emulator serving `duck`'s data. */
export async function athenaOver(duck: DuckDbEngine, options: { knobs?: Partial<EmulatorKnobs>; engine?: Partial<AthenaEngineOptions> } = {}): Promise<AthenaOver> {
  const emulator = await AthenaEmulator.start(duck, options.knobs);
  const engine = new AthenaEngine(testAthenaOptions(emulator.endpoint, options.engine));
  return {
    engine,
    emulator,
    close: async () => {
      await engine.close();
      await emulator.close();
    },
  };
}

/** An Athena engine (format parquet) over an emulator serving what compact wrote from `duck` into a temporary folder. */
export async function athenaParquetOver(duck: DuckDbEngine, options: { knobs?: Partial<EmulatorKnobs>; engine?: Partial<AthenaEngineOptions> } = {}): Promise<AthenaOver & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trailgraph-parquet-'));
  await compactStore(duck, new LocalDestination(dir));
  const emulator = await AthenaEmulator.startParquet(dir, options.knobs);
  const engine = new AthenaEngine(testAthenaOptions(emulator.endpoint, { format: 'parquet', ...options.engine }));
  return {
    engine,
    emulator,
    dir,
    close: async () => {
      await engine.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openEngine(name: EngineName, duck: DuckDbEngine, athena: Partial<AthenaEngineOptions> = {}): Promise<EngineHandle> {
  switch (name) {
    case 'duckdb':
      return { name, engine: shared(duck), emulator: null, close: async () => undefined };
    case 'athena': {
      const a = await athenaOver(duck, { engine: athena });
      return { name, engine: a.engine, emulator: a.emulator, close: a.close };
    }
    case 'athena-parquet': {
      const a = await athenaParquetOver(duck, { engine: athena });
      return { name, engine: a.engine, emulator: a.emulator, close: a.close };
    }
  }
}

/** Both variants at once, and one teardown for both. */
export async function bothEngines(duck: DuckDbEngine): Promise<{ variants: EngineHandle[]; teardown: () => Promise<void> }> {
  const variants = await Promise.all(ENGINE_NAMES.map((n) => openEngine(n, duck)));
  return { variants, teardown: async () => void (await Promise.all(variants.map((v) => v.close()))) };
}
