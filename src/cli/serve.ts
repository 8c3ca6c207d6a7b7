import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config, loadConfig } from '../config';
import { generateDemo } from '../demo';
import { DuckDbEngine } from '../history/duckdb/engine';
import { countEvents, ingestPaths } from '../ingest';
import { buildApp } from '../server';
import { verifyDemoTree } from '../integrity/demo-verify';

async function listen(config: Config, engine?: DuckDbEngine): Promise<number> {
  // On Athena, log file verdicts come from the embedded store `trailgraph verify` recorded them into, when there is one.
  const integrityEvidence = config.engine === 'athena' && existsSync(config.db) ? await DuckDbEngine.open(config.db) : undefined;
  const app = await buildApp(config, { engine, integrityEvidence });
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`trailgraph is serving ${config.engine === 'duckdb' ? config.db : 'Athena'}`);
  console.log(`  GraphQL:  ${address}/graphql`);
  console.log(`  GraphiQL: ${address}/graphiql`);
  const stop = () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

/** `trailgraph serve`: serve what the store holds. */
export async function serve(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = loadConfig(args, env);
  return listen(config);
}

/** `trailgraph start` (npm start): on an empty embedded store, first generate and ingest demo data. */
export async function start(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = loadConfig(args, env);
  if (config.engine !== 'duckdb') return listen(config);
  const engine = await DuckDbEngine.open(config.db);
  if ((await countEvents(engine)) === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'trailgraph-demo-'));
    try {
      console.log(`The store ${config.db} is empty: generating ${config.demoEvents} demo events...`);
      const demo = await generateDemo({ events: config.demoEvents, out: dir });
      const summary = await ingestPaths(engine, [dir]);
      console.log(`Ingested ${summary.stored} demo events from ${demo.files} files.`);
      const checked = await verifyDemoTree(engine, dir);
      console.log(`Verified ${checked.digests.length} digest files and ${checked.logFiles.length} log files: ${checked.failed ? 'some INVALID' : 'all valid'}.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return listen(config, engine);
}
