import { isDeepStrictEqual } from 'node:util';
import { checkRecord, CloudTrailRecord } from '../src/cloudtrail/record';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { IngestSummary } from '../src/ingest';
import { discover } from '../src/ingest/discover';
import { CORPUS_DIR, corpusStore } from './support/corpus';
import { corpusFiles } from './support/corpus-files';
import { logValues } from './support/log-files';
import { TABLE_ROW_COLUMNS, expectedTableRow } from './support/table-row';

const deliveredRecords = (path: string): unknown[] => logValues(path);
const JSON_TEXT = new Set(['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails', 'edgedevicedetails']);

let engine: DuckDbEngine;
let summary: IngestSummary;
let stored: Array<Record<string, unknown>>;

beforeAll(async () => {
  ({ engine, summary } = await corpusStore());
  const conn = await engine.connect();
  try {
    stored = (await conn.runAndReadAll(`SELECT * FROM cloudtrail`)).getRowObjectsJS() as Array<Record<string, unknown>>;
  } finally {
    conn.closeSync();
  }
});

afterAll(async () => {
  await engine.close();
});

describe('ingest of the shared corpus', () => {
  const files = corpusFiles();

  test('every data file is read, and per file records in = stored + duplicates + rejected', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(summary.perFile.map((r) => r.path).sort()).toEqual(files);
    const table = summary.perFile.map((r) => ({ file: r.path.slice(CORPUS_DIR.length + 1), records: r.records, stored: r.stored, duplicates: r.duplicates, rejected: r.rejected }));
    console.log(`corpus ingest, per file:\n${table.map((t) => `  ${t.file}: ${t.records} records = ${t.stored} stored + ${t.duplicates} duplicates + ${t.rejected} rejected`).join('\n')}`);
    for (const r of summary.perFile) {
      expect(r.records).toBe(deliveredRecords(r.path).length);
      expect(r.stored + r.duplicates + r.rejected).toBe(r.records);
      expect(r.failed).toBe(false);
    }
    expect(summary.records).toBe(summary.stored + summary.duplicates + summary.rejected);
    expect(stored).toHaveLength(summary.stored);
    expect(summary.problems).toHaveLength(summary.rejected);
  });

  test('each stored raw is the record as delivered: the first valid one with its eventID, in ingest order', async () => {
    const first = new Map<string, unknown>();
    const valid = new Set<string>();
    for (const f of (await discover([CORPUS_DIR])).files) {
      for (const value of deliveredRecords(f.path)) {
        const checked = checkRecord(value);
        if ('problem' in checked) continue;
        valid.add(checked.record.eventID);
        if (!first.has(checked.record.eventID)) first.set(checked.record.eventID, value);
      }
    }
    expect(valid.size).toBeGreaterThan(0);
    expect(new Set(stored.map((r) => r.eventid)).size).toBe(stored.length);
    expect(stored.length).toBe(valid.size);
    for (const row of stored) {
      expect(JSON.parse(String(row.raw))).toEqual(first.get(String(row.eventid)));
    }
  });

  test('the columns of each stored row are those the documented table gives its raw record (an independent mapping)', () => {
    expect(stored.length).toBeGreaterThan(0);
    expect(TABLE_ROW_COLUMNS.length).toBeGreaterThan(30);
    const mismatches: string[] = [];
    for (const row of stored) {
      const expected = expectedTableRow(JSON.parse(String(row.raw)) as CloudTrailRecord, String(row.raw));
      for (const column of TABLE_ROW_COLUMNS) {
        // JSON-text columns are stored as DuckDB writes JSON (minified), so they are compared as values.
        const asValue = (v: unknown): unknown => (JSON_TEXT.has(column) && typeof v === 'string' ? JSON.parse(v) : v);
        if (!isDeepStrictEqual(asValue(row[column]), asValue(expected[column]))) mismatches.push(`${String(row.eventid)} ${column}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('every rejected record is reported with its file, position and reason', () => {
    expect(summary.problems.length).toBe(summary.rejected);
    expect.hasAssertions();
    for (const p of summary.problems) {
      expect(files).toContain(p.path);
      expect(p.position).toMatch(/^(line \d+|Records\[\d+\])$/);
      expect(p.reason).not.toBe('');
    }
  });
});
