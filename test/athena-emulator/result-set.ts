import type { ColumnInfo, Datum } from '@aws-sdk/client-athena';
import { DuckDBResultReader, DuckDBType, DuckDBTypeId } from '@duckdb/node-api';

/** A finished query's results as Athena keeps them: the header row, then the data rows, all text. */
export interface ResultSet {
  columns: ColumnInfo[];
  rows: Datum[][];
}

/** The Athena (Trino) name of a DuckDB column type. */
export function athenaType(t: DuckDBType): string {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UTINYINT:
      return t.typeId === DuckDBTypeId.TINYINT ? 'tinyint' : 'smallint';
    case DuckDBTypeId.SMALLINT:
      return 'smallint';
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.INTEGER:
      return 'integer';
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      // Trino's count() and sum(bigint) are bigint where DuckDB widens.
      return 'bigint';
    case DuckDBTypeId.FLOAT:
      return 'real';
    case DuckDBTypeId.DOUBLE:
      return 'double';
    case DuckDBTypeId.DECIMAL:
      return 'decimal';
    case DuckDBTypeId.VARCHAR:
      return t.alias?.toUpperCase() === 'JSON' ? 'json' : 'varchar';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'timestamp with time zone';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return 'array';
    case DuckDBTypeId.STRUCT:
      return 'row';
    case DuckDBTypeId.MAP:
      return 'map';
    case DuckDBTypeId.SQLNULL:
      return 'unknown';
    default:
      return 'varchar';
  }
}

/** Java's Double.toString, which is how Trino renders a double. */
function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const a = Math.abs(n);
  if (a === 0 || (a >= 1e-3 && a < 1e7)) {
    const s = String(n);
    return /[.e]/.test(s) ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A value as Athena's result set shows it: text. Arrays and rows come out
 * in Trino's display form ([a, b], {x=1}), which is not JSON: statements
 * must return them as JSON text, as the builder does.
 */
export function render(v: unknown, type: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return type === 'double' || type === 'real' ? javaDouble(v) : String(v);
  if (v instanceof Date) {
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}.${pad(v.getUTCMilliseconds(), 3)}`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => render(x, '') ?? 'null').join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${render(x, '') ?? 'null'}`)
      .join(', ')}}`;
  }
  return String(v);
}

export function toResultSet(reader: DuckDBResultReader): ResultSet {
  const names = reader.columnNames();
  const types = reader.columnTypes().map(athenaType);
  const columns: ColumnInfo[] = names.map((name, i) => ({
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: types[i],
    Precision: 0,
    Scale: 0,
    Nullable: 'UNKNOWN',
    CaseSensitive: types[i] === 'varchar' || types[i] === 'json',
  }));
  const header: Datum[] = names.map((n) => ({ VarCharValue: n }));
  const rows = reader.getRowsJS().map((r) => r.map((v, i): Datum => {
    const text = render(v, types[i]);
    return text === undefined ? {} : { VarCharValue: text };
  }));
  return { columns, rows: [header, ...rows] };
}
