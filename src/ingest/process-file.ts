import { stat } from 'node:fs/promises';
import { checkRecord } from '../cloudtrail/record';
import { readLines, readText } from './decode';
import { Document, isDigest, parseDocument } from './formats';
import { keyLine, rowLine, storable, tooLarge } from './rows';
import { IngestProblem } from './types';

/**
 * Reads one input file into rows for the bulk load. Runs in a worker thread
 * (or in-process for small inputs); everything it reports is plain data.
 */
export interface FileTask {
  /** The file's number in this ingest (its rank in load order). */
  index: number;
  path: string;
}

/** How positions in the file are named: "line 12", "Records[17]", "Events[3]", "[4]". */
export type PositionLabel = 'line' | 'Records' | 'Events' | '';

export function positionText(label: PositionLabel, p: number): string {
  return label === 'line' ? `line ${p}` : `${label}[${p}]`;
}

export interface FileOutcome {
  index: number;
  path: string;
  bytes: number;
  digest: boolean;
  /** Records found (rows written + rejected). */
  records: number;
  rows: number;
  /** Characters of row text written (what the bulk load holds in memory, roughly). */
  rowChars: number;
  rejected: number;
  failed: boolean;
  label: PositionLabel;
  problems: IngestProblem[];
}

/**
 * Where rows go: text of whole JSON lines, each ending in a newline; and
 * beside them, for each row, its key (eventID, file, position), from which
 * duplicates are found without reading the rows again.
 */
export type RowSink = (rows: string, keys: string) => void;

const FLUSH_CHARS = 8 << 20;
const JSON_LINES = /\.(jsonl|ndjson)(\.gz)?$/i;

export function isDigestPath(path: string): boolean {
  return /(^|[\\/])CloudTrail-Digest([\\/]|$)/.test(path);
}

class FileReader {
  readonly out: FileOutcome;
  private rows: string[] = [];
  private keys: string[] = [];
  private chars = 0;

  constructor(task: FileTask, bytes: number, private readonly sink: RowSink) {
    this.out = { index: task.index, path: task.path, bytes, digest: false, records: 0, rows: 0, rowChars: 0, rejected: 0, failed: false, label: 'Records', problems: [] };
  }

  reject(position: number | undefined, reason: string): void {
    this.out.records++;
    this.out.rejected++;
    this.out.problems.push({ path: this.out.path, position: position === undefined ? undefined : positionText(this.out.label, position), reason });
  }

  fail(reason: string): void {
    this.out.failed = true;
    this.out.problems.push({ path: this.out.path, reason });
  }

  accept(value: unknown, position: number): void {
    const checked = checkRecord(value);
    if ('problem' in checked) return this.reject(position, checked.problem);
    const { record, raw } = storable(checked.record);
    const line = rowLine(record, raw, this.out.index, position);
    if (tooLarge(line)) return this.reject(position, `record too large to store (${raw.length} characters)`);
    this.out.records++;
    this.out.rows++;
    this.rows.push(line);
    this.keys.push(keyLine(record.eventID, this.out.index, position));
    this.chars += line.length;
    this.out.rowChars += line.length;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  /** A lookup-events entry holds the record as JSON text. */
  acceptEvent(entry: unknown, position: number): void {
    const text = typeof entry === 'object' && entry !== null ? (entry as { CloudTrailEvent?: unknown }).CloudTrailEvent : undefined;
    if (typeof text !== 'string') return this.reject(position, 'lookup-events entry without a CloudTrailEvent string');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.reject(position, 'CloudTrailEvent is not JSON');
    }
    this.accept(value, position);
  }

  acceptLine(text: string, line: number): void {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.reject(line, 'not JSON');
    }
    this.accept(value, line);
  }

  flush(): void {
    if (this.rows.length === 0) return;
    this.sink(this.rows.join('\n') + '\n', this.keys.join('\n') + '\n');
    this.rows = [];
    this.keys = [];
    this.chars = 0;
  }
}

async function readDocument(reader: FileReader): Promise<void> {
  const { text, broken } = await readText(reader.out.path);
  const doc: Document = parseDocument(text);
  switch (doc.kind) {
    case 'digest':
      reader.out.digest = true;
      break;
    case 'items':
      reader.out.label = doc.label;
      for (let i = 0; i < doc.items.length; i++) {
        if (doc.label === 'Events') reader.acceptEvent(doc.items[i], i);
        else reader.accept(doc.items[i], i);
      }
      break;
    case 'lines': {
      reader.out.label = 'line';
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) reader.acceptLine(lines[i], i + 1);
      break;
    }
    case 'invalid':
      (doc.salvaged ?? []).forEach((v, i) => reader.accept(v, i));
      reader.fail(broken ? `${broken}; ${doc.reason}` : doc.reason);
      return;
  }
  if (broken) reader.fail(broken);
}

async function readJsonLines(reader: FileReader): Promise<void> {
  reader.out.label = 'line';
  for await (const item of readLines(reader.out.path)) {
    if ('broken' in item) reader.fail(item.broken);
    else if (item.line === 1 && isDigestLine(item.text)) {
      reader.out.digest = true;
      return;
    } else reader.acceptLine(item.text, item.line);
  }
}

function isDigestLine(text: string): boolean {
  if (!text.includes('digest')) return false;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && isDigest(v as Record<string, unknown>);
  } catch {
    return false;
  }
}

export async function processFile(task: FileTask, sink: RowSink): Promise<FileOutcome> {
  let bytes = 0;
  try {
    bytes = (await stat(task.path)).size;
  } catch {
    // Reported below when the read fails.
  }
  const reader = new FileReader(task, bytes, sink);
  if (isDigestPath(task.path)) {
    reader.out.digest = true;
    return reader.out;
  }
  try {
    if (JSON_LINES.test(task.path)) await readJsonLines(reader);
    else await readDocument(reader);
  } catch (err) {
    reader.fail(`cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  reader.flush();
  return reader.out;
}
