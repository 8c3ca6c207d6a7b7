import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '../config';
import { generateDemo } from '../demo';
import { DuckDbEngine } from '../history/duckdb/engine';
import { countEvents, ingestPaths } from '../ingest';
import { buildApp } from '../server';
import { runCommand, parseCommandLine } from './command-line';
import { listenFailure, markHeld, openStore } from './store-access';

async function listen(config: Config, engine?: DuckDbEngine): Promise<number> {
  const app = await buildApp(config, { engine });
  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    throw listenFailure(err, config.host, config.port);
  }
  const release = engine && config.db !== ':memory:' ? markHeld(config.db) : () => undefined;
  console.log(`trailgraph is serving ${config.engine === 'duckdb' ? config.db : 'Athena'}`);
  console.log(`  GraphQL:  ${address}/graphql`);
  console.log(`  GraphiQL: ${address}/graphiql`);
  const stop = () => {
    app.close().then(
      () => {
        release();
        process.exit(0);
      },
      () => {
        release();
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

/** `trailgraph serve`: serve what the store holds; a store that does not exist is refused (a mistyped --db serves nothing). */
export function serve(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('serve', args, async () => {
    const { config } = parseCommandLine('serve', args, env);
    if (config.engine !== 'duckdb') return listen(config);
    return listen(config, await openStore(config.db, 'serve'));
  });
}

/** `trailgraph start` (npm start): on an empty or missing embedded store, first generate and ingest demo data. */
export function start(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('start', args, () => startServing(args, env));
}

async function startServing(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = parseCommandLine('start', args, env);
  if (config.engine !== 'duckdb') return listen(config);
  const engine = await openStore(config.db, 'start');
  if ((await countEvents(engine)) === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'trailgraph-demo-'));
    try {
      console.log(`The store ${config.db} is empty: generating ${config.demoEvents} demo events...`);
      const demo = await generateDemo({ events: config.demoEvents, out: dir });
      const summary = await ingestPaths(engine, [dir]);
      console.log(`Ingested ${summary.stored} demo events from ${demo.files} files.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return listen(config, engine);
}
