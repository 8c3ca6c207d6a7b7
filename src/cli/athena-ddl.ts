import { Config, ConfigError } from '../config';
import { parseCommandLine, runCommand } from './command-line';
import { AthenaDdlOptions, athenaDdl as renderDdl } from '../history/athena/ddl';
import { athenaParquetDdl } from '../compact/parquet-ddl';

/**
 * `trailgraph athena-ddl --bucket B [--prefix P] [--org-id o-...] --accounts A,B --regions R,S [--since 2020/01/01]`
 * prints the CREATE EXTERNAL TABLE and the view, ready to paste into Athena.
 * The database and view names come from --athena-database and --athena-table,
 * the same settings the server reads.
 */
const USAGE = 'usage: trailgraph athena-ddl --bucket B [--prefix P] [--org-id o-xxxxxxxxxx] --accounts A[,A...] --regions R[,R...] [--since yyyy/MM/dd|NOW-nYEARS] [--format json|parquet] [--athena-database D] [--athena-table T]';

const CHECKS: Record<string, [RegExp, string]> = {
  bucket: [/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'],
  prefix: [/^[A-Za-z0-9!_.*'()/-]+$/, 'an S3 key prefix'],
  'org-id': [/^o-[a-z0-9]{10,32}$/, 'an organization id (o-...)'],
  accounts: [/^\d{12}$/, 'a 12-digit account id'],
  regions: [/^[a-z]{2}(-[a-z]+)+-\d+$/, 'a region name (us-east-1)'],
  since: [/^(\d{4}\/\d{2}\/\d{2}|NOW-\d+(YEARS|MONTHS|WEEKS|DAYS))$/, 'yyyy/MM/dd or NOW-<n>YEARS|MONTHS|WEEKS|DAYS'],
  // json: the table over the trail's log files; parquet: over what `compact --to s3://BUCKET/PREFIX` wrote.
  format: [/^(json|parquet)$/, 'json or parquet'],
};
const LISTS = new Set(['accounts', 'regions']);

class UsageError extends Error {}

function parse(rest: string[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : '';
    if (!(name in CHECKS)) throw new UsageError(`unknown argument ${arg}`);
    const raw = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    const items = LISTS.has(name) ? raw.split(',').map((s) => s.trim()).filter(Boolean) : [name === 'prefix' ? raw.replace(/^\/+|\/+$/g, '') : raw];
    const [pattern, what] = CHECKS[name];
    for (const v of items) if (!pattern.test(v)) throw new UsageError(`--${name}: "${v}" is not ${what}`);
    if (!LISTS.has(name) && values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, [...(values.get(name) ?? []), ...items]);
  }
  return values;
}

export function athenaDdl(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('athena-ddl', args, () => printDdl(args, env));
}

async function printDdl(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config: Config;
  let rest: string[];
  try {
    // The flags are declared in src/config.ts (its settings and COMMAND_FLAGS); their values are checked here.
    ({ config, own: rest } = parseCommandLine('athena-ddl', args, env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`trailgraph athena-ddl: ${err.message}`);
    return 2;
  }
  let options: AthenaDdlOptions;
  let parquet = false;
  try {
    // --accounts is also the server's setting (the accounts the trail holds): one flag, one meaning.
    // --regions too (the regions read from a bucket).
    const v = parse([...(config.accounts ? ['--accounts', config.accounts] : []), ...(config.regions ? ['--regions', config.regions] : []), ...rest]);
    const one = (name: string) => v.get(name)?.[0];
    const bucket = one('bucket');
    const accounts = [...new Set(v.get('accounts') ?? [])];
    const regions = [...new Set(v.get('regions') ?? [])];
    if (!bucket) throw new UsageError('--bucket is required');
    if (!accounts.length) throw new UsageError('--accounts is required (the accounts whose logs the bucket holds)');
    if (!regions.length) throw new UsageError('--regions is required (the regions the trail logs)');
    parquet = one('format') === 'parquet';
    if (parquet && v.has('org-id')) throw new UsageError('--org-id: compact\'s layout has no organization folder (--format parquet reads --bucket/--prefix as compact --to wrote them)');
    options = {
      bucket,
      prefix: one('prefix') || undefined,
      orgId: one('org-id'),
      accounts,
      regions,
      since: one('since') ?? 'NOW-2YEARS',
      database: config.athenaDatabase,
      view: config.athenaTable,
    };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`trailgraph athena-ddl: ${err.message} (${USAGE})`);
    return 2;
  }
  process.stdout.write(parquet ? athenaParquetDdl(options) : renderDdl(options));
  return 0;
}
