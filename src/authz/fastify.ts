import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TrailgraphError } from '../errors';
import type { Authz } from '.';
import { unauthenticated } from './authenticate';
import { ANONYMOUS, Caller } from './caller';

const callers = new WeakMap<FastifyRequest, Caller>();

/**
 * Authenticates every request to `path` before Apollo sees it. A missing or
 * bad credential is answered here with HTTP 401 and a GraphQL-shaped body
 * ({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }).
 * CORS preflights carry no credentials and pass (they reach no resolver).
 */
export function registerAuthentication(app: FastifyInstance, authz: Authz, path = '/graphql'): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.url !== path || request.method === 'OPTIONS') return;
    // A WebSocket upgrade carries its credentials in connection_init, not in headers (src/subscriptions/websocket.ts).
    // (A GET that only claims to upgrade reaches Apollo with no caller: callerOf refuses it.)
    if (request.method === 'GET' && request.headers.upgrade?.toLowerCase() === 'websocket') return;
    try {
      const caller = await authz.authenticate(request.headers);
      callers.set(request, caller);
      // Every later line of the request (its "request completed" too) names the caller.
      request.log = request.log.child({ caller: caller.id });
      reply.log = request.log;
    } catch (err) {
      if (!(err instanceof TrailgraphError)) throw err;
      request.log.info({ reason: err.extensions.reason }, 'unauthenticated request refused');
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="trailgraph"')
        .type('application/json; charset=utf-8')
        .send({ errors: [{ message: err.message, extensions: { code: err.extensions.code, reason: err.extensions.reason } }] });
    }
  });
}

/** The caller the hook established; a request it did not see is anonymous only when auth is off. */
export function callerOf(request: FastifyRequest, authz: Authz): Caller {
  const caller = callers.get(request);
  if (caller) return caller;
  if (authz.enabled) throw unauthenticated('missing', 'credentials required');
  return ANONYMOUS;
}
