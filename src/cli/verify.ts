import { CommandLineError, parseCommandLine, runCommand } from './command-line';
import { DuckDbEngine } from '../history/duckdb/engine';
import { cloudTrailClients, keysFromCloudTrail, keysFromFile, KeySource, PublicKeyFileError } from '../integrity/public-keys';
import { reportLines } from '../integrity/report-text';
import { openVerifySource } from '../integrity/source';
import { verifySource, VerifyOptions, VerifyReport } from '../integrity/verify';
import { verifyAndRecord } from '../integrity/verify-and-record';
import { newestSignaturesOf } from '../integrity/signature-arg';

/**
 * `trailgraph verify SOURCE...`: CloudTrail log file integrity, as
 * `aws cloudtrail validate-logs` checks it and more (docs/integrity.md).
 * Exit status: 0 nothing invalid, 1 something invalid, 2 usage.
 */
class UsageError extends Error {}

interface VerifyArgs {
  sources: string[];
  since?: Date;
  until?: Date;
  accounts?: string[];
  regions?: string[];
  publicKeys?: string;
  newestSignatures: string[];
  json: boolean;
  verbose: boolean;
  record: boolean;
  s3Endpoint?: string;
  cloudTrailEndpoint?: string;
}

function time(flag: string, raw: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag}: "${raw}" is not a UTC time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)`);
  return d;
}

function list(flag: string, raw: string, pattern: RegExp): string[] {
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = items.find((s) => !pattern.test(s));
  if (bad !== undefined || items.length === 0) throw new UsageError(`${flag}: "${bad ?? raw}" is not valid`);
  return items;
}

function signatures(raw: string): string[] {
  try {
    return newestSignaturesOf(raw);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function parseVerifyArgs(args: readonly string[]): VerifyArgs {
  const out: VerifyArgs = { sources: [], newestSignatures: [], json: false, verbose: false, record: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--since': out.since = time(flag, value()); break;
      case '--until': out.until = time(flag, value()); break;
      case '--accounts': out.accounts = list(flag, value(), /^\d{12}$/); break;
      case '--regions': out.regions = list(flag, value(), /^[a-z]{2}(-[a-z]+)+-\d$/); break;
      case '--public-keys': out.publicKeys = value(); break;
      case '--newest-signature': out.newestSignatures.push(...signatures(value())); break;
      case '--s3-endpoint': out.s3Endpoint = value(); break;
      case '--cloudtrail-endpoint': out.cloudTrailEndpoint = value(); break;
      case '--json': out.json = true; break;
      case '--verbose': out.verbose = true; break;
      case '--no-record': out.record = false; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown flag ${arg}`);
        out.sources.push(arg);
    }
  }
  if (out.sources.length === 0) throw new UsageError('no SOURCE given');
  if (out.since && out.until && out.since > out.until) throw new UsageError('--since: must not be after --until');
  return out;
}

export function verify(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // --help and mistakes on the command line as every command has them: from the config schema, one line, exit 2.
  return runCommand('verify', args, () => verifyWith(args, env));
}

async function verifyWith(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config, own, operands } = parseCommandLine('verify', args, env);
  let parsed: VerifyArgs;
  try {
    parsed = parseVerifyArgs([...own, ...operands]);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const flag = /^(--[a-z-]+)/.exec(err.message)?.[1] ?? 'SOURCE';
    throw new CommandLineError(flag, err.message);
  }
  let keys: KeySource;
  try {
    keys = parsed.publicKeys ? await keysFromFile(parsed.publicKeys) : keysFromCloudTrail(cloudTrailClients(parsed.cloudTrailEndpoint));
  } catch (err) {
    if (!(err instanceof PublicKeyFileError)) throw err;
    console.error(`trailgraph verify: --public-keys: ${err.message}`);
    return 2;
  }
  // --accounts, --regions and --s3-endpoint are settings of the one config (read by loadConfig above).
  const setting = (text: string): string[] | undefined => (text ? text.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
  const accounts = parsed.accounts ?? setting(config.accounts);
  const regions = parsed.regions ?? setting(config.regions);
  const s3Endpoint = parsed.s3Endpoint ?? (config.s3Endpoint || undefined);
  const opts: VerifyOptions = { since: parsed.since, until: parsed.until, accounts, regions, keys, newestSignatures: parsed.newestSignatures };
  const record = parsed.record && config.engine === 'duckdb';
  const engine = record ? await DuckDbEngine.open(config.db) : undefined;
  const reports: VerifyReport[] = [];
  try {
    for (const spec of parsed.sources) {
      const source = openVerifySource(spec, { endpoint: s3Endpoint });
      reports.push(engine ? await verifyAndRecord(engine, source, opts) : await verifySource(source, opts));
    }
  } finally {
    await engine?.close();
  }
  if (parsed.json) console.log(JSON.stringify(reports.map(({ digests, ...r }) => ({ ...r, digests: digests.map(({ content: _c, ...d }) => d) })), null, 2));
  else for (const r of reports) console.log(reportLines(r, parsed.verbose).join('\n'));
  return reports.some((r) => r.failed) ? 1 : 0;
}
