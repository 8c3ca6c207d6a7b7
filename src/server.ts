import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { FastifyInstance } from 'fastify';
import { apiSchema } from '../resolvers/schema';
import { Clock, systemClock } from './clock';
import { Config, queryLimitsOf } from './config';
import { Context, contextForCaller } from './context';
import { costPlugin } from './graphql/cost-plugin';
import { dataRangePlugin } from './graphql/data-range-plugin';
import { graphiqlPlugin } from './graphiql/plugin';
import { dashboardPlugin } from './dashboard/plugin';
import { explorerLandingPage } from './graphiql/landing-page';
import { formatError } from './graphql/format-error';
import { jitGateway } from './graphql/jit-executor';
import { knownOperationTypesRule, requestChecksPlugin } from './graphql/request-checks';
import { limitsRule, parseOptionsOf } from './graphql/limits';
import { cappedStringify, inputLimitsPlugin } from './graphql/guard-plugin';
import { SqlEngine } from './history/engine';
import { createEngine } from './history/engine-factory';
import { HistoryStore } from './history/store';
import { Authz, assertSafeListen, createAuthz } from './authz';
import { callerOf, registerAuthentication } from './authz/fastify';
import { knownAccountsOf } from './history/accounts';
import { StoreChanges } from './history/changes';
import { Operations, registerOperations } from './operations';
import { EventSubscriptions, registerGraphqlRoutes, subscriptionHandler } from './subscriptions';
import { RuleCatalog } from './detections/catalog';
import { loggerOptions } from './hardening/log-redaction';
import { registerTransportHardening } from './hardening/transport';

export interface AppDeps {
  /** The history engine; by default the one the config names (embedded DuckDB at config.db, or Athena). The app closes it. */
  engine?: SqlEngine;
  /** Fastify's logger option (tests pass false). */
  logger?: boolean | object;
  /** authz: authentication and authorization; by default built from config. The app closes it. */
  authz?: Authz;
  /** False: no access audit and no request metrics (the bench's baseline); default true. */
  audit?: boolean;
  /** Told by whatever writes the store after each committed batch (notify()); subscriptions read what is new. Default: a new one, at app.trailgraph.changes. */
  changes?: StoreChanges;
  /** On Athena: the embedded store `trailgraph verify` recorded log file verdicts into (docs/integrity.md). The app closes it. */
  integrityEvidence?: SqlEngine;
  /** Where "now" is read (default history windows, saved investigations' relative instants); the real clock by default. */
  clock?: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    trailgraph: {
      config: Config;
      store: HistoryStore;
      changes: StoreChanges;
      subscriptions: EventSubscriptions;
      /** Metrics, the access audit and budgets (src/operations). */
      operations: Operations;
      /** Aborts every request in flight (shutdown, after the grace period). */
      abortInFlight: () => void;
    };
  }
}

/**
 * Builds the HTTP app: POST /graphql (and GET for queries), /healthz, /readyz. It does
 * not listen; src/cli/serve.ts does. Tests drive it with app.inject.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const clock = deps.clock ?? systemClock;
  // Logged requests carry no credential of a query string (src/hardening/log-redaction.ts).
  const app = Fastify({ logger: loggerOptions(deps.logger, config.logLevel), bodyLimit: 1_048_576 });
  const engine = deps.engine ?? (await createEngine(config, app.log));
  const store = new HistoryStore(engine);
  const changes = deps.changes ?? new StoreChanges();
  const evidence = deps.integrityEvidence ? new HistoryStore(deps.integrityEvidence) : undefined;
  // Detection rules: the built-in pack and each --rules folder, compiled once (src/detections).
  const detections = RuleCatalog.load(config.rules);
  // authz: refuse to serve without credentials off loopback; authenticate every /graphql request (401 before Apollo).
  assertSafeListen(config, app.log);
  const authz = deps.authz ?? (await createAuthz(config, { log: app.log, knownAccounts: knownAccountsOf(config.accounts, store) }));
  // Health, readiness, metrics, the access audit and budgets (src/operations).
  const operations = registerOperations(app, config, engine, authz, { audit: deps.audit });
  const inFlight = new Set<AbortController>();
  registerTransportHardening(app); // preflights answered, nosniff and no-store (src/hardening/transport.ts)
  registerAuthentication(app, authz);
  // New events may bring new accounts: decide over them at once rather than after the known accounts' TTL.
  // (Listening before the subscriptions do, so a batch's subscribers are decided over the new list.)
  const forgetAccounts = changes.listen(() => authz.authorizer?.knownAccounts.invalidate());
  const subscriptions = new EventSubscriptions(store, changes, config, app.log);
  app.decorate('trailgraph', { config, store, changes, subscriptions, operations, abortInFlight: () => inFlight.forEach((c) => c.abort()) });

  const apollo = new ApolloServer<Context>({
    // graphql-jit runs each operation, compiled once (src/graphql/jit-executor.ts).
    gateway: jitGateway(await apiSchema()),
    // Limits before anything runs (src/graphql/limits.ts): tokens while parsing, then cost, then input sizes.
    parseOptions: parseOptionsOf(queryLimitsOf(config)),
    validationRules: [limitsRule(queryLimitsOf(config)), knownOperationTypesRule],
    formatError: formatError(app.log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Shutdown is ours (src/operations/shutdown.ts): Apollo's own handlers would stop it and re-raise the signal, ending the process before in-flight requests finish.
    stopOnTerminationSignals: false,
    // Compact JSON: Apollo's default indents every response (a page of events is a third larger, and slower to write).
    // Capped: an answer past config.maxResponseBytes is RESPONSE_TOO_LARGE (src/graphql/guard-plugin.ts).
    stringifyResult: cappedStringify(config.maxResponseBytes, app.log),
    // Apollo's default cache-control plugin wraps every field resolver to collect hints we never send:
    // on a page of events that is hundreds of calls per request for nothing.
    plugins: [
      fastifyApolloDrainPlugin(app),
      inputLimitsPlugin(queryLimitsOf(config)),
      dataRangePlugin(),
      costPlugin(app.log),
      operations.plugin,
      ApolloServerPluginCacheControlDisabled(),
      explorerLandingPage(),
      requestChecksPlugin(),
    ],
  });
  await apollo.start();

  await app.register(graphiqlPlugin, { clock }); // GET /graphiql: the explorer and its assets (src/graphiql)
  await app.register(dashboardPlugin({ maxSpanDays: config.maxSpanDays, defaultWindowDays: config.defaultWindowDays })); // GET /dashboard (src/dashboard)
  const graphql = fastifyApolloHandler(apollo, {
    context: async (request, reply) => {
      // Stop history statements when the client goes away before the answer. (writableEnded, not
      // writableFinished: an answer already handed over has nothing left to stop, and app.inject's
      // response reports close before it counts as finished, which made every injected request abort.)
      const controller = new AbortController();
      inFlight.add(controller);
      reply.raw.once('close', () => {
        inFlight.delete(controller);
        if (!reply.raw.writableEnded) controller.abort();
      });
      // authz: the accounts the caller may read go into every history statement's WHERE.
      const caller = callerOf(request, authz);
      // What it may filter, group or derive by (network details, payloads) is part of the scope too (contextForCaller).
      return contextForCaller({ config, store, authz, caller, signal: controller.signal, budget: operations.budgets?.forCaller(caller) ?? null, accessLog: operations.accessLogOptions, evidence, detections, clock });
    },
  });
  // POST/GET /graphql for queries, and the WebSocket upgrade of GET /graphql for subscriptions (src/subscriptions).
  const schema = await apiSchema();
  await registerGraphqlRoutes(app, graphql, subscriptionHandler({ schema, config, store, authz, subscriptions, log: app.log, detections, clock }));
  app.addHook('onClose', async () => {
    forgetAccounts();
    await subscriptions.close();
    await engine.close();
    await deps.integrityEvidence?.close();
    await authz.close();
  });
  return app;
}
