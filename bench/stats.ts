import { SqlEngine } from '../src/history/engine';
import { HttpTarget, httpVsDirect } from './harness';
import { BenchRow } from './types';

const DAY = 86_400_000;
const STATS = `query($filter: EventFilter, $groupBy: [EventDimension!]!, $bucket: TimeBucket, $limit: Int) {
  eventStats(filter: $filter, groupBy: $groupBy, bucket: $bucket, limit: $limit) { keys bucketStart count }
}`;

/** Windows ending now (the demo data ends now), whole seconds. */
function lastDays(now: Date, days: number): { from: string; to: string } {
  const to = Math.ceil(now.getTime() / 1000) * 1000 + 1000;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

/**
 * eventStats over real HTTP beside its one statement run directly: the
 * issue's case (by EVENT_NAME, DAY buckets, 30 days, every group), and two
 * an analyst runs often.
 */
export async function statsBench(target: HttpTarget, _engine: SqlEngine, now: Date): Promise<BenchRow[]> {
  const month = lastDays(now, 30);
  const week = lastDays(now, 7);
  return [
    await httpVsDirect(target, 'eventStats by EVENT_NAME, DAY buckets, 30 days', STATS,
      { filter: { time: month }, groupBy: ['EVENT_NAME'], bucket: 'DAY', limit: 10_000 }, { target: 'p50 < 200 ms', runs: 40 }),
    await httpVsDirect(target, 'eventStats by PRINCIPAL_ARN, 7 days', STATS,
      { filter: { time: week }, groupBy: ['PRINCIPAL_ARN'], limit: 100 }, { runs: 40 }),
    await httpVsDirect(target, 'eventStats by CLIENT_TOOL, HOUR buckets, 7 days', STATS,
      { filter: { time: week }, groupBy: ['CLIENT_TOOL'], bucket: 'HOUR', limit: 10_000 }, { runs: 40 }),
  ];
}
