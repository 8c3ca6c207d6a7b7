import { dayOf } from '../cloudtrail/record';
import { badInput } from '../errors';

/** A half-open interval [from, to) of instants. */
export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

export interface WindowLimits {
  defaultWindowDays: number;
  maxSpanDays: number;
}

const DAY_MS = 86_400_000;

/**
 * The window every history query is bounded by: the caller's, or the
 * configured default ending now; never longer than the configured maximum.
 */
export function resolveWindow(range: { from: Date; to: Date } | undefined | null, limits: WindowLimits, now: Date): TimeWindow {
  if (!range) {
    // Whole seconds, so two statements of one request see the same window.
    const to = new Date(Math.ceil(now.getTime() / 1000) * 1000 + 1000);
    return { from: new Date(to.getTime() - limits.defaultWindowDays * DAY_MS), to };
  }
  const { from, to } = range;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw badInput('time: from and to must be valid instants');
  if (to.getTime() <= from.getTime()) throw badInput('time: "to" must be after "from"', { argument: 'time' });
  if (to.getTime() - from.getTime() > limits.maxSpanDays * DAY_MS) {
    throw badInput(`time: the window is longer than the maximum of ${limits.maxSpanDays} days`, { argument: 'time', maxSpanDays: limits.maxSpanDays });
  }
  return { from, to };
}

/** CloudTrail's second-precision form, which the eventtime column holds. */
export function isoSeconds(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The partition days that can hold the window's events (inclusive). On S3 a
 * log file sits under the day of its delivery, which can be the day after its
 * events (an event at 23:58 in a file written at 00:03): so the range reaches
 * one day past the window's end. The exact eventtime check does the rest.
 */
export function windowDays(w: TimeWindow): { firstDay: string; lastDay: string } {
  return { firstDay: dayOf(w.from.toISOString()), lastDay: dayOf(new Date(w.to.getTime() - 1 + DAY_MS).toISOString()) };
}

/** The smallest window containing both. */
export function unionWindow(a: TimeWindow, b: TimeWindow): TimeWindow {
  return { from: a.from < b.from ? a.from : b.from, to: a.to > b.to ? a.to : b.to };
}

export function windowKey(w: TimeWindow): string {
  return `${w.from.toISOString()}/${w.to.toISOString()}`;
}
