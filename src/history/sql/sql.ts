/**
 * SQL fragments with their bound parameters. User values never become SQL
 * text: a value interpolated into `sql` becomes a `?` and joins `params`, in
 * order. Only fragments built by this module (or `trusted` text written in our
 * own source) become text.
 */
export type SqlParam = string | number | boolean;

export class Sql {
  constructor(readonly text: string, readonly params: readonly SqlParam[]) {}
}

export type SqlValue = SqlParam | Sql | readonly SqlParam[];

function isParam(v: unknown): v is SqlParam {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Tagged template: sql`a = ${x} AND b IN ${[1, 2]}` → text `a = ? AND b IN (?, ?)`. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  let text = strings[0];
  const params: SqlParam[] = [];
  values.forEach((v, i) => {
    if (v instanceof Sql) {
      text += v.text;
      params.push(...v.params);
    } else if (Array.isArray(v)) {
      if (v.length === 0) throw new Error('sql: empty list');
      text += `(${v.map(() => '?').join(', ')})`;
      params.push(...v);
    } else if (isParam(v)) {
      text += '?';
      params.push(v);
    } else {
      throw new Error(`sql: unsupported value ${typeof v}`);
    }
    text += strings[i + 1];
  });
  return new Sql(text, params);
}

/** Text from our own source (identifiers, fixed expressions); never user input. */
export function trusted(text: string): Sql {
  return new Sql(text, []);
}

export function join(parts: readonly Sql[], separator: string): Sql {
  return new Sql(parts.map((p) => p.text).join(separator), parts.flatMap((p) => p.params));
}

/** AND of the parts; TRUE when there are none. */
export function and(parts: readonly Sql[]): Sql {
  return parts.length === 0 ? trusted('TRUE') : join(parts.map((p) => sql`(${p})`), ' AND ');
}

export function or(parts: readonly Sql[]): Sql {
  return parts.length === 0 ? trusted('FALSE') : join(parts.map((p) => sql`(${p})`), ' OR ');
}

/** ARRAY[?, ?, ...]: a list of bound values as an array expression. */
export function arrayOf(values: readonly SqlParam[]): Sql {
  if (values.length === 0) throw new Error('sql: empty array');
  return new Sql(`ARRAY[${values.map(() => '?').join(', ')}]`, values);
}
