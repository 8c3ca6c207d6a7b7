import { SqlEngine } from '../src/history/engine';
import { BenchCase, HttpTarget, httpVsDirect } from './harness';
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
  const rows: BenchRow[] = [];
  for (const c of statsCases(now)) rows.push(await httpVsDirect(target, c.name, c.query, c.variables, { target: c.target, runs: 40 }));
  return rows;
}

/** The three cases, the first (the scale bench asks it too). */
export function statsCases(now: Date): Array<BenchCase & { target?: string }> {
  const month = lastDays(now, 30);
  const week = lastDays(now, 7);
  return [
    { name: 'eventStats by EVENT_NAME, DAY buckets, 30 days', query: STATS, variables: { filter: { time: month }, groupBy: ['EVENT_NAME'], bucket: 'DAY', limit: 10_000 }, target: 'p50 < 200 ms' },
    { name: 'eventStats by PRINCIPAL_ARN, 7 days', query: STATS, variables: { filter: { time: week }, groupBy: ['PRINCIPAL_ARN'], limit: 100 } },
    { name: 'eventStats by CLIENT_TOOL, HOUR buckets, 7 days', query: STATS, variables: { filter: { time: week }, groupBy: ['CLIENT_TOOL'], bucket: 'HOUR', limit: 10_000 } },
  ];
}
