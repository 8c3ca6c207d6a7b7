import { decodeCursor } from '../cursor';
import { PRINCIPAL_ARN, PRINCIPAL_KEY, PRINCIPAL_TYPE, SESSION_REF, isAnyOf } from '../derive';
import { inSessions, principalCandidates } from './candidates';
import { DERIVED_RESOURCES, RESOURCE_ORIGINS, ResourceOrigin, isAnyOfSet, resourceEntries } from './derive-resources';
import { Row } from '../engine';
import { EventProjection, innerColumns, outputColumns } from '../event-projection';
import { StoredEvent, toStoredEvent } from '../event-row';
import { EventCriteria, Scope, boundPredicate, accountsPredicate, criteriaPredicate, dayIn, eventKeysPredicate, payloadGuard, whereReadable } from '../event-filter';
import { EventKey } from '../ids';
import { Page, SortOrder } from '../page';
import { Sql, and, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow } from '../window';
import { sessionIdsPredicate } from './session-ref';
import { TOUCHES, readableTouches } from './touches';

/**
 * Events of N parents (principals, sessions, resources), one page each, in
 * one statement: the page's keys are ranked per parent on a narrow
 * projection, then the page rows are read whole. Their own principal,
 * session and resources are another question (eventGraphsByKeysSql), asked
 * only when a query wants them: the derivations are large expressions and
 * cost planning time in every statement that holds them.
 */
export type EventParentKind = 'principal' | 'session' | 'resource';

export interface ParentEventsQuery {
  kind: EventParentKind;
  /** Principal keys, session refs (refText), or resource ARNs. */
  parents: readonly string[];
  criteria: EventCriteria;
  window: TimeWindow;
  scope: Scope;
  order: SortOrder;
  size: number;
  after: string | null;
  /** The columns the request reads (event-projection.ts); every column when absent. */
  projection?: EventProjection;
}

/** What the graph needs of an event, derived by the same SQL as everything else. */
export interface EventGraph {
  /** Canonical principal ARN; null where nothing identifies one. */
  principalArn: string | null;
  principalType: string;
  /** refText of the event's session, or null. */
  sessionRef: string | null;
  /** Each resource once: arn, type, account, and whether resources[] names it or only the payload does (as the touches say). */
  resources: EventResource[];
}

export interface EventResource {
  arn: string;
  type: string | null;
  accountId: string | null;
  origin: ResourceOrigin;
}

/** The graph columns over the table's columns (and DERIVED_RESOURCES as `derived`). */
const GRAPH_COLUMNS: Sql = sql`${PRINCIPAL_ARN} AS g_pk, ${PRINCIPAL_TYPE} AS g_ptype, ${SESSION_REF} AS g_sref,
  json_format(CAST(${resourceEntries(trusted('derived'))} AS JSON)) AS g_entries`;

export function toEventGraph(r: Row): EventGraph {
  const entries = typeof r.g_entries === 'string' ? (JSON.parse(r.g_entries) as Array<string | null>) : [];
  const byArn = new Map<string, EventResource>();
  for (const e of entries) {
    if (typeof e !== 'string') continue;
    // O TYPE | ACCOUNT | ARN (derive-resources.ts): the origin is one letter.
    const origin = e.slice(0, 1);
    const [type, account] = e.slice(1).split('|', 2);
    const arn = e.slice(1 + type.length + account.length + 2);
    const seen = byArn.get(arn);
    // As the touches do: one entry per ARN, the largest non-empty type and account, resources[] over derived.
    const pick = (a: string | null, b: string) => (b === '' ? a : a === null || b > a ? b : a);
    byArn.set(arn, {
      arn,
      type: pick(seen?.type ?? null, type),
      accountId: pick(seen?.accountId ?? null, account),
      origin: seen?.origin === RESOURCE_ORIGINS.resources || origin === 'R' ? RESOURCE_ORIGINS.resources : RESOURCE_ORIGINS.derived,
    });
  }
  return {
    principalArn: typeof r.g_pk === 'string' ? r.g_pk : null,
    principalType: typeof r.g_ptype === 'string' ? r.g_ptype : 'Unknown',
    sessionRef: typeof r.g_sref === 'string' ? r.g_sref : null,
    resources: [...byArn.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)),
  };
}

function cursorBeyond(after: string, order: SortOrder): Sql {
  const [t, id] = decodeCursor(after, ['string', 'string'], 'after') as [string, string];
  return order === 'DESC' ? sql`eventtime < ${t} OR (eventtime = ${t} AND eventid < ${id})` : sql`eventtime > ${t} OR (eventtime = ${t} AND eventid > ${id})`;
}

/**
 * The rows of the parents' events with parent_key. Principals and sessions:
 * the candidates' rows (candidates.ts, tested in the scan) with the columns
 * the request reads, carried through the ranking (few rows pass, and reading
 * the window again costs more). Resources: the narrow (eventid, day,
 * eventtime, parent_key), as their rows are unnested and made distinct first.
 */
function parentRows(q: ParentEventsQuery, bound: Sql, criteria: Sql): Sql {
  const where = and([bound, criteria]);
  const columns = innerColumns(q.projection);
  const keyed = (key: Sql, candidates: Sql[]) =>
    sql`SELECT * FROM (SELECT ${columns}, ${key} AS parent_key FROM ${trusted(TABLE)} WHERE ${and([where, ...candidates])}) s WHERE ${isAnyOf(trusted('parent_key'), q.parents)}`;
  switch (q.kind) {
    case 'principal':
      return keyed(PRINCIPAL_KEY, [principalCandidates(q.parents)]);
    case 'session':
      return keyed(SESSION_REF, [inSessions(q.parents)]);
    case 'resource': {
      // The touches (one per event and resource); the criteria, when there are any, are the events'.
      const touches = readableTouches(and([bound, isAnyOfSet(trusted('resource_arn'), q.parents)]), q.scope);
      const events = criteria.text === 'TRUE' ? trusted('TRUE') : sql`eventid IN (SELECT eventid FROM ${trusted(TABLE)} WHERE ${and([bound, criteria])})`;
      return sql`SELECT eventid, day, eventtime, resource_arn AS parent_key FROM ${trusted(TOUCHES)} WHERE ${and([touches, events])}`;
    }
  }
}

export function parentEventsSql(q: ParentEventsQuery): Sql {
  const bound = boundPredicate(q.window, q.scope);
  const criteria = criteriaPredicate(q.criteria, q.scope, sessionIdsPredicate, bound);
  const dir = q.order === 'DESC' ? 'DESC' : 'ASC';
  const rank = trusted(`row_number() OVER (PARTITION BY parent_key ORDER BY eventtime ${dir}, eventid ${dir})`);
  const rows = parentRows(q, bound, criteria);
  const ranked = q.after
    ? sql`SELECT * FROM (SELECT b.*, ${rank} AS rn FROM (SELECT a.*, count_if(NOT (${cursorBeyond(q.after, q.order)})) OVER (PARTITION BY parent_key) AS behind_n FROM (${rows}) a) b WHERE ${cursorBeyond(q.after, q.order)}) c WHERE rn <= ${q.size + 1}`
    : sql`SELECT * FROM (SELECT a.*, 0 AS behind_n, ${rank} AS rn FROM (${rows}) a) c WHERE rn <= ${q.size + 1}`;
  const output = outputColumns(q.projection);
  if (q.kind !== 'resource') {
    return sql`SELECT parent_key AS k_parent, rn AS k_rn, behind_n AS k_behind, ${output} FROM (${ranked}) r`;
  }
  // The page rows are read again for their columns: only the page's events (by id) are joined.
  const keys = sql`SELECT eventid AS k_eventid, day AS k_day, parent_key AS k_parent, rn AS k_rn, behind_n AS k_behind FROM (${ranked}) r`;
  const pageEvents = sql`eventid IN (SELECT k_eventid FROM (${keys}) p)`;
  const pageRows = sql`SELECT ${innerColumns(q.projection)} FROM ${trusted(TABLE)} WHERE ${and([bound, pageEvents])}`;
  return sql`SELECT k.k_parent, k.k_rn, k.k_behind, ${output}
    FROM (${pageRows}) t JOIN (${keys}) k ON t.eventid = k.k_eventid AND t.day = k.k_day`;
}

export interface GraphEvent {
  stored: StoredEvent;
  /** Set when the statement derived it (otherwise the event graph loader does, when asked). */
  graph?: EventGraph;
}

/** Each parent's page, in the order of q.parents. */
export function parentEventPages(q: ParentEventsQuery, rows: Row[]): Page<GraphEvent>[] {
  const byParent = new Map<string, Array<{ rn: number; behind: number; event: GraphEvent }>>();
  for (const r of rows) {
    const k = String(r.k_parent);
    const list = byParent.get(k) ?? [];
    list.push({ rn: Number(r.k_rn), behind: Number(r.k_behind), event: { stored: toStoredEvent(r) } });
    byParent.set(k, list);
  }
  return q.parents.map((p) => {
    const list = (byParent.get(p) ?? []).sort((a, b) => a.rn - b.rn);
    return {
      items: list.slice(0, q.size).map((x) => x.event),
      hasNextPage: list.length > q.size,
      hasPreviousPage: q.after !== null && (list.length ? list[0].behind > 0 : true),
    };
  });
}

/** The graph columns of events by key (events reached from elsewhere, e.g. the root `events`). */
export function eventGraphsByKeysSql(keys: readonly EventKey[], scope: Scope): Sql {
  // authz: resources derived from the payload only where the caller may read payloads.
  const derived = whereReadable(payloadGuard(scope), DERIVED_RESOURCES, trusted('ARRAY[CAST(NULL AS VARCHAR)]'));
  const rows = sql`SELECT *, ${derived} AS derived FROM ${trusted(TABLE)} WHERE ${eventKeysPredicate(keys, scope)}`;
  return sql`SELECT day, account, region, eventid, ${GRAPH_COLUMNS} FROM (${rows}) r`;
}
