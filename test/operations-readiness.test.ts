import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FastifyInstance } from 'fastify';
import { hashApiKey } from '../src/authz/api-keys';
import { EmbeddedDynamo, startEmbeddedDynamo } from '../src/authz/dynamo';
import { loadConfig } from '../src/config';
import { AthenaEngine } from '../src/history/athena/engine';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { AthenaEmulator } from './athena-emulator';
import { demoStore } from './support/demo-store';
import { shared, testAthenaOptions } from './support/engines';

const POLICIES = join(__dirname, '..', 'policies');
const END = new Date('2026-11-01T00:00:00Z');

let duck: DuckDbEngine;
let dir: string;

beforeAll(async () => {
  ({ engine: duck } = await demoStore({ events: 500, end: END }));
  dir = mkdtempSync(join(tmpdir(), 'tg-ready-'));
});
afterAll(async () => {
  await duck.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ready(app: FastifyInstance): Promise<{ status: number; parts: Record<string, string> }> {
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  return { status: res.statusCode, parts: (JSON.parse(res.body) as { parts: Record<string, string> }).parts };
}

test('/healthz answers while the process is alive; /readyz names no error text', async () => {
  const app = await buildApp(loadConfig([], {}, { accessLog: join(dir, 'a.log') }).config, { engine: shared(duck), logger: false });
  try {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const r = await app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ready: true, parts: { store: 'ok' } });
  } finally {
    await app.close();
  }
});

test('/readyz turns 503 while the decision cache is down, and back to 200 when it returns', async () => {
  let dynamo: EmbeddedDynamo = await startEmbeddedDynamo();
  const port = Number(new URL(dynamo.endpoint).port);
  const { config } = loadConfig([], {}, {
    apiKeys: JSON.stringify([{ name: 'ops', sha256: hashApiKey('tg_ready_key_000000000000001'), groups: ['trailgraph-admins'] }]),
    policyFile: join(POLICIES, 'example.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dynamo.endpoint,
    accessLog: join(dir, 'b.log'),
  });
  const app = await buildApp(config, { engine: shared(duck), logger: false });
  try {
    expect(await ready(app)).toEqual({ status: 200, parts: { store: 'ok', decisionCache: 'ok', policies: 'ok' } });
    await dynamo.close();
    expect(await ready(app)).toEqual({ status: 503, parts: { store: 'ok', decisionCache: 'failing', policies: 'ok' } });
    // It returns (empty, as a restarted local DynamoDB does): the server makes its table again and is ready.
    dynamo = await startEmbeddedDynamo('127.0.0.1', port);
    expect(await ready(app)).toEqual({ status: 200, parts: { store: 'ok', decisionCache: 'ok', policies: 'ok' } });
  } finally {
    await app.close();
    await dynamo.close();
  }
});

test('/readyz turns 503 while the Athena endpoint is down, and back to 200 when it returns', async () => {
  let emulator = await AthenaEmulator.start(duck);
  const port = Number(new URL(emulator.endpoint).port);
  const engine = new AthenaEngine(testAthenaOptions(emulator.endpoint));
  const app = await buildApp(loadConfig([], {}, { engine: 'athena', accessLog: join(dir, 'c.log') }).config, { engine, logger: false });
  try {
    expect(await ready(app)).toEqual({ status: 200, parts: { store: 'ok' } });
    await emulator.close();
    expect(await ready(app)).toEqual({ status: 503, parts: { store: 'failing' } });
    emulator = await AthenaEmulator.start(duck, {}, port);
    expect(await ready(app)).toEqual({ status: 200, parts: { store: 'ok' } });
    expect(emulator.stats.calls.GetWorkGroup).toBe(1);
    expect(emulator.stats.started).toBe(0);
  } finally {
    await app.close();
    await emulator.close();
  }
});
