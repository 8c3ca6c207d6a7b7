import { DuckDBMaterializedResult, DuckDBType, DuckDBTypeId, DuckDBValue, JSDuckDBValueConverter } from '@duckdb/node-api';
import { Row, Scalar } from '../engine';

/** A JS value of the result as a row scalar. */
export function toScalar(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  // Statements return lists and structs as JSON text; anything else is a builder bug.
  return JSON.stringify(v);
}

/** Types whose vectors hand out the JS value itself (string, number, boolean): the JS converter would return it unchanged. */
const AS_IS = new Set<DuckDBTypeId>([
  DuckDBTypeId.VARCHAR, DuckDBTypeId.BOOLEAN, DuckDBTypeId.DOUBLE, DuckDBTypeId.FLOAT,
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER,
]);
/** Types whose vectors hand out bigints: numbers in rows. */
const BIGINTS = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

type Read = (v: DuckDBValue | null) => Scalar;

const asIs: Read = (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : toScalar(v));
const bigintAsNumber: Read = (v) => (typeof v === 'bigint' ? Number(v) : toScalar(v));

/** How a column's values become scalars: what the JS converter and toScalar make of them, with the common types read directly. */
function readerOf(type: DuckDBType): Read {
  if (AS_IS.has(type.typeId)) return asIs;
  if (BIGINTS.has(type.typeId)) return bigintAsNumber;
  return (v) => (v === null ? null : toScalar(JSDuckDBValueConverter(v, type, JSDuckDBValueConverter)));
}

/**
 * The rows of a result, as objects keyed by column name (repeated names made
 * unique as the reader does). Each column's vector is read once per chunk
 * into every row: no per-value callback and no intermediate row object.
 */
export function rowsOf(result: DuckDBMaterializedResult): Row[] {
  const names = result.deduplicatedColumnNames();
  const readers = result.columnTypes().map(readerOf);
  const rows: Row[] = [];
  for (let chunkIndex = 0; chunkIndex < result.chunkCount; chunkIndex++) {
    const chunk = result.getChunk(chunkIndex);
    const count = chunk.rowCount;
    const first = rows.length;
    for (let r = 0; r < count; r++) rows.push({});
    for (let c = 0; c < names.length; c++) {
      const vector = chunk.getColumnVector(c);
      const name = names[c];
      const read = readers[c];
      for (let r = 0; r < count; r++) rows[first + r][name] = read(vector.getItem(r));
    }
  }
  return rows;
}
