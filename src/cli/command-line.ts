import { COMMANDS, CommandName, Config, ConfigError, DEFAULTS, SETTINGS, COMMAND_FLAGS, Setting, commandFlagsOf, loadConfig, settingsOf } from '../config';

/**
 * A command's line, read against the one config schema (src/config.ts): the
 * settings the command reads, its own flags, and its operands. Any other flag
 * is refused, naming the nearest one the command knows.
 */
export interface CommandLine {
  config: Config;
  /** The command's own flags (COMMAND_FLAGS) as given, for the command to check their values. */
  own: string[];
  operands: string[];
}

/** A mistake on the command line: one line, exit status 2. */
export class CommandLineError extends ConfigError {
  constructor(flag: string, message: string, readonly suggestion?: string) {
    super(flag, message);
    this.message = message;
  }
}

/** A command that cannot go on (a store that cannot be opened, a busy port): one line, exit status 2. */
export class CliFailure extends Error {
  readonly exitCode = 2;
}

/**
 * Runs a command: --help prints its flags and starts nothing; a mistake on its
 * command line or a failure to start is one line and exit status 2.
 */
export async function runCommand(command: CommandName, argv: readonly string[], run: () => Promise<number>): Promise<number> {
  if (wantsHelp(argv)) {
    console.log(commandHelp(command, DEFAULTS));
    return 0;
  }
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof CliFailure)) throw err;
    console.error(`trailgraph ${command}: ${err.message}`);
    return 2;
  }
}

export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

export function parseCommandLine(command: CommandName, argv: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const settings = settingsOf(command);
  const ownFlags = commandFlagsOf(command);
  const settingArgs: string[] = [];
  const own: string[] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const target = settings.some((s) => s.flag === flag) ? settingArgs : ownFlags.some((f) => f.flag === flag) ? own : undefined;
    if (!target) throw unknownFlag(command, flag);
    // A flag of the command that takes no value (value '': --verify, --json) stands alone.
    if (target === own && ownFlags.find((f) => f.flag === flag)?.value === '') {
      if (eq > 0) throw new CommandLineError(flag, `${flag} takes no value (trailgraph ${command} --help)`);
      own.push(flag);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new CommandLineError(flag, `${flag} needs a value (trailgraph ${command} --help)`);
    target.push(flag, value);
  }
  const spec = COMMANDS[command];
  if (operands.length > 0 && !spec.operands) {
    throw new CommandLineError(operands[0], `unexpected argument "${operands[0]}": ${command} takes flags only (trailgraph ${command} --help)`);
  }
  const { config } = loadConfig(settingArgs, env);
  return { config, own, operands };
}

function unknownFlag(command: CommandName, flag: string): CommandLineError {
  const known = [...settingsOf(command).map((s) => s.flag), ...commandFlagsOf(command).map((f) => f.flag)];
  if (SETTINGS.some((s) => s.flag === flag) || COMMAND_FLAGS.some((f) => f.flag === flag)) {
    return new CommandLineError(flag, `${flag} does not apply to ${command} (trailgraph ${command} --help lists its flags)`);
  }
  const nearest = nearestOf(flag, known);
  const hint = nearest ? `did you mean ${nearest}?` : `trailgraph ${command} --help lists its flags`;
  return new CommandLineError(flag, `unknown flag ${flag} (${hint})`, nearest);
}

/** The known flag closest to a mistyped one, if it is close enough to be what was meant. */
export function nearestOf(flag: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(flag, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours ("--prot"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function placeholder(s: Setting): string {
  switch (s.kind) {
    case 'paths':
      return 'DIR';
    case 'int':
      return 'N';
    case 'enum':
      return (s.values ?? []).join('|');
    case 'string':
      return 'VALUE';
  }
}

/** `trailgraph CMD --help`: the command's settings and flags, each with its default and environment variable. */
export function commandHelp(command: CommandName, defaults: Config): string {
  const spec = COMMANDS[command];
  const rows: Array<[string, string]> = [
    ...commandFlagsOf(command).map((f): [string, string] => [`${f.flag} ${f.value}`, `${f.help}${f.default !== undefined ? ` [default: ${f.default}]` : ''}`]),
    ...settingsOf(command).map((s): [string, string] => {
      const value = defaults[s.key];
      const shown = value === '' ? 'unset' : String(value);
      return [`${s.flag} ${placeholder(s)}`, `${s.help} [default: ${shown}; env ${s.env}]`];
    }),
  ];
  const width = Math.min(40, Math.max(...rows.map(([l]) => l.length)));
  return [
    `usage: trailgraph ${command} [flags]${spec.operands ? ` ${spec.operands}` : ''}`,
    spec.summary,
    '',
    'flags (--flag VALUE or --flag=VALUE; flags override environment variables):',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
    `  ${'--help'.padEnd(width)}  print this and exit`,
  ].join('\n');
}
