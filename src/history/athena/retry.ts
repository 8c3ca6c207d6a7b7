/** Bounded retries with jittered exponential backoff, for throttled and transient AWS calls. */
export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'ThrottledException',
  'Throttling',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

function httpStatus(err: unknown): number | undefined {
  const meta = field(err, '$metadata');
  const status = field(meta, 'httpStatusCode');
  return typeof status === 'number' ? status : undefined;
}

export function isThrottling(err: unknown): boolean {
  const name = field(err, 'name');
  return (typeof name === 'string' && THROTTLING.has(name)) || httpStatus(err) === 429;
}

/** Server-side faults and dropped connections: worth another try. */
export function isTransient(err: unknown): boolean {
  const code = field(err, 'code');
  const status = httpStatus(err);
  return (
    field(err, 'name') === 'InternalServerException' ||
    field(err, '$fault') === 'server' ||
    (status !== undefined && status >= 500) ||
    (typeof code === 'string' && TRANSIENT_CODES.has(code))
  );
}

export function isRetryable(err: unknown): boolean {
  return isThrottling(err) || isTransient(err);
}

/** "Equal jitter": half the exponential step, plus a random part of the other half. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `call`, retrying retryable failures up to the policy's bound; the last
 * failure is thrown as is. Never retries once the signal has aborted.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  policy: BackoffPolicy,
  options: { signal?: AbortSignal; onRetry?: (err: unknown, attempt: number, delayMs: number) => void } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (options.signal?.aborted || !isRetryable(err) || attempt + 1 >= policy.maxAttempts) throw err;
      const delay = backoffDelay(attempt, policy);
      options.onRetry?.(err, attempt + 1, delay);
      await sleep(delay, options.signal);
    }
  }
}
