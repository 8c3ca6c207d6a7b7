import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { DuckDbEngine } from '../../src/history/duckdb/engine';
import { DuckDbRunner } from './duckdb-runner';
import { ParquetBytes } from './parquet-bytes';
import { ParquetStore } from './parquet-store';
import { Execution, Executions } from './executions';
import { DEFAULT_KNOBS, EmulatorKnobs, EmulatorStats, emptyStats } from './knobs';

/**
 * A local Athena: a node:http server speaking the AWS JSON 1.1 protocol
 * (X-Amz-Target: AmazonAthena.<Operation>) for StartQueryExecution,
 * GetQueryExecution, GetQueryResults, StopQueryExecution and GetWorkGroup, executing the
 * statements on DuckDB. The real @aws-sdk/client-athena talks to it through
 * its `endpoint` setting. Test-only: it lives in test/, never in src/.
 */
class ApiError extends Error {
  constructor(readonly status: number, readonly type: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

const invalid = (message: string) => new ApiError(400, 'InvalidRequestException', message, { AthenaErrorCode: 'INVALID_INPUT' });
type Body = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function obj(v: unknown): Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : {};
}
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export class AthenaEmulator {
  knobs: EmulatorKnobs;
  stats: EmulatorStats = emptyStats();
  readonly endpoint: string;
  private readonly throttles: Array<{ operation: string; error: string }> = [];
  private readonly failures: string[] = [];
  private readonly tokens = new Map<string, string>();
  /** Fail the queries this returns a reason for (given the text and the ExecutionParameters). */
  failWhen: ((query: string, parameters: readonly string[]) => string | null) | null = null;

  private constructor(
    private readonly server: Server,
    private readonly runner: DuckDbRunner,
    private readonly executions: Executions,
    knobs: EmulatorKnobs,
    private readonly parquet: ParquetStore | null,
  ) {
    this.knobs = knobs;
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Serves the data of `engine` (a populated DuckDbEngine) on a free local port (or `port`: a restart). */
  static async start(engine: DuckDbEngine, knobs: Partial<EmulatorKnobs> = {}, port = 0): Promise<AthenaEmulator> {
    return AthenaEmulator.listen(new DuckDbRunner(engine), null, knobs, port);
  }

  /**
   * Parquet mode: serves what `trailgraph compact` wrote to `dir` (the tables
   * of `athena-ddl --format parquet`, parquet-store.ts), billing each
   * statement as Athena bills Parquet (parquet-bytes.ts).
   */
  static async startParquet(dir: string, knobs: Partial<EmulatorKnobs> = {}, port = 0): Promise<AthenaEmulator> {
    const store = await ParquetStore.open(dir);
    return AthenaEmulator.listen(new DuckDbRunner(store, new ParquetBytes(dir)), store, knobs, port);
  }

  private static async listen(runner: DuckDbRunner, parquet: ParquetStore | null, knobs: Partial<EmulatorKnobs>, port: number): Promise<AthenaEmulator> {
    let self: AthenaEmulator | undefined;
    const server = createServer((req, res) => void self?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const executions = new Executions(runner, () => (self as AthenaEmulator).knobs, () => (self as AthenaEmulator).stats);
    self = new AthenaEmulator(server, runner, executions, { ...DEFAULT_KNOBS, ...knobs }, parquet);
    return self;
  }

  /** The next `count` calls of `operation` fail with a throttling error. */
  throttleNext(count: number, error: 'ThrottlingException' | 'TooManyRequestsException' = 'ThrottlingException', operation = 'StartQueryExecution'): void {
    for (let i = 0; i < count; i++) this.throttles.push({ operation, error });
  }

  /** The next `count` queries started end FAILED with this reason. */
  failNext(count: number, reason = 'GENERIC_INTERNAL_ERROR: the emulator was told to fail'): void {
    for (let i = 0; i < count; i++) this.failures.push(reason);
  }

  /** Queries QUEUED or RUNNING now. */
  get active(): number {
    return this.executions.activeCount;
  }

  execution(id: string): Execution | undefined {
    return this.executions.byId.get(id);
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  /** After the tests change the data (or compact again): recompute partition sizes, re-read the Parquet folder. */
  async dataChanged(): Promise<void> {
    this.runner.refreshPartitions();
    await this.parquet?.refresh();
  }

  async close(): Promise<void> {
    this.executions.stopAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.runner.close();
    this.parquet?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : target;
    let status = 200;
    let payload: unknown;
    try {
      if (req.method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'POST only');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw invalid('Content-Type must be application/x-amz-json-1.1');
      const body = obj(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      this.stats.calls[operation] = (this.stats.calls[operation] ?? 0) + 1;
      const throttle = this.throttles.findIndex((t) => t.operation === operation);
      if (throttle >= 0) {
        const [t] = this.throttles.splice(throttle, 1);
        this.stats.throttled++;
        throw new ApiError(400, t.error, 'Rate exceeded', t.error === 'TooManyRequestsException' ? { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' } : {});
      }
      payload = this.dispatch(operation, body);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, 'InternalServerException', err instanceof Error ? err.message : String(err));
      status = e.status;
      payload = { __type: e.type, Message: e.message, message: e.message, ...e.extra };
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': `emulator-${Date.now()}` });
    res.end(text);
  }

  private dispatch(operation: string, body: Body): unknown {
    switch (operation) {
      case 'StartQueryExecution':
        return this.startQueryExecution(body);
      case 'GetQueryExecution':
        return { QueryExecution: this.describe(this.find(body)) };
      case 'GetQueryResults':
        return this.getQueryResults(body);
      case 'StopQueryExecution':
        this.executions.stop(this.find(body));
        return {};
      case 'GetWorkGroup':
        // The one workgroup the emulator has, enabled (readiness checks ask for it).
        return { WorkGroup: { Name: str(body.WorkGroup) ?? 'primary', State: 'ENABLED', Configuration: {} } };
      default:
        throw new ApiError(400, 'UnknownOperationException', `unknown operation ${operation}`);
    }
  }

  private find(body: Body): Execution {
    const id = str(body.QueryExecutionId);
    const x = id ? this.executions.byId.get(id) : undefined;
    if (!x) throw invalid(`QueryExecution ${id} was not found`);
    return x;
  }

  private startQueryExecution(body: Body): unknown {
    const query = str(body.QueryString);
    if (!query || query.length > 262_144) throw invalid('QueryString must be 1..262144 characters');
    const token = str(body.ClientRequestToken);
    if (token !== undefined && (token.length < 32 || token.length > 128)) throw invalid('ClientRequestToken must be 32..128 characters');
    const known = token ? this.tokens.get(token) : undefined;
    if (known) return { QueryExecutionId: known };
    const parameters = body.ExecutionParameters;
    if (parameters !== undefined && (!Array.isArray(parameters) || parameters.length === 0 || parameters.some((p) => typeof p !== 'string' || p.length < 1 || p.length > 1024))) {
      throw invalid('ExecutionParameters must be 1 or more strings of 1..1024 characters');
    }
    if (this.executions.activeCount >= this.knobs.activeQueryLimit) {
      this.stats.throttled++;
      throw new ApiError(400, 'TooManyRequestsException', 'You have exceeded the limit for the number of queries you can run concurrently.', { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' });
    }
    const values = (parameters as string[] | undefined) ?? [];
    const context = obj(body.QueryExecutionContext);
    const byAge = obj(obj(body.ResultReuseConfiguration).ResultReuseByAgeConfiguration);
    const x = this.executions.create({
      query,
      parameters: values,
      database: str(context.Database) ?? 'default',
      catalog: str(context.Catalog) ?? 'AwsDataCatalog',
      workgroup: str(body.WorkGroup) ?? 'primary',
      outputLocation: str(obj(body.ResultConfiguration).OutputLocation) ?? 's3://emulator-results/',
      reuse: { enabled: byAge.Enabled === true, maxAgeMinutes: typeof byAge.MaxAgeInMinutes === 'number' ? byAge.MaxAgeInMinutes : 60 },
      injectedFailure: this.failures.shift() ?? this.failWhen?.(query, values) ?? undefined,
    });
    if (token) this.tokens.set(token, x.id);
    return { QueryExecutionId: x.id };
  }

  private describe(x: Execution): unknown {
    const done = x.completed !== undefined;
    return {
      QueryExecutionId: x.id,
      Query: x.query,
      StatementType: 'DML',
      ResultConfiguration: { OutputLocation: `${x.outputLocation.replace(/\/?$/, '/')}${x.id}.csv` },
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: x.reuse.enabled, MaxAgeInMinutes: x.reuse.maxAgeMinutes } },
      QueryExecutionContext: { Database: x.database, Catalog: x.catalog },
      ExecutionParameters: x.parameters.length ? x.parameters : undefined,
      WorkGroup: x.workgroup,
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      Status: {
        State: x.state,
        StateChangeReason: x.reason,
        SubmissionDateTime: seconds(x.submitted),
        CompletionDateTime: seconds(x.completed),
        AthenaError:
          x.state === 'FAILED' ? { ErrorCategory: 2, ErrorType: 1100, Retryable: false, ErrorMessage: x.reason } : undefined,
      },
      Statistics: {
        EngineExecutionTimeInMillis: x.engineMs,
        DataScannedInBytes: x.bytesScanned,
        TotalExecutionTimeInMillis: done ? (x.completed as number) - x.submitted : Date.now() - x.submitted,
        QueryQueueTimeInMillis: (x.running ?? Date.now()) - x.submitted,
        ResultReuseInformation: { ReusedPreviousResult: x.reused },
      },
    };
  }

  private getQueryResults(body: Body): unknown {
    const x = this.find(body);
    if (x.state !== 'SUCCEEDED' || !x.result) throw invalid(`Query has not yet finished. Current state: ${x.state}`);
    const max = body.MaxResults === undefined ? 1000 : body.MaxResults;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000) throw invalid('MaxResults must be 1..1000');
    const token = str(body.NextToken);
    let offset = 0;
    if (token !== undefined) {
      const [id, at] = Buffer.from(token, 'base64url').toString('utf8').split(':');
      if (id !== x.id || !/^\d+$/.test(at ?? '')) throw invalid('NextToken is not valid for this query');
      offset = Number(at);
    }
    const size = Math.min(max, this.knobs.pageSize);
    const rows = x.result.rows.slice(offset, offset + size);
    const next = offset + size < x.result.rows.length ? Buffer.from(`${x.id}:${offset + size}`).toString('base64url') : undefined;
    return {
      UpdateCount: 0,
      ResultSet: { Rows: rows.map((Data) => ({ Data })), ResultSetMetadata: { ColumnInfo: x.result.columns } },
      NextToken: next,
    };
  }
}
