import { Row, SqlEngine } from '../src/history/engine';
import { PRINCIPAL_ARN } from '../src/history/derive';
import { trusted } from '../src/history/sql/sql';
import { BenchCase, HttpTarget, httpVsDirect, post, warmUp } from './harness';
import { BenchRow } from './types';

/**
 * The investigation graph's cases: the five questions of the issue over the
 * demo dataset, each timed over HTTP beside its statements run directly.
 * Values (account, session, principal, bucket) are picked from the data so
 * the queries find something; "one day" is the last full day before `now`.
 */
const DAY = 86_400_000;

async function one(engine: SqlEngine, text: string): Promise<Row> {
  const { rows } = await engine.query(trusted(text));
  if (!rows[0]) throw new Error(`bench: no data for ${text}`);
  return rows[0];
}

const SESSIONS = `query($filter: SessionFilter) { sessions(first: 50, filter: $filter) {
  nodes { id kind sessionName firstEventTime lastEventTime eventCount errorCount principal { arn } } pageInfo { hasNextPage endCursor } } }`;

const SESSION = `query($id: ID!) { session(id: $id) {
  id kind sessionName sourceIdentity accessKeyId mfaAuthenticated createdAt firstEventTime lastEventTime
  eventCount writeCount errorCount accessDeniedCount eventSources regions sourceIpAddresses userAgents principal { arn }
  events(first: 50) { nodes { id eventTime eventName eventSource errorCode } pageInfo { hasNextPage endCursor } } } }`;

const PRINCIPAL = `query($arn: String!, $time: TimeRange) { principal(arn: $arn, time: $time) {
  arn type name accountId firstSeen lastSeen eventCount errorCount topEventNames { name count } } }`;

const RESOURCE = `query($arn: String!, $time: TimeRange) { resource(arn: $arn, time: $time) {
  arn type firstSeen lastSeen eventCount principals(first: 20) { nodes { arn } pageInfo { hasNextPage } } } }`;

/** The depth-4 query of the issue. */
export const DEPTH_FOUR = `query($time: TimeRange) { principals(first: 50, filter: {time: $time}) { nodes { arn type
  sessions(first: 5) { nodes { id kind eventCount
    events(first: 10) { nodes { id eventTime eventName } }
    resources { nodes { arn type eventCount } } } } } } }`;

/** The graph's five cases with their targets (the scale bench asks some of them too). */
export async function graphCases(target: HttpTarget, engine: SqlEngine, now: Date): Promise<Array<BenchCase & { target: string }>> {
  const lastDay = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY);
  const day = { from: lastDay.toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  const month = { from: new Date(lastDay.getTime() - 29 * DAY).toISOString(), to: day.to };
  const dayText = lastDay.toISOString().slice(0, 10).replace(/-/g, '/');
  const account = await one(engine, `SELECT account, count(*) AS n FROM cloudtrail WHERE day = '${dayText}' GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const user = await one(engine, `SELECT ${PRINCIPAL_ARN.text} AS arn, count(*) AS n FROM cloudtrail WHERE useridentity.type = 'IAMUser' AND day = '${dayText}' GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const bucket = await one(engine, `SELECT 'arn:aws:s3:::' || json_extract_string(requestparameters, '$.bucketName') AS arn, count(*) AS n FROM cloudtrail
    WHERE day = '${dayText}' AND eventsource = 's3.amazonaws.com' AND requestparameters LIKE '%bucketName%' GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  // The busiest session of that account and day.
  const page = (await post(target.url, SESSIONS, { filter: { time: day, accountIds: [account.account] } })) as { sessions: { nodes: Array<{ id: string; eventCount: number }> } };
  const session = [...page.sessions.nodes].sort((a, b) => b.eventCount - a.eventCount)[0];
  if (!session) throw new Error('bench: no session on the last day');

  const target50 = 'p50 < 50 ms';
  const cases: Array<BenchCase & { target: string }> = [
    { name: 'graph: sessions of one account, one day', query: SESSIONS, variables: { filter: { time: day, accountIds: [account.account] } }, target: target50 },
    { name: 'graph: one session, summary and first 50 events', query: SESSION, variables: { id: session.id }, target: target50 },
    { name: 'graph: principal with topEventNames, 30 days', query: PRINCIPAL, variables: { arn: user.arn, time: month }, target: target50 },
    { name: 'graph: resource with its principals, one day', query: RESOURCE, variables: { arn: bucket.arn, time: day }, target: target50 },
    { name: 'graph: depth-4 principals → sessions → events, resources, one day', query: DEPTH_FOUR, variables: { time: day }, target: 'p50 < 150 ms, ≤ 5 statements' },
  ];
  return cases;
}

export async function graphBench(target: HttpTarget, engine: SqlEngine, now: Date, runs?: number): Promise<BenchRow[]> {
  const cases = await graphCases(target, engine, now);
  await warmUp(target.url, cases);
  const rows: BenchRow[] = [];
  for (const c of cases) rows.push(await httpVsDirect(target, c.name, c.query, c.variables, { target: c.target, runs }));
  return rows;
}
