import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { FastifyInstance } from 'fastify';
import { apiSchema } from '../resolvers/schema';
import { Config } from './config';
import { Context, createContext } from './context';
import { costPlugin } from './graphql/cost-plugin';
import { formatError } from './graphql/format-error';
import { DEFAULT_LIMITS, limitsRule } from './graphql/limits';
import { SqlEngine } from './history/engine';
import { DuckDbEngine } from './history/duckdb/engine';
import { HistoryStore } from './history/store';

export interface AppDeps {
  /** The history engine; by default the embedded DuckDB store at config.db. The app closes it. */
  engine?: SqlEngine;
  /** Fastify's logger option (tests pass false). */
  logger?: boolean | object;
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
  const app = Fastify({ logger: deps.logger ?? { level: config.logLevel }, bodyLimit: 1_048_576 });
  const engine = deps.engine ?? (await DuckDbEngine.open(config.db));
  const store = new HistoryStore(engine);
  app.decorate('trailgraph', { config, store });

  const apollo = new ApolloServer<Context>({
    schema: await apiSchema(),
    validationRules: [limitsRule(DEFAULT_LIMITS)],
    formatError: formatError(app.log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: [fastifyApolloDrainPlugin(app), costPlugin(app.log)],
  });
  await apollo.start();

  app.get('/healthz', async () => ({ ok: true, engine: engine.name }));
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    context: async (_request, reply) => {
      // Stop history statements when the client goes away before the answer.
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      return createContext({ config, store, signal: controller.signal });
    },
  });
  app.addHook('onClose', async () => {
    await engine.close();
  });
  return app;
}
