import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { StoreChanges } from '../src/history/changes';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { HistoryStore } from '../src/history/store';
import { ingestPaths } from '../src/ingest';
import { Delivery, EventSubscriptions } from '../src/subscriptions';
import { firstOfEachId } from './support/expected';
import { Batch, DEMO_TIME, demoBatches } from './support/live-batches';

/**
 * The service under the WebSocket: a batch larger than one statement's rows
 * is read in several statements, each from where the last stopped, and the
 * next one waits for the subscriber to take what it was sent; every event
 * still arrives once, in the order stored.
 */
const config = loadConfig([], {}, {}).config;
const ROWS = 7;
let dir: string;
let engine: DuckDbEngine;
let batches: Batch[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-subscription-batches-'));
  batches = await demoBatches(dir, [18], { events: 240, seed: 3 });
  engine = await DuckDbEngine.open(':memory:');
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function storedOrder(): Promise<string[]> {
  const conn = await engine.connect();
  try {
    return (await conn.runAndReadAll('SELECT eventid FROM cloudtrail ORDER BY rowid')).getRows().map(([id]) => String(id));
  } finally {
    conn.closeSync();
  }
}

/** Takes `n` deliveries, one at a time, yielding to the event loop between them (a client slower than the reads). */
async function take(inbox: AsyncIterableIterator<Delivery>, n: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < n) {
    const r = await inbox.next();
    if (r.done) break;
    if (r.value.kind !== 'event') throw new Error('an error was delivered');
    ids.push(r.value.event.key.eventId);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return ids;
}

test('a batch of many statements reaches each subscriber once, in the order stored, at the pace it takes them', async () => {
  const store = new HistoryStore(engine);
  const changes = new StoreChanges();
  const subscriptions = new EventSubscriptions(store, changes, config, { error: () => {} }, { rowsPerStatement: ROWS });
  const contextFor = async () => createContext({ config, store });
  const time = { from: new Date(DEMO_TIME.from), to: new Date(DEMO_TIME.to) };
  const all = await subscriptions.subscribe({ criteria: {}, time, contextFor });
  const s3 = await subscriptions.subscribe({ criteria: { eventSources: ['s3.amazonaws.com'] }, time, contextFor });

  await ingestPaths(engine, [batches[0].dir], { workers: 0 });
  changes.notify();
  const records = firstOfEachId(batches[0].records);
  const s3Expected = records.filter((r) => r.eventSource === 's3.amazonaws.com').map((r) => r.eventID);
  expect(records.length).toBeGreaterThan(10 * ROWS);
  expect(s3Expected.length).toBeGreaterThan(2 * ROWS);

  const [gotAll, gotS3] = await Promise.all([take(all, records.length), take(s3, s3Expected.length)]);
  const order = await storedOrder();
  expect(gotAll).toEqual(order);
  expect(gotS3).toEqual(order.filter((id) => s3Expected.includes(id)));
  // Closing the service (the server closes) ends every subscription.
  await subscriptions.close();
  expect((await all.next()).done).toBe(true);
  expect(subscriptions.count).toBe(0);
});
