/**
 * Retries of work against an object store: throttling (503 SlowDown,
 * ThrottlingException), dropped connections and bodies cut short are tried
 * again after a jittered, growing delay ("full jitter": a random wait up to
 * base * 2^attempt, capped), so that many readers backing off together do
 * not come back together.
 */
export interface RetryPolicy {
  /** Tries in all (the first included). */
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 100, capMs: 5_000 };

const RETRIABLE_NAMES = new Set(['SlowDown', 'ThrottlingException', 'Throttling', 'RequestTimeout', 'RequestTimeoutException', 'ServiceUnavailable', 'InternalError', 'TruncatedBody']);
const RETRIABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/** A body that ended before its Content-Length, or whose bytes do not match its ETag. */
export class TruncatedBodyError extends Error {
  override readonly name = 'TruncatedBody';
}

/** Is this failure worth another try (throttled, dropped, cut short, a 5xx)? Not found, access denied and the like are not. */
export function isRetriable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; cause?: unknown };
  if (e.name && RETRIABLE_NAMES.has(e.name)) return true;
  if (e.code && RETRIABLE_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (/socket hang up|aborted|premature close|ECONNRESET|terminated/i.test(String((err as Error).message ?? ''))) return true;
  return e.cause !== undefined && e.cause !== err && isRetriable(e.cause);
}

export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

/** `work`, tried again on retriable failures; the last failure is thrown. */
export async function withRetry<T>(work: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt + 1 >= policy.attempts || !isRetriable(err) || signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, backoffMs(attempt, policy)));
    }
  }
}

/** A failure as one line for a report: the S3 error's name and message, or the message. */
export function failureText(err: unknown): string {
  if (err instanceof Error) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    return `${name}${err.message}${status ? ` (HTTP ${status})` : ''}`;
  }
  return String(err);
}
