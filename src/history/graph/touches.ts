import { Scope, payloadGuard } from '../event-filter';
import { Sql, and, sql, trusted } from '../sql/sql';
import { TABLE } from '../table';
import { DERIVED_RESOURCES, ENTRY_ACCOUNT, ENTRY_ARN, ENTRY_ORIGIN, ENTRY_TYPE, RESOURCE_ORIGINS, presentEntries } from './derive-resources';

/**
 * The resource touches: one row per (event, resource it touches), by the
 * rules of derive-resources.ts, with the event's partition columns, time,
 * principal and session beside it. Every resource question reads these
 * rows instead of deriving them from each event's JSON: the embedded store
 * writes them when it stores the events (duckdb/side-tables.ts), Athena
 * reads a view that derives them (athena-ddl), from this one select.
 */
export const TOUCHES = `${TABLE}_touches`;

/** The columns, in order, with their types. */
export const TOUCH_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['day', 'VARCHAR'],
  ['day_number', 'INTEGER'],
  ['account', 'VARCHAR'],
  ['region', 'VARCHAR'],
  ['eventid', 'VARCHAR'],
  ['eventtime', 'VARCHAR'],
  ['principal_arn', 'VARCHAR'],
  ['session_ref', 'VARCHAR'],
  ['resource_arn', 'VARCHAR'],
  ['resource_type', 'VARCHAR'],
  ['resource_account', 'VARCHAR'],
  // 'resources' when resources[] names it, else 'derived' (from the payload: requestParameters, responseElements, ...).
  ['resource_origin', 'VARCHAR'],
];

const EVENT_COLUMNS = 'day, day_number, account, region, eventid, eventtime, principal_arn, session_ref';

/**
 * The touches of the table's rows that `where` keeps (Trino text; `where`
 * is our own text over the table's columns). A resource named twice by one
 * event (in resources[] and in requestParameters) is one touch, with the
 * type and account that either names, and the origin `resources` when
 * resources[] names it (`derived` when only the payload does). `extra` carries more of each event
 * into its touches, as [expression over the table, name] (the embedded
 * store's row number); they follow the event's columns.
 */
export function touchesSelect(where: string, extra: ReadonlyArray<readonly [string, string]> = []): string {
  const carried = [EVENT_COLUMNS, ...extra.map(([, name]) => name)].join(', ');
  const added = extra.map(([expr, name]) => `, ${expr} AS ${name}`).join('');
  const entries = presentEntries(trusted('derived')).text;
  return `SELECT ${carried}, ${ENTRY_ARN.text} AS resource_arn,
  max(NULLIF(${ENTRY_TYPE.text}, '')) AS resource_type, max(NULLIF(${ENTRY_ACCOUNT.text}, '')) AS resource_account,
  CASE max(${ENTRY_ORIGIN.text}) WHEN 'R' THEN '${RESOURCE_ORIGINS.resources}' ELSE '${RESOURCE_ORIGINS.derived}' END AS resource_origin
FROM (SELECT ${carried}, ${entries} AS entries
  FROM (SELECT *${added}, ${DERIVED_RESOURCES.text} AS derived FROM ${TABLE} WHERE ${where}) r) e
CROSS JOIN UNNEST(e.entries) AS u(entry)
GROUP BY ${carried}, ${ENTRY_ARN.text}`;
}


/**
 * authz: the touches the caller may see, by their origin: a resource named
 * in the event's resources[] wherever it may read the event; one derived
 * from the payload (requestParameters, responseElements: S3 keys, IAM role
 * names, ...) only where it may read payloads (Scope.payloadAccounts). Every
 * statement that reads TOUCHES (resource pages, summaries, the resource
 * filters, Resource.events) carries it beside its bound; null when the
 * caller may read every payload.
 */
export function touchGuard(scope: Scope): Sql | null {
  const payloads = payloadGuard(scope);
  return payloads ? sql`(resource_origin = ${RESOURCE_ORIGINS.resources} OR ${payloads})` : null;
}

/** `where` and the touch guard of `scope`. */
export function readableTouches(where: Sql, scope: Scope): Sql {
  const guard = touchGuard(scope);
  return guard ? and([where, guard]) : where;
}
