/**
 * One config: every setting is declared once here with its default, its flag
 * and its environment variable; it is validated once at boot and frozen.
 */
import { authSettingProblem } from './authz/settings';
import type { QueryLimits } from './graphql/limits';

export type EngineKind = 'duckdb' | 'athena';

export interface Config {
  readonly db: string;
  readonly host: string;
  readonly port: number;
  readonly defaultWindowDays: number;
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

type Kind = 'string' | 'int' | 'enum';
interface Setting {
  key: keyof Config;
  flag: string;
  env: string;
  kind: Kind;
  min?: number;
  max?: number;
  values?: readonly string[];
  help: string;
}

export const DEFAULTS: Config = Object.freeze({
  db: '.trailgraph/trail.duckdb',
  host: '127.0.0.1',
  port: 4000,
  defaultWindowDays: 7,
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
  { key: 'db', flag: '--db', env: 'TRAILGRAPH_DB', kind: 'string', help: 'embedded store file' },
  { key: 'host', flag: '--host', env: 'TRAILGRAPH_HOST', kind: 'string', help: 'address to listen on' },
  { key: 'port', flag: '--port', env: 'TRAILGRAPH_PORT', kind: 'int', min: 0, max: 65535, help: 'port to listen on' },
  { key: 'defaultWindowDays', flag: '--default-window-days', env: 'TRAILGRAPH_DEFAULT_WINDOW_DAYS', kind: 'int', min: 1, max: 3660, help: 'window used when a filter has no time' },
  { key: 'maxSpanDays', flag: '--max-span-days', env: 'TRAILGRAPH_MAX_SPAN_DAYS', kind: 'int', min: 1, max: 36600, help: 'longest window a query may ask' },
  { key: 'maxPageSize', flag: '--max-page-size', env: 'TRAILGRAPH_MAX_PAGE_SIZE', kind: 'int', min: 1, max: 10000, help: 'largest first/last' },
  { key: 'defaultPageSize', flag: '--default-page-size', env: 'TRAILGRAPH_DEFAULT_PAGE_SIZE', kind: 'int', min: 1, max: 10000, help: 'page size when first/last is omitted' },
  { key: 'engine', flag: '--engine', env: 'TRAILGRAPH_ENGINE', kind: 'enum', values: ['duckdb', 'athena'], help: 'history engine' },
  { key: 'logLevel', flag: '--log-level', env: 'TRAILGRAPH_LOG_LEVEL', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], help: 'log level' },
  { key: 'accounts', flag: '--accounts', env: 'TRAILGRAPH_ACCOUNTS', kind: 'string', help: 'the accounts history holds, comma-separated (required on Athena with authorization)' },
  { key: 'demoEvents', flag: '--demo-events', env: 'TRAILGRAPH_DEMO_EVENTS', kind: 'int', min: 1, max: 100_000_000, help: 'demo events generated when the store is empty' },
  { key: 'athenaRegion', flag: '--athena-region', env: 'TRAILGRAPH_ATHENA_REGION', kind: 'string', help: 'Athena region (default: the AWS SDK\'s, e.g. AWS_REGION)' },
  { key: 'athenaWorkgroup', flag: '--athena-workgroup', env: 'TRAILGRAPH_ATHENA_WORKGROUP', kind: 'string', help: 'Athena workgroup' },
  { key: 'athenaDatabase', flag: '--athena-database', env: 'TRAILGRAPH_ATHENA_DATABASE', kind: 'string', help: 'Athena (Glue) database holding the table' },
  { key: 'athenaTable', flag: '--athena-table', env: 'TRAILGRAPH_ATHENA_TABLE', kind: 'string', help: 'Athena view the statements read (see trailgraph athena-ddl)' },
  { key: 'athenaCatalog', flag: '--athena-catalog', env: 'TRAILGRAPH_ATHENA_CATALOG', kind: 'string', help: 'Athena data catalog' },
  { key: 'athenaOutputLocation', flag: '--athena-output-location', env: 'TRAILGRAPH_ATHENA_OUTPUT_LOCATION', kind: 'string', help: 's3:// location for query results (default: the workgroup\'s)' },
  { key: 'athenaMaxConcurrency', flag: '--athena-max-concurrency', env: 'TRAILGRAPH_ATHENA_MAX_CONCURRENCY', kind: 'int', min: 1, max: 1000, help: 'Athena queries running at once (keep below the account\'s active-query quota)' },
  { key: 'athenaStatementTimeoutMs', flag: '--athena-statement-timeout-ms', env: 'TRAILGRAPH_ATHENA_STATEMENT_TIMEOUT_MS', kind: 'int', min: 1, max: 3_600_000, help: 'longest one Athena statement may take, queue included' },
  { key: 'athenaResultReuseMaxAgeMinutes', flag: '--athena-result-reuse-max-age-minutes', env: 'TRAILGRAPH_ATHENA_RESULT_REUSE_MAX_AGE_MINUTES', kind: 'int', min: 0, max: 10080, help: 'reuse results of identical queries this recent (0: off)' },
  { key: 'athenaEndpoint', flag: '--athena-endpoint', env: 'TRAILGRAPH_ATHENA_ENDPOINT', kind: 'string', help: 'Athena endpoint URL (tests and VPC endpoints)' },
  { key: 'apiKeysFile', flag: '--api-keys-file', env: 'TRAILGRAPH_API_KEYS_FILE', kind: 'string', help: 'JSON list of API keys (name, sha256, groups, attributes)' },
  { key: 'apiKeys', flag: '--api-keys', env: 'TRAILGRAPH_API_KEYS', kind: 'string', help: 'the same JSON list of API keys, inline' },
  { key: 'jwtIssuer', flag: '--jwt-issuer', env: 'TRAILGRAPH_JWT_ISSUER', kind: 'string', help: 'required iss of bearer JWTs' },
  { key: 'jwtAudience', flag: '--jwt-audience', env: 'TRAILGRAPH_JWT_AUDIENCE', kind: 'string', help: 'required aud of bearer JWTs' },
  { key: 'jwksFile', flag: '--jwks-file', env: 'TRAILGRAPH_JWKS_FILE', kind: 'string', help: 'JWKS file with the keys that sign JWTs' },
  { key: 'jwksUrl', flag: '--jwks-url', env: 'TRAILGRAPH_JWKS_URL', kind: 'string', help: 'JWKS URL with the keys that sign JWTs' },
  { key: 'jwtGroupsClaim', flag: '--jwt-groups-claim', env: 'TRAILGRAPH_JWT_GROUPS_CLAIM', kind: 'string', help: 'JWT claim holding the caller\'s groups' },
  { key: 'policyFile', flag: '--policy-file', env: 'TRAILGRAPH_POLICY_FILE', kind: 'string', help: 'Cedar policy set (evaluated locally)' },
  { key: 'policySchemaFile', flag: '--policy-schema-file', env: 'TRAILGRAPH_POLICY_SCHEMA_FILE', kind: 'string', help: 'Cedar schema the policies are validated against' },
  { key: 'avpPolicyStoreId', flag: '--avp-policy-store-id', env: 'TRAILGRAPH_AVP_POLICY_STORE_ID', kind: 'string', help: 'decide with this Verified Permissions policy store instead of --policy-file' },
  { key: 'avpEndpoint', flag: '--avp-endpoint', env: 'TRAILGRAPH_AVP_ENDPOINT', kind: 'string', help: 'Verified Permissions endpoint URL (tests and VPC endpoints)' },
  { key: 'dynamodbEndpoint', flag: '--dynamodb-endpoint', env: 'TRAILGRAPH_DYNAMODB_ENDPOINT', kind: 'string', help: 'decision cache: unset = embedded dynalite, "aws" = AWS, or a URL' },
  { key: 'decisionTable', flag: '--decision-table', env: 'TRAILGRAPH_DECISION_TABLE', kind: 'string', help: 'DynamoDB table caching decisions' },
  { key: 'decisionTtlSeconds', flag: '--decision-ttl-seconds', env: 'TRAILGRAPH_DECISION_TTL_SECONDS', kind: 'int', min: 1, max: 2_592_000, help: 'how long a cached decision is served' },
  { key: 'decisionSigningKeyFile', flag: '--decision-signing-key-file', env: 'TRAILGRAPH_DECISION_SIGNING_KEY_FILE', kind: 'string', help: 'file with the key cached decisions are signed with (default: a random key per start)' },
  { key: 'maxQueryDepth', flag: '--max-query-depth', env: 'TRAILGRAPH_MAX_QUERY_DEPTH', kind: 'int', min: 1, max: 1000, help: 'deepest selection a document may nest (introspection included)' },
  { key: 'maxQueryAliases', flag: '--max-query-aliases', env: 'TRAILGRAPH_MAX_QUERY_ALIASES', kind: 'int', min: 0, max: 100_000, help: 'aliases in one document (fragments expanded)' },
  { key: 'maxQueryFields', flag: '--max-query-fields', env: 'TRAILGRAPH_MAX_QUERY_FIELDS', kind: 'int', min: 1, max: 1_000_000, help: 'fields in one document (fragments expanded)' },
  { key: 'maxQueryNodes', flag: '--max-query-nodes', env: 'TRAILGRAPH_MAX_QUERY_NODES', kind: 'int', min: 1, max: 100_000_000, help: 'estimated nodes of one document: page sizes multiplied down the nesting' },
  { key: 'maxQueryTokens', flag: '--max-query-tokens', env: 'TRAILGRAPH_MAX_QUERY_TOKENS', kind: 'int', min: 100, max: 10_000_000, help: 'tokens in one document (parsing stops past it)' },
  { key: 'maxListValues', flag: '--max-list-values', env: 'TRAILGRAPH_MAX_LIST_VALUES', kind: 'int', min: 1, max: 1_000_000, help: 'values in one list argument or variable' },
  { key: 'maxStringLength', flag: '--max-string-length', env: 'TRAILGRAPH_MAX_STRING_LENGTH', kind: 'int', min: 1, max: 10_000_000, help: 'characters in one string argument or variable' },
  { key: 'maxResponseBytes', flag: '--max-response-bytes', env: 'TRAILGRAPH_MAX_RESPONSE_BYTES', kind: 'int', min: 1024, max: 500_000_000, help: 'largest response body (RESPONSE_TOO_LARGE past it)' },
];

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

function convert(s: Setting, raw: string, source: string): string | number {
  switch (s.kind) {
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
    values[s.key] = convert(s, raw, s.flag);
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
  if (config.maxPageSize > config.maxQueryNodes) {
    throw new ConfigError('--max-page-size', `must not exceed --max-query-nodes (${config.maxQueryNodes})`);
  }
  const authProblem = authSettingProblem(config);
  if (authProblem) throw new ConfigError(authProblem.setting, authProblem.message);
  return { config: Object.freeze(config), rest };
}
