/**
 * /readyz: whether this server can answer now. Each part is checked with a
 * short deadline; the answer names the parts and their state, never an
 * error text (it is unauthenticated).
 */
export type ReadinessPart = 'store' | 'decisionCache' | 'policies';

export interface ReadinessCheck {
  readonly part: ReadinessPart;
  check(signal: AbortSignal): Promise<void>;
}

export interface Readiness {
  readonly ready: boolean;
  readonly parts: Partial<Record<ReadinessPart, 'ok' | 'failing'>>;
}

export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs: number, log?: { warn: (o: object, m: string) => void }): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c) => {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        await Promise.race([
          c.check(signal),
          new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs} ms`)), { once: true })),
        ]);
        return [c.part, 'ok'] as const;
      } catch (err) {
        log?.warn({ part: c.part, err: String(err) }, 'readiness check failed');
        return [c.part, 'failing'] as const;
      }
    }),
  );
  return { ready: results.every(([, state]) => state === 'ok'), parts: Object.fromEntries(results) };
}
