import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config, ConfigError } from '../config';
import { generateDemo } from '../demo';
import { DuckDbEngine } from '../history/duckdb/engine';
import { countEvents, ingestPaths } from '../ingest';
import { buildMetricsServer, followMetricsOf, installShutdown } from '../operations';
import { buildApp } from '../server';
import { verifyDemoTree } from '../integrity/demo-verify';
import { FollowVerifier, followVerifyKeys } from '../integrity/follow-verify';
import { PublicKeyFileError } from '../integrity/public-keys';
import { followerFor } from '../sources/follow-config';
import { followList } from '../sources/follow';
import { SourceError } from '../sources/source';
import { runCommand, parseCommandLine } from './command-line';
import { listenFailure, markHeld, openStore } from './store-access';

async function listen(config: Config, given?: DuckDbEngine): Promise<number> {
  // Following sources: this process is the store's one writer, on the engine it serves from.
  const following = followList(config.follow).length > 0;
  if (following && config.engine !== 'duckdb') {
    console.error('trailgraph: --follow: the embedded store (--engine duckdb) only; Athena reads the bucket itself');
    return 2;
  }
  const engine = given ?? (following ? await DuckDbEngine.open(config.db, undefined, config.dbMemoryMb) : undefined);
  // On Athena, log file verdicts come from the embedded store `trailgraph verify` recorded them into, when there is one.
  const integrityEvidence = config.engine === 'athena' && existsSync(config.db) ? await DuckDbEngine.open(config.db) : undefined;
  const app = await buildApp(config, { engine, integrityEvidence });
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
  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    throw listenFailure(err, config.host, config.port);
  }
  // The PID file beside the store tells a second process (ingest) who holds it.
  const release = engine && config.db !== ':memory:' ? markHeld(config.db) : () => undefined;
  console.log(`trailgraph is serving ${config.engine === 'duckdb' ? config.db : 'Athena'}`);
  console.log(`  GraphQL:  ${address}/graphql`);
  console.log(`  GraphiQL: ${address}/graphiql`);
  console.log(`  Dashboard: ${address}/dashboard`);
  if (follower) {
    console.log(`  following ${follower.sources.map((s) => s.uri).join(', ')} every ${config.followIntervalSeconds}s`);
    follower.start();
  }
  // --follow-verify: the followed sources' digests verified each hour (src/integrity/follow-verify.ts).
  let verifier: FollowVerifier | undefined;
  if (follower && engine && config.followVerify) {
    let keys;
    try {
      keys = await followVerifyKeys(config.followVerify);
    } catch (err) {
      if (!(err instanceof PublicKeyFileError)) throw err;
      await follower.stop();
      await app.close();
      throw new ConfigError('--follow-verify', err.message);
    }
    verifier = new FollowVerifier(engine, follower.sources.map((s) => s.uri), keys, { s3: { region: config.s3Region, endpoint: config.s3Endpoint }, log: app.log });
  }
  verifier?.start();
  const metrics = config.metricsPort === 0 ? null : await buildMetricsServer(app.trailgraph.operations.metrics.registry, { token: config.metricsToken || undefined });
  if (metrics) console.log(`  metrics:  ${await metrics.listen({ host: config.metricsHost, port: config.metricsPort })}/metrics`);
  // SIGTERM: the follow batch loading finishes (or, killed, is read again on restart) and no other starts; then the app closes.
  installShutdown(app, {
    graceMs: config.shutdownGraceSeconds * 1000,
    abortInFlight: app.trailgraph.abortInFlight,
    log: app.log,
    before: follower ? async () => {
      await verifier?.stop();
      await follower.stop();
    } : undefined,
    also: metrics ? [metrics] : [],
    after: release,
  });
  return 0;
}

/** `trailgraph serve`: serve what the store holds; a store that does not exist is refused (a mistyped --db serves nothing). */
export function serve(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('serve', args, async () => {
    const { config } = parseCommandLine('serve', args, env);
    if (config.engine !== 'duckdb') return listen(config);
    return listen(config, await openStore(config.db, 'serve', config.dbMemoryMb));
  });
}

/** `trailgraph start` (npm start): on an empty or missing embedded store, first generate and ingest demo data. */
export function start(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('start', args, () => startServing(args, env));
}

async function startServing(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = parseCommandLine('start', args, env);
  if (config.engine !== 'duckdb') return listen(config);
  const engine = await openStore(config.db, 'start', config.dbMemoryMb);
  // A store that follows sources fills from them, not from demo data.
  if (followList(config.follow).length === 0 && (await countEvents(engine)) === 0) {
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
