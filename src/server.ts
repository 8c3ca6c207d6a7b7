import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { FastifyInstance } from 'fastify';
import { apiSchema } from '../resolvers/schema';
import { Config, queryLimitsOf } from './config';
import { Context, createContext } from './context';
import { costPlugin } from './graphql/cost-plugin';
import { graphiqlPlugin } from './graphiql/plugin';
import { explorerLandingPage } from './graphiql/landing-page';
import { formatError } from './graphql/format-error';
import { jitGateway } from './graphql/jit-executor';
import { limitsRule, parseOptionsOf } from './graphql/limits';
import { cappedStringify, inputLimitsPlugin } from './graphql/guard-plugin';
import { SqlEngine } from './history/engine';
import { createEngine } from './history/engine-factory';
import { HistoryStore } from './history/store';
import { Authz, assertSafeListen, createAuthz } from './authz';
import { callerOf, registerAuthentication } from './authz/fastify';
import { requestScopes } from './authz/query-scope';
import { historyAccounts } from './history/accounts';
import { CostMeter } from './history/cost';
import { loggerOptions } from './hardening/log-redaction';
import { registerTransportHardening } from './hardening/transport';

export interface AppDeps {
  /** The history engine; by default the one the config names (embedded DuckDB at config.db, or Athena). The app closes it. */
  engine?: SqlEngine;
  /** Fastify's logger option (tests pass false). */
  logger?: boolean | object;
  /** authz: authentication and authorization; by default built from config. The app closes it. */
  authz?: Authz;
}

declare module 'fastify' {
  interface FastifyInstance {
    trailgraph: { config: Config; store: HistoryStore };
  }
}

/**
 * Builds the HTTP app: POST /graphql (and GET for queries), /healthz. It does
 * not listen; src/cli/serve.ts does. Tests drive it with app.inject.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  // Logged requests carry no credential of a query string (src/hardening/log-redaction.ts).
  const app = Fastify({ logger: loggerOptions(deps.logger, config.logLevel), bodyLimit: 1_048_576 });
  const engine = deps.engine ?? (await createEngine(config, app.log));
  const store = new HistoryStore(engine);
  app.decorate('trailgraph', { config, store });
  // authz: refuse to serve without credentials off loopback; authenticate every /graphql request (401 before Apollo).
  assertSafeListen(config, app.log);
  const authz = deps.authz ?? (await createAuthz(config, { log: app.log, knownAccounts: knownAccountsOf(config, store) }));
  registerTransportHardening(app); // preflights answered, nosniff and no-store (src/hardening/transport.ts)
  registerAuthentication(app, authz);

  const apollo = new ApolloServer<Context>({
    // graphql-jit runs each operation, compiled once (src/graphql/jit-executor.ts).
    gateway: jitGateway(await apiSchema()),
    // Limits before anything runs (src/graphql/limits.ts): tokens while parsing, then cost, then input sizes.
    parseOptions: parseOptionsOf(queryLimitsOf(config)),
    validationRules: [limitsRule(queryLimitsOf(config))],
    formatError: formatError(app.log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Compact JSON: Apollo's default indents every response (a page of events is a third larger, and slower to write).
    // Capped: an answer past config.maxResponseBytes is RESPONSE_TOO_LARGE (src/graphql/guard-plugin.ts).
    stringifyResult: cappedStringify(config.maxResponseBytes, app.log),
    // Apollo's default cache-control plugin wraps every field resolver to collect hints we never send:
    // on a page of events that is hundreds of calls per request for nothing.
    plugins: [fastifyApolloDrainPlugin(app), inputLimitsPlugin(queryLimitsOf(config)), costPlugin(app.log), ApolloServerPluginCacheControlDisabled(), explorerLandingPage()],
  });
  await apollo.start();

  app.get('/healthz', async () => ({ ok: true, engine: engine.name }));
  await app.register(graphiqlPlugin); // GET /graphiql: the explorer and its assets (src/graphiql)
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    context: async (request, reply) => {
      // Stop history statements when the client goes away before the answer. (writableEnded, not
      // writableFinished: an answer already handed over has nothing left to stop, and app.inject's
      // response reports close before it counts as finished, which made every injected request abort.)
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableEnded) controller.abort();
      });
      // authz: the accounts the caller may read go into every history statement's WHERE.
      const cost = new CostMeter();
      const requestAuthz = authz.forRequest(callerOf(request, authz), cost);
      // What it may filter, group or derive by (network details, payloads) is part of the scope too.
      const { scope, sessionScope } = await requestScopes(requestAuthz);
      return createContext({ config, store, signal: controller.signal, scope, sessionScope, cost, authz: requestAuthz });
    },
  });
  app.addHook('onClose', async () => {
    await engine.close();
    await authz.close();
  });
  return app;
}

/** The accounts authorization decides over: configured, or read from the (embedded) history. */
function knownAccountsOf(config: Config, store: HistoryStore): () => Promise<readonly string[]> {
  const listed = config.accounts.split(',').map((a) => a.trim()).filter(Boolean);
  return listed.length ? async () => listed : () => historyAccounts(store);
}
