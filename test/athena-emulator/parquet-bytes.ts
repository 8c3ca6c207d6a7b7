import { DuckDBConnection } from '@duckdb/node-api';
import { mapCode } from '../../src/history/athena/sql-text';
import { COMPACT_TABLES } from '../../src/compact';
import { LiteralValue } from './literals';
import { Partition, Scan, bridgeGrammarGaps, columnComparison, markPlaceholders, mayRead, parseTrino, scansOf } from './partitions';
import { RELATION_NAMES, folderOf } from './parquet-store';

/**
 * DataScannedInBytes over the Parquet tables, the way Athena bills Parquet:
 *
 * - per scan of a table in the statement (each FROM of it, in CTEs and
 *   subqueries too), only the files of the partitions its WHERE leaves
 *   (partition pruning, as for JSON: partitions.ts mayRead on the path's
 *   account, region and day);
 * - in those files, only the column chunks of the columns the statement
 *   names (total_compressed_size from parquet_metadata): a struct's
 *   sub-fields when the statement names them (useridentity.arn), all of its
 *   fields when it names the struct, every column for a SELECT * straight
 *   from the table; the partition columns are free, they come from the path.
 *   A name is taken from anywhere in the statement (not per scan): a column
 *   one scan reads is billed in every scan of that table, which errs on the
 *   side of billing more;
 * - a row group is skipped when its eventtime min/max statistics exclude
 *   the scan's simple bounds on eventtime (eventtime >= ?, < ?, ...: top-level
 *   conjuncts comparing the column with a literal).
 *
 * Not counted: footers and page indexes (a few KB per file), which Athena
 * reads too. A statement the parser cannot read is billed every column of
 * every file, once per mention of a table.
 */
interface RowGroup {
  /** Dotted leaf path (useridentity.sessioncontext.sessionissuer.arn; lists' list.element dropped) → compressed bytes. */
  leaves: Map<string, number>;
  eventtimeMin?: string;
  eventtimeMax?: string;
}

interface ParquetFile {
  folder: string;
  partition: Partition;
  rowGroups: RowGroup[];
}

const PARTITION_COLUMNS = new Set(['account', 'region', 'day']);

/** account=A/region=R/day=2026/11/21/part-0.parquet → its partition (%XX decoded). */
export function partitionOfPath(relative: string): Partition {
  const get = (key: string, rest = '[^/]+') => {
    const m = new RegExp(`(?:^|/)${key}=(${rest})`).exec(relative);
    return m ? decodeURIComponent(m[1]) : '';
  };
  return { account: get('account'), region: get('region'), day: get('day', '\\d{4}/\\d{2}/\\d{2}|[^/]+') };
}

function leafPath(pathInSchema: string): string {
  return pathInSchema.split(', ').filter((s) => s !== 'list' && s !== 'element').join('.');
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The tables a statement selects every column of: a SELECT * (or t.*)
 * whose FROM is the table itself. A SELECT * over a subquery reads only
 * what the subquery reads.
 */
function starRelations(ast: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isNode(v)) return;
    if (v.type === 'select' && Array.isArray(v.from)) {
      const star = v.columns === '*' || (Array.isArray(v.columns) && v.columns.some((c) => isNode(c) && isNode(c.expr) && c.expr.type === 'column_ref' && c.expr.column === '*'));
      if (star) for (const item of v.from) if (isNode(item) && typeof item.table === 'string') out.add(item.table.toLowerCase());
    }
    for (const [k, child] of Object.entries(v)) if (k !== 'tableList' && k !== 'columnList') visit(child);
  };
  visit(ast);
  return out;
}

/** Every column path the statement names: identifiers outside string literals, with their .field suffixes. */
function namedPaths(text: string): Set<string> {
  // The code between quotes and comments (mapCode marks it), lower-cased.
  const code = [...mapCode(text, (c) => `\u0002${c}\u0003`).matchAll(/\u0002([^\u0003]*)\u0003/g)].map((m) => m[1]).join(' ').toLowerCase();
  const paths = new Set<string>();
  for (const m of code.matchAll(/[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*/g)) {
    const parts = m[0].split('.');
    // A qualifier (e.useridentity.arn) is dropped where its first part is not a column: tried from each part on.
    for (let i = 0; i < parts.length; i++) paths.add(parts.slice(i).join('.'));
  }
  return paths;
}

function billed(leaf: string, named: { paths: Set<string>; star: boolean }): boolean {
  const parts = leaf.split('.');
  if (PARTITION_COLUMNS.has(parts[0])) return false;
  if (named.star) return true;
  for (let i = 1; i <= parts.length; i++) if (named.paths.has(parts.slice(0, i).join('.'))) return true;
  return false;
}

function skipped(rg: RowGroup, scan: Scan): boolean {
  if (rg.eventtimeMin === undefined || rg.eventtimeMax === undefined) return false;
  for (const c of scan.conjuncts) {
    const cmp = columnComparison(c, scan, 'eventtime');
    if (!cmp || typeof cmp.value !== 'string') continue;
    const v = cmp.value;
    const out =
      (cmp.op === '>=' && rg.eventtimeMax < v) || (cmp.op === '>' && rg.eventtimeMax <= v) ||
      (cmp.op === '<' && rg.eventtimeMin >= v) || (cmp.op === '<=' && rg.eventtimeMin > v) ||
      (cmp.op === '=' && (v < rg.eventtimeMin || v > rg.eventtimeMax));
    if (out) return true;
  }
  return false;
}

export class ParquetBytes {
  private files: ParquetFile[] = [];
  private readonly parsed = new Map<string, unknown | null>();

  constructor(private readonly dir: string) {}

  /** Reads the footers of every file (after compact wrote them). */
  async load(conn: DuckDBConnection): Promise<void> {
    const files = new Map<string, ParquetFile>();
    const glob = `${this.dir}/*/**/*.parquet`.replace(/'/g, "''");
    let rows: Record<string, unknown>[] = [];
    try {
      const reader = await conn.runAndReadAll(
        `SELECT file_name, row_group_id, path_in_schema, total_compressed_size, stats_min_value, stats_max_value FROM parquet_metadata('${glob}')`,
      );
      rows = reader.getRowObjectsJS();
    } catch {
      rows = []; // no file yet
    }
    for (const r of rows) {
      const name = String(r.file_name);
      const relative = name.slice(this.dir.length).replace(/^\/+/, '');
      const folder = relative.slice(0, relative.indexOf('/'));
      let f = files.get(name);
      if (!f) files.set(name, (f = { folder, partition: partitionOfPath(relative.slice(folder.length + 1)), rowGroups: [] }));
      const id = Number(r.row_group_id);
      const rg = (f.rowGroups[id] ??= { leaves: new Map() });
      const leaf = leafPath(String(r.path_in_schema));
      rg.leaves.set(leaf, (rg.leaves.get(leaf) ?? 0) + Number(r.total_compressed_size));
      if (leaf === 'eventtime' && r.stats_min_value !== null && r.stats_max_value !== null) {
        rg.eventtimeMin = String(r.stats_min_value);
        rg.eventtimeMax = String(r.stats_max_value);
      }
    }
    this.files = [...files.values()];
  }

  /** Every byte of the files: what a statement the parser cannot read is billed per table it names. */
  private total(): number {
    return this.files.reduce((n, f) => n + f.rowGroups.reduce((m, rg) => m + [...rg.leaves.values()].reduce((a, b) => a + b, 0), 0), 0);
  }

  private ast(text: string): unknown | null {
    if (!this.parsed.has(text)) {
      let ast: unknown | null;
      try {
        ast = parseTrino(bridgeGrammarGaps(markPlaceholders(text)));
      } catch {
        ast = null;
      }
      this.parsed.set(text, ast);
    }
    return this.parsed.get(text) ?? null;
  }

  bytesScanned(text: string, values: readonly LiteralValue[]): number {
    const ast = this.ast(text);
    if (ast === null) return this.total() * (text.match(new RegExp(`\\b(${RELATION_NAMES.join('|')})\\b`, 'gi'))?.length ?? 1);
    const named = namedPaths(text);
    const stars = starRelations(ast);
    let bytes = 0;
    for (const relation of RELATION_NAMES) {
      const folder = folderOf(relation);
      const columns = { paths: named, star: stars.has(relation) };
      for (const s of scansOf(ast, relation)) {
        const scan: Scan = { ...s, params: values };
        for (const f of this.files) {
          if (f.folder !== folder || !mayRead(scan, f.partition)) continue;
          for (const rg of f.rowGroups) {
            if (!rg || skipped(rg, scan)) continue;
            for (const [leaf, n] of rg.leaves) if (billed(leaf, columns)) bytes += n;
          }
        }
      }
    }
    return bytes;
  }
}

/** The table folders compact writes (for a check that the model knows them all). */
export const BILLED_FOLDERS = COMPACT_TABLES.map((t) => t.folder);
