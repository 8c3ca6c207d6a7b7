import { segments } from './sql-text';

/**
 * The Athena tables over the Parquet `trailgraph compact` writes
 * (athena-ddl --format parquet) hold each event's log file as a column:
 * "$path" there names the Parquet file, not the log file it came from.
 */
export const LOG_FILE_COLUMN = 'log_file';

export type AthenaFormat = 'json' | 'parquet';

/** The statement for the tables of `format`: over Parquet, "$path" reads log_file. */
export function forFormat(text: string, format: AthenaFormat | undefined): string {
  if (format !== 'parquet') return text;
  return segments(text)
    .map((s) => (s.kind === 'identifier' && s.text === '"$path"' ? LOG_FILE_COLUMN : s.text))
    .join('');
}
