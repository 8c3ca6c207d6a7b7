import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupRejections, plural, problemLines, summaryLine } from '../src/cli/ingest-summary';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { IngestSummary, ingestPaths } from '../src/ingest';

/** The ingest report: rejections grouped by reason, plurals right, files skipped in folders counted. */
const record = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08', eventTime: `2024-03-01T10:00:0${i % 10}Z`, eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.7', requestID: `req-${i}`, eventID: `00000000-0000-4000-8000-00000000000${i}`, readOnly: true, eventType: 'AwsApiCall',
  recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
  ...extra,
});

let dir: string;
let summary: IngestSummary;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailgraph-ingest-summary-'));
  const logs = join(dir, 'logs');
  mkdirSync(join(logs, 'nested'), { recursive: true });
  const noId = (i: number) => {
    const r: Record<string, unknown> = record(i);
    delete r.eventID;
    return r;
  };
  // 1 good record; 3 without an eventID; 2 reusing eventID ...1 with a different record (conflicts); 1 without eventTime.
  const noTime: Record<string, unknown> = record(7);
  delete noTime.eventTime;
  writeFileSync(join(logs, 'a.json'), JSON.stringify({ Records: [record(1), noId(2), noId(3), noId(4), noTime] }));
  writeFileSync(join(logs, 'nested', 'b.json'), JSON.stringify({ Records: [record(1, { eventName: 'GetUser' }), record(1, { eventName: 'ListRoles' })] }));
  // Not named like log files: skipped, and counted.
  writeFileSync(join(logs, 'SOURCES.md'), '# where these came from\n');
  writeFileSync(join(logs, 'nested', 'provenance.tsv'), 'file\tsource\n');
  const engine = await DuckDbEngine.open(':memory:');
  try {
    summary = await ingestPaths(engine, [logs]);
  } finally {
    await engine.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('singular and plural', () => {
  expect([plural(0, 'file'), plural(1, 'file'), plural(2, 'file'), plural(1200, 'record')]).toEqual(['0 files', '1 file', '2 files', '1,200 records']);
});

test('files skipped in folders are counted', () => {
  expect(summary.files).toBe(2);
  expect((summary.skipped ?? []).map((p) => p.slice(dir.length))).toEqual(['/logs/SOURCES.md', '/logs/nested/provenance.tsv']);
});

test('rejected records are grouped by reason, most frequent first, and the groups add up to the rejected count', () => {
  expect(summary.rejected).toBe(6);
  const groups = groupRejections(summary.problems);
  expect(groups.map((g) => g.count)).toEqual([3, 2, 1]);
  expect(groups.reduce((a, g) => a + g.count, 0)).toBe(summary.rejected);
});

test('the report: one summary line, then one line per reason (not per record)', () => {
  expect(summaryLine(summary).split('\n')).toHaveLength(1);
  const lines = problemLines(summary);
  // A heading, then the three reasons.
  expect(lines).toHaveLength(1 + 3);
});
