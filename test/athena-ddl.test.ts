import { athenaDdl } from '../src/cli/athena-ddl';
import { rawExpression, rebuiltKeyPaths } from '../src/history/athena/ddl';
import { DERIVED_COLUMNS } from '../src/history/derive';
import { COLUMNS } from '../src/history/table';
import { TOUCH_COLUMNS } from '../src/history/graph/touches';
import { parseTrino } from './athena-emulator/partitions';
import { corpusRecords } from './support/fixture-store';

/** `trailgraph athena-ddl`: what it prints, and that it agrees with the table the builder reads. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  try {
    const code = await athenaDdl(args, {});
    return { code, out, err };
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}

const BASE = ['--bucket', 'trail-bucket', '--accounts', '111111111111,222222222222', '--regions', 'us-east-1,eu-west-1'];

function tableProperty(ddl: string, name: string): string | undefined {
  return new RegExp(`'${name.replace(/\./g, '\\.')}' = '([^']*)'`).exec(ddl)?.[1];
}

test('the table declares every log column of the builder\'s table with its type, partitioned by account, region and day', async () => {
  const { code, out } = await run(BASE);
  expect(code).toBe(0);
  const table = /CREATE EXTERNAL TABLE IF NOT EXISTS `default`\.`cloudtrail_logs` \(\n([\s\S]*?)\n\)\nPARTITIONED BY \(`account` STRING, `region` STRING, `day` STRING\)/.exec(out);
  expect(table).not.toBeNull();
  const declared = (table?.[1] ?? '').split(',\n').map((l) => /^ {2}`(\w+)` /.exec(l)?.[1]);
  expect(declared).toEqual(COLUMNS.map(([n]) => n).filter((n) => !['raw', 'account', 'region', 'day'].includes(n)));
  expect(out).toContain('`useridentity` STRUCT<type:STRING, principalid:STRING,');
  expect(out).toContain('`resources` ARRAY<STRUCT<arn:STRING, accountid:STRING, type:STRING>>');
  expect(out).toContain(`ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'`);
  expect(out).toContain(`STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'`);
});

test('partition projection: accounts and regions enumerated, days projected, the single-account storage template', async () => {
  const { out } = await run([...BASE, '--prefix', '/logs/trail/', '--since', '2021/06/01']);
  expect(tableProperty(out, 'projection.enabled')).toBe('true');
  expect(tableProperty(out, 'projection.account.type')).toBe('enum');
  expect(tableProperty(out, 'projection.account.values')).toBe('111111111111,222222222222');
  expect(tableProperty(out, 'projection.region.values')).toBe('us-east-1,eu-west-1');
  expect(tableProperty(out, 'projection.day.type')).toBe('date');
  expect(tableProperty(out, 'projection.day.format')).toBe('yyyy/MM/dd');
  expect(tableProperty(out, 'projection.day.range')).toBe('2021/06/01,NOW');
  expect(tableProperty(out, 'projection.day.interval.unit')).toBe('DAYS');
  expect(tableProperty(out, 'storage.location.template')).toBe('s3://trail-bucket/logs/trail/AWSLogs/${account}/CloudTrail/${region}/${day}');
  expect(out).toContain(`LOCATION 's3://trail-bucket/logs/trail/AWSLogs/'`);
});

test('an organization trail gets the org id in its storage template; names come from --athena-database/--athena-table', async () => {
  const { out } = await run([...BASE, '--org-id', 'o-abcdef1234', '--athena-database', 'audit', '--athena-table', 'trail']);
  expect(tableProperty(out, 'storage.location.template')).toBe('s3://trail-bucket/AWSLogs/o-abcdef1234/${account}/CloudTrail/${region}/${day}');
  expect(tableProperty(out, 'projection.day.range')).toBe('NOW-2YEARS,NOW');
  expect(out).toContain('CREATE DATABASE IF NOT EXISTS `audit`;');
  expect(out).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `audit`.`trail_logs`');
  expect(out).toContain('CREATE OR REPLACE VIEW "audit"."trail" AS');
  expect(out).toContain('FROM "audit"."trail_logs";');
});

test('the view selects every column the builder reads, and its SELECT is Trino SQL', async () => {
  const { out } = await run(BASE);
  const view = /CREATE OR REPLACE VIEW "default"\."cloudtrail" AS\n([\s\S]*?);\n/.exec(out)?.[1];
  expect(view).toBeDefined();
  const ast = parseTrino(view ?? '') as { columns: Array<{ as: string | null; expr: { column?: { expr?: { value?: string } } } }> };
  const names = ast.columns.map((c) => c.as ?? c.expr.column?.expr?.value);
  expect(names).toEqual(COLUMNS.map(([n]) => n).filter((n) => n !== 'raw').slice(0, -3).concat(['raw', 'account', 'region', 'day'], DERIVED_COLUMNS.map(([n]) => n)));
});

test('the touches view reads the view by its configured name, selects the touch columns, and is Trino SQL', async () => {
  const { out } = await run([...BASE, '--athena-database', 'audit', '--athena-table', 'trail']);
  const view = /CREATE OR REPLACE VIEW "audit"\."trail_touches" AS\n([\s\S]*?);\n/.exec(out)?.[1];
  expect(view).toBeDefined();
  expect(view).toContain('FROM "audit"."trail" WHERE TRUE');
  const ast = parseTrino(view ?? '') as { columns: Array<{ as: string | null; expr: { column?: { expr?: { value?: string } } } }> };
  expect(ast.columns.map((c) => c.as ?? c.expr.column?.expr?.value)).toEqual(TOUCH_COLUMNS.map(([n]) => n));
});

test('the rebuilt raw record spells every key as CloudTrail does (the spelling most records of the corpus use)', () => {
  const known = new Map(rebuiltKeyPaths().map((p) => [p.toLowerCase(), p]));
  const seen = new Map<string, Map<string, number>>();
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, `${path}[]`));
    if (typeof v !== 'object' || v === null) return;
    for (const [k, child] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (!known.has(p.toLowerCase())) continue;
      const spellings = seen.get(p.toLowerCase()) ?? new Map<string, number>();
      spellings.set(p, (spellings.get(p) ?? 0) + 1);
      seen.set(p.toLowerCase(), spellings);
      walk(child, p);
    }
  };
  for (const r of corpusRecords()) walk(r, '');
  expect(seen.size).toBeGreaterThan(30);
  for (const [lower, spellings] of seen) {
    const usual = [...spellings].sort((a, b) => b[1] - a[1])[0][0];
    expect({ path: lower, spelling: known.get(lower) }).toEqual({ path: lower, spelling: usual });
  }
  expect(rawExpression()).toContain(`'sourceIPAddress'`);
});

test.each([
  [['--accounts', '1', '--regions', 'us-east-1', '--bucket', 'b-b-b'], '12-digit'],
  [['--bucket', 'Bad_Bucket', '--accounts', '111111111111', '--regions', 'us-east-1'], 'bucket'],
  [['--accounts', '111111111111', '--regions', 'us-east-1'], '--bucket'],
  [['--bucket', 'trail-bucket', '--regions', 'us-east-1'], '--accounts'],
  [[...BASE, '--org-id', 'org-1'], 'organization'],
  [[...BASE, '--since', 'yesterday'], 'yyyy/MM/dd'],
  [[...BASE, '--frobnicate', 'x'], 'unknown'],
])('bad arguments exit 2 with a message naming the problem (%#)', async (args, problem) => {
  const { code, out, err } = await run(args);
  expect(code).toBe(2);
  expect(out).toBe('');
  expect(err).toContain(problem);
});
