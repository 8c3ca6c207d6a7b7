import type { FastifyInstance } from 'fastify';

/** What a preflight of `path` is told may be used (no Access-Control-Allow-Origin: no origin is allowed across sites). */
const ALLOWED = 'GET, POST, OPTIONS';

/**
 * HTTP hardening of the GraphQL endpoint: an OPTIONS request (a CORS
 * preflight, with or without a body) is answered 204 with Allow before
 * anything parses it, never the CSRF error or a 500; every answer of the
 * endpoint says `X-Content-Type-Options: nosniff` and `Cache-Control:
 * no-store` (it carries audit data a shared cache must not keep).
 */
export function registerTransportHardening(app: FastifyInstance, path = '/graphql'): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS' || request.routeOptions.url !== path) return;
    return reply.code(204).header('allow', ALLOWED).header('access-control-allow-methods', ALLOWED).send();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === path) {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
