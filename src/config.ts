/**
 * One config: every setting is declared once here with its default, its flag
 * and its environment variable; it is validated once at boot and frozen.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter } from 'node:path';
import { authSettingProblem } from './authz/settings';
import { operationsSettingProblem } from './operations/settings';
import type { QueryLimits } from './graphql/limits';

export type EngineKind = 'duckdb' | 'athena';

export interface Config {
  readonly db: string;
  readonly host: string;
  readonly port: number;
  readonly defaultWindowDays: number;
  readonly dbMemoryMb: number;
  readonly maxSpanDays: number;
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
  readonly engine: EngineKind;
  readonly logLevel: string;
  readonly demoEvents: number;
  /** The AWS accounts history holds, comma-separated; '' = read them from history (embedded store). */
  readonly accounts: string;
  /** Athena engine (used when engine is athena); '' means unset. */
  readonly athenaRegion: string;
  readonly athenaWorkgroup: string;
  readonly athenaDatabase: string;
  readonly athenaTable: string;
  readonly athenaCatalog: string;
  readonly athenaOutputLocation: string;
  readonly athenaMaxConcurrency: number;
  readonly athenaStatementTimeoutMs: number;
  readonly athenaResultReuseMaxAgeMinutes: number;
  readonly athenaEndpoint: string;
  /** What the Athena tables read: the trail's JSON, or compact's Parquet. */
  readonly athenaFormat: 'json' | 'parquet';
  /** Authorization (src/authz, docs/authorization.md); '' means unset. No credential setting: open on loopback only. */
  readonly apiKeysFile: string;
  readonly apiKeys: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly jwksFile: string;
  readonly jwksUrl: string;
  readonly jwtGroupsClaim: string;
  readonly policyFile: string;
  readonly policySchemaFile: string;
  readonly avpPolicyStoreId: string;
  readonly avpEndpoint: string;
  /** '' = embedded dynalite; 'aws' = AWS's regional endpoint; else a URL (dynamodb-local, dynalite). */
  readonly dynamodbEndpoint: string;
  readonly decisionTable: string;
  readonly decisionTtlSeconds: number;
  /** Production operation (src/operations, docs/operations.md). metricsPort 0: no /metrics. */
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly metricsToken: string;
  /** '' = access.log in the store's folder; '-' = standard output. */
  readonly accessLog: string;
  readonly accessLogMaxBytes: number;
  readonly accessLogKeep: number;
  readonly accessLogOnFailure: 'fail-closed' | 'warn';
  readonly shutdownGraceSeconds: number;
  /** JSON (src/operations/budgets.ts); '' = no budgets. */
  readonly budgets: string;
  /** Sources (src/sources, docs/sources.md): S3 client settings ('' = the SDK's / AWS). */
  readonly s3Region: string;
  readonly s3Endpoint: string;
  /** Regions to read from a bucket, comma-separated; '' = those the bucket has. */
  readonly regions: string;
  /** Sources the server follows (s3://BUCKET[/PREFIX] or local paths), comma-separated; '' = none. */
  readonly follow: string;
  readonly followIntervalSeconds: number;
  /** Most objects one follow batch loads (a batch is committed whole). */
  readonly followBatchObjects: number;
  /** Verify the followed sources' digests each hour with these public keys: 'cloudtrail' (ListPublicKeys) or a file; '' = off. */
  readonly followVerify: string;
  /** Folders of Sigma rules (src/detections), each flag once per folder; the built-in pack is always loaded. */
  readonly rules: readonly string[];
  /** A file holding the key decision-cache items are signed with ('' = a random key per start; share one file between servers sharing a table). */
  readonly decisionSigningKeyFile: string;
  /** Query limits (src/graphql/limits.ts, README "Query limits"): checked before a document runs. */
  readonly maxQueryDepth: number;
  readonly maxQueryAliases: number;
  readonly maxQueryFields: number;
  readonly maxQueryNodes: number;
  readonly maxQueryTokens: number;
  readonly maxListValues: number;
  readonly maxStringLength: number;
  /** The largest response body; past it the answer is RESPONSE_TOO_LARGE, never a crash. */
  readonly maxResponseBytes: number;
}

/**
 * The CLI's commands. Each setting lists the commands it applies to (none
 * listed: the server commands, start and serve); a command's own flags (not
 * settings of the server) are declared in COMMAND_FLAGS. `trailgraph CMD
 * --help` prints exactly these, and any other flag is refused.
 */
export interface CommandSpec {
  summary: string;
  /** What follows the flags, e.g. 'PATH...'; none: the command takes no operands. */
  operands?: string;
}
const COMMAND_SPECS = {
  start: { summary: 'serve; on an empty or missing store, first generate and ingest demo data' },
  serve: { summary: 'serve the GraphQL API and GraphiQL over an existing store' },
  ingest: { summary: 'load CloudTrail log files (files or folders) into the store, creating it if missing', operands: 'PATH...' },
  demo: { summary: 'write demo CloudTrail log files (gzip, S3 layout)' },
  verify: { summary: 'verify CloudTrail log file integrity (digests, signatures, hashes) and record the verdicts (docs/integrity.md)', operands: 'SOURCE...' },
  'athena-ddl': { summary: 'print the Athena table and view over a trail bucket' },
  export: { summary: 'write the events an EventFilter selects as JSON Lines, CSV or Parquet, as a caller of the API may read them (README "Export")' },
  compact: { summary: 'write the store (or logs read from S3) as Parquet for Athena, partitioned by account, region and day' },
} satisfies Record<string, CommandSpec>;
export type CommandName = keyof typeof COMMAND_SPECS;
export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = COMMAND_SPECS;
export const SERVER_COMMANDS: readonly CommandName[] = ['start', 'serve'];
/** Settings of the server that `export` reads too: it selects and authorizes as the API does (src/export). */
const SERVER_AND_EXPORT: readonly CommandName[] = [...SERVER_COMMANDS, 'export'];

/** 'paths': repeatable flag (each adds one), or the environment's list separated by the platform's path delimiter. */
type Kind = 'string' | 'int' | 'enum' | 'paths';
export interface Setting {
  key: keyof Config;
  flag: string;
  env: string;
  kind: Kind;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** A flag given again adds to the list (comma-separated) instead of replacing it. */
  repeatable?: boolean;
  help: string;
  /** The commands that read it; omitted: SERVER_COMMANDS. */
  commands?: readonly CommandName[];
}

/** A flag of one command only (not a server setting): its value is checked by the command. */
export interface CommandFlag {
  flag: string;
  /** Shown after the flag in help, e.g. 'DIR'. */
  value: string;
  help: string;
  default?: string;
  commands: readonly CommandName[];
}

export const DEFAULTS: Config = Object.freeze({
  db: '.trailgraph/trail.duckdb',
  host: '127.0.0.1',
  port: 4000,
  defaultWindowDays: 7,
  dbMemoryMb: 1024,
  maxSpanDays: 90,
  maxPageSize: 500,
  defaultPageSize: 50,
  engine: 'duckdb',
  logLevel: 'info',
  demoEvents: 20000,
  accounts: '',
  athenaRegion: '',
  athenaWorkgroup: 'primary',
  athenaDatabase: 'default',
  athenaTable: 'cloudtrail',
  athenaCatalog: 'AwsDataCatalog',
  athenaOutputLocation: '',
  athenaMaxConcurrency: 20,
  athenaStatementTimeoutMs: 120_000,
  athenaResultReuseMaxAgeMinutes: 60,
  athenaEndpoint: '',
  athenaFormat: 'json',
  apiKeysFile: '',
  apiKeys: '',
  jwtIssuer: '',
  jwtAudience: '',
  jwksFile: '',
  jwksUrl: '',
  jwtGroupsClaim: 'groups',
  policyFile: '',
  policySchemaFile: '',
  avpPolicyStoreId: '',
  avpEndpoint: '',
  dynamodbEndpoint: '',
  decisionTable: 'trailgraph-decisions',
  decisionTtlSeconds: 300,
  metricsPort: 9464,
  metricsHost: '127.0.0.1',
  metricsToken: '',
  accessLog: '',
  accessLogMaxBytes: 50 * 1024 * 1024,
  accessLogKeep: 5,
  accessLogOnFailure: 'fail-closed',
  shutdownGraceSeconds: 10,
  budgets: '',
  s3Region: '',
  s3Endpoint: '',
  regions: '',
  follow: '',
  followIntervalSeconds: 60,
  followBatchObjects: 1000,
  followVerify: '',
  rules: [],
  decisionSigningKeyFile: '',
  maxQueryDepth: 15,
  maxQueryAliases: 30,
  maxQueryFields: 500,
  maxQueryNodes: 100_000,
  maxQueryTokens: 5000,
  maxListValues: 500,
  maxStringLength: 4096,
  maxResponseBytes: 64 * 1024 * 1024,
});

export const SETTINGS: readonly Setting[] = [
  { key: 'db', flag: '--db', env: 'TRAILGRAPH_DB', kind: 'string', help: 'embedded store file', commands: ['start', 'serve', 'ingest', 'verify', 'compact', 'export'] },
  { key: 'dbMemoryMb', flag: '--db-memory-mb', env: 'TRAILGRAPH_DB_MEMORY_MB', kind: 'int', min: 64, max: 1_048_576, help: 'memory the embedded store may use, in MiB: its cache of the store file and its working memory (beyond it, it evicts and spills to disk); the server\'s RSS is about this plus 300-400 MiB', commands: [...SERVER_AND_EXPORT, 'compact'] },
  { key: 'host', flag: '--host', env: 'TRAILGRAPH_HOST', kind: 'string', help: 'address to listen on' },
  { key: 'port', flag: '--port', env: 'TRAILGRAPH_PORT', kind: 'int', min: 0, max: 65535, help: 'port to listen on' },
  { key: 'defaultWindowDays', flag: '--default-window-days', env: 'TRAILGRAPH_DEFAULT_WINDOW_DAYS', kind: 'int', min: 1, max: 3660, help: 'window used when a filter has no time' },
  { key: 'maxSpanDays', flag: '--max-span-days', env: 'TRAILGRAPH_MAX_SPAN_DAYS', kind: 'int', min: 1, max: 36600, help: 'longest window a query may ask', commands: SERVER_AND_EXPORT },
  { key: 'maxPageSize', flag: '--max-page-size', env: 'TRAILGRAPH_MAX_PAGE_SIZE', kind: 'int', min: 1, max: 10000, help: 'largest first/last' },
  { key: 'defaultPageSize', flag: '--default-page-size', env: 'TRAILGRAPH_DEFAULT_PAGE_SIZE', kind: 'int', min: 1, max: 10000, help: 'page size when first/last is omitted' },
  { key: 'engine', flag: '--engine', env: 'TRAILGRAPH_ENGINE', kind: 'enum', values: ['duckdb', 'athena'], help: 'history engine', commands: ['start', 'serve', 'ingest', 'verify'] },
  { key: 'logLevel', flag: '--log-level', env: 'TRAILGRAPH_LOG_LEVEL', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], help: 'log level', commands: ['start', 'serve', 'ingest'] },
  { key: 'accounts', flag: '--accounts', env: 'TRAILGRAPH_ACCOUNTS', kind: 'string', help: 'the accounts history holds, comma-separated (required on Athena with authorization); the accounts read from a bucket', commands: ['start', 'serve', 'ingest', 'athena-ddl', 'verify', 'export'] },
  { key: 'demoEvents', flag: '--demo-events', env: 'TRAILGRAPH_DEMO_EVENTS', kind: 'int', min: 1, max: 100_000_000, help: 'demo events generated when the store is empty', commands: ['start'] },
  { key: 'athenaRegion', flag: '--athena-region', env: 'TRAILGRAPH_ATHENA_REGION', kind: 'string', help: 'Athena region (default: the AWS SDK\'s, e.g. AWS_REGION)' },
  { key: 'athenaWorkgroup', flag: '--athena-workgroup', env: 'TRAILGRAPH_ATHENA_WORKGROUP', kind: 'string', help: 'Athena workgroup' },
  { key: 'athenaDatabase', flag: '--athena-database', env: 'TRAILGRAPH_ATHENA_DATABASE', kind: 'string', help: 'Athena (Glue) database holding the table', commands: ['start', 'serve', 'athena-ddl'] },
  { key: 'athenaTable', flag: '--athena-table', env: 'TRAILGRAPH_ATHENA_TABLE', kind: 'string', help: 'Athena view the statements read (see trailgraph athena-ddl)', commands: ['start', 'serve', 'athena-ddl'] },
  { key: 'athenaCatalog', flag: '--athena-catalog', env: 'TRAILGRAPH_ATHENA_CATALOG', kind: 'string', help: 'Athena data catalog' },
  { key: 'athenaOutputLocation', flag: '--athena-output-location', env: 'TRAILGRAPH_ATHENA_OUTPUT_LOCATION', kind: 'string', help: 's3:// location for query results (default: the workgroup\'s)' },
  { key: 'athenaMaxConcurrency', flag: '--athena-max-concurrency', env: 'TRAILGRAPH_ATHENA_MAX_CONCURRENCY', kind: 'int', min: 1, max: 1000, help: 'Athena queries running at once (keep below the account\'s active-query quota)' },
  { key: 'athenaStatementTimeoutMs', flag: '--athena-statement-timeout-ms', env: 'TRAILGRAPH_ATHENA_STATEMENT_TIMEOUT_MS', kind: 'int', min: 1, max: 3_600_000, help: 'longest one Athena statement may take, queue included' },
  { key: 'athenaResultReuseMaxAgeMinutes', flag: '--athena-result-reuse-max-age-minutes', env: 'TRAILGRAPH_ATHENA_RESULT_REUSE_MAX_AGE_MINUTES', kind: 'int', min: 0, max: 10080, help: 'reuse results of identical queries this recent (0: off)' },
  { key: 'athenaFormat', flag: '--athena-format', env: 'TRAILGRAPH_ATHENA_FORMAT', kind: 'enum', values: ['json', 'parquet'], help: 'what the Athena tables read: the trail\'s JSON logs, or the Parquet that trailgraph compact writes (see trailgraph athena-ddl --format)' },
  { key: 'athenaEndpoint', flag: '--athena-endpoint', env: 'TRAILGRAPH_ATHENA_ENDPOINT', kind: 'string', help: 'Athena endpoint URL (tests and VPC endpoints)' },
  { key: 'apiKeysFile', flag: '--api-keys-file', env: 'TRAILGRAPH_API_KEYS_FILE', kind: 'string', help: 'JSON list of API keys (name, sha256, groups, attributes)', commands: SERVER_AND_EXPORT },
  { key: 'apiKeys', flag: '--api-keys', env: 'TRAILGRAPH_API_KEYS', kind: 'string', help: 'the same JSON list of API keys, inline', commands: SERVER_AND_EXPORT },
  { key: 'jwtIssuer', flag: '--jwt-issuer', env: 'TRAILGRAPH_JWT_ISSUER', kind: 'string', help: 'required iss of bearer JWTs', commands: SERVER_AND_EXPORT },
  { key: 'jwtAudience', flag: '--jwt-audience', env: 'TRAILGRAPH_JWT_AUDIENCE', kind: 'string', help: 'required aud of bearer JWTs', commands: SERVER_AND_EXPORT },
  { key: 'jwksFile', flag: '--jwks-file', env: 'TRAILGRAPH_JWKS_FILE', kind: 'string', help: 'JWKS file with the keys that sign JWTs', commands: SERVER_AND_EXPORT },
  { key: 'jwksUrl', flag: '--jwks-url', env: 'TRAILGRAPH_JWKS_URL', kind: 'string', help: 'JWKS URL with the keys that sign JWTs', commands: SERVER_AND_EXPORT },
  { key: 'jwtGroupsClaim', flag: '--jwt-groups-claim', env: 'TRAILGRAPH_JWT_GROUPS_CLAIM', kind: 'string', help: 'JWT claim holding the caller\'s groups', commands: SERVER_AND_EXPORT },
  { key: 'policyFile', flag: '--policy-file', env: 'TRAILGRAPH_POLICY_FILE', kind: 'string', help: 'Cedar policy set (evaluated locally)', commands: SERVER_AND_EXPORT },
  { key: 'policySchemaFile', flag: '--policy-schema-file', env: 'TRAILGRAPH_POLICY_SCHEMA_FILE', kind: 'string', help: 'Cedar schema the policies are validated against', commands: SERVER_AND_EXPORT },
  { key: 'avpPolicyStoreId', flag: '--avp-policy-store-id', env: 'TRAILGRAPH_AVP_POLICY_STORE_ID', kind: 'string', help: 'decide with this Verified Permissions policy store instead of --policy-file', commands: SERVER_AND_EXPORT },
  { key: 'avpEndpoint', flag: '--avp-endpoint', env: 'TRAILGRAPH_AVP_ENDPOINT', kind: 'string', help: 'Verified Permissions endpoint URL (tests and VPC endpoints)', commands: SERVER_AND_EXPORT },
  { key: 'dynamodbEndpoint', flag: '--dynamodb-endpoint', env: 'TRAILGRAPH_DYNAMODB_ENDPOINT', kind: 'string', help: 'decision cache: unset = embedded dynalite, "aws" = AWS, or a URL', commands: SERVER_AND_EXPORT },
  { key: 'decisionTable', flag: '--decision-table', env: 'TRAILGRAPH_DECISION_TABLE', kind: 'string', help: 'DynamoDB table caching decisions', commands: SERVER_AND_EXPORT },
  { key: 'decisionTtlSeconds', flag: '--decision-ttl-seconds', env: 'TRAILGRAPH_DECISION_TTL_SECONDS', kind: 'int', min: 1, max: 2_592_000, help: 'how long a cached decision is served', commands: SERVER_AND_EXPORT },
  { key: 'metricsPort', flag: '--metrics-port', env: 'TRAILGRAPH_METRICS_PORT', kind: 'int', min: 0, max: 65535, help: 'port of /metrics (Prometheus), apart from the API; 0 = off' },
  { key: 'metricsHost', flag: '--metrics-host', env: 'TRAILGRAPH_METRICS_HOST', kind: 'string', help: 'address /metrics listens on (off loopback it needs --metrics-token)' },
  { key: 'metricsToken', flag: '--metrics-token', env: 'TRAILGRAPH_METRICS_TOKEN', kind: 'string', help: 'bearer token scrapers must send to /metrics' },
  { key: 'accessLog', flag: '--access-log', env: 'TRAILGRAPH_ACCESS_LOG', kind: 'string', help: 'access audit log file, one JSON line per request (default: access.log beside the store; - = stdout)', commands: SERVER_AND_EXPORT },
  { key: 'accessLogMaxBytes', flag: '--access-log-max-bytes', env: 'TRAILGRAPH_ACCESS_LOG_MAX_BYTES', kind: 'int', min: 4096, max: 2 ** 40, help: 'rotate the access log past this size', commands: SERVER_AND_EXPORT },
  { key: 'accessLogKeep', flag: '--access-log-keep', env: 'TRAILGRAPH_ACCESS_LOG_KEEP', kind: 'int', min: 0, max: 1000, help: 'rotated access logs kept', commands: SERVER_AND_EXPORT },
  { key: 'accessLogOnFailure', flag: '--access-log-on-failure', env: 'TRAILGRAPH_ACCESS_LOG_ON_FAILURE', kind: 'enum', values: ['fail-closed', 'warn'], help: 'when a line cannot be written: refuse the answer (fail-closed) or log a warning', commands: SERVER_AND_EXPORT },
  { key: 'shutdownGraceSeconds', flag: '--shutdown-grace', env: 'TRAILGRAPH_SHUTDOWN_GRACE', kind: 'int', min: 0, max: 3600, help: 'seconds SIGTERM lets in-flight requests finish before stopping them' },
  { key: 'budgets', flag: '--budgets', env: 'TRAILGRAPH_BUDGETS', kind: 'string', help: 'per-caller hourly budgets (JSON: {"default":{"statementsPerHour":N,"bytesScannedPerHour":N},"groups":{...}})' },
  { key: 's3Region', flag: '--s3-region', env: 'TRAILGRAPH_S3_REGION', kind: 'string', help: 'region of the log bucket (default: the AWS SDK\'s, e.g. AWS_REGION)', commands: ['start', 'serve', 'ingest', 'verify', 'compact'] },
  { key: 's3Endpoint', flag: '--s3-endpoint', env: 'TRAILGRAPH_S3_ENDPOINT', kind: 'string', help: 'S3-compatible endpoint URL (path-style), for stores other than AWS', commands: ['start', 'serve', 'ingest', 'verify', 'compact'] },
  { key: 'regions', flag: '--regions', env: 'TRAILGRAPH_REGIONS', kind: 'string', help: 'regions to read from a bucket, comma-separated (default: those it holds); the regions the trail logs (athena-ddl)', commands: ['start', 'serve', 'ingest', 'athena-ddl', 'verify'] },
  { key: 'follow', flag: '--follow', env: 'TRAILGRAPH_FOLLOW', kind: 'string', repeatable: true, help: 'a source the server follows (s3://BUCKET[/PREFIX] or a folder); repeat or comma-separate for more' },
  { key: 'followIntervalSeconds', flag: '--follow-interval', env: 'TRAILGRAPH_FOLLOW_INTERVAL', kind: 'int', min: 1, max: 86_400, help: 'seconds between polls of each followed source' },
  { key: 'followBatchObjects', flag: '--follow-batch-objects', env: 'TRAILGRAPH_FOLLOW_BATCH_OBJECTS', kind: 'int', min: 1, max: 100_000, help: 'most log files one follow batch loads (each batch is committed whole)' },
  { key: 'followVerify', flag: '--follow-verify', env: 'TRAILGRAPH_FOLLOW_VERIFY', kind: 'string', help: 'verify the followed sources\' digests each hour and record the verdicts, with the public keys of "cloudtrail" (ListPublicKeys) or a file shaped like its output' },
  { key: 'rules', flag: '--rules', env: 'TRAILGRAPH_RULES', kind: 'paths', help: 'a folder of Sigma rules (repeatable)', commands: SERVER_AND_EXPORT },
  { key: 'decisionSigningKeyFile', flag: '--decision-signing-key-file', env: 'TRAILGRAPH_DECISION_SIGNING_KEY_FILE', kind: 'string', help: 'file with the key cached decisions are signed with (default: a random key per start)', commands: SERVER_AND_EXPORT },
  { key: 'maxQueryDepth', flag: '--max-query-depth', env: 'TRAILGRAPH_MAX_QUERY_DEPTH', kind: 'int', min: 1, max: 1000, help: 'deepest selection a document may nest (introspection included)' },
  { key: 'maxQueryAliases', flag: '--max-query-aliases', env: 'TRAILGRAPH_MAX_QUERY_ALIASES', kind: 'int', min: 0, max: 100_000, help: 'aliases in one document (fragments expanded)' },
  { key: 'maxQueryFields', flag: '--max-query-fields', env: 'TRAILGRAPH_MAX_QUERY_FIELDS', kind: 'int', min: 1, max: 1_000_000, help: 'fields in one document (fragments expanded)' },
  { key: 'maxQueryNodes', flag: '--max-query-nodes', env: 'TRAILGRAPH_MAX_QUERY_NODES', kind: 'int', min: 1, max: 100_000_000, help: 'estimated nodes of one document: page sizes multiplied down the nesting' },
  { key: 'maxQueryTokens', flag: '--max-query-tokens', env: 'TRAILGRAPH_MAX_QUERY_TOKENS', kind: 'int', min: 100, max: 10_000_000, help: 'tokens in one document (parsing stops past it)' },
  { key: 'maxListValues', flag: '--max-list-values', env: 'TRAILGRAPH_MAX_LIST_VALUES', kind: 'int', min: 1, max: 1_000_000, help: 'values in one list argument or variable', commands: SERVER_AND_EXPORT },
  { key: 'maxStringLength', flag: '--max-string-length', env: 'TRAILGRAPH_MAX_STRING_LENGTH', kind: 'int', min: 1, max: 10_000_000, help: 'characters in one string argument or variable', commands: SERVER_AND_EXPORT },
  { key: 'maxResponseBytes', flag: '--max-response-bytes', env: 'TRAILGRAPH_MAX_RESPONSE_BYTES', kind: 'int', min: 1024, max: 500_000_000, help: 'largest response body (RESPONSE_TOO_LARGE past it)' },
];

export const COMMAND_FLAGS: readonly CommandFlag[] = [
  { flag: '--out', value: 'DIR', help: 'folder the log files are written under (required)', commands: ['demo'] },
  { flag: '--events', value: 'N', help: 'events to write', default: String(DEFAULTS.demoEvents), commands: ['demo'] },
  { flag: '--seed', value: 'S', help: 'seed of the generator: the same seed writes the same files', default: '1', commands: ['demo'] },
  { flag: '--days', value: 'D', help: 'days the events span', default: '30', commands: ['demo'] },
  { flag: '--end', value: 'YYYY-MM-DD', help: 'last day of the events (UTC)', default: 'today', commands: ['demo'] },
  { flag: '--bucket', value: 'B', help: 'the trail\'s S3 bucket (required)', commands: ['athena-ddl'] },
  { flag: '--prefix', value: 'P', help: 'the trail\'s key prefix in the bucket', commands: ['athena-ddl'] },
  { flag: '--org-id', value: 'o-xxxxxxxxxx', help: 'organization id of an organization trail', commands: ['athena-ddl'] },
  { flag: '--since', value: 'yyyy/MM/dd|NOW-nYEARS', help: 'first day partitions are projected from', default: 'NOW-2YEARS', commands: ['athena-ddl'] },
  { flag: '--since', value: 'YYYY-MM-DD|INSTANT', help: 'first delivery day of a bucket to read', default: 'the default window before --until', commands: ['ingest'] },
  { flag: '--until', value: 'YYYY-MM-DD|INSTANT', help: 'last delivery day of a bucket to read', default: 'now', commands: ['ingest'] },
  { flag: '--verify', value: '', help: 'verify the log file integrity of what was ingested and record it (docs/integrity.md)', commands: ['ingest'] },
  { flag: '--since', value: 'YYYY-MM-DD|INSTANT', help: 'first digest hour to check', default: 'the whole chain', commands: ['verify'] },
  { flag: '--until', value: 'YYYY-MM-DD|INSTANT', help: 'last digest hour to check', default: 'the newest digest', commands: ['verify'] },
  { flag: '--public-keys', value: 'FILE', help: 'public keys as ListPublicKeys prints them (default: ask CloudTrail)', commands: ['verify', 'ingest'] },
  { flag: '--newest-signature', value: 'HEX|@FILE', help: 'signature of a chain\'s newest digest on a local copy (repeatable)', commands: ['verify', 'ingest'] },
  { flag: '--cloudtrail-endpoint', value: 'URL', help: 'CloudTrail endpoint for ListPublicKeys (tests, VPC endpoints)', commands: ['verify', 'ingest'] },
  { flag: '--json', value: '', help: 'print the report as JSON', commands: ['verify'] },
  { flag: '--format', value: 'json|parquet', help: 'the table over the trail\'s JSON logs, or over the Parquet compact writes (--bucket/--prefix: its --to)', default: 'json', commands: ['athena-ddl'] },
  { flag: '--to', value: 'DIR|s3://BUCKET/PREFIX', help: 'where the Parquet files are written (required)', commands: ['compact'] },
  { flag: '--from', value: 's3://BUCKET[/PREFIX]|DIR', help: 'read these logs (into a temporary store) instead of the store', commands: ['compact'] },
  { flag: '--since', value: 'YYYY-MM-DD|INSTANT', help: 'first day written (with --from: first delivery day read)', default: 'every day (with --from: the default window, as ingest)', commands: ['compact'] },
  { flag: '--until', value: 'YYYY-MM-DD|INSTANT', help: 'last day written (with --from: last delivery day read)', default: 'every day', commands: ['compact'] },
  { flag: '--verbose', value: '', help: 'list every digest and log file, not only failures', commands: ['verify'] },
  { flag: '--no-record', value: '', help: 'do not record the verdicts in the store', commands: ['verify'] },
  { flag: '--filter', value: 'FILE|JSON', help: 'the events to write: a GraphQL EventFilter as JSON (inline, or a file), time required (required)', commands: ['export'] },
  { flag: '--format', value: 'jsonl|csv|parquet', help: 'jsonl: each record as delivered; csv: the table\'s columns (nested ones as JSON); parquet: the table\'s columns (required)', commands: ['export'] },
  { flag: '--out', value: 'FILE', help: 'file to write (required for parquet)', default: 'standard output', commands: ['export'] },
  { flag: '--api-key', value: 'KEY|@FILE', help: 'export as the caller of this API key (one of --api-keys-file / --api-keys)', commands: ['export'] },
  { flag: '--bearer', value: 'JWT|@FILE', help: 'export as the caller of this JWT (checked against --jwks-file / --jwks-url)', commands: ['export'] },
];

/** The settings a command reads. */
export function settingsOf(command: CommandName): readonly Setting[] {
  return SETTINGS.filter((s) => (s.commands ?? SERVER_COMMANDS).includes(command));
}

/** A command's own flags. */
export function commandFlagsOf(command: CommandName): readonly CommandFlag[] {
  return COMMAND_FLAGS.filter((f) => f.commands.includes(command));
}

/** The query limits of a config, in the form the limits rule takes. */
export function queryLimitsOf(config: Config): QueryLimits {
  return {
    maxDepth: config.maxQueryDepth,
    maxAliases: config.maxQueryAliases,
    maxFields: config.maxQueryFields,
    maxNodes: config.maxQueryNodes,
    maxListValues: config.maxListValues,
    maxStringLength: config.maxStringLength,
    maxPageSize: config.maxPageSize,
    defaultPageSize: config.defaultPageSize,
    maxTokens: config.maxQueryTokens,
  };
}

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`invalid setting ${setting}: ${message}`);
  }
}

function convert(s: Setting, raw: string, source: string): string | number | string[] {
  switch (s.kind) {
    case 'paths': {
      const paths = raw.split(delimiter).filter((p) => p.trim() !== '');
      for (const p of paths) if (!existsSync(p) || !statSync(p).isDirectory()) throw new ConfigError(source, `${p} is not a folder`);
      if (paths.length === 0) throw new ConfigError(source, 'must not be empty');
      return paths;
    }
    case 'string':
      if (raw.trim() === '') throw new ConfigError(source, 'must not be empty');
      return raw;
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(source, `"${raw}" is not a whole number`);
      const n = Number(raw);
      if ((s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max)) {
        throw new ConfigError(source, `${n} is outside ${s.min}..${s.max}`);
      }
      return n;
    }
    case 'enum':
      if (!s.values?.includes(raw)) throw new ConfigError(source, `"${raw}" is not one of ${s.values?.join(', ')}`);
      return raw;
  }
}

/**
 * Builds the frozen config from defaults, then the environment, then flags
 * (later wins). Unknown flags are returned for the caller (the CLI's
 * positional arguments) when they do not start with "--".
 */
export function loadConfig(
  argv: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  overrides: Partial<Config> = {},
): { config: Config; rest: string[] } {
  const values: Record<string, unknown> = { ...DEFAULTS };
  for (const s of SETTINGS) {
    const raw = env[s.env];
    if (raw !== undefined) values[s.key] = convert(s, raw, s.env);
  }
  const rest: string[] = [];
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const s = SETTINGS.find((x) => x.flag === flag);
    if (!s) {
      rest.push(arg);
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new ConfigError(s.flag, 'needs a value');
    const value = convert(s, raw, s.flag);
    // A repeated list flag adds to the flags before it (and replaces the environment's list); a repeatable text joins with commas.
    if (Array.isArray(value)) values[s.key] = given.has(s.key) ? [...(values[s.key] as string[]), ...value] : value;
    else values[s.key] = s.repeatable && given.has(s.key) ? `${String(values[s.key])},${String(value)}` : value;
    given.add(s.key);
  }
  Object.assign(values, overrides);
  const config = values as unknown as Config;
  if (config.defaultWindowDays > config.maxSpanDays) {
    throw new ConfigError('--default-window-days', `must not exceed --max-span-days (${config.maxSpanDays})`);
  }
  if (config.defaultPageSize > config.maxPageSize) {
    throw new ConfigError('--default-page-size', `must not exceed --max-page-size (${config.maxPageSize})`);
  }
  if (config.accounts && !config.accounts.split(',').every((a) => /^[A-Za-z0-9-]{1,64}$/.test(a.trim()))) {
    throw new ConfigError('--accounts', 'a comma-separated list of account ids');
  }
  if (config.regions && !config.regions.split(',').every((r) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(r.trim()))) {
    throw new ConfigError('--regions', 'a comma-separated list of AWS regions (us-east-1,...)');
  }
  if (config.maxPageSize > config.maxQueryNodes) {
    throw new ConfigError('--max-page-size', `must not exceed --max-query-nodes (${config.maxQueryNodes})`);
  }
  const authProblem = authSettingProblem(config);
  if (authProblem) throw new ConfigError(authProblem.setting, authProblem.message);
  const opsProblem = operationsSettingProblem(config);
  if (opsProblem) throw new ConfigError(opsProblem.setting, opsProblem.message);
  return { config: Object.freeze(config), rest };
}
