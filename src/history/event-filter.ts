import { ClientTool } from '../cloudtrail/client-tool';
import { badInput } from '../errors';
import { dayOf } from '../cloudtrail/record';
import { EventCategory, eventCategoryToCloudTrail } from '../cloudtrail/event-category';
import { IdentityType, identityTypeToCloudTrail } from '../cloudtrail/identity-type';
import { clientToolPredicate } from './client-tool-sql';
import { ERROR_CODE, HAS_ERROR, IDENTITY_TYPE, IS_READ_ONLY, IS_WRITE, PRINCIPAL_ARN, isAnyOf } from './derive';
import type { EventKey } from './ids';
import { TOUCHES, readableTouches } from './graph/touches';
import { sessionIdsPredicate } from './graph/session-ref';
import { Sql, and, or, sql, trusted } from './sql/sql';
import { TimeWindow, isoSeconds, windowDays } from './window';

/** The store's form of the API's EventFilter (time already resolved into a window). */
export interface EventCriteria {
  eventIds?: readonly string[];
  accountIds?: readonly string[];
  regions?: readonly string[];
  eventNames?: readonly string[];
  eventSources?: readonly string[];
  eventCategories?: readonly EventCategory[];
  identityTypes?: readonly IdentityType[];
  principalArns?: readonly string[];
  accessKeyIds?: readonly string[];
  /** Session ids are resolved by the session derivation; see sessionPredicate. */
  sessionIds?: readonly string[];
  sourceIpAddresses?: readonly string[];
  resourceArns?: readonly string[];
  resourceTypes?: readonly string[];
  readOnly?: boolean;
  errorCodes?: readonly string[];
  hasError?: boolean;
  userAgentContains?: string;
  /** The client parsed from userAgent (src/cloudtrail/client-tool.ts). */
  clientTools?: readonly ClientTool[];
  /**
   * EventFilter.detectionRuleIds: rows that match any of these rules. The
   * API resolves the ids to `detectionRules` (src/detections compiles them;
   * each already narrowed to the accounts where the caller may read its
   * fields); ids left unresolved are refused rather than ignored.
   */
  detectionRuleIds?: readonly string[];
  detectionRules?: readonly Sql[];
}

/**
 * What an engine's partition day is. 'delivery': the day of the log file's
 * S3 path, which can be the day after its events (Athena). 'event': the
 * event's own UTC day, which the embedded store computes from eventTime when
 * it stores a row.
 */
export type PartitionDays = 'delivery' | 'event';

/**
 * What bounds a caller's statements: who may be seen (null means every
 * account, an unrestricted caller), and what the engine's partition day is
 * (createContext sets it from the store; unset reads as 'delivery', the
 * bound that holds on every engine).
 */
export interface Scope {
  readonly accounts: readonly string[] | null;
  readonly days?: PartitionDays;
  /**
   * authz: of `accounts`, those whose network details (source IP, user
   * agent) the caller may read (ReadNetworkDetails); unset or null = all of
   * `accounts`. A statement that filters or groups on a network detail
   * covers only these (networkGuard).
   */
  readonly networkAccounts?: readonly string[] | null;
  /**
   * authz: of `accounts`, those whose payloads (requestParameters,
   * responseElements, additionalEventData) the caller may read
   * (ReadPayloads); unset or null = all of `accounts`. What is derived from a payload
   * (the resources it names, MFA from a sign-in's additionalEventData) is
   * derived only in these (payloadGuard).
   */
  readonly payloadAccounts?: readonly string[] | null;
}

export const UNRESTRICTED: Scope = Object.freeze({ accounts: null });

const DAY_MS = 86_400_000;

/** Rows of these partition days: by day_number where the engine's day is the event's (it prunes), else by day. */
export function dayIn(days: readonly string[], scope: Scope): Sql {
  return scope.days === 'event' ? sql`day_number IN ${days.map(dayNumber)}` : sql`day IN ${days}`;
}

/** Rows of the partition days from `first` to `last`, in the form of dayIn (a range the engine tests inside the scan). */
export function dayRange(first: string, last: string, scope: Scope): Sql {
  return scope.days === 'event' ? sql`day_number >= ${dayNumber(first)} AND day_number <= ${dayNumber(last)}` : sql`day >= ${first} AND day <= ${last}`;
}

/** The caller's accounts: null for an unrestricted caller, FALSE for one who may see none. */
export function accountsPredicate(scope: Scope): Sql | null {
  if (scope.accounts === null) return null;
  return scope.accounts.length ? sql`account IN ${scope.accounts}` : trusted('FALSE');
}

function accountsIn(accounts: readonly string[] | null | undefined): Sql | null {
  if (accounts === undefined || accounts === null) return null;
  return accounts.length ? sql`account IN ${accounts}` : trusted('FALSE');
}

/**
 * authz: the rows whose network details the caller may read; null when that
 * is every row the scope reads. Every statement that filters, groups or
 * counts by a source IP or user agent carries it, so nothing it may not read
 * shows through a count or a match.
 */
export function networkGuard(scope: Scope): Sql | null {
  return scope.networkAccounts === undefined ? null : accountsIn(scope.networkAccounts);
}

/** authz: the rows whose payloads the caller may read (as networkGuard, for ReadPayloads); null when every row. */
export function payloadGuard(scope: Scope): Sql | null {
  return scope.payloadAccounts === undefined ? null : accountsIn(scope.payloadAccounts);
}

/** `expr` where the payload guard holds, else `otherwise`: a value derived from a payload, for the rows it may be derived in. */
export function whereReadable(guard: Sql | null, expr: Sql, otherwise: Sql): Sql {
  return guard ? sql`(CASE WHEN ${guard} THEN ${expr} ELSE ${otherwise} END)` : expr;
}

/** Does a question filter on network details (source IP, user agent)? */
export function filtersOnNetwork(c: EventCriteria): boolean {
  return !!c.sourceIpAddresses?.length || !!c.userAgentContains;
}

/**
 * Events by key: every key's partition coordinates (days, accounts, regions)
 * and ids, and the caller's accounts, so a look-up reads only their partitions.
 */
export function eventKeysPredicate(keys: readonly EventKey[], scope: Scope): Sql {
  const uniq = (xs: string[]): string[] => [...new Set(xs)];
  const parts = [
    dayIn(uniq(keys.map((k) => k.day)), scope),
    sql`account IN ${uniq(keys.map((k) => k.account))}`,
    sql`region IN ${uniq(keys.map((k) => k.region))}`,
    isAnyOf(trusted('eventid'), uniq(keys.map((k) => k.eventId))),
  ];
  const accounts = accountsPredicate(scope);
  if (accounts) parts.push(accounts);
  return and(parts);
}

/** 2026/11/21 → 20261121 (DAY_NUMBER_RULE). */
export function dayNumber(day: string): number {
  return Number(day.replace(/\//g, ''));
}

/**
 * The bound every history statement carries: partition days and instants of
 * the window, and the caller's accounts. Athena prunes partitions on day and
 * account; DuckDB skips row groups by their min/max. Where the partition day
 * is the event's day, the days say it all at the ends that fall on midnight:
 * eventtime is compared only at an end that does not (no text comparison of
 * every row of a whole day).
 */
export function boundPredicate(window: TimeWindow, scope: Scope, days: PartitionDays = scope.days ?? 'delivery'): Sql {
  const parts: Sql[] = [];
  if (days === 'event') {
    const first = dayNumber(dayOf(window.from.toISOString()));
    const last = dayNumber(dayOf(new Date(Math.max(window.from.getTime(), window.to.getTime() - 1)).toISOString()));
    // The day as a number (derive.ts DAY_NUMBER_RULE), on which DuckDB skips the row groups of other days.
    // One day is an equality, which DuckDB tests first and cheapest (a range lets it test eventtime first).
    parts.push(first === last ? sql`day_number = ${first}` : sql`day_number >= ${first} AND day_number <= ${last}`);
    if (window.from.getTime() % DAY_MS !== 0) parts.push(sql`eventtime >= ${isoSeconds(window.from)}`);
    if (window.to.getTime() % DAY_MS !== 0 || window.to <= window.from) parts.push(sql`eventtime < ${isoSeconds(window.to)}`);
  } else {
    const { firstDay, lastDay } = windowDays(window);
    parts.push(sql`day >= ${firstDay} AND day <= ${lastDay}`, sql`eventtime >= ${isoSeconds(window.from)} AND eventtime < ${isoSeconds(window.to)}`);
  }
  const accounts = accountsPredicate(scope);
  if (accounts) parts.push(accounts);
  return and(parts);
}

function anyOf(column: Sql, values: readonly string[] | undefined): Sql | null {
  return values && values.length ? sql`${column} IN ${values}` : null;
}

/** Extra predicates a caller plugs in (sessions come from the session derivation). */
export type SessionPredicate = (sessionIds: readonly string[]) => Sql;

/**
 * The events that touch a resource whose `column` (resource_arn or
 * resource_type) is one of `values`: the resource touches
 * (graph/touches.ts), the one definition of what an event touches that
 * Event.resources and the resource summaries read too. `bound` (the
 * statement's own boundPredicate) bounds the touches read; the scope's touch
 * guard keeps touches derived from a payload to the accounts whose payloads
 * the caller may read.
 */
function touching(column: 'resource_arn' | 'resource_type', values: readonly string[], bound: Sql, scope: Scope): Sql {
  return sql`eventid IN (SELECT eventid FROM ${trusted(TOUCHES)} WHERE ${readableTouches(and([bound, sql`${trusted(column)} IN ${values}`]), scope)})`;
}

/**
 * The criteria as one predicate over the table's rows. The scope says what
 * the caller may filter by: criteria on network details hold only in the
 * accounts whose network details it may read (networkGuard), resources
 * derived from a payload only where it may read payloads (touchGuard), on
 * every path (events, stats, the events of principals, sessions and
 * resources). `bound` is the statement's boundPredicate: the resource
 * criteria read the touches within it (required when they are given).
 */
export function criteriaPredicate(c: EventCriteria, scope: Scope, sessionPredicate?: SessionPredicate, bound?: Sql): Sql {
  const resourceBound = (): Sql => {
    if (!bound) throw new Error('criteriaPredicate: resource criteria need the statement bound');
    return bound;
  };
  const parts: (Sql | null)[] = [
    anyOf(trusted('eventid'), c.eventIds),
    anyOf(trusted('account'), c.accountIds),
    anyOf(trusted('region'), c.regions),
    anyOf(trusted('eventname'), c.eventNames),
    anyOf(trusted('eventsource'), c.eventSources),
    anyOf(trusted(`coalesce(eventcategory, 'Management')`), c.eventCategories?.map(eventCategoryToCloudTrail)),
    anyOf(IDENTITY_TYPE, c.identityTypes?.map(identityTypeToCloudTrail)),
    // principal_arn is a stored column (derive.ts DERIVED_COLUMNS): a plain comparison, tested in the scan.
    c.principalArns?.length ? or([sql`${PRINCIPAL_ARN} IN ${c.principalArns}`, sql`useridentity.arn IN ${c.principalArns}`]) : null,
    anyOf(trusted('useridentity.accesskeyid'), c.accessKeyIds),
    anyOf(trusted('sourceipaddress'), c.sourceIpAddresses),
    c.resourceArns?.length ? touching('resource_arn', c.resourceArns, resourceBound(), scope) : null,
    c.resourceTypes?.length ? touching('resource_type', c.resourceTypes, resourceBound(), scope) : null,
    anyOf(ERROR_CODE, c.errorCodes),
    c.readOnly === undefined ? null : c.readOnly ? IS_READ_ONLY : IS_WRITE,
    c.hasError === undefined ? null : c.hasError ? HAS_ERROR : sql`NOT ${HAS_ERROR}`,
    c.userAgentContains ? sql`strpos(lower(useragent), ${c.userAgentContains.toLowerCase()}) > 0` : null,
    c.clientTools?.length ? clientToolPredicate(c.clientTools) : null,
  ];
  if (filtersOnNetwork(c)) parts.push(networkGuard(scope));
  if (c.detectionRuleIds?.length) {
    if (!c.detectionRules) throw badInput('detectionRuleIds: this field does not take a detection rule filter', { argument: 'filter.detectionRuleIds' });
    parts.push(or(c.detectionRules));
  }
  if (c.sessionIds?.length) {
    // The session derivation (SESSION_REF) unless the caller plugs in another.
    parts.push((sessionPredicate ?? sessionIdsPredicate)(c.sessionIds));
  }
  return and(parts.filter((p): p is Sql => p !== null));
}
