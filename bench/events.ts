import { Row, SqlEngine } from '../src/history/engine';
import { PRINCIPAL_ARN } from '../src/history/derive';
import { trusted } from '../src/history/sql/sql';
import { BenchCase, HttpTarget, httpVsDirect, post, warmUp } from './harness';
import { BenchRow } from './types';

const DAY = 86_400_000;
/** The events query the bench asks (also the one bench/authz.ts times with auth on and off). */
export const EVENTS_QUERY = `query($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id eventId eventTime eventName eventSource userIdentity { type arn } sourceIpAddress errorCode } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function one(engine: SqlEngine, text: string): Promise<Row> {
  const { rows } = await engine.query(trusted(text));
  if (!rows[0]) throw new Error(`bench: no data for ${text}`);
  return rows[0];
}

/** The five representative `events` queries of the first issue (the scale bench asks them too). */
export async function eventsCases(target: HttpTarget, engine: SqlEngine, now: Date): Promise<BenchCase[]> {
  const lastDay = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY);
  const week = { from: new Date(lastDay.getTime() - 6 * DAY).toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  const dayWindow = { from: lastDay.toISOString(), to: new Date(lastDay.getTime() + DAY).toISOString() };
  // Values picked from the data, so the queries find something.
  const principal = await one(engine, `SELECT ${PRINCIPAL_ARN.text} AS arn, count(*) AS n FROM cloudtrail WHERE useridentity.type = 'IAMUser' GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const resource = await one(engine, `SELECT r AS arn, count(*) AS n FROM cloudtrail CROSS JOIN UNNEST(list_transform(resources, x -> x.arn)) AS u(r) GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  const errorCode = await one(engine, `SELECT errorcode AS code, count(*) AS n FROM cloudtrail WHERE errorcode IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 1`);
  // A page deep in a cursor walk: 40 pages of 50 in, over 7 days.
  let after: string | null = null;
  for (let i = 0; i < 40; i++) {
    const data = (await post(target.url, EVENTS_QUERY, { first: 50, after, filter: { time: week } })) as { events: { pageInfo: { endCursor: string | null } } };
    after = data.events.pageInfo.endCursor;
  }
  const cases: BenchCase[] = [
    { name: 'events by principal, one day', query: EVENTS_QUERY, variables: { first: 50, filter: { principalArns: [principal.arn], time: dayWindow } } },
    { name: 'events by event name, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { eventNames: ['AssumeRole'], time: week } } },
    { name: 'events by error code, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { errorCodes: [errorCode.code], time: week } } },
    { name: 'events by resource ARN, 7 days', query: EVENTS_QUERY, variables: { first: 50, filter: { resourceArns: [resource.arn], time: week } } },
    { name: 'events page 41 of a cursor walk, 7 days', query: EVENTS_QUERY, variables: { first: 50, after, filter: { time: week } } },
  ];
  return cases;
}

export async function eventsBench(target: HttpTarget, engine: SqlEngine, now: Date): Promise<BenchRow[]> {
  const cases = await eventsCases(target, engine, now);
  await warmUp(target.url, cases);
  const rows: BenchRow[] = [];
  for (const c of cases) rows.push(await httpVsDirect(target, c.name, c.query, c.variables, { target: 'p50 < 20 ms, API ≤ 1.5x SQL' }));
  return rows;
}
