import { dirname, join } from 'node:path';
import { ApolloServerPlugin } from '@apollo/server';
import { FastifyInstance } from 'fastify';
import type { Authz } from '../authz';
import { Config } from '../config';
import { Context } from '../context';
import { SqlEngine } from '../history/engine';
import { sql } from '../history/sql/sql';
import { AccessLogOptions, AccessLogSink, openAccessLog } from './access-log';
import { auditPlugin, AuditOptions, writeLine } from './request-audit';
import { Budgets, parseBudgets } from './budgets';
import { ServerMetrics, createMetrics } from './metrics';
import { ReadinessCheck, checkReadiness } from './readiness';

export { buildMetricsServer } from './metrics-server';
export { installShutdown } from './shutdown';
export { followMetricsOf } from './follow-metrics';
export type { ServerMetrics } from './metrics';

/** What production operation adds to one app: metrics, the access audit, budgets. */
export interface Operations {
  readonly metrics: ServerMetrics;
  readonly accessLog: AccessLogSink | null;
  readonly accessLogOptions: AccessLogOptions | null;
  readonly budgets: Budgets | null;
  readonly plugin: ApolloServerPlugin<Context>;
}

/** Where the access log goes: the setting, or access.log beside the embedded store. */
export function accessLogOptions(config: Config): AccessLogOptions {
  const path = config.accessLog || join(dirname(config.db), 'access.log');
  return { path, maxBytes: config.accessLogMaxBytes, keep: config.accessLogKeep };
}

const READY_TIMEOUT_MS = 2000;

/**
 * Registers /healthz, /readyz, the HTTP request counter and the access lines
 * of requests refused before GraphQL (401); returns the Apollo plugin that
 * audits and measures each GraphQL request.
 */
export function registerOperations(app: FastifyInstance, config: Config, engine: SqlEngine, authz: Authz, opts: { audit?: boolean } = {}): Operations {
  const metrics = createMetrics(engine);
  const logOptions = accessLogOptions(config);
  // Off only where a caller of buildApp says so (the bench's baseline): a served app always audits.
  const audited = opts.audit ?? true;
  const accessLog = audited ? openAccessLog(logOptions) : null;
  const budgetSettings = parseBudgets(config.budgets);
  const budgets = budgetSettings ? new Budgets(budgetSettings, Date.now, () => metrics.budgetRejections.inc()) : null;
  const audit: AuditOptions = { metrics, engine: engine.name, accessLog, failClosed: config.accessLogOnFailure === 'fail-closed', log: app.log };

  const checks: ReadinessCheck[] = [
    { part: 'store', check: (signal) => (engine.ping ? engine.ping(signal) : engine.query(sql`SELECT 1 AS one`, { signal }).then(() => undefined)) },
  ];
  if (authz.checks.decisionCache) checks.push({ part: 'decisionCache', check: authz.checks.decisionCache });
  if (authz.checks.policies) checks.push({ part: 'policies', check: authz.checks.policies });

  // Liveness: the process answers. Readiness: it can serve (store, decision cache, policies).
  app.get('/healthz', async () => ({ ok: true, engine: engine.name }));
  app.get('/readyz', async (_request, reply) => {
    const r = await checkReadiness(checks, READY_TIMEOUT_MS, app.log);
    return reply.code(r.ready ? 200 : 503).send(r);
  });

  const plugin = auditPlugin(audit);
  const result = { metrics, accessLog, accessLogOptions: logOptions.path === '-' || !audited ? null : logOptions, budgets, plugin };
  if (!audited) return { ...result, plugin: {} };
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.inc({ route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) });
  });
  // Requests refused before GraphQL (no or bad credentials) are audited too.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== '/graphql' || reply.statusCode !== 401) return payload;
    await writeLine(audit, {
      time: new Date().toISOString(),
      caller: 'unauthenticated',
      operation: null,
      document: null,
      accounts: [],
      denied: [],
      statements: 0,
      bytesScanned: 0,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      outcome: 'UNAUTHENTICATED',
    });
    return payload;
  });
  app.addHook('onClose', async () => {
    await accessLog?.close();
  });
  return result;
}
