import fastifyWebsocket, { WebsocketHandler } from '@fastify/websocket';
import type { FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault, RouteGenericInterface, RouteHandlerMethod } from 'fastify';

/** Apollo's handler answers with a string body. */
interface GraphqlRoute extends RouteGenericInterface {
  Reply: string;
}
export type GraphqlHandler = RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, GraphqlRoute>;

/** The largest message a subscription client may send (a document and its variables): the HTTP body limit. */
const MAX_MESSAGE_BYTES = 1_048_576;

/**
 * /graphql: POST (and GET) for queries through Apollo, and on the same GET
 * route the WebSocket upgrade for subscriptions. @fastify/websocket is
 * registered in a child scope holding only the GET route, so its hooks do
 * not run on every POST.
 */
export async function registerGraphqlRoutes(app: FastifyInstance, http: GraphqlHandler, ws: WebsocketHandler, path = '/graphql'): Promise<void> {
  app.route<GraphqlRoute>({ method: ['POST', 'OPTIONS'], url: path, handler: http });
  await app.register(async (scope) => {
    await scope.register(fastifyWebsocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
    scope.route<GraphqlRoute>({ method: 'GET', url: path, handler: http, wsHandler: ws });
  });
}
