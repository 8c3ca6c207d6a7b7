import { createHash } from 'node:crypto';
import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLFormattedError } from 'graphql';
import { Context } from '../context';
import { ErrorCode } from '../errors';
import { AccessLine, AccessLogSink } from './access-log';
import { ServerMetrics, operationLabel } from './metrics';

export interface AuditOptions {
  readonly metrics: ServerMetrics;
  readonly engine: string;
  readonly accessLog: AccessLogSink | null;
  readonly failClosed: boolean;
  readonly log: { warn: (o: object, m: string) => void; error: (o: object, m: string) => void };
}

/** The permissions a response was refused (FORBIDDEN errors carry their action). */
function deniedOf(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  const denied = new Set<string>();
  for (const e of errors ?? []) {
    if (e.extensions?.code === ErrorCode.FORBIDDEN) denied.add(typeof e.extensions.action === 'string' ? e.extensions.action : 'FORBIDDEN');
  }
  return [...denied].sort();
}

export function documentHash(source: string | undefined): string | null {
  return source ? createHash('sha256').update(source).digest('hex') : null;
}

/** Writes a line; true when written (or not required). Failures are counted and logged. */
export async function writeLine(o: AuditOptions, line: AccessLine): Promise<boolean> {
  if (!o.accessLog) return true;
  try {
    await o.accessLog.write(line);
    return true;
  } catch (err) {
    o.metrics.accessLogFailures.inc();
    o.log.error({ err: String(err) }, 'access log line could not be written');
    return !o.failClosed;
  }
}

/**
 * One access line and the metrics of each GraphQL request, written before
 * the answer is sent: with --access-log-on-failure fail-closed, an answer
 * whose line cannot be written is replaced by SERVICE_UNAVAILABLE (HTTP 503).
 */
export function auditPlugin(o: AuditOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      const arrived = new Date();
      return {
        async willSendResponse({ response, contextValue, operationName, source }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = body?.errors;
          const outcome = typeof errors?.[0]?.extensions?.code === 'string' ? errors[0].extensions.code : errors?.length ? ErrorCode.INTERNAL_SERVER_ERROR : 'OK';
          const cost = contextValue.query.cost;
          const seconds = (performance.now() - started) / 1000;
          const label = operationLabel(operationName);
          const m = o.metrics;
          m.operations.inc({ operation: label, outcome });
          m.operationSeconds.observe({ operation: label, outcome }, seconds);
          if (cost.historyQueries) {
            m.statements.inc({ engine: o.engine }, cost.historyQueries);
            m.engineMs.inc({ engine: o.engine }, cost.engineMs);
            m.bytesScanned.inc({ engine: o.engine }, cost.bytesScanned);
          }
          if (cost.decisionLookups) m.decisionLookups.inc(cost.decisionLookups);
          if (cost.cacheHits) m.decisionCacheHits.inc(cost.cacheHits);
          if (cost.cacheMisses) m.decisionCacheMisses.inc(cost.cacheMisses);
          const line: AccessLine = {
            time: arrived.toISOString(),
            caller: contextValue.authz.caller.id,
            operation: operationName ?? null,
            document: documentHash(source),
            accounts: contextValue.query.scope.accounts ?? null,
            denied: deniedOf(errors),
            statements: cost.historyQueries,
            bytesScanned: cost.bytesScanned,
            durationMs: Math.round(seconds * 100_000) / 100,
            outcome,
          };
          if (!(await writeLine(o, line)) && body) {
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: { errors: [{ message: 'the access log cannot be written; the answer is withheld', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] },
            };
          }
        },
      };
    },
  };
}
