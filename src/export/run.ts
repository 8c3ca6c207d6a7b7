import { statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { DuckDbEngine } from '../history/duckdb/engine';
import { toDuckDbSql } from '../history/duckdb/compat';
import { Sql } from '../history/sql/sql';
import { ExportColumns, ExportFormat, exportColumns } from './columns';
import { csvRecord } from './csv';
import { readableParts } from './rights';
import { Selection, dayWindow, daysSql, selectSql } from './selection';
import { PendingFile, Sink, finish } from './sink';

export interface ExportTarget {
  /** The file to write; absent: `stdout` (jsonl and csv only). */
  out?: string;
  stdout: Writable;
  /**
   * Runs once everything is written, before a file is given its name (the
   * access line: if it throws, the file is discarded and nothing is exported).
   */
  beforeCommit?: (summary: ExportSummary) => Promise<void>;
}

export interface ExportSummary {
  format: ExportFormat;
  events: number;
  bytes: number;
  seconds: number;
  /** Columns left out because the caller may not read them in every selected account (csv, parquet). */
  omitted: readonly string[];
}

/** One chunk's rows as text: jsonl writes raw as delivered, one record a line; csv one RFC 4180 record a row. */
function chunkText(format: 'jsonl' | 'csv', chunk: DuckDBDataChunk, width: number): string {
  const vectors = Array.from({ length: width }, (_, c) => chunk.getColumnVector(c));
  const text = (c: number, r: number): string | null => {
    const v = vectors[c].getItem(r);
    return v === null ? null : String(v);
  };
  // Parts joined once: appending record-sized strings one by one makes deep ropes that are slow to encode.
  const out: string[] = [];
  for (let r = 0; r < chunk.rowCount; r++) {
    if (format === 'jsonl') {
      const raw = text(0, r);
      if (raw === null) throw new Error('export: a stored event without its raw record');
      out.push(raw, '\n');
    } else {
      const fields: (string | null)[] = [];
      for (let c = 0; c < width; c++) fields.push(text(c, r));
      out.push(csvRecord(fields));
    }
  }
  return out.join('');
}

/** Streams one statement's rows into the sink, chunk by chunk (DuckDB's streaming result); returns the rows written. */
async function streamInto(conn: DuckDBConnection, statement: Sql, format: 'jsonl' | 'csv', width: number, sink: Sink): Promise<number> {
  const result = await conn.stream(toDuckDbSql(statement.text), [...statement.params]);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return rows;
    rows += chunk.rowCount;
    await sink.write(chunkText(format, chunk, width));
  }
}

/** jsonl and csv: one statement per event day that holds rows, in day order, each streamed as it comes. */
async function writeText(conn: DuckDBConnection, format: 'jsonl' | 'csv', columns: ExportColumns, selection: Selection, sink: Sink): Promise<number> {
  if (format === 'csv') await sink.write(csvRecord(columns.names));
  const days = await conn.runAndReadAll(toDuckDbSql(daysSql(selection).text), [...daysSql(selection).params]);
  let events = 0;
  for (const [day] of days.getRows()) {
    events += await streamInto(conn, selectSql(columns.select, selection, dayWindow(selection.window, Number(day))), format, columns.names.length, sink);
  }
  return events;
}

/** parquet: DuckDB writes the file itself (COPY ... TO, ZSTD), the selection's values and the path bound as parameters. */
async function writeParquet(conn: DuckDBConnection, columns: ExportColumns, selection: Selection, path: string): Promise<number> {
  const select = selectSql(columns.select, selection, selection.window, false);
  // Each thread fills a row group of its own (122,880 rows, `raw` included: hundreds of MB): on one thread the
  // write stays within --db-memory-mb (two ran out of 1 GiB on 1M events) and is as fast (7 s for 1M, measured).
  const [[threads]] = (await conn.runAndReadAll(`SELECT current_setting('threads')`)).getRows();
  await conn.run('SET threads = 1');
  try {
    // DuckDB binds a COPY's target before its query: the path is the first parameter, whatever its place in the text.
    const result = await conn.run(toDuckDbSql(`COPY (${select.text}) TO ? (FORMAT parquet, COMPRESSION zstd)`), [path, ...select.params]);
    return result.rowsChanged;
  } finally {
    await conn.run(`SET threads = ${Number(threads)}`);
  }
}

/**
 * Writes the selection in `format`. What the caller may not read is refused
 * (jsonl) or left out (csv, parquet) before anything is written; a file is
 * written under a temporary name and renamed when complete.
 */
export async function runExport(engine: DuckDbEngine, format: ExportFormat, selection: Selection, target: ExportTarget): Promise<ExportSummary> {
  const started = performance.now();
  const columns = exportColumns(format, readableParts(selection.scope, selection.criteria.accountIds));
  // Built once before anything is written: a criterion the builder refuses (a malformed session id) writes nothing.
  selectSql(columns.select, selection);
  const file = target.out === undefined ? null : new PendingFile(target.out);
  const conn = await engine.connect();
  try {
    let events: number;
    let bytes: number;
    if (format === 'parquet') {
      if (!file) throw new Error('export: parquet needs a file');
      events = await writeParquet(conn, columns, selection, file.temporary);
      bytes = statSync(file.temporary).size;
    } else {
      const stream = file ? file.open() : target.stdout;
      const sink = new Sink(stream);
      try {
        events = await writeText(conn, format, columns, selection, sink);
      } finally {
        if (file) await finish(stream);
      }
      bytes = sink.bytes;
    }
    const summary: ExportSummary = { format, events, bytes, seconds: (performance.now() - started) / 1000, omitted: columns.omitted };
    await target.beforeCommit?.(summary);
    file?.commit();
    return summary;
  } catch (err) {
    file?.discard();
    throw err;
  } finally {
    conn.closeSync();
  }
}
