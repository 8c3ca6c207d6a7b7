/**
 * One config: every setting is declared once here with its default, its flag
 * and its environment variable; it is validated once at boot and frozen.
 */
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
  { key: 'demoEvents', flag: '--demo-events', env: 'TRAILGRAPH_DEMO_EVENTS', kind: 'int', min: 1, max: 100_000_000, help: 'demo events generated when the store is empty' },
];

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
  return { config: Object.freeze(config), rest };
}
