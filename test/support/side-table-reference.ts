import { CloudTrailRecord } from '../../src/cloudtrail/record';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { sql, trusted } from '../../src/history/sql/sql';
import { TOUCHES } from '../../src/history/graph/touches';
import { PRINCIPAL_DAYS } from '../../src/history/graph/principal-days';
import { accountOf } from './expected';
import { hasError, principalArnOf, principalTypeOf, resourcesOf, sessionRefOf, timeOf, userNameOf } from './graph-reference';

/**
 * The side tables an ingest writes (resource touches, principals' days),
 * computed here from the raw records with the rules of docs/derivations.md
 * written again in TypeScript (graph-reference.ts), and read back from a
 * store in the same shape, for tests to compare.
 */
export type Touch = { eventid: string; arn: string; type: string | null; account: string | null; pk: string | null; sref: string | null; day: string; eventtime: string };
const touchKey = (t: Touch) => `${t.eventid} ${t.arn}`;
const byTouchKey = (x: Touch, y: Touch) => (touchKey(x) < touchKey(y) ? -1 : touchKey(x) > touchKey(y) ? 1 : 0);
const dayOfTime = (t: string) => t.slice(0, 10).replace(/-/g, '/');
const text = (v: unknown) => (v === null ? null : String(v));

/** The touches a store must hold for these records (the first of each eventID): one per resource ARN of each event. */
export function expectedTouches(records: readonly CloudTrailRecord[]): Touch[] {
  const seen = new Set<string>();
  const out: Touch[] = [];
  for (const r of records) {
    if (seen.has(r.eventID)) continue;
    seen.add(r.eventID);
    for (const x of resourcesOf(r)) {
      out.push({ eventid: r.eventID, arn: x.arn, type: x.type, account: x.accountId, pk: principalArnOf(r), sref: sessionRefOf(r), day: dayOfTime(timeOf(r)), eventtime: timeOf(r) });
    }
  }
  return out.sort(byTouchKey);
}

/** The touches a store holds, in expectedTouches' shape and order. */
export async function storedTouches(e: DuckDbEngine): Promise<Touch[]> {
  const rows = (await e.query(sql`SELECT eventid, resource_arn AS arn, resource_type AS type, resource_account AS account, principal_arn AS pk, session_ref AS sref, day, eventtime
    FROM ${trusted(TOUCHES)}`)).rows;
  return rows.map((r) => ({ eventid: String(r.eventid), arn: String(r.arn), type: text(r.type), account: text(r.account), pk: text(r.pk), sref: text(r.sref), day: String(r.day), eventtime: String(r.eventtime) })).sort(byTouchKey);
}

export type PrincipalDay = { n: number; errors: number; first: string; last: string; user: string | null };

/** Per "day account principal type eventName": the calls, errors, first and last call and largest userName, as the records say. */
export function expectedPrincipalDays(records: readonly CloudTrailRecord[]): Record<string, PrincipalDay> {
  const expected = new Map<string, PrincipalDay>();
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.eventID)) continue;
    seen.add(r.eventID);
    const t = timeOf(r);
    const key = [dayOfTime(t), accountOf(r), principalArnOf(r) ?? 'unknown', principalTypeOf(r), r.eventName].join(' ');
    const d = expected.get(key) ?? { n: 0, errors: 0, first: t, last: t, user: null };
    const user = userNameOf(r);
    expected.set(key, {
      n: d.n + 1, errors: d.errors + (hasError(r) ? 1 : 0), first: t < d.first ? t : d.first, last: t > d.last ? t : d.last,
      user: user !== null && (d.user === null || user > d.user) ? user : d.user,
    });
  }
  return Object.fromEntries(expected);
}

/** The principals' days a store holds (rows written batch by batch summed again), in expectedPrincipalDays' shape. */
export async function storedPrincipalDays(e: DuckDbEngine): Promise<Record<string, PrincipalDay>> {
  const rows = (await e.query(sql`SELECT day, account, coalesce(principal_arn, 'unknown') AS pk, principal_type AS ptype, eventname,
    sum(n) AS n, sum(errors) AS errors, min(first_seen) AS f, max(last_seen) AS l, max(user_name) AS u FROM ${trusted(PRINCIPAL_DAYS)} GROUP BY ALL`)).rows;
  return Object.fromEntries(rows.map((r) => [[r.day, r.account, r.pk, r.ptype, r.eventname].join(' '), { n: Number(r.n), errors: Number(r.errors), first: String(r.f), last: String(r.l), user: r.u === null ? null : String(r.u) }]));
}
