import { toLiteral } from '../src/history/athena/parameters';
import { countPlaceholders, fillPlaceholders } from '../src/history/athena/sql-text';
import { Scope, UNRESTRICTED } from '../src/history/event-filter';
import { GroupPage } from '../src/history/graph/keyset';
import { principalPageSql, principalSummariesSql } from '../src/history/graph/principals';
import { SessionRef } from '../src/history/graph/session-ref';
import { sessionLookupsSql, sessionPageSql, sessionSummariesSql, sessionsOfPrincipalsSql } from '../src/history/graph/sessions';
import {
  PRINCIPAL_PARTS, PrincipalPart, PrincipalParts, SESSION_PARTS, SessionPart, SessionParts, computed, principalParts, sessionParts,
} from '../src/history/graph/summary-parts';
import { Sql } from '../src/history/sql/sql';
import { bridgeGrammarGaps, parseTrino } from './athena-emulator/partitions';

/**
 * The summary statements with each part alone, and with none: Trino SQL,
 * reading the columns of the parts asked and none of the others'. (The API
 * tests run them; test/summary-parts.test.ts compares their answers.)
 */
const WINDOW = { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-03-08T00:00:00Z') };
const SCOPE: Scope = { accounts: ['111111111111'] };
const ARNS = ['arn:aws:iam::111111111111:role/Admin', 'arn:aws:sts::111111111111:assumed-role/Admin/alice'];
const REFS: SessionRef[] = [
  { kind: 'ASSUMED_ROLE', start: '2024-03-02T10:00:00Z', key: 'AROAEXAMPLE:alice' },
  { kind: 'IDENTITY_CENTER', start: '', key: 'portal-credential-1' },
];
const PAGE: GroupPage = { size: 5, after: null };
const AFTER: GroupPage = { size: 5, after: ['2024-03-03T00:00:00Z', 'ASSUMED_ROLE|2024-03-02T10:00:00Z|AROAEXAMPLE:alice'] };

/** A text the statement holds when (and only when) it computes the part. */
const PRINCIPAL_MARKS: Record<PrincipalPart, string> = {
  type: 'principal_type', name: 'username', account: 'accountid', errors: 'errorcode', accessKeys: 'accesskeyid', sourceIps: 'sourceipaddress', eventNames: 'histogram',
};
const SESSION_MARKS: Record<SessionPart, string> = {
  principal: 'principal_arn', writes: 'readonly', errors: 'count_if(err)', denied: 'AccessDenied', sourceIdentity: 'sourceidentity',
  accessKey: 'accesskeyid', mfa: 'mfaauthenticated', sources: 'eventsource', regions: 'awsregion', sourceIps: 'sourceipaddress', userAgents: 'useragent',
};

/** A principal's name and account are derived from its type, so asking either computes the type too. */
const withTypeWhereNeeded = (asked: readonly PrincipalPart[]): PrincipalPart[] => (asked.includes('name') || asked.includes('account') ? ['type', ...asked] : [...asked]);

function parses(s: Sql): void {
  expect(countPlaceholders(s.text)).toBe(s.params.length);
  expect(() => parseTrino(bridgeGrammarGaps(fillPlaceholders(s.text, s.params.map(toLiteral))))).not.toThrow();
}

/** The statement reads a part's columns when it was asked or the statement always needs it, and never when it never computes it. */
function checkMarks<P extends string>(s: Sql, asked: readonly P[], marks: Record<P, string>, all: readonly P[], always: readonly P[], never: readonly P[] = []): void {
  for (const p of all) {
    const present = s.text.includes(marks[p]);
    expect([p, present]).toEqual([p, (asked.includes(p) || always.includes(p)) && !never.includes(p)]);
  }
}

const PRINCIPAL_BUILDERS: Array<[string, (parts: PrincipalParts) => Sql, PrincipalPart[], PrincipalPart[]]> = [
  ['summaries by ARN', (parts) => principalSummariesSql(ARNS, WINDOW, SCOPE, parts), [], []],
  // A page never counts event names (its principals ask topEventNamesSql).
  ['a page', (parts) => principalPageSql({ accountIds: ['111111111111'], arnPrefix: 'arn:' }, WINDOW, UNRESTRICTED, PAGE, parts), [], ['eventNames']],
  // The identityTypes filter compares the type.
  ['a page filtered by type', (parts) => principalPageSql({ identityTypes: ['IAMUser'] }, WINDOW, SCOPE, PAGE, parts), ['type'], ['eventNames']],
];

const SESSION_BUILDERS: Array<[string, (parts: SessionParts) => Sql, SessionPart[]]> = [
  ['a page', (parts) => sessionPageSql({ kinds: ['ASSUMED_ROLE'] }, WINDOW, SCOPE, PAGE, parts), []],
  // The HAVING filters compare errors and MFA.
  ['a page with HAVING filters', (parts) => sessionPageSql({ hasError: true, mfaAuthenticated: false }, WINDOW, SCOPE, AFTER, parts), ['errors', 'mfa']],
  // principal_arn names the principals (candidates.ts) whatever the parts.
  ['sessions of principals', (parts) => sessionsOfPrincipalsSql(ARNS, {}, WINDOW, SCOPE, AFTER, parts), ['principal']],
  ['a page by principal', (parts) => sessionPageSql({ principalArns: ARNS }, WINDOW, UNRESTRICTED, PAGE, parts), ['principal']],
  ['summaries', (parts) => sessionSummariesSql(REFS, WINDOW, SCOPE, parts), []],
  ['look-ups in their own windows', (parts) => sessionLookupsSql(REFS.map((ref) => ({ ref, window: WINDOW })), SCOPE, parts), []],
];

describe('each part alone, and none', () => {
  test.each(PRINCIPAL_BUILDERS)('principals: %s', (_name, build, always, never) => {
    for (const asked of [[], ...PRINCIPAL_PARTS.map((p) => [p])] as PrincipalPart[][]) {
      const s = build(asked);
      parses(s);
      // name and account need the type (written here, not read from principalParts).
      checkMarks(s, withTypeWhereNeeded(asked), PRINCIPAL_MARKS, PRINCIPAL_PARTS, always, never);
    }
    parses(build(PRINCIPAL_PARTS));
  });

  test.each(SESSION_BUILDERS)('sessions: %s', (_name, build, always) => {
    for (const asked of [[], ...SESSION_PARTS.map((p) => [p])] as SessionPart[][]) {
      const s = build(asked);
      parses(s);
      checkMarks(s, asked, SESSION_MARKS, SESSION_PARTS, always);
    }
    parses(build(SESSION_PARTS));
  });
});

describe('parts', () => {
  test('a union is in declaration order without repeats, with the parts each needs', () => {
    expect(sessionParts(['userAgents', 'principal'], ['principal', 'mfa'])).toEqual(['principal', 'mfa', 'userAgents']);
    expect(principalParts(['name'], ['sourceIps', 'name'])).toEqual(['type', 'name', 'sourceIps']);
    expect(principalParts(['account'])).toEqual(['type', 'account']);
    expect(principalParts()).toEqual([]);
  });

  test('computed: a value, even null or empty, is served; an absent one is an error', () => {
    const summary: { a?: string | null; b?: string[]; c?: number } = { a: null, b: [] };
    expect(computed(summary, 'a')).toBeNull();
    expect(computed(summary, 'b')).toEqual([]);
    expect(() => computed(summary, 'c')).toThrow();
  });
});
