import { Account, AccountName, CAST, REGIONS, Region } from './cast';

/**
 * How the events are spread: over days (weekdays busier than weekends),
 * over the nine account × region streams, and into log files that never
 * cross a day. Exactly `events` records in all.
 */
export interface FilePlan {
  account: Account;
  region: Region;
  /** Window of the file's events, epoch seconds, end exclusive. */
  start: number;
  end: number;
  count: number;
  /** The file opens the last day of its stream. */
  firstOfLastDay: boolean;
}

const DAY = 86_400;
/** Records per file at most; real trails deliver a file per few minutes, a few hundred to a few thousand records. */
const MAX_PER_FILE = 2500;
const ACCOUNT_WEIGHT: Record<AccountName, number> = { management: 0.3, production: 0.45, sandbox: 0.25 };
const REGION_WEIGHT: Record<Region, number> = { 'us-east-1': 0.6, 'eu-west-1': 0.3, 'ap-southeast-2': 0.1 };

/** Splits `total` into integers proportional to `weights` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k][1]]++;
  return counts;
}

export interface Span {
  events: number;
  days: number;
  /** The last instant (epoch seconds) an event may have. */
  endSec: number;
}

export function* planFiles(span: Span): Generator<FilePlan> {
  const lastDay = Math.floor(span.endSec / DAY) * DAY;
  const dayStarts = Array.from({ length: span.days }, (_, i) => lastDay - (span.days - 1 - i) * DAY);
  const weekday = (d: number): number => ([0, 6].includes(new Date(d * 1000).getUTCDay()) ? 0.45 : 1);
  const streams: Array<{ account: Account; region: Region }> = [];
  for (const account of Object.values(CAST.accounts)) for (const region of REGIONS) streams.push({ account, region });
  const cellWeights: number[] = [];
  for (const d of dayStarts) for (const s of streams) cellWeights.push(weekday(d) * ACCOUNT_WEIGHT[s.account.name] * REGION_WEIGHT[s.region]);
  const counts = apportion(span.events, cellWeights);
  let cell = 0;
  for (const d of dayStarts) {
    const dayEnd = Math.min(d + DAY, span.endSec + 1);
    for (const s of streams) {
      const count = counts[cell++];
      if (count === 0) continue;
      const files = Math.ceil(count / MAX_PER_FILE);
      const sizes = apportion(count, new Array<number>(files).fill(1));
      const width = (dayEnd - d) / files;
      for (let f = 0; f < files; f++) {
        const start = Math.floor(d + f * width);
        const end = Math.max(start + 1, Math.floor(d + (f + 1) * width));
        yield { ...s, start, end, count: sizes[f], firstOfLastDay: d === lastDay && f === 0 };
      }
    }
  }
}
