import { PRINCIPAL_ARN, SESSION_REF } from './derive';
import { Row } from './engine';
import { EventCriteria, Scope, SessionPredicate, boundPredicate, criteriaPredicate, dayIn } from './event-filter';
import { EventKey } from './ids';
import { HistoryStore, QueryContext } from './store';
import { Sql, and, join, or, sql, trusted } from './sql/sql';
import { TABLE } from './table';
import { TimeWindow } from './window';

/**
 * Detection rules over history: N rules in one statement. Each rule is a
 * predicate over one row (src/detections compiles Sigma rules to them, every
 * value bound; the caller has already narrowed each to the accounts where it
 * may read the rule's fields). A row's matches are the array of the indexes
 * of the rules it matches; the statement scans the window once, keeps the
 * rows that match any rule, and unnests their matches.
 */
export interface RuleTest {
  /** A small number of our own (the rule's position in the request), never user text. */
  index: number;
  predicate: Sql;
  /** Lower-cased event names one of which every match has (src/detections works them out), if the rule pins them. */
  eventNames?: readonly string[] | null;
}

export interface DetectionQuery {
  rules: readonly RuleTest[];
  criteria: EventCriteria;
  window: TimeWindow;
  scope: Scope;
  sessionPredicate?: SessionPredicate;
}

/** What summaries and groups are per: every rule, or each rule within each principal or session. */
export type DetectionParent = 'principal' | 'session';

const PARENT_KEY: Record<DetectionParent, Sql> = { principal: PRINCIPAL_ARN, session: SESSION_REF };

/** Rules per statement: the statement's text grows with them; the bench's target is at most one statement per 20. */
export const RULES_PER_STATEMENT = 100;

/**
 * The indexes of the rules the row matches. Without its NULLs inside the
 * array, so that the unnest has no filter on its rows: DuckDB then runs it as
 * a plain projection, not a lateral join (derive-resources.ts presentEntries).
 */
function matchesArray(rules: readonly RuleTest[]): Sql {
  const entries = rules.map((r) => sql`CASE WHEN ${r.predicate} THEN ${trusted(String(Math.trunc(r.index)))} END`);
  return sql`filter(ARRAY[${join(entries, ', ')}], x -> x IS NOT NULL)`;
}

/** The row's lower-cased event name, made once per row by the inner select of matchingRows. */
const EVENT_NAME_KEY = 'event_name_key';

/**
 * Rows that match any rule. The rules that pin their event names (most do)
 * are tested by the row's name: one CASE on its lower-cased name, whose branch
 * for a name holds only the rules that name, so a row costs one lower-casing
 * and the tests of its own name's rules, not every rule's.
 */
function anyRule(rules: readonly RuleTest[]): Sql {
  const byName = new Map<string, Sql[]>();
  const free: Sql[] = [];
  for (const r of rules) {
    if (!r.eventNames?.length) free.push(r.predicate);
    else for (const n of r.eventNames) byName.set(n, [...(byName.get(n) ?? []), r.predicate]);
  }
  const parts = [...free];
  if (byName.size) {
    const branches = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, ps]) => sql`WHEN ${trusted(EVENT_NAME_KEY)} = ${n} THEN (${or(ps)})`);
    parts.unshift(sql`(CASE ${join(branches, ' ')} ELSE FALSE END)`);
  }
  return or(parts);
}

/** The window's rows (within the criteria) that match any rule, with the columns asked and their matches `rs`. */
function matchingRows(q: DetectionQuery, columns: Sql, extra: Sql | null = null): Sql {
  if (q.rules.length === 0) throw new Error('detections: no rules');
  const window = boundPredicate(q.window, q.scope);
  const bound = and([window, criteriaPredicate(q.criteria, q.scope, q.sessionPredicate, window), ...(extra ? [extra] : [])]);
  const rows = sql`SELECT *, lower(eventname) AS ${trusted(EVENT_NAME_KEY)} FROM ${trusted(TABLE)} WHERE ${bound}`;
  return sql`SELECT ${columns}, ${matchesArray(q.rules)} AS rs FROM (${rows}) t WHERE ${anyRule(q.rules)}`;
}

/**
 * Per rule (and per parent when asked, for the parents' keys): matched
 * events, first and last time, distinct principals and sessions.
 */
export function detectionSummariesSql(q: DetectionQuery, parent?: { kind: DetectionParent; keys: readonly string[] }): Sql {
  const key = parent ? PARENT_KEY[parent.kind] : null;
  const inner = matchingRows(q, sql`eventtime, principal_arn, session_ref${key ? sql`, ${key} AS parent` : trusted('')}`, key && parent ? sql`${key} IN ${parent.keys}` : null);
  const keys = key ? 'u.r AS rule, m.parent AS parent' : 'u.r AS rule';
  return sql`SELECT ${trusted(keys)}, count(*) AS n, min(m.eventtime) AS first_time, max(m.eventtime) AS last_time,
  count(DISTINCT m.principal_arn) AS principals, count(DISTINCT m.session_ref) AS sessions
FROM (${inner}) m CROSS JOIN UNNEST(m.rs) AS u(r) GROUP BY ${trusted(key ? '1, 2' : '1')} ORDER BY ${trusted(key ? '1, 2' : '1')}`;
}

/** Per rule, its first `perRule` principals or sessions by matched events (ties by key), with their first time. */
export function detectionGroupsSql(q: DetectionQuery, kind: DetectionParent, perRule: number): Sql {
  const key = PARENT_KEY[kind];
  const inner = matchingRows(q, sql`eventtime, ${key} AS k`, sql`${key} IS NOT NULL`);
  const grouped = sql`SELECT u.r AS rule, m.k AS k, count(*) AS n, min(m.eventtime) AS first_time FROM (${inner}) m CROSS JOIN UNNEST(m.rs) AS u(r) GROUP BY 1, 2`;
  const ranked = sql`SELECT rule, k, n, first_time, row_number() OVER (PARTITION BY rule ORDER BY n DESC, k ASC) AS rn FROM (${grouped}) g`;
  return sql`SELECT rule, k, n, first_time FROM (${ranked}) t WHERE rn <= ${perRule} ORDER BY rule, rn`;
}

/** (event, rule) pairs: the events of the window that match each rule; or, with `keys`, those events only. */
export function detectionHitsSql(q: DetectionQuery, keys?: readonly EventKey[]): Sql {
  let extra: Sql | null = null;
  if (keys) {
    if (keys.length === 0) throw new Error('detections: no event keys');
    extra = and([dayIn([...new Set(keys.map((k) => k.day))], q.scope), sql`account IN ${[...new Set(keys.map((k) => k.account))]}`, sql`eventid IN ${[...new Set(keys.map((k) => k.eventId))]}`]);
  }
  const inner = matchingRows(q, trusted('day, account, region, eventid, eventtime'), extra);
  return sql`SELECT m.day AS day, m.account AS account, m.region AS region, m.eventid AS eventid, m.eventtime AS eventtime, u.r AS rule
FROM (${inner}) m CROSS JOIN UNNEST(m.rs) AS u(r) ORDER BY m.eventtime, m.eventid, u.r`;
}

export interface DetectionSummaryRow {
  rule: number;
  parent: string | null;
  count: number;
  firstTime: string;
  lastTime: string;
  principals: number;
  sessions: number;
}

export interface DetectionGroupRow {
  rule: number;
  key: string;
  count: number;
  firstTime: string;
}

export interface DetectionHitRow {
  key: EventKey;
  eventTime: string;
  rule: number;
}

const str = (v: Row[string]): string => (v === null || v === undefined ? '' : String(v));

/** The rules in statements of RULES_PER_STATEMENT, run one after another. */
async function chunked<T>(q: DetectionQuery, each: (part: DetectionQuery) => Sql, read: (r: Row) => T, store: HistoryStore, ctx: QueryContext): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < q.rules.length; i += RULES_PER_STATEMENT) {
    const rows = await store.run(each({ ...q, rules: q.rules.slice(i, i + RULES_PER_STATEMENT) }), ctx);
    out.push(...rows.map(read));
  }
  return out;
}

export function detectionSummaries(store: HistoryStore, q: DetectionQuery, ctx: QueryContext, parent?: { kind: DetectionParent; keys: readonly string[] }): Promise<DetectionSummaryRow[]> {
  if (q.rules.length === 0 || (parent && parent.keys.length === 0)) return Promise.resolve([]);
  return chunked(q, (part) => detectionSummariesSql(part, parent), (r) => ({
    rule: Number(r.rule), parent: parent ? str(r.parent) : null, count: Number(r.n), firstTime: str(r.first_time), lastTime: str(r.last_time),
    principals: Number(r.principals), sessions: Number(r.sessions),
  }), store, ctx);
}

export function detectionGroups(store: HistoryStore, q: DetectionQuery, kind: DetectionParent, perRule: number, ctx: QueryContext): Promise<DetectionGroupRow[]> {
  if (q.rules.length === 0) return Promise.resolve([]);
  return chunked(q, (part) => detectionGroupsSql(part, kind, perRule), (r) => ({ rule: Number(r.rule), key: str(r.k), count: Number(r.n), firstTime: str(r.first_time) }), store, ctx);
}

export function detectionHits(store: HistoryStore, q: DetectionQuery, ctx: QueryContext, keys?: readonly EventKey[]): Promise<DetectionHitRow[]> {
  if (q.rules.length === 0 || (keys && keys.length === 0)) return Promise.resolve([]);
  return chunked(q, (part) => detectionHitsSql(part, keys), (r) => ({
    key: { day: str(r.day), account: str(r.account), region: str(r.region), eventId: str(r.eventid) }, eventTime: str(r.eventtime), rule: Number(r.rule),
  }), store, ctx);
}
