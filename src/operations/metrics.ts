import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SqlEngine } from '../history/engine';

/**
 * The server's Prometheus metrics (prom-client), one registry per app so
 * that two apps in one process (tests) never share counters.
 */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly operations: Counter<'operation' | 'outcome'>;
  readonly operationSeconds: Histogram<'operation' | 'outcome'>;
  readonly statements: Counter<'engine'>;
  readonly engineMs: Counter<'engine'>;
  readonly bytesScanned: Counter<'engine'>;
  readonly decisionLookups: Counter;
  readonly decisionCacheHits: Counter;
  readonly decisionCacheMisses: Counter;
  readonly accessLogFailures: Counter;
  readonly budgetRejections: Counter;
  /** The follow loop (serve --follow), by source URI. */
  readonly followPolls: Counter<'source' | 'outcome'>;
  readonly followObjects: Counter<'source'>;
  readonly followEventsStored: Counter<'source'>;
  readonly followFailedObjects: Counter<'source'>;
  readonly followLagSeconds: Gauge<'source'>;
}

/** Athena's concurrency limiter, where the engine has one. */
interface LimitedEngine {
  limiter?: { running: number; queued: number };
}

export function createMetrics(engine: SqlEngine, opts: { processMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  // Process metrics (CPU, memory, event loop lag, handles) as every Node service exposes them.
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const limiter = (engine as LimitedEngine).limiter;
  new Gauge({
    name: 'trailgraph_athena_queries_running',
    help: 'Athena queries running (holding one of --athena-max-concurrency slots)',
    registers,
    collect() {
      this.set(limiter?.running ?? 0);
    },
  });
  new Gauge({
    name: 'trailgraph_athena_queries_queued',
    help: 'Athena queries waiting for a slot',
    registers,
    collect() {
      this.set(limiter?.queued ?? 0);
    },
  });
  return {
    registry,
    httpRequests: new Counter({ name: 'trailgraph_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'], registers }),
    operations: new Counter({ name: 'trailgraph_graphql_operations_total', help: 'GraphQL operations by operation name and outcome code', labelNames: ['operation', 'outcome'], registers }),
    operationSeconds: new Histogram({
      name: 'trailgraph_graphql_operation_duration_seconds',
      help: 'GraphQL operation duration by operation name and outcome code',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    statements: new Counter({ name: 'trailgraph_history_statements_total', help: 'History statements run, by engine', labelNames: ['engine'], registers }),
    engineMs: new Counter({ name: 'trailgraph_history_engine_milliseconds_total', help: 'Engine milliseconds of history statements, by engine', labelNames: ['engine'], registers }),
    bytesScanned: new Counter({ name: 'trailgraph_history_bytes_scanned_total', help: 'Bytes scanned by history statements (billed on Athena), by engine', labelNames: ['engine'], registers }),
    decisionLookups: new Counter({ name: 'trailgraph_decision_lookups_total', help: 'Authorization decisions asked', registers }),
    decisionCacheHits: new Counter({ name: 'trailgraph_decision_cache_hits_total', help: 'Decisions answered by the DynamoDB cache', registers }),
    decisionCacheMisses: new Counter({ name: 'trailgraph_decision_cache_misses_total', help: 'Decisions evaluated by the policy engine (Cedar or Verified Permissions)', registers }),
    accessLogFailures: new Counter({ name: 'trailgraph_access_log_write_failures_total', help: 'Access log lines that could not be written', registers }),
    budgetRejections: new Counter({ name: 'trailgraph_budget_rejections_total', help: 'History statements refused because the caller spent its hourly budget', registers }),
    followPolls: new Counter({ name: 'trailgraph_follow_polls_total', help: 'Polls of a followed source, by outcome (ok, objects_failed, failed)', labelNames: ['source', 'outcome'], registers }),
    followObjects: new Counter({ name: 'trailgraph_follow_objects_total', help: 'Log files committed from a followed source', labelNames: ['source'], registers }),
    followEventsStored: new Counter({ name: 'trailgraph_follow_events_stored_total', help: 'New events stored from a followed source', labelNames: ['source'], registers }),
    followFailedObjects: new Counter({ name: 'trailgraph_follow_failed_objects_total', help: 'Log files of a followed source that could not be read (tried again next poll)', labelNames: ['source'], registers }),
    followLagSeconds: new Gauge({ name: 'trailgraph_follow_lag_seconds', help: 'Seconds from the delivery of the newest log file of the last batch to its events being queryable', labelNames: ['source'], registers }),
  };
}

/** A GraphQL operation name as a label: bounded in length, so callers cannot grow the series without end. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return /^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name) ? name : 'invalid';
}
