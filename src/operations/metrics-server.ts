import Fastify, { FastifyInstance } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Registry } from 'prom-client';

/**
 * /metrics on its own port, so a scraper never shares the API's listener
 * and the API's callers never see it. Off loopback it needs a bearer token.
 */
export async function buildMetricsServer(registry: Registry, opts: { token?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const expected = opts.token ? createHash('sha256').update(opts.token).digest() : null;
  app.get('/metrics', async (request, reply) => {
    if (expected) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthenticated' });
      }
    }
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return app;
}
