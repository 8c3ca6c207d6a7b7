import { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { ENGINE_NAMES, EngineHandle, openEngine } from './support/engines';
import { corpusRecords, storeWith } from './support/fixture-store';
import { timeOf } from './support/expected';

/** Where the saved investigations anchor their windows: the same instants on both engines, from the records themselves. */
const records = corpusRecords().filter((r) => !Number.isNaN(Date.parse(timeOf(r)))).slice(0, 300);
let duck: DuckDbEngine;
beforeAll(async () => {
  duck = await storeWith(records);
});
afterAll(() => duck.close());

describe.each(ENGINE_NAMES.map((n) => [n]))('on %s', (name) => {
  let handle: EngineHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await openEngine(name, duck);
    app = await buildApp(loadConfig([], {}).config, { engine: handle.engine, logger: false });
  });
  afterAll(async () => {
    await app.close();
    await handle.close();
  });

  test('latestEventTime and earliestEventTime are the newest and oldest record\'s eventTime', async () => {
    const times = records.map((r) => Date.parse(timeOf(r))).sort((a, b) => a - b);
    expect(times.length).toBeGreaterThan(100);
    const r = await gql<{ latestEventTime: string; earliestEventTime: string }>(app, '{ latestEventTime earliestEventTime }');
    expect(r.errors).toBeUndefined();
    expect([Date.parse(r.data!.latestEventTime), Date.parse(r.data!.earliestEventTime)]).toEqual([times[times.length - 1], times[0]]);
  });
});
