import { Parser } from 'node-sql-parser';
import { mapCode } from '../../src/history/athena/sql-text';
import { TOUCHES } from '../../src/history/graph/touches';
import { PRINCIPAL_DAYS } from '../../src/history/graph/principal-days';
import { TABLE } from '../../src/history/table';

/**
 * Which partitions a statement reads, found the way Athena finds them: for
 * every scan of the table, the conjuncts of its WHERE that compare a
 * partition column (account, region, day) with literals. Used by the
 * emulator to report DataScannedInBytes, and by the dialect test to prove
 * every statement is bounded.
 */
export type PartitionColumn = 'account' | 'region' | 'day';
export const PARTITION_COLUMNS: readonly PartitionColumn[] = ['account', 'region', 'day'];
export type Partition = Record<PartitionColumn, string>;
type Literal = string | number | boolean;

export interface Scan {
  /** The alias or name the scan's columns may be qualified with. */
  qualifier: string;
  /** Top-level AND-ed conjuncts of the WHERE (AST nodes). */
  conjuncts: unknown[];
  /** Values of parameter markers (see PARAMETER_MARKER), when the text was parsed with markers. */
  params?: readonly Literal[];
}

/**
 * A statement parsed with markers in place of its parameters can be parsed
 * once and evaluated with any values: a string literal '\u0001N' stands for
 * parameter N (and a LIMIT takes a number marker, which no bound reads).
 */
export function markPlaceholders(text: string): string {
  let next = 0;
  return mapCode(text, (code) => code.replace(/(\bLIMIT\s+)?\?/gi, (_m, limit: string | undefined) => (limit ? `${limit}${1_000_000_000 + next++}` : `'\u0001${next++}'`)));
}

/** A conjunct of the simple forms partition pruning uses. */
export interface PartitionConjunct {
  column: PartitionColumn;
  op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IN' | 'NOT IN' | 'BETWEEN';
  values: Literal[];
}

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const parser = new Parser();

/** Trino text with literals in place of placeholders (node-sql-parser does not take `LIMIT ?`). */
export function parseTrino(text: string): unknown {
  return parser.astify(text, { database: 'trino' });
}

/** The end (exclusive) of the parenthesised group opening at `open`, skipping quoted text. */
function groupEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      // To the closing quote; '' inside is an escaped quote.
      let j = i + 1;
      while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
      i = j;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * Where node-sql-parser's Trino grammar is narrower than Trino, the smallest
 * rewrite that keeps the statement's structure (and its WHERE clauses, which
 * the bound checks read). Each gap is valid Trino.
 * - `min_by(x, y) FILTER (WHERE c)`: the grammar takes FILTER only after the
 *   aggregates it knows by name (count, max, array_agg, ...), not min_by/max_by.
 */
export function bridgeGrammarGaps(text: string): string {
  let out = text;
  const call = /\b(?:min_by|max_by)\(/g;
  let found: RegExpExecArray | null;
  while ((found = call.exec(out))) {
    const end = groupEnd(out, found.index + found[0].length - 1);
    const filter = /^\s*FILTER\s*\(/i.exec(out.slice(end));
    if (filter) out = out.slice(0, end) + out.slice(groupEnd(out, end + filter[0].length - 1));
    call.lastIndex = end;
  }
  return out;
}

function andConjuncts(expr: unknown): unknown[] {
  if (isNode(expr) && expr.type === 'binary_expr' && String(expr.operator).toUpperCase() === 'AND') {
    return [...andConjuncts(expr.left), ...andConjuncts(expr.right)];
  }
  return expr === null || expr === undefined ? [] : [expr];
}

/** Every scan of `table` anywhere in the statement (CTEs, subqueries, UNION branches). */
export function scansOf(ast: unknown, table: string): Scan[] {
  const out: Scan[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isNode(v)) return;
    if (v.type === 'select' && Array.isArray(v.from)) {
      for (const item of v.from) {
        if (isNode(item) && typeof item.table === 'string' && item.table.toLowerCase() === table.toLowerCase()) {
          out.push({ qualifier: typeof item.as === 'string' ? item.as : item.table, conjuncts: andConjuncts(v.where) });
        }
      }
    }
    for (const [k, child] of Object.entries(v)) if (k !== 'tableList' && k !== 'columnList') visit(child);
  };
  visit(ast);
  return out;
}

/**
 * The reads of history in a statement: of the table, and of the resource
 * touches, which Athena derives from the table's partitions as it reads them
 * (the view of athena-ddl), so they are bounded and billed alike; and of
 * the principals' days (the embedded store's only).
 */
export function historyScansOf(ast: unknown): Scan[] {
  return [...scansOf(ast, TABLE), ...scansOf(ast, TOUCHES), ...scansOf(ast, PRINCIPAL_DAYS)];
}

function partitionColumn(expr: unknown, scan: Scan): PartitionColumn | null {
  if (!isNode(expr) || expr.type !== 'column_ref') return null;
  if (expr.table !== null && expr.table !== undefined && expr.table !== scan.qualifier) return null;
  const column = expr.column;
  const name = typeof column === 'string' ? column : isNode(column) && isNode(column.expr) ? column.expr.value : undefined;
  // day_number is the day as a number (the embedded store's bound); dayText turns its values back into days.
  if (typeof name === 'string' && name.toLowerCase() === 'day_number') return 'day';
  return typeof name === 'string' && (PARTITION_COLUMNS as readonly string[]).includes(name.toLowerCase()) ? (name.toLowerCase() as PartitionColumn) : null;
}

/** 20261121 (a day_number) → '2026/11/21'; any other value as it is. */
function dayText(v: Literal): Literal {
  const s = String(v);
  return typeof v === 'number' && /^\d{8}$/.test(s) ? `${s.slice(0, 4)}/${s.slice(4, 6)}/${s.slice(6)}` : v;
}

function literal(expr: unknown, scan: Scan): Literal | undefined {
  if (!isNode(expr)) return undefined;
  switch (expr.type) {
    case 'single_quote_string':
    case 'string':
    case 'number':
    case 'bool': {
      const v = expr.value;
      if (typeof v === 'string' && v.startsWith('\u0001') && scan.params) return scan.params[Number(v.slice(1))];
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
    }
    default:
      return undefined;
  }
}

function literals(expr: unknown, scan: Scan): Literal[] | undefined {
  if (!isNode(expr) || expr.type !== 'expr_list' || !Array.isArray(expr.value)) return undefined;
  const values = expr.value.map((x) => literal(x, scan));
  return values.every((x) => x !== undefined) ? (values as Literal[]) : undefined;
}

const FLIPPED: Record<string, PartitionConjunct['op']> = { '=': '=', '<>': '<>', '!=': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The conjunct as a partition comparison, when it is one. */
export function asPartitionConjunct(expr: unknown, scan: Scan): PartitionConjunct | null {
  const c = partitionConjunct(expr, scan);
  return c && c.column === 'day' ? { ...c, values: c.values.map(dayText) } : c;
}

function partitionConjunct(expr: unknown, scan: Scan): PartitionConjunct | null {
  if (!isNode(expr) || expr.type !== 'binary_expr') return null;
  const op = String(expr.operator).toUpperCase();
  const left = partitionColumn(expr.left, scan);
  if (op === 'IN' || op === 'NOT IN' || op === 'BETWEEN') {
    const values = literals(expr.right, scan);
    return left && values ? { column: left, op, values } : null;
  }
  if (!(op in FLIPPED)) return null;
  const normal = op === '!=' ? '<>' : (op as PartitionConjunct['op']);
  const right = literal(expr.right, scan);
  if (left && right !== undefined) return { column: left, op: normal, values: [right] };
  const flippedColumn = partitionColumn(expr.right, scan);
  const leftValue = literal(expr.left, scan);
  if (flippedColumn && leftValue !== undefined) return { column: flippedColumn, op: FLIPPED[op], values: [leftValue] };
  return null;
}

function compare(a: string, op: PartitionConjunct['op'], values: Literal[]): boolean {
  const v = values.map(String);
  switch (op) {
    case '=':
      return a === v[0];
    case '<>':
      return a !== v[0];
    case '<':
      return a < v[0];
    case '<=':
      return a <= v[0];
    case '>':
      return a > v[0];
    case '>=':
      return a >= v[0];
    case 'IN':
      return v.includes(a);
    case 'NOT IN':
      return !v.includes(a);
    case 'BETWEEN':
      return a >= v[0] && a <= v[1];
  }
}

/** Three-valued: true/false when the partition alone decides, null when it does not. */
function evaluate(expr: unknown, p: Partition, scan: Scan): boolean | null {
  if (!isNode(expr)) return null;
  if (expr.type === 'bool' && typeof expr.value === 'boolean') return expr.value;
  if (expr.type === 'binary_expr') {
    const op = String(expr.operator).toUpperCase();
    if (op === 'AND' || op === 'OR') {
      const a = evaluate(expr.left, p, scan);
      const b = evaluate(expr.right, p, scan);
      if (op === 'AND') return a === false || b === false ? false : a === true && b === true ? true : null;
      return a === true || b === true ? true : a === false && b === false ? false : null;
    }
    const c = asPartitionConjunct(expr, scan);
    return c ? compare(p[c.column], c.op, c.values) : null;
  }
  const notArg = expr.type === 'unary_expr' && String(expr.operator).toUpperCase() === 'NOT' ? expr.expr : notFunctionArg(expr);
  if (notArg !== undefined) {
    const inner = evaluate(notArg, p, scan);
    return inner === null ? null : !inner;
  }
  return null;
}

function notFunctionArg(expr: Node): unknown {
  if (expr.type !== 'function' || !isNode(expr.name) || !Array.isArray(expr.name.name)) return undefined;
  const [first] = expr.name.name as unknown[];
  if (!isNode(first) || String(first.value).toUpperCase() !== 'NOT') return undefined;
  return isNode(expr.args) && Array.isArray(expr.args.value) && expr.args.value.length === 1 ? expr.args.value[0] : undefined;
}

/** Whether the scan may read the partition: false only when its WHERE rules the partition out. */
export function mayRead(scan: Scan, p: Partition): boolean {
  return scan.conjuncts.every((c) => evaluate(c, p, scan) !== false);
}

/** A comparison of a column with a literal: `column op value` (flipped when the literal comes first). */
export interface ColumnComparison {
  op: '=' | '<' | '<=' | '>' | '>=';
  value: Literal;
}

function namedColumn(expr: unknown, scan: Scan): string | null {
  if (!isNode(expr) || expr.type !== 'column_ref') return null;
  if (expr.table !== null && expr.table !== undefined && expr.table !== scan.qualifier) return null;
  const column = expr.column;
  const name = typeof column === 'string' ? column : isNode(column) && isNode(column.expr) ? column.expr.value : undefined;
  return typeof name === 'string' ? name.toLowerCase() : null;
}

/**
 * The conjunct as a comparison of the scan's `column` with one literal (a
 * parameter marker resolved), when it is one: what a Parquet reader can
 * test against a row group's min/max statistics.
 */
export function columnComparison(expr: unknown, scan: Scan, column: string): ColumnComparison | null {
  if (!isNode(expr) || expr.type !== 'binary_expr') return null;
  const op = String(expr.operator).toUpperCase();
  if (!['=', '<', '<=', '>', '>='].includes(op)) return null;
  if (namedColumn(expr.left, scan) === column) {
    const value = literal(expr.right, scan);
    return value === undefined ? null : { op: op as ColumnComparison['op'], value };
  }
  if (namedColumn(expr.right, scan) === column) {
    const value = literal(expr.left, scan);
    return value === undefined ? null : { op: FLIPPED[op] as ColumnComparison['op'], value };
  }
  return null;
}
