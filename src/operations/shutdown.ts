import { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** How long in-flight requests may take to finish before they are stopped. */
  readonly graceMs: number;
  /** Stops what is still running (aborts in-flight requests: Athena queries are stopped). */
  readonly abortInFlight: () => void;
  readonly log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
  /** Stopped before the app closes (the follow loop, which writes the store the app closes). */
  readonly before?: () => Promise<void>;
  /** Also closed, after the app (the metrics listener). */
  readonly also?: readonly FastifyInstance[];
  /** Last, once everything is closed (the PID file beside the store is removed). */
  readonly after?: () => void;
  readonly exit?: (code: number) => void;
}

/**
 * SIGTERM and SIGINT: stop accepting, let in-flight requests finish within
 * the grace period, then stop the rest (their Athena queries with
 * StopQueryExecution); the app's onClose hooks close subscriptions, the
 * follow loop, the decision cache and the store. Exit 0 when all of that
 * closed; 1 if it had not, a grace period after the stop.
 */
export function installShutdown(app: FastifyInstance, o: ShutdownOptions): { shutdown: (signal: string) => Promise<void> } {
  let started: Promise<void> | null = null;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const shutdown = (signal: string): Promise<void> => {
    if (started) return started;
    o.log.info({ signal, graceMs: o.graceMs }, 'shutting down: no new requests; in-flight ones may finish');
    const stopTimer = setTimeout(() => {
      o.log.warn({ graceMs: o.graceMs }, 'grace period over: stopping in-flight requests');
      o.abortInFlight();
    }, o.graceMs);
    const forceTimer = setTimeout(() => {
      o.log.warn({}, 'shutdown did not finish; exiting');
      exit(1);
    }, o.graceMs * 2 + 5000);
    forceTimer.unref();
    started = (async () => {
      let code = 0;
      try {
        await o.before?.();
        await app.close();
        for (const other of o.also ?? []) await other.close();
      } catch (err) {
        o.log.warn({ err: String(err) }, 'error while shutting down');
        code = 1;
      } finally {
        clearTimeout(stopTimer);
        clearTimeout(forceTimer);
        o.after?.();
      }
      o.log.info({ code }, 'shut down');
      exit(code);
    })();
    return started;
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return { shutdown };
}
