import type { ColumnInfo, Row as AthenaRow } from '@aws-sdk/client-athena';
import { Row, Scalar } from '../engine';

/**
 * Athena returns every value as text (VarCharValue, absent for NULL) and the
 * type of each column in ColumnInfo; this turns them back into scalars.
 */
export function convertValue(text: string | undefined, type: string | undefined): Scalar {
  if (text === undefined) return null;
  switch (baseType(type)) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint':
    case 'double':
    case 'real':
    case 'float':
    case 'decimal':
      return toNumber(text);
    case 'boolean':
      return text === 'true';
    default:
      // varchar, char, json (its text), date, timestamp, ...: the text as is.
      return text;
  }
}

/** "decimal(38,0)" → "decimal"; "timestamp(3) with time zone" → "timestamp". */
function baseType(type: string | undefined): string {
  return (type ?? 'varchar').toLowerCase().replace(/[(\s].*$/, '');
}

function toNumber(text: string): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return Number(text);
  }
}

/**
 * The rows of one GetQueryResults page. The first page of a SELECT starts
 * with a header row (the column labels); later pages do not.
 */
export function convertPage(rows: readonly AthenaRow[], columns: readonly ColumnInfo[], firstPage: boolean): Row[] {
  const data = firstPage ? rows.slice(1) : rows;
  return data.map((r) => {
    const out: Row = {};
    const values = r.Data ?? [];
    columns.forEach((c, i) => {
      out[c.Name ?? c.Label ?? `_col${i}`] = convertValue(values[i]?.VarCharValue, c.Type);
    });
    return out;
  });
}
