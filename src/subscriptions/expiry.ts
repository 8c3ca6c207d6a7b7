import { Caller } from '../authz';

/** Node's timers hold at most 2^31-1 ms (~24.8 days); a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `close` when the caller's credentials stop being valid (a JWT's
 * exp); never for a credential without an end (API keys, open mode).
 * Returns what cancels it.
 */
export function closeAtExpiry(caller: Caller, close: () => void, now: () => number = Date.now): () => void {
  const at = caller.expiresAt;
  if (at === undefined) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const wait = () => {
    const left = at - now();
    if (left <= 0) return close();
    timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  wait();
  return () => clearTimeout(timer);
}
