import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Authz, createAuthz } from '../authz';
import { Caller } from '../authz/caller';
import { AuthLogger } from '../authz/log';
import { Config, queryLimitsOf } from '../config';
import { contextForCaller } from '../context';
import { RuleCatalog } from '../detections/catalog';
import { ErrorCode, TrailgraphError, badInput } from '../errors';
import { ExportForbidden, ExportFormat, EXPORT_FORMATS, isExportFormat } from '../export/columns';
import { ExportSummary, runExport } from '../export/run';
import { AccessLogUnwritable, ExportAudit } from '../export/audit';
import { knownAccountsOf } from '../history/accounts';
import { HistoryStore } from '../history/store';
import { TimeWindow, resolveWindow } from '../history/window';
import { EventFilter, toCriteria } from '../../resolvers/event/event-filter.input';
import { withDetectionRules } from '../../resolvers/detection/detection.service';
import { CliFailure, CommandLineError, parseCommandLine, runCommand } from './command-line';
import { eventFilterOf, filterJson } from './export-filter';
import { openStore } from './store-access';

/**
 * `trailgraph export --filter FILE|JSON --format jsonl|csv|parquet [--out FILE]`:
 * the events an EventFilter selects, as a caller of the API reads them
 * (README "Export"). Exit status: 0 written, 2 refused (a flag, the filter,
 * the credential, or what the caller may not read: one line, nothing written).
 */
interface ExportFlags {
  filter: string;
  format: ExportFormat;
  out?: string;
  apiKey?: string;
  bearer?: string;
}

function ownFlags(own: readonly string[]): ExportFlags {
  const given = new Map<string, string>();
  for (let i = 0; i < own.length; i += 2) {
    if (given.has(own[i])) throw new CommandLineError(own[i], `${own[i]} given twice`);
    given.set(own[i], own[i + 1]);
  }
  const filter = given.get('--filter');
  if (filter === undefined) throw new CommandLineError('--filter', '--filter FILE|JSON is required: the EventFilter of the events to write (trailgraph export --help)');
  const format = given.get('--format');
  if (format === undefined) throw new CommandLineError('--format', `--format is required: one of ${EXPORT_FORMATS.join(', ')}`);
  if (!isExportFormat(format)) throw new CommandLineError('--format', `--format: "${format}" is not one of ${EXPORT_FORMATS.join(', ')}`);
  const out = given.get('--out');
  if (out === '') throw new CommandLineError('--out', '--out: must not be empty');
  if (out !== undefined && !existsSync(dirname(resolve(out)))) throw new CommandLineError('--out', `--out: there is no folder ${dirname(resolve(out))}`);
  if (format === 'parquet' && out === undefined) throw new CommandLineError('--out', '--out FILE is required with --format parquet (Parquet is written to a file, not to standard output)');
  const apiKey = given.get('--api-key');
  const bearer = given.get('--bearer');
  if (apiKey !== undefined && bearer !== undefined) throw new CommandLineError('--bearer', 'give one credential: --api-key or --bearer, not both');
  return { filter, format, out, apiKey, bearer };
}

/** A credential as given, or read from the file after '@' (so it is not in the process list). */
function secret(flag: string, value: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8').trim();
  } catch (err) {
    throw new CommandLineError(flag, `${flag}: cannot read ${value.slice(1)} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

/** The caller the export acts as, authenticated as the server authenticates a request's header. */
async function callerOf(authz: Authz, flags: ExportFlags): Promise<Caller> {
  const flag = flags.apiKey !== undefined ? '--api-key' : '--bearer';
  if (!authz.enabled && (flags.apiKey !== undefined || flags.bearer !== undefined)) {
    throw new CommandLineError(flag, `${flag}: no credentials are configured (--api-keys-file, --api-keys, --jwks-file or --jwks-url), so the export runs as the server would without them: leave ${flag} out`);
  }
  if (authz.enabled && flags.apiKey === undefined && flags.bearer === undefined) {
    throw new CliFailure('--api-key: UNAUTHENTICATED: credentials are configured, so the export acts as a caller of the API: name it with --api-key KEY|@FILE or --bearer JWT|@FILE');
  }
  const headers = flags.apiKey !== undefined ? { 'x-api-key': secret('--api-key', flags.apiKey) } : flags.bearer !== undefined ? { authorization: `Bearer ${secret('--bearer', flags.bearer)}` } : {};
  try {
    return await authz.authenticate(headers);
  } catch (err) {
    if (err instanceof TrailgraphError) throw refusal(flag, err);
    throw err;
  }
}

/** An error the API would answer with its code, as the one line of a CLI refusal. */
function refusal(flag: string, err: TrailgraphError): CliFailure {
  return new CliFailure(`${flag}: ${String(err.extensions.code)}: ${err.message}`);
}

/** authz warnings (a policy engine that does not answer) on standard error; its routine notes are not the export's output. */
const AUTH_LOG: AuthLogger = {
  info: () => undefined,
  warn: (obj, msg) => console.error(`trailgraph export: warning: ${msg} ${JSON.stringify(obj)}`),
  error: (obj, msg) => console.error(`trailgraph export: error: ${msg} ${JSON.stringify(obj)}`),
};

export function summaryLine(s: ExportSummary, out: string | undefined): string {
  const left = s.omitted.length ? `; left out, not readable by the caller in every selected account: ${s.omitted.join(', ')}` : '';
  return `trailgraph export: ${s.events} events, ${s.bytes} bytes in ${s.seconds.toFixed(2)} s (${s.format} to ${out ?? 'standard output'}${left})`;
}

export function exportEvents(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCommand('export', args, () => exportWith(args, env));
}

async function exportWith(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { config, own } = parseCommandLine('export', args, env);
  const flags = ownFlags(own);
  // The filter is checked before the store is opened: a bad one touches nothing.
  const now = new Date();
  const { filter, window } = await checkedFilter(flags.filter, config, now);
  // DuckDB within --db-memory-mb: a sort larger than that spills to disk instead of growing the process.
  const engine = await openStore(config.db, 'serve', config.dbMemoryMb);
  const store = new HistoryStore(engine);
  let authz: Authz | undefined;
  let summary: ExportSummary;
  try {
    authz = await createAuthz(config, { log: AUTH_LOG, knownAccounts: knownAccountsOf(config.accounts, store) });
    const caller = await callerOf(authz, flags);
    // The scope of a request of this caller (authz/query-scope.ts): its accounts, and where it may read payloads and network details.
    const ctx = await contextForCaller({ config, store, authz, caller, detections: RuleCatalog.load(config.rules), clock: () => now });
    // Every export the caller was authenticated for is a line in the access audit log, refused ones too.
    const audit = new ExportAudit(config, flags.format, ctx.authz.caller.id, ctx.query.scope.accounts ?? null);
    let criteria;
    try {
      criteria = await withDetectionRules(ctx, toCriteria(filter));
    } catch (err) {
      if (err instanceof TrailgraphError) {
        await audit.record(String(err.extensions.code));
        throw refusal('--filter', err);
      }
      throw err;
    }
    try {
      const beforeCommit = (): Promise<void> => audit.recordOrRefuse('OK');
      summary = await runExport(engine, flags.format, { window, criteria, scope: ctx.query.scope }, { out: flags.out, stdout: process.stdout, beforeCommit });
    } catch (err) {
      if (err instanceof AccessLogUnwritable) throw new CliFailure('--access-log: SERVICE_UNAVAILABLE: the access log cannot be written; nothing is exported');
      if (err instanceof ExportForbidden) {
        await audit.record(ErrorCode.FORBIDDEN);
        throw new CliFailure(`--format: FORBIDDEN: ${err.message}`);
      }
      if (err instanceof TrailgraphError) {
        await audit.record(String(err.extensions.code));
        throw refusal('--filter', err);
      }
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') {
        await audit.record(ErrorCode.INTERNAL_SERVER_ERROR);
        throw err;
      }
      await audit.record('EPIPE');
      // The reader of standard output went away (| head): what it read is all it gets.
      console.error('trailgraph export: standard output was closed before the export was complete');
      return 1;
    }
  } finally {
    await authz?.close();
    await engine.close();
  }
  console.error(summaryLine(summary, flags.out));
  return 0;
}

/** The filter as the API takes it, and its window: required here (an export names its period), and no longer than --max-span-days. */
async function checkedFilter(arg: string, config: Config, now: Date): Promise<{ filter: EventFilter; window: TimeWindow }> {
  try {
    const filter = await eventFilterOf(filterJson(arg), queryLimitsOf(config));
    if (!filter.time) {
      throw badInput(`filter.time is required: the export's window ({"time":{"from":"...","to":"..."}}, at most ${config.maxSpanDays} days)`, { argument: 'filter.time' });
    }
    return { filter, window: resolveWindow(filter.time, config, now) };
  } catch (err) {
    if (err instanceof TrailgraphError) throw refusal('--filter', err);
    throw err;
  }
}
