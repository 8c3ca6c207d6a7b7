import { Config } from '../config';
import { AthenaEngine } from './athena/engine';
import { EngineLog } from './athena/log';
import { athenaOptionsFromConfig } from './athena/options';
import { DuckDbEngine } from './duckdb/engine';
import { SqlEngine } from './engine';

/** The history engine the config asks for: embedded DuckDB at config.db, or Athena. */
export async function createEngine(config: Config, log?: EngineLog): Promise<SqlEngine> {
  switch (config.engine) {
    case 'duckdb':
      return DuckDbEngine.open(config.db, undefined, config.dbMemoryMb);
    case 'athena':
      return new AthenaEngine(athenaOptionsFromConfig(config, log));
  }
}
