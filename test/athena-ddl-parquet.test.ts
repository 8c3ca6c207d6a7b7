import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { athenaDdl } from '../src/cli/athena-ddl';
import { LocalDestination, compactStore } from '../src/compact';
import { DERIVED_COLUMNS } from '../src/history/derive';
import { COLUMNS } from '../src/history/table';
import { parseTrino } from './athena-emulator/partitions';
import { runCli } from './support/cli-run';
import { firstOfEachId } from './support/expected';
import { corpusRecords, storeWith } from './support/fixture-store';
import { filesUnder } from './support/log-files';

/**
 * `trailgraph athena-ddl --format parquet`: the tables over what compact
 * writes. Checked against the files compact writes for the corpus: the
 * location template renders their folders, the declared columns are theirs.
 */
async function ddl(args: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const r = await runCli(athenaDdl, args);
    return { code: r.code, out: out + r.out.join('\n'), err: r.err };
  } finally {
    write.mockRestore();
  }
}

const BASE = ['--format', 'parquet', '--bucket', 'audit-parquet', '--prefix', 'trailgraph/v1', '--accounts', '111111111111,222222222222', '--regions', 'us-east-1,eu-west-1', '--since', '2024/01/01'];

function statement(text: string, head: string): string {
  const start = text.indexOf(head);
  expect(start).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf(';', start) + 1);
}

function properties(stmt: string): Record<string, string> {
  return Object.fromEntries([...stmt.matchAll(/^ {2}'([^']+)' = '([^']*)'/gm)].map((m) => [m[1], m[2]]));
}

function declaredColumns(stmt: string): string[] {
  const body = /\(\n([\s\S]*?)\n\)\nPARTITIONED BY/.exec(stmt)?.[1] ?? '';
  return body.split(',\n').map((l) => /^ {2}`(\w+)` /.exec(l)?.[1] ?? '');
}

let root: string;
let out: string;
let reader: DuckDBInstance;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'trailgraph-ddl-parquet-'));
  out = join(root, 'parquet');
  const duck = await storeWith(firstOfEachId(corpusRecords()));
  await compactStore(duck, new LocalDestination(out));
  await duck.close();
  reader = await DuckDBInstance.create(':memory:');
}, 120_000);
afterAll(() => {
  reader.closeSync();
  rmSync(root, { recursive: true, force: true });
});

async function fileColumns(folder: string): Promise<string[]> {
  const c = await reader.connect();
  try {
    return (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${out}/${folder}/**/*.parquet')`)).getRowObjectsJS().map((r) => String(r.column_name));
  } finally {
    c.closeSync();
  }
}

const TABLES: Array<[string, string, string[]]> = [
  ['events', 'cloudtrail_events', ['account', 'region', 'day']],
  ['touches', 'cloudtrail_touches', ['account', 'region', 'day']],
  ['principal_days', 'cloudtrail_principal_days', ['account', 'day']],
];

test.each(TABLES)('the %s table: Parquet, partitioned and projected as compact writes it, its columns those of the files', async (folder, name, partitions) => {
  const { code, out: text } = await ddl(BASE);
  expect(code).toBe(0);
  const stmt = statement(text, `CREATE EXTERNAL TABLE IF NOT EXISTS \`default\`.\`${name}\` (`);
  expect(stmt).toContain('STORED AS PARQUET');
  expect(stmt).toContain(`PARTITIONED BY (${partitions.map((p) => `\`${p}\` STRING`).join(', ')})`);
  expect(stmt).toContain(`LOCATION 's3://audit-parquet/trailgraph/v1/${folder}/'`);
  const props = properties(stmt);
  expect(props['projection.enabled']).toBe('true');
  expect(props['projection.account.values']).toBe('111111111111,222222222222');
  expect(props['projection.day.format']).toBe('yyyy/MM/dd');
  expect(props['projection.day.range']).toBe('2024/01/01,NOW');
  if (partitions.includes('region')) expect(props['projection.region.values']).toBe('us-east-1,eu-west-1');
  // The files' columns, less the partition columns (Athena takes those from the path), in the files' order.
  expect(declaredColumns(stmt)).toEqual((await fileColumns(folder)).filter((c) => !partitions.includes(c)));
  // The template, rendered for each file's partition, is the folder compact wrote it in.
  const template = props['storage.location.template'];
  const files = filesUnder(join(out, folder));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const rel = relative(join(out, folder), f);
    const values = Object.fromEntries(partitions.map((p) => [p, new RegExp(`${p}=(${p === 'day' ? '\\d{4}/\\d{2}/\\d{2}' : '[^/]+'})`).exec(rel)?.[1] ?? '']));
    const rendered = template.replace(/\$\{(\w+)\}/g, (_m, p: string) => values[p]);
    expect(`${rendered}/${rel.slice(rel.lastIndexOf('/') + 1)}`).toBe(`s3://audit-parquet/trailgraph/v1/${folder}/${rel}`);
  }
});

test('the view the statements read passes every column of the builder\'s table through from the events table', async () => {
  const { out: text } = await ddl(BASE);
  const view = statement(text, 'CREATE OR REPLACE VIEW "default"."cloudtrail" AS');
  expect(view).toContain('FROM "default"."cloudtrail_events";');
  const select = view.replace(/^CREATE OR REPLACE VIEW "default"\."cloudtrail" AS\n/, '').replace(/;$/, '');
  expect(() => parseTrino(select)).not.toThrow();
  const listed = [...select.matchAll(/^ {2}(\w+),?$/gm)].map((m) => m[1]);
  for (const [c] of COLUMNS) expect(listed).toContain(c);
  for (const [c] of DERIVED_COLUMNS) expect(listed).toContain(c);
  expect(listed).toContain('log_file');
});

test('--athena-table and --athena-database name the view and its tables', async () => {
  const { code, out: text } = await ddl([...BASE, '--athena-database', 'audit', '--athena-table', 'trail']);
  expect(code).toBe(0);
  expect(text).toContain('CREATE DATABASE IF NOT EXISTS `audit`;');
  expect(text).toContain('CREATE OR REPLACE VIEW "audit"."trail" AS');
  for (const name of ['trail_events', 'trail_touches', 'trail_principal_days']) expect(text).toContain(`CREATE EXTERNAL TABLE IF NOT EXISTS \`audit\`.\`${name}\` (`);
});

test.each([
  ['a format that is not one', ['--format', 'orc']],
  ['an organization id, which compact\'s layout has no folder for', ['--org-id', 'o-a1b2c3d4e5']],
])('%s: one line naming the flag, exit status 2', async (_name, extra) => {
  const r = await ddl([...BASE.filter((a, i) => !(a === '--format' || BASE[i - 1] === '--format')), ...(extra[0] === '--format' ? extra : ['--format', 'parquet', ...extra])]);
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toContain(extra[0]);
});
