import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EmbeddedDynamo, startEmbeddedDynamo } from '../src/authz/dynamo';
import { SETTINGS, loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';

/**
 * No Docker engine here: the test builds the layout the image has (the
 * Dockerfile's steps: compiled dist/, a production-only install, the files
 * read at run time), runs the CLI from it with the compose file's
 * environment, and checks the compose file and the Dockerfile themselves.
 */
const ROOT = join(__dirname, '..');
const COMPOSE = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string>; build?: string; image?: string; volumes?: string[] }>;
};
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const API_ENV = COMPOSE.services.api.environment ?? {};

test('the compose file runs the API with DynamoDB Local and an S3-compatible server, wired by variables the server reads', () => {
  expect(Object.keys(COMPOSE.services).sort()).toEqual(['api', 'dynamodb', 's3']);
  expect(COMPOSE.services.api.build).toBe('.');
  const known = new Set(SETTINGS.map((s) => s.env));
  const ours = Object.keys(API_ENV).filter((k) => k.startsWith('TRAILGRAPH_'));
  expect(ours.length).toBeGreaterThan(5);
  expect(ours.filter((k) => !known.has(k))).toEqual([]);
  expect(new URL(API_ENV.TRAILGRAPH_DYNAMODB_ENDPOINT).hostname).toBe('dynamodb');
  // The compose environment is a valid config (files as mounted: /config is policies/).
  const env = Object.fromEntries(Object.entries(API_ENV).map(([k, v]) => [k, String(v).replace(/^\/config\//, `${ROOT}/policies/`)]));
  const { config } = loadConfig([], env);
  expect(config.host).toBe('0.0.0.0');
  expect(config.db.startsWith('/data/')).toBe(true);
});

test('the Dockerfile is multi-stage on Node 20 slim, runs as a non-root user with the store on a volume, and checks /healthz', () => {
  expect(DOCKERFILE.match(/^FROM node:20-slim/gm)?.length).toBe(2);
  expect(DOCKERFILE).toMatch(/^RUN npm ci --omit=dev/m);
  expect(DOCKERFILE).toMatch(/^USER node$/m);
  expect(DOCKERFILE).toMatch(/^VOLUME \["\/data"\]$/m);
  expect(DOCKERFILE).toMatch(/^HEALTHCHECK .*\/healthz/m);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('the production install', () => {
  let app: string;
  let data: string;
  let dynamo: EmbeddedDynamo;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'tg-image-'));
    data = join(app, 'data');
    mkdirSync(data);
    // The Dockerfile's steps: production dependencies only, the compiled code, the files read at run time.
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(ROOT, f), join(app, f));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, stdio: 'ignore' });
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(app, 'dist')], { stdio: 'ignore' });
    // The folders the image's last stage copies, as the Dockerfile names them.
    const runtime = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM ')).match(/^COPY (\w+) \.\/\1$/gm)?.map((l) => l.split(' ')[1]) ?? [];
    expect(runtime).toEqual(expect.arrayContaining(['bin', 'src', 'investigations', 'detections']));
    for (const d of runtime) cpSync(join(ROOT, d), join(app, d), { recursive: true });
    dynamo = await startEmbeddedDynamo();
  }, 300_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await dynamo?.close();
    rmSync(app, { recursive: true, force: true });
  });

  test('has no development dependency', () => {
    expect(() => require.resolve('typescript', { paths: [app] })).toThrow();
    expect(() => require.resolve('jest', { paths: [app] })).toThrow();
    expect(require.resolve('fastify', { paths: [app] }).startsWith(app)).toBe(true);
  });

  test('ingests, serves with the compose environment, answers /healthz, /readyz and /metrics, and stops on SIGTERM', async () => {
    const logs = join(app, 'demo-logs');
    await generateDemo({ events: 300, out: logs, end: new Date('2026-11-01T00:00:00Z') });
    const [port, metricsPort] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...Object.fromEntries(Object.entries(API_ENV).map(([k, v]) => [k, String(v).replace(/^\/config\//, `${app}/policies/`).replace(/^\/data\//, `${data}/`)])),
      TRAILGRAPH_DYNAMODB_ENDPOINT: dynamo.endpoint,
      TRAILGRAPH_PORT: String(port),
      TRAILGRAPH_METRICS_PORT: String(metricsPort),
      NODE_ENV: 'production',
    };
    execFileSync(process.execPath, ['bin/trailgraph.cjs', 'ingest', logs], { cwd: app, env, stdio: 'ignore' });
    child = spawn(process.execPath, ['bin/trailgraph.cjs', 'serve'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    while (!/metrics:/.test(out)) {
      if (child.exitCode !== null) throw new Error(out);
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, parts: { store: 'ok', decisionCache: 'ok', policies: 'ok' } });
    expect((await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBe(401);
    const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await fetch(metrics)).status).toBe(401);
    const scraped = await fetch(metrics, { headers: { authorization: `Bearer ${API_ENV.TRAILGRAPH_METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^trailgraph_http_requests_total\{route="\/readyz",method="GET",status="200"\} 1$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readFileSync(join(data, 'access.log'), 'utf8')).toContain('"outcome":"UNAUTHENTICATED"');
  });
});
