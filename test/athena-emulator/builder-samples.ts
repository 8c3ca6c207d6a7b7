import { EventCategory } from '../../src/cloudtrail/event-category';
import { IdentityType } from '../../src/cloudtrail/identity-type';
import { accountsSql } from '../../src/history/accounts';
import { encodeCursor } from '../../src/history/cursor';
import { EventCriteria, Scope, UNRESTRICTED } from '../../src/history/event-filter';
import { eventsByKeysSql, eventsPageSql } from '../../src/history/events';
import { decisionEventsSql } from '../../src/history/graph/decisions';
import { EventParentKind, eventGraphsByKeysSql, parentEventsSql } from '../../src/history/graph/graph-events';
import { GroupPage } from '../../src/history/graph/keyset';
import { PrincipalParts } from '../../src/history/graph/summary-parts';
import { principalGroupsSql, principalPageSql, principalSummariesSql, topEventNamesSql } from '../../src/history/graph/principals';
import { principalsOfResourcesSql, resourcePageSql, resourceSummariesSql, resourcesOfPrincipalsSql, resourcesOfSessionsSql } from '../../src/history/graph/resources';
import { SessionRef, ownWindow, refText, sessionIdOf, sessionIdsPredicate } from '../../src/history/graph/session-ref';
import { sessionLookupsSql, sessionPageSql, sessionSummariesSql, sessionsOfPrincipalsSql } from '../../src/history/graph/sessions';
import { EventKey } from '../../src/history/ids';
import { lastRowSql, newEventsSql } from '../../src/history/new-events';
import { PageRequest, SortOrder } from '../../src/history/page';
import { Sql } from '../../src/history/sql/sql';
import { EventDimension, TimeBucket, eventStatsSql } from '../../src/history/stats';
import { TimeWindow } from '../../src/history/window';
import { detectionGroupsSql, detectionHitsSql, detectionSummariesSql, DetectionQuery } from '../../src/history/detections';
import { BUILT_IN_DIR, loadRuleDir } from '../../src/detections/load';

/**
 * Every statement the builder can emit, by builder, with representative
 * inputs: every filter field set and none, paging both ways, point look-ups,
 * each scope (everyone, some accounts, none). The dialect test parses them
 * all and checks their bounds; the engine test runs them on both engines.
 * A new builder (an exported `...Sql` function in src/history) must be added
 * here: the dialect test fails until it is.
 */
export interface SampleInputs {
  window: TimeWindow;
  /** At least two. */
  accounts: string[];
  /** Canonical ARNs; an sts assumed-role ARN is added by the samples. */
  principalArns: string[];
  sessionRefs: SessionRef[];
  resourceArns: string[];
  eventKeys: EventKey[];
  /** An event's (eventTime, eventId), for cursors. */
  eventAt: [string, string];
}

export interface Sample {
  builder: string;
  label: string;
  statement: Sql;
  /** The caller scope the statement was built for (its account bound is checked against it). */
  scope: Scope;
  /** Statements that read history without a day bound, on purpose (see accounts.ts). */
  unbounded?: true;
}

export const DEFAULT_INPUTS: SampleInputs = {
  window: { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-03-08T00:00:00Z') },
  accounts: ['111111111111', '222222222222'],
  principalArns: ['arn:aws:iam::111111111111:role/Admin', 'arn:aws:iam::111111111111:user/alice'],
  sessionRefs: [
    { kind: 'ASSUMED_ROLE', start: '2024-03-02T10:00:00Z', key: 'ASIAEXAMPLE1' },
    { kind: 'IDENTITY_CENTER', start: '', key: 'portal-credential-1' },
  ],
  resourceArns: ['arn:aws:s3:::example-bucket', 'arn:aws:iam::111111111111:role/Deploy'],
  eventKeys: [
    { day: '2024/03/02', account: '111111111111', region: 'us-east-1', eventId: 'e-1' },
    { day: '2024/03/03', account: '222222222222', region: 'eu-west-1', eventId: 'e-2' },
  ],
  eventAt: ['2024-03-03T12:00:00Z', 'e-2'],
};

/** Every part of a principal summary the principals' days hold. */
const DAILY_PARTS: PrincipalParts = ['type', 'name', 'account', 'errors', 'eventNames'];

function scopes(i: SampleInputs): Array<[string, Scope]> {
  return [
    ['everyone', UNRESTRICTED],
    ['one account', { accounts: [i.accounts[0]] }],
    ['no account', { accounts: [] }],
    // The embedded store's bound (day_number), and its principals' days.
    ['one account, event days', { accounts: [i.accounts[0]], days: 'event' }],
  ];
}

function fullCriteria(i: SampleInputs): EventCriteria {
  return {
    eventIds: i.eventKeys.map((k) => k.eventId),
    accountIds: i.accounts,
    regions: ['us-east-1', 'eu-west-1'],
    eventNames: ['AssumeRole', 'GetObject'],
    eventSources: ['sts.amazonaws.com', 's3.amazonaws.com'],
    eventCategories: [EventCategory.MANAGEMENT, EventCategory.DATA],
    identityTypes: [IdentityType.ASSUMED_ROLE, IdentityType.IDENTITY_CENTER_USER],
    principalArns: [...i.principalArns, stsArn(i)],
    accessKeyIds: ['ASIAEXAMPLE1', 'AKIAEXAMPLE2'],
    sessionIds: i.sessionRefs.map((r) => sessionIdOf(r, i.eventAt[0])),
    sourceIpAddresses: ['192.0.2.1'],
    resourceArns: i.resourceArns,
    resourceTypes: ['AWS::S3::Bucket'],
    readOnly: false,
    errorCodes: ['AccessDenied'],
    hasError: true,
    userAgentContains: "it's aws-cli",
  };
}

function stsArn(i: SampleInputs): string {
  return `arn:aws:sts::${i.accounts[0]}:assumed-role/Admin/session-1`;
}

const cursor = (i: SampleInputs) => encodeCursor(i.eventAt);

function page(direction: 'forward' | 'backward', after: string | null, before: string | null): PageRequest {
  return { size: 5, direction, after, before };
}

function each<T>(values: readonly T[], fn: (v: T) => Omit<Sample, 'builder'>[]): Omit<Sample, 'builder'>[] {
  return values.flatMap(fn);
}

const ORDERS: readonly SortOrder[] = ['DESC', 'ASC'];
const FIRST: GroupPage = { size: 5, after: null };

/** The built-in detection pack's rules (every modifier it uses), as a detections statement's rules. */
function detectionQuery(i: SampleInputs, scope: Scope, criteria: EventCriteria = {}): DetectionQuery {
  const rules = loadRuleDir(BUILT_IN_DIR, true).flatMap((r, index) => (r.supported ? [{ index, predicate: r.predicate, eventNames: r.eventNames }] : []));
  return { rules, criteria, window: i.window, scope, sessionPredicate: sessionIdsPredicate };
}

/** Builders by name; each gives its samples for the inputs. */
export const SAMPLE_BUILDERS: Record<string, (i: SampleInputs) => Omit<Sample, 'builder'>[]> = {
  detectionSummariesSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `every rule, ${name}`, scope, statement: detectionSummariesSql(detectionQuery(i, scope)) },
      { label: `per principal, every criterion, ${name}`, scope, statement: detectionSummariesSql(detectionQuery(i, scope, fullCriteria(i)), { kind: 'principal', keys: i.principalArns }) },
      { label: `per session, ${name}`, scope, statement: detectionSummariesSql(detectionQuery(i, scope), { kind: 'session', keys: i.sessionRefs.map(refText) }) },
    ]),
  detectionGroupsSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `principals, ${name}`, scope, statement: detectionGroupsSql(detectionQuery(i, scope), 'principal', 5) },
      { label: `sessions, ${name}`, scope, statement: detectionGroupsSql(detectionQuery(i, scope), 'session', 5) },
    ]),
  detectionHitsSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `window, ${name}`, scope, statement: detectionHitsSql(detectionQuery(i, scope)) },
      { label: `event keys, ${name}`, scope, statement: detectionHitsSql(detectionQuery(i, scope), i.eventKeys) },
    ]),
  eventsPageSql: (i) =>
    each(scopes(i), ([name, scope]) =>
      (
        [
          ['first page', 'DESC', page('forward', null, null), {}],
          ['first page', 'ASC', page('forward', null, null), {}],
          ['after', 'DESC', page('forward', cursor(i), null), {}],
          ['after', 'ASC', page('forward', cursor(i), null), {}],
          ['after and before', 'DESC', page('forward', cursor(i), cursor(i)), {}],
          ['last before', 'ASC', page('backward', null, cursor(i)), {}],
          ['every filter field', 'DESC', page('forward', cursor(i), null), fullCriteria(i)],
          ['every filter field, backward', 'ASC', page('backward', cursor(i), cursor(i)), fullCriteria(i)],
          ['readOnly true, no errors', 'DESC', page('forward', null, null), { readOnly: true, hasError: false }],
        ] as Array<[string, SortOrder, PageRequest, EventCriteria]>
      ).map(([label, order, p, criteria]) => ({
        label: `${label}, ${order}, ${name}`,
        scope,
        statement: eventsPageSql({ criteria, window: i.window, scope, order, page: p, sessionPredicate: sessionIdsPredicate }),
      })),
    ),
  eventsByKeysSql: (i) => scopes(i).map(([name, scope]) => ({ label: name, scope, statement: eventsByKeysSql(i.eventKeys, scope) })),
  eventGraphsByKeysSql: (i) => scopes(i).map(([name, scope]) => ({ label: name, scope, statement: eventGraphsByKeysSql(i.eventKeys, scope) })),
  eventStatsSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      // One dimension at a time for the first scope; every dimension at once for each scope.
      ...(scope === UNRESTRICTED ? Object.values(EventDimension) : []).map((d) => ({
        label: `by ${d}, ${name}`,
        scope,
        statement: eventStatsSql({ criteria: {}, window: i.window, scope, groupBy: [d], bucket: null, limit: 10 }),
      })),
      ...Object.values(TimeBucket).map((b) => ({
        label: `every dimension per ${b}, every filter field, ${name}`,
        scope,
        statement: eventStatsSql({ criteria: fullCriteria(i), window: i.window, scope, groupBy: Object.values(EventDimension), bucket: b, limit: 100, sessionPredicate: sessionIdsPredicate }),
      })),
      { label: `total, ${name}`, scope, statement: eventStatsSql({ criteria: {}, window: i.window, scope, groupBy: [], bucket: null, limit: 1 }) },
    ]),
  accountsSql: () => [{ label: 'every account', scope: UNRESTRICTED, statement: accountsSql(), unbounded: true }],
  // Subscriptions read the embedded store's row numbers: no day bound, and no column of any event.
  lastRowSql: () => [{ label: 'the newest row number', scope: UNRESTRICTED, statement: lastRowSql(), unbounded: true }],
  // Subscriptions: the embedded store only (row numbers), so event-day scopes only.
  newEventsSql: (i) =>
    scopes(i)
      .filter(([, scope]) => scope.days === 'event')
      .flatMap(([name, scope]) => [
        { label: `one subscriber, ${name}`, scope, statement: newEventsSql([{ tag: 0, after: 10, upto: 20, window: i.window, scope, criteria: {} }], 500, 'event') },
        {
          label: `two subscribers, every filter field, ${name}`,
          scope,
          statement: newEventsSql(
            [
              { tag: 0, after: 10, upto: 20, window: i.window, scope, criteria: fullCriteria(i) },
              { tag: 1, after: -1, upto: 20, window: { from: i.window.from, to: new Date(i.window.from.getTime() + 3_600_000) }, scope, criteria: { readOnly: true } },
            ],
            500,
            'event',
          ),
        },
      ]),
  principalSummariesSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: name, scope, statement: principalSummariesSql([...i.principalArns, stsArn(i)], i.window, scope) },
      // The parts the principals' days hold (read from them where the partition day is the event's).
      { label: `daily parts, ${name}`, scope, statement: principalSummariesSql(i.principalArns, i.window, scope, DAILY_PARTS) },
    ]),
  principalGroupsSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      {
        label: `every criterion, ${name}`,
        scope,
        statement: principalGroupsSql({ accountIds: i.accounts, identityTypes: ['AssumedRole', 'IAMUser'], arnPrefix: 'arn:aws:iam::' }, i.window, scope),
      },
      {
        label: `every criterion, daily parts, ${name}`,
        scope,
        statement: principalGroupsSql({ accountIds: i.accounts, identityTypes: ['AssumedRole', 'IAMUser'], arnPrefix: 'arn:aws:iam::' }, i.window, scope, DAILY_PARTS),
      },
    ]),
  principalPageSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `first page, ${name}`, scope, statement: principalPageSql({}, i.window, scope, FIRST) },
      { label: `after, every criterion, ${name}`, scope, statement: principalPageSql({ accountIds: i.accounts, identityTypes: ['Root'], arnPrefix: 'arn:' }, i.window, scope, { size: 5, after: [i.principalArns[0]] }) },
    ]),
  topEventNamesSql: (i) => scopes(i).map(([name, scope]) => ({ label: name, scope, statement: topEventNamesSql(i.principalArns, 3, i.window, scope) })),
  sessionPageSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `first page, ${name}`, scope, statement: sessionPageSql({}, i.window, scope, FIRST) },
      {
        label: `after, every criterion, ${name}`,
        scope,
        statement: sessionPageSql(
          { accountIds: i.accounts, principalArns: [...i.principalArns, stsArn(i)], kinds: ['ASSUMED_ROLE', 'CONSOLE'], hasError: true, mfaAuthenticated: false },
          i.window,
          scope,
          { size: 5, after: [i.eventAt[0], refText(i.sessionRefs[0])] },
        ),
      },
    ]),
  sessionsOfPrincipalsSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `first pages, ${name}`, scope, statement: sessionsOfPrincipalsSql(i.principalArns, {}, i.window, scope, FIRST) },
      {
        label: `after, criteria, ${name}`,
        scope,
        statement: sessionsOfPrincipalsSql(i.principalArns, { kinds: ['IDENTITY_CENTER'], hasError: false, mfaAuthenticated: true }, i.window, scope, { size: 2, after: [i.eventAt[0], refText(i.sessionRefs[1])] }),
      },
    ]),
  sessionSummariesSql: (i) => scopes(i).map(([name, scope]) => ({ label: name, scope, statement: sessionSummariesSql(i.sessionRefs, i.window, scope) })),
  sessionLookupsSql: (i) =>
    scopes(i).map(([name, scope]) => ({
      label: name,
      scope,
      statement: sessionLookupsSql(i.sessionRefs.map((ref) => ({ ref, window: ownWindow(ref, Date.parse(i.eventAt[0])) })), scope),
    })),
  resourcePageSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `first page, ${name}`, scope, statement: resourcePageSql({}, i.window, scope, FIRST) },
      { label: `after, every criterion, ${name}`, scope, statement: resourcePageSql({ accountIds: i.accounts, types: ['AWS::S3::Bucket'], arnPrefix: 'arn:aws:s3' }, i.window, scope, { size: 5, after: [i.resourceArns[0]] }) },
    ]),
  resourceSummariesSql: (i) => scopes(i).map(([name, scope]) => ({ label: name, scope, statement: resourceSummariesSql(i.resourceArns, i.window, scope) })),
  resourcesOfSessionsSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `first pages, ${name}`, scope, statement: resourcesOfSessionsSql(i.sessionRefs, i.window, scope, FIRST) },
      { label: `after, ${name}`, scope, statement: resourcesOfSessionsSql(i.sessionRefs, i.window, scope, { size: 2, after: [i.resourceArns[0]] }) },
    ]),
  resourcesOfPrincipalsSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `first pages, ${name}`, scope, statement: resourcesOfPrincipalsSql(i.principalArns, i.window, scope, FIRST) },
      { label: `after, ${name}`, scope, statement: resourcesOfPrincipalsSql(i.principalArns, i.window, scope, { size: 2, after: [i.resourceArns[0]] }) },
    ]),
  principalsOfResourcesSql: (i) =>
    each(scopes(i), ([name, scope]) => [
      { label: `first pages, ${name}`, scope, statement: principalsOfResourcesSql(i.resourceArns, i.window, scope, FIRST) },
      { label: `after, ${name}`, scope, statement: principalsOfResourcesSql(i.resourceArns, i.window, scope, { size: 2, after: [i.principalArns[0]] }) },
    ]),
  parentEventsSql: (i) =>
    each(scopes(i), ([name, scope]) =>
      each(['principal', 'session', 'resource'] as EventParentKind[], (kind) => {
        const parents = kind === 'principal' ? i.principalArns : kind === 'session' ? i.sessionRefs.map(refText) : i.resourceArns;
        // Both orders for one kind; the kinds differ in their inner rows only.
        return each<SortOrder>(kind === 'principal' ? ORDERS : ['DESC'], (order) => [
          { label: `${kind}, first pages, ${order}, ${name}`, scope, statement: parentEventsSql({ kind, parents, criteria: {}, window: i.window, scope, order, size: 3, after: null }) },
          {
            label: `${kind}, after, every filter field, ${order}, ${name}`,
            scope,
            statement: parentEventsSql({ kind, parents, criteria: fullCriteria(i), window: i.window, scope, order, size: 3, after: cursor(i) }),
          },
        ]);
      }),
    ),
  decisionEventsSql: (i) =>
    each(scopes(i), ([name, scope]) =>
      each(ORDERS, (order) => [
        { label: `all decisions, ${order}, ${name}`, scope, statement: decisionEventsSql({ criteria: {}, window: i.window, scope, order, from: null, limit: 20 }) },
        {
          label: `every criterion, from, ${order}, ${name}`,
          scope,
          statement: decisionEventsSql({
            criteria: { decision: 'DENY', actions: ['HeroApp::Action::"view"'], principals: ['HeroApp::User::"alice"'], policyStoreIds: ['ps-123'] },
            window: i.window,
            scope,
            order,
            from: i.eventAt,
            limit: 20,
          }),
        },
      ]),
    ),
};

/**
 * Exported `...Sql` functions that are not statements: parts of statements
 * (covered through the builders that use them), DDL, and dialect mapping.
 */
export const NOT_STATEMENTS: Record<string, string> = {
  dimensionSql: 'an expression of eventStatsSql',
  groupPageSql: 'the paging wrapper of the principal/session/resource pages',
  perParentPageSql: 'the per-parent paging wrapper of the *Of*Sql builders',
  createTableSql: 'DuckDB DDL of the embedded store',
  dailySummariesSql: 'the principals\' days form of principalSummariesSql and principalGroupsSql (their event-days samples)',
  dailyTopEventNamesSql: 'the principals\' days form of topEventNamesSql (its event-days samples)',
  toDuckDbSql: 'the DuckDB dialect mapping',
};

export function allSamples(inputs: SampleInputs = DEFAULT_INPUTS): Sample[] {
  return Object.entries(SAMPLE_BUILDERS).flatMap(([builder, make]) => make(inputs).map((s) => ({ builder, ...s })));
}
