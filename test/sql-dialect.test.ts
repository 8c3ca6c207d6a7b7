import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { toLiteral } from '../src/history/athena/parameters';
import { countPlaceholders, fillPlaceholders } from '../src/history/athena/sql-text';
import { Sql } from '../src/history/sql/sql';
import { TABLE } from '../src/history/table';
import { PRINCIPAL_DAYS } from '../src/history/graph/principal-days';
import { NOT_STATEMENTS, SAMPLE_BUILDERS, Sample, allSamples } from './athena-emulator/builder-samples';
import { PartitionConjunct, Scan, asPartitionConjunct, bridgeGrammarGaps, historyScansOf, parseTrino, scansOf } from './athena-emulator/partitions';

/**
 * Every statement the builder can emit is Trino SQL (what Athena runs), and
 * every read of the table is bounded by partition predicates: day always,
 * and account whenever the caller is limited to some accounts. Parsed with
 * node-sql-parser's Trino grammar, after the parameters are put in as the
 * literals Athena substitutes (the grammar does not take `LIMIT ?`, which
 * Trino does).
 */
const HISTORY = join(__dirname, '..', 'src', 'history');

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'athena' ? [] : modules(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every exported function named `...Sql` in src/history (the Athena engine's own folder aside). */
function exportedBuilders(): string[] {
  const names = new Set<string>();
  for (const path of modules(HISTORY)) {
    const mod = require(path) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) if (typeof value === 'function' && /^[a-z]\w*Sql$/.test(name)) names.add(name);
  }
  return [...names].sort();
}

function literalText(s: Sql): string {
  return fillPlaceholders(s.text, s.params.map(toLiteral));
}

const parsed = new Map<Sample, unknown>();
/** The statement's syntax tree (parameters as literals, grammar gaps bridged); throws when it does not parse. */
function parse(s: Sample): unknown {
  if (!parsed.has(s)) parsed.set(s, parseTrino(bridgeGrammarGaps(literalText(s.statement))));
  return parsed.get(s);
}

function conjunctsOf(scan: Scan): PartitionConjunct[] {
  return scan.conjuncts.map((c) => asPartitionConjunct(c, scan)).filter((c): c is PartitionConjunct => c !== null);
}

function isFalse(scan: Scan): boolean {
  return scan.conjuncts.some((c) => typeof c === 'object' && c !== null && (c as { type?: string; value?: unknown }).type === 'bool' && (c as { value?: unknown }).value === false);
}

const DAY = /^\d{4}\/\d{2}\/\d{2}$/;

/** What is wrong with one scan's bounds, or null. */
function boundProblem(scan: Scan, sample: Sample): string | null {
  const cs = conjunctsOf(scan);
  const day = cs.filter((c) => c.column === 'day');
  if (!day.every((c) => c.values.every((v) => typeof v === 'string' && DAY.test(v)))) return 'a day bound that is not a YYYY/MM/DD literal';
  const pinned = day.some((c) => c.op === '=' || c.op === 'IN' || c.op === 'BETWEEN');
  const lower = day.some((c) => c.op === '>=' || c.op === '>');
  const upper = day.some((c) => c.op === '<=' || c.op === '<');
  if (!pinned && !(lower && upper)) return 'no partition predicate bounding day on both sides';
  const allowed = sample.scope.accounts;
  if (allowed !== null && !isFalse(scan)) {
    const account = cs.filter((c) => c.column === 'account' && (c.op === 'IN' || c.op === '='));
    if (!account.some((c) => c.values.every((v) => typeof v === 'string' && allowed.includes(v)))) return `no account predicate within the caller's accounts ${JSON.stringify(allowed)}`;
  }
  return null;
}

const samples = allSamples();

test('every exported statement builder has samples here, so a new one cannot escape the checks below', () => {
  const covered = new Set([...Object.keys(SAMPLE_BUILDERS), ...Object.keys(NOT_STATEMENTS)]);
  expect(exportedBuilders().filter((n) => !covered.has(n))).toEqual([]);
  expect(Object.keys(SAMPLE_BUILDERS).filter((n) => !exportedBuilders().includes(n))).toEqual([]);
  expect(samples.length).toBeGreaterThan(150);
  expect(modules(HISTORY).map((p) => relative(HISTORY, p))).toContain('events.ts');
});

test.each(Object.keys(SAMPLE_BUILDERS))('%s: every statement parses as Trino SQL with one parameter per placeholder', (builder) => {
  const failures: string[] = [];
  for (const s of samples.filter((x) => x.builder === builder)) {
    if (countPlaceholders(s.statement.text) !== s.statement.params.length) failures.push(`${s.label}: placeholders and parameters differ`);
    try {
      parse(s);
    } catch (err) {
      failures.push(`${s.label}: ${String(err).slice(0, 300)}`);
    }
  }
  expect(failures).toEqual([]);
});

test.each(Object.keys(SAMPLE_BUILDERS).filter((b) => samples.some((s) => s.builder === b && !s.unbounded)))(
  '%s: every read of the table has a partition predicate on day, and on account when the caller is limited',
  (builder) => {
    const failures: string[] = [];
    for (const s of samples.filter((x) => x.builder === builder)) {
      const scans = historyScansOf(parse(s));
      if (scans.length === 0) failures.push(`${s.label}: reads no table`);
      scans.forEach((scan, i) => {
        const problem = boundProblem(scan, s);
        if (problem) failures.push(`${s.label} (read ${i + 1}): ${problem}`);
      });
    }
    expect(failures).toEqual([]);
  },
);

test('the embedded store\'s samples read the principals\' days, the other samples never', () => {
  const reads = (s: Sample) => scansOf(parse(s), PRINCIPAL_DAYS).length > 0;
  expect([...new Set(samples.filter(reads).map((s) => s.builder))].sort()).toEqual(['principalGroupsSql', 'principalSummariesSql', 'topEventNamesSql']);
  expect(samples.filter(reads).every((s) => s.scope.days === 'event')).toBe(true);
});

test('the checks can fail: a read without a day bound or outside the caller\'s accounts is caught', () => {
  const probe = (text: string, accounts: string[] | null) => {
    const scan = scansOf(parseTrino(text), TABLE)[0];
    return boundProblem(scan, { builder: 'probe', label: 'probe', statement: new Sql(text, []), scope: { accounts } });
  };
  expect(probe(`SELECT 1 FROM cloudtrail WHERE day >= '2024/01/01'`, null)).toMatch(/day/);
  expect(probe(`SELECT 1 FROM cloudtrail WHERE eventtime >= '2024' AND day <= '2024/01/02' OR day >= '2024/01/01'`, null)).toMatch(/day/);
  expect(probe(`SELECT 1 FROM cloudtrail WHERE day >= '2024/01/01' AND day <= '2024/01/02'`, ['1'])).toMatch(/account/);
  expect(probe(`SELECT 1 FROM cloudtrail WHERE day >= '2024/01/01' AND day <= '2024/01/02' AND account IN ('1', '2')`, ['1'])).toMatch(/account/);
  expect(probe(`SELECT 1 FROM cloudtrail WHERE day IN ('2024/01/01') AND account IN ('1')`, ['1'])).toBeNull();
  expect(probe(`SELECT 1 FROM cloudtrail WHERE day BETWEEN '2024/01/01' AND '2024/01/03' AND FALSE`, [])).toBeNull();
});

test('bridging a grammar gap removes only the FILTER of min_by/max_by, quotes and nesting respected', () => {
  expect(bridgeGrammarGaps(`SELECT min_by(a, f(b) || ')''(') FILTER (WHERE (a IS NOT NULL)) AS x, max(c) FILTER (WHERE c > 0) AS y FROM t`)).toBe(
    `SELECT min_by(a, f(b) || ')''(') AS x, max(c) FILTER (WHERE c > 0) AS y FROM t`,
  );
  expect(() => parseTrino(`SELECT min_by(a, b) FILTER (WHERE a IS NOT NULL) FROM t`)).toThrow();
});

/** The columns a statement names, wherever in it. */
function columnsNamed(tree: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const o = n as { type?: string; column?: unknown };
    if (o.type === 'column_ref') {
      const c = o.column as string | { expr?: { value?: string } };
      out.push(typeof c === 'string' ? c : String(c?.expr?.value));
    }
    Object.values(o).forEach(walk);
  };
  walk(tree);
  return out;
}

test('the only statements without a day bound are the account list and the newest row number, and they read nothing else', () => {
  const unbounded = samples.filter((s) => s.unbounded);
  expect([...new Set(unbounded.map((s) => s.builder))].sort()).toEqual(['accountsSql', 'lastRowSql']);
  for (const s of unbounded.filter((x) => x.builder === 'accountsSql')) {
    const columns = (parse(s) as { columns: Array<{ expr: { column?: { expr?: { value?: string } } } }> }).columns;
    expect(columns.map((c) => c.expr.column?.expr?.value)).toEqual(['account']);
  }
  for (const s of unbounded.filter((x) => x.builder === 'lastRowSql')) expect(columnsNamed(parse(s))).toEqual(['rowid']);
  expect(columnsNamed(parseTrino(`SELECT max(a) FROM t WHERE b > 1`)).sort()).toEqual(['a', 'b']);
});
