import 'reflect-metadata';
import { COMMANDS as SPECS, CommandName, ConfigError, DEFAULTS } from './config';
import { CliFailure, commandHelp, wantsHelp } from './cli/command-line';

/**
 * The CLI: `trailgraph <command> [flags]`. Each command lives in src/cli/ and
 * is loaded only when asked, so `trailgraph demo` does not load the server.
 */
type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

// What each command is and which flags it takes are in src/config.ts (COMMANDS, SETTINGS, COMMAND_FLAGS).
const LOADERS: Record<CommandName, () => Promise<Command>> = {
  start: async () => (await import('./cli/serve')).start,
  serve: async () => (await import('./cli/serve')).serve,
  ingest: async () => (await import('./cli/ingest')).ingest,
  demo: async () => (await import('./cli/demo')).demo,
  verify: async () => (await import('./cli/verify')).verify,
  'athena-ddl': async () => (await import('./cli/athena-ddl')).athenaDdl,
  export: async () => (await import('./cli/export')).exportEvents,
  compact: async () => (await import('./cli/compact')).compact,
};

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(LOADERS, name);
}

function usage(): string {
  const names = Object.keys(LOADERS).filter(isCommand);
  return ['usage: trailgraph <command> [flags]   (trailgraph <command> --help: its flags)', '', ...names.map((n) => `  ${n.padEnd(12)} ${SPECS[n].summary}`)].join('\n');
}

let running = '';

async function main(argv: string[]): Promise<number> {
  // Every file this process creates (the store and its write-ahead log, demo log files) is its owner's only: 0600.
  process.umask(0o077);
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (!isCommand(name)) {
    console.error(`trailgraph: unknown command "${name}" (trailgraph --help lists the commands)`);
    return 2;
  }
  // --help prints and exits before the command is even loaded: it never starts anything.
  if (wantsHelp(args)) {
    console.log(commandHelp(name, DEFAULTS));
    return 0;
  }
  running = name;
  return (await LOADERS[name]())(args, process.env);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    // A mistake in the command line or the environment: one line naming the setting, no stack trace.
    if (err instanceof ConfigError || err instanceof CliFailure) {
      console.error(`trailgraph${running ? ` ${running}` : ''}: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(err);
    process.exitCode = 1;
  },
);
