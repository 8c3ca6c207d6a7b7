import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { sql } from '../src/history/sql/sql';
import { IngestOptions, IngestSummary, ingestPaths } from '../src/ingest';
import { CORPUS_DIR, corpusFiles } from './support/corpus-files';
import { logValues } from './support/log-files';
import { logFile, tempTree } from './support/temp-tree';
import { sampleRecord } from './support/sample-record';
import { expectedPrincipalDays, expectedTouches, storedPrincipalDays, storedTouches } from './support/side-table-reference';

/**
 * The fast path (DuckDB reads regular log files itself) gives exactly what
 * the Node path gives: the same rows, the same account, the same problems.
 * Each case is ingested twice, fast path on and off, into fresh stores.
 */
type Row = Record<string, unknown>;

const JSON_TEXT = ['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails', 'edgedevicedetails', 'raw'];

/** A row with its JSON-text columns parsed: the paths may write the same JSON differently (1.0 / 1). */
function comparable(row: Row): Row {
  const out: Row = { ...row };
  for (const c of JSON_TEXT) if (typeof out[c] === 'string') out[c] = JSON.parse(out[c] as string);
  const web = (out.useridentity as { sessioncontext?: { webidfederationdata?: { attributes?: unknown } | null } | null } | null)?.sessioncontext?.webidfederationdata;
  if (web && typeof web.attributes === 'string') web.attributes = JSON.parse(web.attributes);
  return out;
}

async function tableOf(engine: DuckDbEngine): Promise<Row[]> {
  const conn = await engine.connect();
  try {
    const rows = (await conn.runAndReadAll('SELECT * FROM cloudtrail ORDER BY eventid')).getRowObjectsJS() as Row[];
    return rows.map(comparable);
  } finally {
    conn.closeSync();
  }
}

interface Run {
  summary: IngestSummary;
  rows: Row[];
  fast: string[];
  /** The resource touches stored, and how many touches and principals' days differ from the written rules over the whole table (either way). */
  touches: { stored: number; unexplained: number };
}

/**
 * The side tables the ingest wrote batch by batch, against what the written
 * rules (side-table-reference.ts, plain TypeScript) give the records the
 * table ends up holding (read from its raw column).
 */
async function touchesOf(engine: DuckDbEngine): Promise<Run['touches']> {
  const records = (await engine.query(sql`SELECT raw FROM cloudtrail`)).rows.map((r) => JSON.parse(String(r.raw)) as CloudTrailRecord);
  const stored = await storedTouches(engine);
  const expected = expectedTouches(records);
  const key = (t: object) => JSON.stringify(t);
  const unexplainedTouches = symmetricDifference(stored.map(key), expected.map(key));
  const days = await storedPrincipalDays(engine);
  const daysExpected = expectedPrincipalDays(records);
  const unexplainedDays = symmetricDifference(Object.entries(days).map(key), Object.entries(daysExpected).map(key));
  return { stored: stored.length, unexplained: unexplainedTouches + unexplainedDays };
}

/** How many items are in one multiset and not the other (either way). */
function symmetricDifference(a: string[], b: string[]): number {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  for (const x of b) count.set(x, (count.get(x) ?? 0) - 1);
  return [...count.values()].reduce((n, c) => n + Math.abs(c), 0);
}

/** Ingests each list of paths in turn into one fresh store; the last ingest's account, the table, and the files the fast path read. */
async function ingestRuns(runs: string[][], fastPath: boolean, opts: IngestOptions = {}): Promise<Run[]> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const out: Run[] = [];
    for (const paths of runs) {
      const fast: string[] = [];
      const summary = await ingestPaths(engine, paths, { ...opts, fastPath, onRoute: (p, route) => void (route === 'fast' && fast.push(p)) });
      out.push({ summary, rows: await tableOf(engine), fast: fast.sort(), touches: await touchesOf(engine) });
    }
    return out;
  } finally {
    await engine.close();
  }
}

const shape = (s: IngestSummary): IngestSummary => ({ ...s, elapsedMs: 0 });

/** Both paths, the same answer; returns the fast run(s). */
async function bothPaths(runs: string[][], opts: IngestOptions = {}): Promise<Run[]> {
  const fast = await ingestRuns(runs, true, opts);
  const node = await ingestRuns(runs, false, opts);
  for (let i = 0; i < runs.length; i++) {
    expect(node[i].fast).toEqual([]);
    expect(shape(fast[i].summary)).toEqual(shape(node[i].summary));
    expect(fast[i].rows).toHaveLength(node[i].rows.length);
    expect(fast[i].rows).toEqual(node[i].rows);
    expect(fast[i].touches).toEqual({ stored: node[i].touches.stored, unexplained: 0 });
    expect(node[i].touches.unexplained).toBe(0);
  }
  return fast;
}

const record = sampleRecord;

const { files, path } = tempTree('tg-fast-path-');

describe('the fast path reads log files as the Node path does', () => {
  test('every corpus record, as log files of a few records each (gzip and not), beside the corpus itself', async () => {
    const spec: Record<string, string | Buffer> = {};
    let chunks = 0;
    // The corpus records as values, read independently of src/ingest (JSON Lines lines that are not JSON left out).
    for (const name of corpusFiles()) {
      const records = logValues(name, { skipUnparsable: true });
      for (let i = 0; i < records.length; i += 6, chunks++) {
        const text = logFile(records.slice(i, i + 6));
        spec[`${basename(name).replace(/\..*$/, '')}-${i}.json${chunks % 2 ? '.gz' : ''}`] = chunks % 2 ? gzipSync(text) : text;
      }
    }
    const dir = files(spec);
    const [run] = await bothPaths([[CORPUS_DIR, dir]]);
    // Most chunks are regular and read by DuckDB; the corpus's own JSON Lines files are not.
    expect(run.fast.length).toBeGreaterThan(chunks * 0.6);
    expect(run.fast.every((p) => p.startsWith(dir) || /\.json(\.gz)?$/.test(p))).toBe(true);
    expect(run.summary.duplicates).toBeGreaterThan(500);
    expect(run.summary.stored).toBe(run.rows.length);
  }, 90_000);

  test('a generated demo: every file on the fast path, the same table', async () => {
    const out = path('demo');
    const made = await generateDemo({ events: 1500, out, seed: 7, days: 2, end: new Date('2025-03-14T23:59:59Z') });
    const [run] = await bothPaths([[out]]);
    expect(run.fast).toHaveLength(made.files);
    expect(run.summary.stored).toBe(made.events);
    expect(run.rows).toHaveLength(made.events);
    expect(run.touches.stored).toBeGreaterThan(made.events / 4);
  }, 90_000);

  test('a batch with broken and irregular files: they go the Node path, the others load fast', async () => {
    const cut = gzipSync(logFile(Array.from({ length: 200 }, (_, i) => record(100 + i, { padding: 'x'.repeat(300 + i) }))));
    const dir = files({
      'a.json.gz': gzipSync(logFile([record(1), record(2)])),
      'b.json.gz': cut.subarray(0, Math.floor(cut.length * 0.6)),
      'c.json': logFile([record(3, { userAgent: 'agent-\ud800-x' })]),
      'd.json': logFile([record(4, { eventTime: '2025-02-03T10:11:12.345+01:00' })]),
      'e.json': logFile([record(5), 'not a record', record(6, { eventID: 42 })]),
      'f.json': `${logFile([record(7)])}\n${logFile([record(8)])}\n`,
      'g.json': logFile([record(9, { userIdentity: 'someone' }), record(10, { tlsDetails: [] })]),
      'h.json': logFile([record(11, { resources: [null, 'x', { arn: 'arn:a' }, { ARN: 'arn:B', arn: 'arn:b' }], readOnly: 'false', managementEvent: { odd: [1, 2] } })]),
      'i.json': logFile([]),
      'j.jsonl': JSON.stringify(record(12)),
    });
    const [run] = await bothPaths([[dir]]);
    expect(run.fast.map((p) => basename(p))).toEqual(['a.json.gz', 'h.json', 'i.json']);
    expect(run.summary.failedFiles).toBe(1);
    expect(run.summary.rejected).toBeGreaterThanOrEqual(4);
    expect(run.rows.map((r) => r.eventid)).toEqual(expect.arrayContaining([record(1).eventID, record(3).eventID, record(4).eventID, record(11).eventID, record(12).eventID]));
  }, 90_000);

  test('duplicates and conflicts across the two paths: the first by file order wins, a second ingest adds nothing', async () => {
    const x = record(1);
    const y = record(2, { additionalEventData: { bytesTransferredIn: 5 } });
    const z = record(3, { additionalEventData: { ratio: 2.5 } });
    const dir = files({
      '1.jsonl': [x, y].map((r) => JSON.stringify(r)).join('\n'),
      // The same y and z written with other number forms: still the same records.
      '2.json': logFile([x, record(1, { eventName: 'DeleteBucket' }), y, z]).replace('"bytesTransferredIn":5', '"bytesTransferredIn":5.0'),
      '3.json.gz': gzipSync(logFile([z, record(4)]).replace('"ratio":2.5', '"ratio":2.50e0')),
      '4.json': logFile([record(4, { eventName: 'Other' }), record(5)]),
    });
    const [first, second] = await bothPaths([[dir], [dir]]);
    expect(first.fast.map((p) => basename(p))).toEqual(['2.json', '3.json.gz', '4.json']);
    expect([first.summary.records, first.summary.stored, first.summary.duplicates, first.summary.rejected]).toEqual([10, 5, 3, 2]);
    expect(first.summary.problems.map((p) => [basename(p.path), p.position])).toEqual([['2.json', 'Records[1]'], ['4.json', 'Records[0]']]);
    expect(first.summary.problems.every((p) => /conflict/.test(p.reason))).toBe(true);
    expect([second.summary.stored, second.summary.duplicates, second.summary.rejected]).toEqual([0, 8, 2]);
    expect(second.rows).toEqual(first.rows);
    expect(first.rows.find((r) => r.eventid === x.eventID)?.eventname).toBe('ListBuckets');
  }, 90_000);
});
