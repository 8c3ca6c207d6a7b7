import { runCli } from './support/cli-run';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, CommandName, DEFAULTS } from '../src/config';
import { CommandLineError, commandHelp, parseCommandLine } from '../src/cli/command-line';
import { athenaDdl } from '../src/cli/athena-ddl';
import { demo } from '../src/cli/demo';
import { ingest } from '../src/cli/ingest';
import { serve, start } from '../src/cli/serve';
import { verify } from '../src/cli/verify';
import { exportEvents } from '../src/cli/export';
import { compact } from '../src/cli/compact';

const run = runCli;

const RUNNERS: Record<CommandName, (args: string[], env: NodeJS.ProcessEnv) => Promise<number>> = { start, serve, ingest, demo, verify, 'athena-ddl': athenaDdl, export: exportEvents, compact };

/** What each command must list in its help, written out here: flag and environment variable. */
const EXPECTED: Record<CommandName, { has: Array<[string, string | undefined]>; lacks: string[] }> = {
  serve: { has: [['--db', 'TRAILGRAPH_DB'], ['--port', 'TRAILGRAPH_PORT'], ['--host', 'TRAILGRAPH_HOST'], ['--engine', 'TRAILGRAPH_ENGINE'], ['--api-keys-file', 'TRAILGRAPH_API_KEYS_FILE']], lacks: ['--out', '--demo-events', '--bucket'] },
  start: { has: [['--db', 'TRAILGRAPH_DB'], ['--port', 'TRAILGRAPH_PORT'], ['--demo-events', 'TRAILGRAPH_DEMO_EVENTS']], lacks: ['--out', '--bucket'] },
  ingest: { has: [['--db', 'TRAILGRAPH_DB'], ['--engine', 'TRAILGRAPH_ENGINE']], lacks: ['--port', '--host', '--demo-events'] },
  demo: { has: [['--out', undefined], ['--events', undefined], ['--seed', undefined], ['--days', undefined], ['--end', undefined]], lacks: ['--db', '--port'] },
  verify: { has: [['--public-keys', undefined], ['--newest-signature', undefined], ['--json', undefined], ['--db', 'TRAILGRAPH_DB'], ['--s3-endpoint', 'TRAILGRAPH_S3_ENDPOINT']], lacks: ['--port', '--demo-events', '--bucket'] },
  'athena-ddl': { has: [['--bucket', undefined], ['--regions', undefined], ['--accounts', 'TRAILGRAPH_ACCOUNTS'], ['--athena-database', 'TRAILGRAPH_ATHENA_DATABASE'], ['--format', undefined]], lacks: ['--db', '--port'] },
  export: { has: [['--filter', undefined], ['--format', undefined], ['--out', undefined], ['--api-key', undefined], ['--bearer', undefined], ['--db', 'TRAILGRAPH_DB'], ['--max-span-days', 'TRAILGRAPH_MAX_SPAN_DAYS'], ['--api-keys-file', 'TRAILGRAPH_API_KEYS_FILE'], ['--policy-file', 'TRAILGRAPH_POLICY_FILE']], lacks: ['--port', '--host', '--engine', '--demo-events'] },
  compact: { has: [['--to', undefined], ['--from', undefined], ['--since', undefined], ['--until', undefined], ['--db', 'TRAILGRAPH_DB'], ['--s3-endpoint', 'TRAILGRAPH_S3_ENDPOINT']], lacks: ['--port', '--bucket', '--demo-events'] },
};

const NAMES = Object.keys(COMMANDS) as CommandName[];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailgraph-cli-flags-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(NAMES)('trailgraph %s', (name) => {
  test('--help lists its own flags, each with its default and environment variable, and exits 0', async () => {
    const r = await run(RUNNERS[name], ['--help']);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    const lines = r.out.filter((l) => l.trim().startsWith('--'));
    const flagOf = (l: string) => l.trim().split(/[ =]/)[0];
    for (const [flag, env] of EXPECTED[name].has) {
      const line = lines.find((l) => flagOf(l) === flag);
      expect(line).toBeDefined();
      if (env) expect(line).toContain(env);
    }
    for (const flag of EXPECTED[name].lacks) expect(lines.some((l) => flagOf(l) === flag)).toBe(false);
    expect(r.out.join('\n')).toBe(commandHelp(name, DEFAULTS));
  });

  test('an unknown flag is one line on stderr and exit status 2', async () => {
    const r = await run(RUNNERS[name], ['--no-such-flag', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.out).toEqual([]);
  });
});

test('a mistyped flag names the nearest one the command knows', () => {
  const cases: Array<[CommandName, string, string]> = [['serve', '--prot', '--port'], ['start', '--dv', '--db'], ['ingest', '--engin', '--engine'], ['demo', '--event', '--events'], ['athena-ddl', '--bukcet', '--bucket']];
  for (const [command, typo, nearest] of cases) {
    let err: unknown;
    try {
      parseCommandLine(command, [typo, '1'], {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CommandLineError);
    expect((err as CommandLineError).setting).toBe(typo);
    expect((err as CommandLineError).suggestion).toBe(nearest);
  }
});

test('a flag of another command is refused, not ignored', async () => {
  const r = await run(ingest, ['--port', '4001', join(dir, 'nothing')]);
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
});

test('--help never starts anything: start --help creates no store and listens on nothing', async () => {
  const port = await freePort();
  const db = join(dir, 'help', 'store.duckdb');
  const r = await run(start, ['--db', db, '--port', String(port), '--help']);
  expect(r.code).toBe(0);
  expect(existsSync(db)).toBe(false);
  // The port is still free: nothing listened on it.
  expect(await freePort(port)).toBe(port);
});

test('settings and the command line: flags override the environment, operands only where the command takes them', () => {
  const line = parseCommandLine('ingest', ['--db', join(dir, 'x.duckdb'), 'a', 'b'], { TRAILGRAPH_DB: '/elsewhere.duckdb' });
  expect(line.config.db).toBe(join(dir, 'x.duckdb'));
  expect(line.operands).toEqual(['a', 'b']);
  expect(() => parseCommandLine('serve', ['stray'], {})).toThrow(CommandLineError);
});

function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : -1));
    });
  });
}
