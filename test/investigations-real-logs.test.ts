import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { Investigation } from '../src/graphiql/investigations';
import { buildApp } from '../src/server';
import { CORPUS_DIR, corpusStore } from './support/corpus';
import { corpusRecords } from './support/fixture-store';

// The explorer's own filler (plain browser JavaScript, also a CommonJS module): the test fills as the explorer does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fillInvestigation } = require('../src/graphiql/public/fill.js') as {
  fillInvestigation: (inv: Investigation, post: (body: object) => Promise<unknown>) => Promise<{ variables: Record<string, unknown>; latest: string | null; located: boolean }>;
};

/**
 * Older logs: after `trailgraph ingest ../shared/corpus` then `serve` (the
 * default settings: a 7-day default window, 90 days at most), every saved
 * investigation the corpus can answer answers, with the variables the explorer
 * fills in from the store. Which it can answer is decided here, from the raw
 * records, independently of the server.
 */
type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (typeof v === 'object' && v !== null ? (v as Raw) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const identity = (r: Raw) => obj(r.userIdentity);

const ACCESS_DENIED = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation'];
const IAM_CHANGES = new Set(['CreateRole', 'DeleteRole', 'UpdateRole', 'UpdateAssumeRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion', 'AttachUserPolicy', 'DetachUserPolicy', 'PutUserPolicy', 'DeleteUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy', 'PutGroupPolicy', 'DeleteGroupPolicy']);

/** What each investigation is about, as a test over one raw record; and, when no record passes, why. */
const ABOUT: Record<string, { test: (r: Raw) => boolean; without: string }> = {
  'access-key-activity': { test: (r) => /^(AKIA|ASIA)/.test(str(identity(r).accessKeyId)), without: 'no record signed with an access key' },
  'who-changed-resource': { test: (r) => r.readOnly !== true && r.readOnly !== 'true' && Array.isArray(r.resources) && r.resources.some((x) => str(obj(x).ARN).startsWith('arn:')), without: 'no write naming a resource ARN' },
  'access-denied-by-principal': { test: (r) => ACCESS_DENIED.includes(str(r.errorCode)), without: 'no AccessDenied call' },
  'console-sign-ins-without-mfa': {
    test: (r) => r.eventName === 'ConsoleLogin' && obj(r.additionalEventData).MFAUsed === 'No' && obj(r.responseElements).ConsoleLogin === 'Success' && ['Root', 'IAMUser'].includes(str(identity(r).type)),
    without: 'no successful console sign-in without MFA',
  },
  'amazon-q-calls': { test: (r) => str(r.userAgent).includes('amazonq-for-'), without: 'no call from Amazon Q (no amazonq-for- user agent)' },
  'identity-center-user-activity': { test: (r) => /assumed-role\/AWSReservedSSO_[^/]+\/.+$/.test(str(identity(r).arn)), without: 'no Identity Center permission-set session' },
  'iam-policy-and-role-changes': { test: (r) => r.eventSource === 'iam.amazonaws.com' && IAM_CHANGES.has(str(r.eventName)), without: 'no IAM role or policy change' },
  'session-summary': { test: (r) => str(identity(r).accessKeyId) !== '' && str(identity(r).arn) !== '', without: 'no session' },
  'session-integrity-review': { test: (r) => str(identity(r).accessKeyId) !== '' && str(identity(r).arn) !== '', without: 'no session' },
  'top-apis-by-error-code': { test: (r) => str(r.errorCode) !== '', without: 'no failed call' },
};

/** Records the store holds for sure: a valid time and an eventID no other corpus record reuses. */
function storedRecords(): Raw[] {
  const records = corpusRecords() as unknown as Raw[];
  const ids = new Map<string, number>();
  for (const r of records) ids.set(str(r.eventID), (ids.get(str(r.eventID)) ?? 0) + 1);
  return records.filter((r) => str(r.eventID) !== '' && ids.get(str(r.eventID)) === 1 && !Number.isNaN(Date.parse(str(r.eventTime))));
}

let app: FastifyInstance;
let served: Investigation[];
const records = storedRecords();

beforeAll(async () => {
  const { engine } = await corpusStore();
  app = await buildApp(loadConfig(['--db', CORPUS_DIR], {}).config, { engine, logger: false });
  const res = await app.inject({ method: 'GET', url: '/graphiql/explorer.json' });
  // Queries: a subscription (the live investigation) is watched over WebSocket, not answered over HTTP.
  served = (JSON.parse(res.body) as { investigations: Investigation[] }).investigations.filter((i) => !/^\s*subscription\b/m.test(i.query.replace(/^#.*$/gm, '')));
}, 120_000);
afterAll(() => app.close());

async function post(body: object): Promise<{ data?: Record<string, unknown> | null; errors?: unknown[] }> {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: body });
  return JSON.parse(res.body) as { data?: Record<string, unknown> | null; errors?: unknown[] };
}

test('the reference decides for every saved investigation, and the corpus answers most of them', () => {
  expect(records.length).toBeGreaterThan(500);
  expect(served.map((i) => i.id).sort()).toEqual(Object.keys(ABOUT).sort());
  const answerable = served.filter((i) => records.some(ABOUT[i.id].test));
  const cannot = served.filter((i) => !answerable.includes(i)).map((i) => `${i.id}: ${ABOUT[i.id].without}`);
  // Written out so that a change in what the corpus can answer is seen: these are the ones it cannot.
  expect(cannot).toEqual(['amazon-q-calls: no call from Amazon Q (no amazonq-for- user agent)']);
});

test('the store says when its newest event happened: the corpus\'s newest record the store holds', async () => {
  const newest = Math.max(...records.map((r) => Date.parse(str(r.eventTime))));
  const r = await post({ query: '{ latestEventTime earliestEventTime }' });
  expect(r.errors).toBeUndefined();
  expect(Date.parse(str(r.data?.latestEventTime))).toBeGreaterThanOrEqual(newest);
  expect(Date.parse(str(r.data?.earliestEventTime))).toBeLessThanOrEqual(Math.min(...records.map((x) => Date.parse(str(x.eventTime)))));
});

describe('filled as the explorer fills them, every investigation the corpus can answer answers', () => {
  test.each(Object.keys(ABOUT).map((id) => [id]))('%s', async (id) => {
    const inv = served.find((i) => i.id === id)!;
    const answerable = records.some(ABOUT[id].test);
    const filled = await fillInvestigation(inv, post);
    const r = await post({ query: inv.query, operationName: inv.operationName, variables: filled.variables });
    expect(r.errors).toBeUndefined();
    const empty = Object.entries(r.data ?? {}).filter(([, value]) => {
      const items = Array.isArray(value) ? value : (value as { nodes?: unknown[] } | null)?.nodes;
      return Array.isArray(items) ? items.length === 0 : value === null;
    });
    if (answerable) {
      expect(filled.located).toBe(true);
      expect(empty.map(([field]) => field)).toEqual([]);
    } else {
      expect(filled.located).toBe(false);
    }
  });
});
