import 'reflect-metadata';
import { ConfigError } from './config';

/**
 * The CLI: `trailgraph <command> [flags]`. Each command lives in src/cli/ and
 * is loaded only when asked, so `trailgraph demo` does not load the server.
 */
type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

const COMMANDS: Record<string, { help: string; load: () => Promise<Command> }> = {
  start: { help: 'serve; if the store is empty, first generate and ingest demo data', load: async () => (await import('./cli/serve')).start },
  serve: { help: 'serve the GraphQL API and GraphiQL', load: async () => (await import('./cli/serve')).serve },
  ingest: { help: 'ingest CloudTrail log files: trailgraph ingest PATH...', load: async () => (await import('./cli/ingest')).ingest },
  demo: { help: 'write demo CloudTrail log files: trailgraph demo --events N --out DIR', load: async () => (await import('./cli/demo')).demo },
  'athena-ddl': { help: 'print the Athena DDL: trailgraph athena-ddl --bucket B [--prefix P] --accounts A,.. --regions R,..', load: async () => (await import('./cli/athena-ddl')).athenaDdl },
};

function usage(): string {
  return ['usage: trailgraph <command> [flags]', '', ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.help}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  // Every file this process creates (the store and its write-ahead log, demo log files) is its owner's only: 0600.
  process.umask(0o077);
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`trailgraph: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load())(args, process.env);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`trailgraph: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(err);
    process.exitCode = 1;
  },
);
