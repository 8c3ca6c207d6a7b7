import type { WebsocketHandler } from '@fastify/websocket';
import { DocumentNode, GraphQLError, GraphQLSchema, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { CloseCode } from 'graphql-ws';
import type { makeHandler as MakeHandler } from 'graphql-ws/dist/use/@fastify/websocket';
import type { WebSocket } from '@fastify/websocket';
import { Authz, Caller } from '../authz';
import { Config } from '../config';
import { contextForCaller } from '../context';
import { RuleCatalog } from '../detections/catalog';
import { Clock } from '../clock';
import { ErrorCode, TrailgraphError, badInput } from '../errors';
import { Logger, formatError } from '../graphql/format-error';
import { limitsRule } from '../graphql/limits';
import { queryLimitsOf } from '../config';
import { HistoryStore } from '../history/store';
import { EventSubscriptions } from './event-subscriptions';
import { makeLive } from './live';
import { credentialHeaders } from './credentials';
import { closeAtExpiry } from './expiry';

export interface SubscriptionServerDeps {
  schema: GraphQLSchema;
  config: Config;
  store: HistoryStore;
  authz: Authz;
  /** The detection rules the server loaded (Event.detections of delivered events). */
  detections?: RuleCatalog;
  /** Where a delivery's "now" is read (AppDeps.clock). */
  clock?: Clock;
  subscriptions: EventSubscriptions;
  log: Logger & { info: (obj: object, msg: string) => void };
}

// graphql-ws's @fastify/websocket glue, by its exported path (this project's moduleResolution reads the types from dist/).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeHandler } = require('graphql-ws/use/@fastify/websocket') as { makeHandler: typeof MakeHandler };

/** What a connection established in connection_init: its caller, and what ends with it. */
interface Connection {
  caller: Caller;
  closed: AbortController;
  stopExpiry: () => void;
}

/** The rules every document passes before it runs, as over HTTP (src/graphql/limits.ts). */

/** A request error with the code Apollo gives the same mistake over HTTP (format-error.ts keeps it). */
function coded(err: GraphQLError, code: string): GraphQLError {
  if (err.extensions.code) return err;
  return new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, path: err.path, originalError: err.originalError, extensions: { ...err.extensions, code } });
}

/**
 * The GraphQL over WebSocket protocol (graphql-transport-ws) on GET
 * /graphql's upgrade, with graphql-ws. Authentication is the same API key or
 * JWT as over HTTP, sent in connection_init's payload ({"x-api-key": ...}
 * or {"authorization": "Bearer ..."}); a connection without valid
 * credentials is closed with 4401, and one whose token expires is closed
 * with 4401 when it does. Documents pass the same validation and limits as
 * queries; only subscriptions are served here (queries go to POST /graphql,
 * which reports their cost); errors are formatted by the one error contract.
 */
export function subscriptionHandler(deps: SubscriptionServerDeps): WebsocketHandler {
  const { schema, config, store, authz, subscriptions, log, detections, clock } = deps;
  // The same limits as queries over HTTP (the config's): subscription documents are bounded before anything is delivered.
  const rules = [...specifiedRules, limitsRule(queryLimitsOf(config))];
  const connections = new WeakMap<WebSocket, Connection>();
  const format = formatError(log);
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e));
  const contextOf = (c: Connection) => contextForCaller({ config, store, authz, caller: c.caller, signal: c.closed.signal, detections, clock });

  return makeHandler({
    schema,
    onConnect: async (ctx) => {
      const socket = ctx.extra.socket;
      try {
        const caller = await authz.authenticate(credentialHeaders(ctx.connectionParams));
        const closed = new AbortController();
        const stopExpiry = closeAtExpiry(caller, () => {
          log.info({ caller: caller.id }, 'subscription connection closed: token expired');
          socket.close(CloseCode.Unauthorized, 'Unauthorized: token expired');
        });
        connections.set(socket, { caller, closed, stopExpiry });
        return true;
      } catch (err) {
        if (!(err instanceof TrailgraphError) || err.extensions.code !== ErrorCode.UNAUTHENTICATED) throw err;
        log.info({ reason: err.extensions.reason }, 'unauthenticated subscription connection refused');
        // graphql-ws would close with 4403; a missing or bad credential is 4401, as HTTP answers 401.
        socket.close(CloseCode.Unauthorized, `Unauthorized: ${String(err.extensions.reason)}`);
        return false;
      }
    },
    onClose: (ctx) => {
      const c = connections.get(ctx.extra.socket);
      c?.stopExpiry();
      c?.closed.abort();
    },
    onSubscribe: async (ctx, _id, payload) => {
      const connection = connections.get(ctx.extra.socket);
      if (!connection) return [new TrailgraphError(ErrorCode.UNAUTHENTICATED, 'credentials required in connection_init', { reason: 'missing' })];
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (err) {
        if (err instanceof GraphQLError) return [coded(err, 'GRAPHQL_PARSE_FAILED')];
        throw err;
      }
      const invalid = validate(schema, document, rules);
      if (invalid.length) return invalid.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [badInput('name one operation of the document (operationName)', { argument: 'operationName' })];
      if (operation.operation !== 'subscription') return [badInput('only subscriptions are served over WebSocket; send queries to POST /graphql', { argument: 'operation' })];
      const variables = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
      if (variables.errors) return variables.errors.map((e) => coded(e, ErrorCode.BAD_USER_INPUT));
      const contextValue = makeLive(await contextOf(connection), { subscriptions, renew: () => contextOf(connection) });
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
    },
    onError: (_ctx, _id, _payload, errors) => formatAll(errors),
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatAll(result.errors) } : undefined),
  });
}
