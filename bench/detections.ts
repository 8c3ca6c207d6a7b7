import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { RuleCatalog } from '../src/detections/catalog';
import { SqlEngine } from '../src/history/engine';
import { buildApp } from '../src/server';
import { HttpTarget, RecordingEngine, httpVsDirect, percentile, post } from './harness';
import { BenchRow } from './types';

const DAY = 86_400_000;
/** SigmaHQ's CloudTrail rules beside the repository (test input; the bench loads them as --rules would). */
const SIGMA_DIR = join(__dirname, '..', '..', '..', 'shared', 'sigma', 'rules');

function lastDays(now: Date, days: number): { from: string; to: string } {
  const to = Math.ceil(now.getTime() / 1000) * 1000 + 1000;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

const DETECTIONS = `query($filter: EventFilter) { detections(filter: $filter) { rule { id level } count firstSeen lastSeen principalCount sessionCount } }`;

const DENIED = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation'];
const GROUPS = 'query TopGroups($filter: EventFilter, $groupBy: [EventDimension!]!) { eventStats(groupBy: $groupBy, filter: $filter, limit: 10) { keys count } }';
const OVER_TIME = 'query OverTime($filter: EventFilter, $bucket: TimeBucket) { eventStats(groupBy: [], bucket: $bucket, filter: $filter, limit: 10000) { bucketStart count } }';

/** The requests one load of /dashboard sends (src/dashboard/public/dashboard.js, 7 days, every account), in parallel as the page does. */
function dashboardLoad(now: Date): Array<[string, Record<string, unknown>]> {
  const week = { time: lastDays(now, 7) };
  const span = { time: lastDays(now, 90) };
  return [
    [GROUPS.replace('limit: 10', 'limit: 1000'), { groupBy: ['ACCOUNT_ID'], filter: span }],
    [OVER_TIME, { filter: week, bucket: 'HOUR' }],
    [`query($errors: EventFilter, $denied: EventFilter, $bucket: TimeBucket) { errors: eventStats(groupBy: [], bucket: $bucket, filter: $errors, limit: 10000) { bucketStart count } denied: eventStats(groupBy: [], bucket: $bucket, filter: $denied, limit: 10000) { bucketStart count } }`,
      { errors: { ...week, hasError: true }, denied: { ...week, errorCodes: DENIED }, bucket: 'HOUR' }],
    [GROUPS, { filter: week, groupBy: ['EVENT_NAME'] }],
    [GROUPS, { filter: week, groupBy: ['PRINCIPAL_ARN'] }],
    [GROUPS, { filter: week, groupBy: ['SOURCE_IP_ADDRESS'] }],
    [GROUPS, { filter: week, groupBy: ['CLIENT_TOOL'] }],
    [GROUPS, { filter: { ...week, identityTypes: ['ROOT'] }, groupBy: ['EVENT_NAME'] }],
    [`query($filter: EventFilter) { events(first: 8, filter: $filter) { nodes { eventTime recipientAccountId sourceIpAddress userIdentity { type arn } } } }`,
      { filter: { ...week, detectionRuleIds: ['6a1c0c8e-0b0f-4d1c-9a53-7d3f8e1a0003'] } }],
    [`query($filter: EventFilter) { detections(filter: $filter) { rule { id title level author builtIn attribution } count principalCount firstSeen lastSeen } }`, { filter: week }],
    [`query($filter: EventFilter) { eventStats(groupBy: [], bucket: DAY, filter: $filter, limit: 10000) { bucketStart count } }`, { filter: span }],
  ];
}

/**
 * Detections: every compiled rule (the built-in pack and SigmaHQ's, as
 * `--rules` loads them) over 30 days, over HTTP beside its statements run
 * directly, with how many statements for how many rules; and one load of
 * the dashboard (its requests in parallel) over HTTP.
 */
export async function detectionsBench(target: HttpTarget, engine: SqlEngine, now: Date): Promise<BenchRow[]> {
  const rules = existsSync(SIGMA_DIR) ? [SIGMA_DIR] : [];
  const compiled = RuleCatalog.load(rules).compiled.length;
  const recorder = new RecordingEngine({ ...engineView(engine), close: async () => undefined });
  const { config } = loadConfig([], {}, { logLevel: 'warn', maxSpanDays: 90, rules });
  const app = await buildApp(config, { engine: recorder, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const own: HttpTarget = { url, app, recorder };
    const month = await httpVsDirect(own, `detections, all ${compiled} compiled rules, 30 days`, DETECTIONS, { filter: { time: lastDays(now, 30) } }, { runs: 20, target: 'p50 < 1 s; <= 1 statement per 20 rules' });
    const load = dashboardLoad(now);
    const page = () => Promise.all(load.map(([q, v]) => post(url, q, v)));
    for (let i = 0; i < 5; i++) await page();
    const ms: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await page();
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return [
      { ...month, note: `${compiled} rules, ${month.note}` },
      { name: `dashboard page load (${load.length} requests in parallel), 7 days`, p50: percentile(ms, 50), p95: percentile(ms, 95), target: 'p50 < 300 ms over HTTP', note: 'every panel\'s query' },
    ];
  } finally {
    await app.close();
  }
}

/** The engine's query surface without its close (the bench's own app must not close the shared store). */
function engineView(engine: SqlEngine): Omit<SqlEngine, 'close'> {
  return { name: engine.name, prefersNarrowStatements: engine.prefersNarrowStatements, partitionDays: engine.partitionDays, query: (s, o) => engine.query(s, o) };
}
