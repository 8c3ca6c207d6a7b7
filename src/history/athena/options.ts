import { Config, ConfigError } from '../../config';
import { BackoffPolicy } from './retry';
import { EngineLog } from './log';
import { AthenaFormat } from './parquet-format';

export interface PollPolicy {
  /** Wait before the first GetQueryExecution: soon, most queries are short. */
  initialMs: number;
  factor: number;
  /** The longest wait between two polls. */
  maxMs: number;
}

export interface AthenaEngineOptions {
  /** '' or undefined: the AWS SDK's default (AWS_REGION, profile, ...). */
  region?: string;
  /** An endpoint URL (tests, VPC endpoints); undefined: Athena's for the region. */
  endpoint?: string;
  /** Undefined: the AWS SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  workgroup: string;
  database: string;
  catalog: string;
  /** The view the statements read; the builder names it `cloudtrail`. */
  table: string;
  /**
   * What the tables read (athena-ddl --format): the trail's JSON log files,
   * or the Parquet `trailgraph compact` writes. Default json.
   */
  format?: AthenaFormat;
  /** s3:// location for results; undefined: the workgroup's. */
  outputLocation?: string;
  maxConcurrency: number;
  /** Longest one statement may take, waiting for a slot included. */
  statementTimeoutMs: number;
  /** Reuse results of the same statement this recent; 0 turns reuse off. */
  resultReuseMaxAgeMinutes: number;
  poll: PollPolicy;
  /** For throttled (TooManyRequests, Throttling) and transient failures of any call. */
  retry: BackoffPolicy;
  /** Rows per GetQueryResults call (Athena's maximum is 1000). */
  pageSize: number;
  /** Longest a StopQueryExecution may take, retries included. */
  stopTimeoutMs: number;
  log?: EngineLog;
}

export const DEFAULT_POLL: PollPolicy = Object.freeze({ initialMs: 100, factor: 2, maxMs: 1000 });
export const DEFAULT_RETRY: BackoffPolicy = Object.freeze({ maxAttempts: 6, baseMs: 200, capMs: 5000 });
export const MAX_PAGE_SIZE = 1000;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The engine's options from the validated config (flags and environment). */
export function athenaOptionsFromConfig(config: Config, log?: EngineLog): AthenaEngineOptions {
  if (!IDENTIFIER.test(config.athenaTable)) throw new ConfigError('--athena-table', `"${config.athenaTable}" is not a plain identifier`);
  if (config.athenaOutputLocation && !config.athenaOutputLocation.startsWith('s3://')) {
    throw new ConfigError('--athena-output-location', 'must be an s3:// URL');
  }
  if (config.athenaEndpoint && !/^https?:\/\//.test(config.athenaEndpoint)) {
    throw new ConfigError('--athena-endpoint', 'must be an http(s):// URL');
  }
  return {
    region: config.athenaRegion || undefined,
    endpoint: config.athenaEndpoint || undefined,
    workgroup: config.athenaWorkgroup,
    database: config.athenaDatabase,
    catalog: config.athenaCatalog,
    table: config.athenaTable,
    format: config.athenaFormat,
    outputLocation: config.athenaOutputLocation || undefined,
    maxConcurrency: config.athenaMaxConcurrency,
    statementTimeoutMs: config.athenaStatementTimeoutMs,
    resultReuseMaxAgeMinutes: config.athenaResultReuseMaxAgeMinutes,
    poll: DEFAULT_POLL,
    retry: DEFAULT_RETRY,
    pageSize: MAX_PAGE_SIZE,
    stopTimeoutMs: 10_000,
    log,
  };
}
