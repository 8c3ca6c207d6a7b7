/**
 * The table's column types (src/history/table.ts writes them in DuckDB's
 * syntax) read into a small tree, so that the Athena DDL and the view are
 * derived from the one declaration and cannot drift from it.
 */
export type ColumnType =
  | { kind: 'scalar'; name: string }
  | { kind: 'struct'; fields: Array<{ name: string; type: ColumnType }> }
  | { kind: 'array'; element: ColumnType };

function tokens(text: string): string[] {
  return text.match(/\[\]|[A-Za-z_][A-Za-z0-9_]*|[(),]/g) ?? [];
}

export function parseColumnType(text: string): ColumnType {
  const t = tokens(text);
  let i = 0;
  const expect = (tok: string) => {
    if (t[i] !== tok) throw new Error(`column type: expected ${tok} at ${t.slice(i).join(' ')}`);
    i++;
  };
  const type = (): ColumnType => {
    const head = t[i++];
    if (head === undefined) throw new Error(`column type: unexpected end of ${text}`);
    let out: ColumnType;
    if (head.toUpperCase() === 'STRUCT') {
      expect('(');
      const fields: Array<{ name: string; type: ColumnType }> = [];
      for (;;) {
        const name = t[i++];
        fields.push({ name, type: type() });
        if (t[i] === ',') {
          i++;
          continue;
        }
        expect(')');
        break;
      }
      out = { kind: 'struct', fields };
    } else {
      out = { kind: 'scalar', name: head.toUpperCase() };
    }
    while (t[i] === '[]') {
      i++;
      out = { kind: 'array', element: out };
    }
    return out;
  };
  const result = type();
  if (i !== t.length) throw new Error(`column type: trailing ${t.slice(i).join(' ')}`);
  return result;
}

const HIVE_SCALARS: Record<string, string> = { VARCHAR: 'STRING', BIGINT: 'BIGINT', INTEGER: 'INT', DOUBLE: 'DOUBLE', BOOLEAN: 'BOOLEAN' };

/** The type in Hive DDL syntax, as CREATE EXTERNAL TABLE wants it. */
export function hiveType(type: ColumnType): string {
  switch (type.kind) {
    case 'scalar': {
      const hive = HIVE_SCALARS[type.name];
      if (!hive) throw new Error(`no Hive type for ${type.name}`);
      return hive;
    }
    case 'struct':
      return `STRUCT<${type.fields.map((f) => `${f.name}:${hiveType(f.type)}`).join(', ')}>`;
    case 'array':
      return `ARRAY<${hiveType(type.element)}>`;
  }
}
