import { Clock } from '../../src/clock';

/**
 * The one instant generated test data ends at, and the server's "now" in
 * tests (buildApp's `clock`), so every run sees the same data and windows.
 * TRAILGRAPH_TEST_NOW (an ISO instant) moves it for a whole run, to check
 * that the suite answers the same on another date.
 */
function fixedNow(): Date {
  const text = process.env.TRAILGRAPH_TEST_NOW ?? '2026-03-14T12:00:00.000Z';
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Error(`TRAILGRAPH_TEST_NOW is not an instant: ${text}`);
  return at;
}

export const TEST_NOW: Date = fixedNow();

/** A clock that always reads `at` (TEST_NOW by default). */
export function fixedClock(at: Date = TEST_NOW): Clock {
  return () => new Date(at.getTime());
}
