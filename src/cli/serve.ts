import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config, loadConfig } from '../config';
import { generateDemo } from '../demo';
import { DuckDbEngine } from '../history/duckdb/engine';
import { countEvents, ingestPaths } from '../ingest';
import { buildMetricsServer, followMetricsOf, installShutdown } from '../operations';
import { buildApp } from '../server';
import { followerFor } from '../sources/follow-config';
import { followList } from '../sources/follow';
import { SourceError } from '../sources/source';

async function listen(config: Config, given?: DuckDbEngine): Promise<number> {
  // Following sources: this process is the store's one writer, on the engine it serves from.
  const following = followList(config.follow).length > 0;
  if (following && config.engine !== 'duckdb') {
    console.error('trailgraph: --follow: the embedded store (--engine duckdb) only; Athena reads the bucket itself');
    return 2;
  }
  const engine = given ?? (following ? await DuckDbEngine.open(config.db) : undefined);
  const app = await buildApp(config, { engine });
  const followMetrics = followMetricsOf(app.trailgraph.operations.metrics);
  let follower;
  try {
    follower = engine
      ? followerFor(config, engine, {
        log: app.log,
        onCommitted: (b) => {
          app.log.info({ source: b.source, objects: b.objects, stored: b.stored, lagMs: b.lagMs }, 'follow: batch committed');
          followMetrics.committed(b);
          // Subscribers read what the batch added.
          app.trailgraph.changes.notify();
        },
        onPolled: (p) => followMetrics.polled(p),
      })
      : undefined;
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    console.error(`trailgraph: --follow: ${err.message}`);
    await app.close();
    return 2;
  }
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`trailgraph is serving ${config.engine === 'duckdb' ? config.db : 'Athena'}`);
  console.log(`  GraphQL:  ${address}/graphql`);
  console.log(`  GraphiQL: ${address}/graphiql`);
  if (follower) {
    console.log(`  following ${follower.sources.map((s) => s.uri).join(', ')} every ${config.followIntervalSeconds}s`);
    follower.start();
  }
  const metrics = config.metricsPort === 0 ? null : await buildMetricsServer(app.trailgraph.operations.metrics.registry, { token: config.metricsToken || undefined });
  if (metrics) console.log(`  metrics:  ${await metrics.listen({ host: config.metricsHost, port: config.metricsPort })}/metrics`);
  // SIGTERM: the follow batch loading finishes (or, killed, is read again on restart) and no other starts; then the app closes.
  installShutdown(app, {
    graceMs: config.shutdownGraceSeconds * 1000,
    abortInFlight: app.trailgraph.abortInFlight,
    log: app.log,
    before: follower ? () => follower.stop() : undefined,
    also: metrics ? [metrics] : [],
  });
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
  // A store that follows sources fills from them, not from demo data.
  if (followList(config.follow).length === 0 && (await countEvents(engine)) === 0) {
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
