import { COLUMNS } from '../history/table';
import { Sql, trusted } from '../history/sql/sql';

/** What `trailgraph export` writes (README "Export"). */
export type ExportFormat = 'jsonl' | 'csv' | 'parquet';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'csv', 'parquet'];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * authz: the table columns each read permission guards, as the API guards
 * the event fields (authz/actions.ts guardedFields). `raw` holds both the
 * payloads and the network details of the record.
 */
export const PAYLOAD_COLUMNS: readonly string[] = ['requestparameters', 'responseelements', 'additionaleventdata', 'raw'];
export const NETWORK_COLUMNS: readonly string[] = ['sourceipaddress', 'useragent', 'tlsdetails', 'raw'];

/** What the caller may read in every account the export can select. */
export interface ReadableParts {
  payloads: boolean;
  network: boolean;
}

/** The caller may not read a column the format needs (jsonl: raw). */
export class ExportForbidden extends Error {}

/** The columns one export writes, and those left out because the caller may not read them. */
export interface ExportColumns {
  /** The select list (Trino text; nested columns as JSON text where the format is flat). */
  select: Sql;
  names: readonly string[];
  omitted: readonly string[];
}

/** A column of a nested type (struct or list): csv writes it as JSON text. */
function isNested(type: string): boolean {
  return type.startsWith('STRUCT') || type.endsWith('[]');
}

/**
 * jsonl: the record as delivered (raw), which needs both permissions in
 * every selected account, else it is refused. csv and parquet: the table's
 * columns, less those the caller may not read in some selected account (a
 * column is written whole or not at all, so an empty cell always means an
 * absent value, never a hidden one).
 */
export function exportColumns(format: ExportFormat, readable: ReadableParts): ExportColumns {
  const hidden = new Set([...(readable.payloads ? [] : PAYLOAD_COLUMNS), ...(readable.network ? [] : NETWORK_COLUMNS)]);
  switch (format) {
    case 'jsonl':
      if (hidden.size > 0) {
        const missing = [readable.payloads ? null : 'ReadPayloads', readable.network ? null : 'ReadNetworkDetails'].filter((x) => x !== null);
        throw new ExportForbidden(`--format jsonl writes each record as delivered, and the caller may not read all of it (${missing.join(', ')}) in every account the filter selects: narrow filter.accountIds, or use --format csv|parquet (they leave those columns out)`);
      }
      return { select: trusted('raw'), names: ['raw'], omitted: [] };
    case 'csv':
    case 'parquet': {
      const kept = COLUMNS.filter(([name]) => !hidden.has(name));
      const expr = ([name, type]: readonly [string, string]): string =>
        format === 'csv' && isNested(type) ? `json_format(CAST(${name} AS JSON)) AS ${name}` : name;
      return {
        select: trusted(kept.map(expr).join(', ')),
        names: kept.map(([name]) => name),
        omitted: COLUMNS.map(([name]) => name).filter((name) => hidden.has(name)),
      };
    }
  }
}
