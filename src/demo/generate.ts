import { join } from 'node:path';
import { FilePlan, planFiles } from './plan';
import { Random } from './random';
import { Scene, FileBuffer } from './scene';
import { pickScenario, runScenario, showcaseOf } from './scenarios/mix';
import { GzipWriter } from './writer';
import { DigestWriter } from '../integrity/digest-writer';

export interface DemoOptions {
  events: number;
  /** Directory the AWSLogs/ tree is written under. */
  out: string;
  seed?: number;
  /** Days the events spread over, ending with the end day (default 30). */
  days?: number;
  /** The last instant; default now. */
  end?: Date;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_DAYS = 30;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** AWSLogs/ACCT/CloudTrail/REGION/YYYY/MM/DD/ACCT_CloudTrail_REGION_YYYYMMDDTHHmmZ_RAND.json.gz */
function deliveredAt(plan: FilePlan): Date {
  return new Date(Math.floor((plan.end - 1) / 300) * 300 * 1000);
}

export function logFilePath(plan: FilePlan, rng: Random): string {
  const delivered = deliveredAt(plan);
  const [y, m, d] = [delivered.getUTCFullYear(), pad(delivered.getUTCMonth() + 1), pad(delivered.getUTCDate())];
  const stamp = `${y}${m}${d}T${pad(delivered.getUTCHours())}${pad(delivered.getUTCMinutes())}Z`;
  const acct = plan.account.id;
  return join('AWSLogs', acct, 'CloudTrail', plan.region, String(y), m, d, `${acct}_CloudTrail_${plan.region}_${stamp}_${rng.alnum(16)}.json.gz`);
}

/** The records of one file, in time order. */
function fillFile(plan: FilePlan, rng: Random): Array<Record<string, unknown>> {
  const place = { rng, account: plan.account, region: plan.region };
  const buffer: FileBuffer = { times: [], records: [], budget: plan.count };
  const showcase = plan.firstOfLastDay ? showcaseOf(plan.account.name, plan.region) : [];
  for (let rounds = 0; buffer.budget > 0; rounds++) {
    // Every scenario emits at least one call unless the budget is spent; this only guards against a bug.
    if (rounds > plan.count * 4 + 100) throw new Error('demo: scenarios stopped producing events');
    const forced = showcase.shift();
    const start = plan.start + Math.floor(rng.float() * (plan.end - plan.start));
    runScenario(forced ?? pickScenario(rng, plan.account.name), new Scene(place, start, plan.end - 1, buffer, forced !== undefined));
  }
  const order = buffer.times.map((_, i) => i).sort((a, b) => buffer.times[a] - buffer.times[b]);
  return order.map((i) => buffer.records[i]);
}

/**
 * Writes `events` CloudTrail records as gzip log files in the S3 layout under
 * `out`. Deterministic: the same options give the same bytes. One file is in
 * memory at a time (plus the few being compressed).
 */
export async function generateDemo(opts: DemoOptions): Promise<{ files: number; events: number }> {
  const rng = new Random(opts.seed ?? DEFAULT_SEED);
  const endSec = Math.floor((opts.end ?? new Date()).getTime() / 1000);
  const writer = new GzipWriter();
  // Digest files for the log files, as a trail with log file validation delivers them (docs/integrity.md).
  const digests = new DigestWriter(opts.out);
  let files = 0;
  let events = 0;
  for (const plan of planFiles({ events: opts.events, days: opts.days ?? DEFAULT_DAYS, endSec })) {
    const records = fillFile(plan, rng);
    const key = logFilePath(plan, rng);
    const text = JSON.stringify({ Records: records });
    await writer.write(join(opts.out, key), text);
    const times = records.map((r) => String(r.eventTime));
    digests.add(plan.account.id, plan.region, key.split('\\').join('/'), text, deliveredAt(plan), times[0] ?? '', times[times.length - 1] ?? '');
    files++;
    events += records.length;
  }
  await writer.close();
  await digests.close();
  return { files, events };
}
