import { runCli } from './support/cli-run';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holderFile } from '../src/cli/store-access';
import { ingest } from '../src/cli/ingest';
import { serve, start } from '../src/cli/serve';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { countEvents } from '../src/ingest';

const run = runCli;

const RECORD = {
  eventVersion: '1.08', eventTime: '2024-03-01T10:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', requestID: 'req-1', eventID: '0d6c3e0c-5b1e-4c56-9c1f-7f0000000001',
  readOnly: true, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
};

let dir: string;
let logs: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailgraph-cli-store-'));
  logs = join(dir, 'logs');
  mkdirSync(logs);
  writeFileSync(join(logs, 'one.json'), JSON.stringify({ Records: [RECORD] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function oneLineFailure(r: { code: number; err: string[] }): void {
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).not.toMatch(/\n|^\s+at |IO Error/);
}

test('serve refuses a store that does not exist, and creates nothing', async () => {
  const db = join(dir, 'missing', 'trail.duckdb');
  oneLineFailure(await run(serve, ['--db', db, '--port', '0']));
  expect(existsSync(db)).toBe(false);
});

test('ingest creates a missing store', async () => {
  const db = join(dir, 'new', 'trail.duckdb');
  const r = await run(ingest, ['--db', db, logs]);
  expect(r.code).toBe(0);
  const engine = await DuckDbEngine.open(db);
  try {
    expect(await countEvents(engine)).toBe(1);
  } finally {
    await engine.close();
  }
});

test('a file that is not a store: serve and ingest say so in one line', async () => {
  const db = join(dir, 'corrupt.duckdb');
  writeFileSync(db, Buffer.alloc(8192, 0x5a));
  oneLineFailure(await run(serve, ['--db', db, '--port', '0']));
  oneLineFailure(await run(ingest, ['--db', db, logs]));
});

describe('a busy port', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  test('serve: one line naming --port, exit status 2', async () => {
    const db = join(dir, 'port', 'trail.duckdb');
    await (await DuckDbEngine.open(db)).close();
    const r = await run(serve, ['--db', db, '--port', String(port)]);
    oneLineFailure(r);
    expect(r.err[0]).toContain('--port');
  });

  test('start creates a missing store (and fills it with demo data) before it meets the busy port', async () => {
    const db = join(dir, 'start', 'trail.duckdb');
    const r = await run(start, ['--db', db, '--port', String(port), '--demo-events', '40']);
    oneLineFailure(r);
    const engine = await DuckDbEngine.open(db);
    try {
      expect(await countEvents(engine)).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });
});

describe('a store a running server holds', () => {
  let server: ChildProcess;
  const db = (): string => join(dir, 'held', 'trail.duckdb');

  beforeAll(async () => {
    mkdirSync(join(dir, 'held'));
    expect((await run(ingest, ['--db', db(), logs])).code).toBe(0);
    // A real server in its own process (DuckDB's lock is per process), from the sources.
    server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'main.ts'), 'serve', '--db', db(), '--port', '0', '--metrics-port', '0', '--log-level', 'warn'], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('GraphQL:')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  test('the server writes its PID beside the store', () => {
    expect(existsSync(holderFile(db()))).toBe(true);
  });

  test('ingest says in one line that a server holds it, with the server\'s PID; exit status 2', async () => {
    const r = await run(ingest, ['--db', db(), logs]);
    oneLineFailure(r);
    expect(r.err[0]).toContain(String(server.pid));
  });

  test('serve on the same store: one line, exit status 2', async () => {
    oneLineFailure(await run(serve, ['--db', db(), '--port', '0']));
  });

  test('the PID file goes when the server stops', async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    expect(existsSync(holderFile(db()))).toBe(false);
  });
});
