import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dashboardAsset } from './assets';
import { dashboardPage } from './page';

const BASE = '/dashboard';
const ASSETS = `${BASE}/assets`;
const CONFIG = `${BASE}/config.json`;

/** Same-origin only, as the explorer: scripts, styles and API calls to this server; Chart.js draws on canvas. */
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

export interface DashboardOptions {
  /** The longest window the API allows, and its default (the time picker's bounds). */
  maxSpanDays: number;
  defaultWindowDays: number;
}

/**
 * GET /dashboard: the trail at a glance, built only on the public GraphQL
 * API (the page sends the same queries anyone can, with the caller's API key
 * or token); each panel opens its query in /graphiql.
 */
export function dashboardPlugin(options: DashboardOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    const page = dashboardPage({ assets: ASSETS, config: CONFIG });
    const sendPage = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
    app.get(BASE, sendPage);
    app.get(`${BASE}/`, sendPage);
    app.get(CONFIG, async (_request, reply) => reply.header('cache-control', 'no-store').send({ endpoint: '/graphql', explorer: '/graphiql', ...options }));
    app.get<{ Params: { name: string } }>(`${ASSETS}/:name`, async (request, reply) => {
      const a = dashboardAsset(request.params.name);
      if (!a) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
      reply.header('etag', a.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding').type(a.contentType);
      if (request.headers['if-none-match'] === a.etag) return reply.code(304).send();
      const enc = request.headers['accept-encoding'];
      if ((Array.isArray(enc) ? enc.join(',') : enc ?? '').includes('gzip')) return reply.header('content-encoding', 'gzip').send(a.gzip);
      return reply.send(a.body);
    });
  };
}
