import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { AthenaEmulator } from './athena-emulator';
import { demoStore } from './support/demo-store';

const ROOT = join(__dirname, '..');
const END = new Date('2026-11-01T00:00:00Z');

let duck: DuckDbEngine;
let emulator: AthenaEmulator;
let dir: string;

beforeAll(async () => {
  ({ engine: duck } = await demoStore({ events: 500, end: END }));
  // Every query runs for a minute: the one the test sends is still running when SIGTERM comes.
  emulator = await AthenaEmulator.start(duck, { runMs: 60_000 });
  dir = mkdtempSync(join(tmpdir(), 'tg-shutdown-'));
});
afterAll(async () => {
  await emulator.close();
  await duck.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI's serve in a child process (TypeScript run as is), and the URL it prints. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts'), 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'emulator-secret', AWS_REGION: 'us-east-1', TRAILGRAPH_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(out);
      if (m) resolve({ child, url: m[1], output: () => out });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code} before listening:\n${out}`)));
  });
}

function post(url: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

test('SIGTERM during a slow Athena query stops it and exits 0', async () => {
  const { child, url, output } = await serve([
    '--engine', 'athena', '--athena-endpoint', emulator.endpoint, '--athena-output-location', 's3://results/',
    '--port', '0', '--metrics-port', '0', '--shutdown-grace', '1', '--access-log', join(dir, 'access.log'),
  ]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const answer = post(url, '{ events(first: 5) { nodes { eventName } } }');
  await until(() => emulator.active > 0);
  const running = [...emulator.stats.statements.map((s) => s.id)];
  expect(running.length).toBeGreaterThan(0);
  child.kill('SIGTERM');
  const res = await answer;
  // The request in flight was answered (with its statement stopped), not cut off.
  expect(res.status).toBe(200);
  expect((JSON.parse(res.body) as { errors?: Array<{ extensions: { code: string } }> }).errors?.map((e) => e.extensions.code)).toEqual(['HISTORY_QUERY_FAILED']);
  expect(await exited).toBe(0);
  expect(emulator.stats.stopped).toEqual(expect.arrayContaining(running));
  expect(emulator.stats.calls.StopQueryExecution).toBeGreaterThanOrEqual(1);
  // Its access line was written before the answer went out.
  expect(readFileSync(join(dir, 'access.log'), 'utf8')).toContain('"outcome":"HISTORY_QUERY_FAILED"');
  expect(output()).not.toMatch(/\n\s+at /); // no stack trace
});
