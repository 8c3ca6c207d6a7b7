import { RecordedDecision, recordedDecisions } from '../../cloudtrail/decisions';
import { Row } from '../engine';
import { Scope, boundPredicate } from '../event-filter';
import { SortOrder } from '../page';
import { Sql, and, or, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { TimeWindow } from '../window';

/**
 * Verified Permissions decisions recorded in history. The events that can
 * hold matching decisions are found in SQL (the decision, entity ids and
 * policy store as text in the payloads); the decisions are then read from
 * each event with the same code as Event.authorizationDecisions, and
 * filtered exactly.
 */
export const DECISION_EVENT_NAMES: readonly string[] = ['IsAuthorized', 'IsAuthorizedWithToken', 'BatchIsAuthorized', 'BatchIsAuthorizedWithToken'];

export interface DecisionCriteria {
  decision?: 'ALLOW' | 'DENY';
  /** Cedar references: Namespace::Action::"id". */
  actions?: readonly string[];
  principals?: readonly string[];
  policyStoreIds?: readonly string[];
}

/** A decision with its place: the event (time, id) and its position in the event. */
export interface LocatedDecision extends RecordedDecision {
  eventId: string;
  index: number;
}

/** The id of a Cedar reference (Type::"id" → id), as JSON text shows it. */
function quotedIdOf(ref: string): string | null {
  const i = ref.lastIndexOf('::');
  if (i < 0) return null;
  const quoted = ref.slice(i + 2);
  try {
    const id = JSON.parse(quoted) as unknown;
    return typeof id === 'string' ? JSON.stringify(id) : null;
  } catch {
    return null;
  }
}

/** Texts that a payload holding any of `refs` contains; null when a ref is not in Cedar's form. */
function anyRefText(column: string, refs: readonly string[]): Sql | null {
  const needles = refs.map(quotedIdOf);
  if (needles.some((n) => n === null)) return null;
  return or((needles as string[]).map((n) => sql`strpos(${trusted(column)}, ${n}) > 0`));
}

export interface DecisionEventsQuery {
  criteria: DecisionCriteria;
  window: TimeWindow;
  scope: Scope;
  order: SortOrder;
  /** Events at or beyond this (eventTime, eventId) in the order, or null. */
  from: [string, string] | null;
  limit: number;
}

export function decisionEventsSql(q: DecisionEventsQuery): Sql {
  const c = q.criteria;
  const parts: Sql[] = [
    boundPredicate(q.window, q.scope),
    sql`eventsource = 'verifiedpermissions.amazonaws.com' AND eventname IN ${DECISION_EVENT_NAMES}`,
  ];
  if (c.decision) parts.push(sql`strpos(additionaleventdata, ${`"${c.decision}"`}) > 0`);
  if (c.policyStoreIds?.length) parts.push(sql`json_extract_scalar(requestparameters, '$.policyStoreId') IN ${c.policyStoreIds}`);
  for (const refs of [c.actions, c.principals]) {
    const p = refs?.length ? anyRefText('requestparameters', refs) : null;
    if (p) parts.push(p);
  }
  if (q.from) {
    const [t, id] = q.from;
    // Inclusive: the cursor's own event may hold decisions after the cursor's.
    parts.push(q.order === 'DESC' ? sql`eventtime < ${t} OR (eventtime = ${t} AND eventid <= ${id})` : sql`eventtime > ${t} OR (eventtime = ${t} AND eventid >= ${id})`);
  }
  const dir = trusted(q.order === 'DESC' ? 'DESC' : 'ASC');
  return sql`SELECT eventid, eventtime, eventsource, eventname, requestparameters, additionaleventdata FROM ${trusted(TABLE)}
    WHERE ${and(parts)} ORDER BY eventtime ${dir}, eventid ${dir} LIMIT ${q.limit}`;
}

function json(v: unknown): unknown {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}

/** The decisions of the rows that match the criteria exactly, in the rows' order (and within an event, in its order). */
export function decisionsOfRows(rows: Row[], c: DecisionCriteria): LocatedDecision[] {
  const out: LocatedDecision[] = [];
  for (const r of rows) {
    const all = recordedDecisions(r.eventsource, r.eventname, String(r.eventtime), json(r.requestparameters), json(r.additionaleventdata));
    all.forEach((d, index) => {
      if (c.decision && d.decision !== c.decision) return;
      if (c.actions?.length && (d.action === null || !c.actions.includes(d.action))) return;
      if (c.principals?.length && (d.principal === null || !c.principals.includes(d.principal))) return;
      if (c.policyStoreIds?.length && (d.policyStoreId === null || !c.policyStoreIds.includes(d.policyStoreId))) return;
      out.push({ ...d, eventId: String(r.eventid), index });
    });
  }
  return out;
}
