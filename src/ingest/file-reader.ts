import { checkRecord } from '../cloudtrail/record';
import { keyLine, rowLine, storable, tooLarge } from './rows';
import { IngestProblem } from './types';

/** How positions in the file are named: "line 12", "Records[17]", "Events[3]", "[4]". */
export type PositionLabel = 'line' | 'Records' | 'Events' | '';

export function positionText(label: PositionLabel, p: number): string {
  return label === 'line' ? `line ${p}` : `${label}[${p}]`;
}

/** What reading one file gave: counts, problems, and how its positions are named. Plain data (it crosses threads). */
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

/** Counts and checks the records of one file and turns the good ones into rows. */
export class FileReader {
  readonly out: FileOutcome;
  private rows: string[] = [];
  private keys: string[] = [];
  private chars = 0;

  constructor(task: { index: number; path: string }, bytes: number, private readonly sink: RowSink) {
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

