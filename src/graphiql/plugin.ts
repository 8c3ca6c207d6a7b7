import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiSchema } from '../../resolvers/schema';
import { Clock, systemClock } from '../clock';
import { asset } from './assets';
import { introspectionQueryFor } from './introspection';
import { Investigation, investigationsAt, loadInvestigations } from './investigations';
import { explorerPage } from './page';

const BASE = '/graphiql';
const ASSETS = `${BASE}/assets`;
const CONFIG = `${BASE}/explorer.json`;
const ENDPOINT = '/graphql';

/**
 * Same-origin only: scripts and styles from this server (GraphiQL sets
 * inline styles, and its fonts and icons are data: URLs), requests to this
 * server's API.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function acceptsGzip(request: FastifyRequest): boolean {
  const v = request.headers['accept-encoding'];
  return (Array.isArray(v) ? v.join(',') : v ?? '').includes('gzip');
}

/**
 * GET /graphiql: the analyst's explorer (GraphiQL with the schema docs,
 * history, a headers editor for the API key or token, and the saved
 * investigations), its assets, and the investigations with their variables.
 */
export interface GraphiqlOptions {
  /** Where "now" is read for the investigations' relative instants; the real clock by default. */
  clock?: Clock;
}

export async function graphiqlPlugin(app: FastifyInstance, options: GraphiqlOptions = {}): Promise<void> {
  const clock = options.clock ?? systemClock;
  // Read at startup: a broken investigations folder stops the server rather than the page.
  const saved: Investigation[] = loadInvestigations();
  const introspectionQuery = introspectionQueryFor(await apiSchema());
  const page = explorerPage({ assets: ASSETS, config: CONFIG });

  const sendPage = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
  app.get(BASE, sendPage);
  app.get(`${BASE}/`, sendPage);

  // What the page needs: where the API is (subscriptions: the same path over WebSocket, ws:// or wss:// as the
  // page was served), how to introspect it, and the investigations (windows ending now).
  app.get(CONFIG, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ endpoint: ENDPOINT, subscriptionEndpoint: ENDPOINT, introspectionQuery, investigations: investigationsAt(saved, clock()) }));

  app.get<{ Params: { name: string } }>(`${ASSETS}/:name`, async (request, reply) => {
    const a = asset(request.params.name);
    if (!a) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    reply.header('etag', a.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding').type(a.contentType);
    if (request.headers['if-none-match'] === a.etag) return reply.code(304).send();
    if (acceptsGzip(request)) return reply.header('content-encoding', 'gzip').send(a.gzip);
    return reply.send(a.body);
  });
}
