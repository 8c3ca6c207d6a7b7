import { DuckDbEngine } from '../src/history/duckdb/engine';
import { Row } from '../src/history/engine';
import { UNRESTRICTED } from '../src/history/event-filter';
import { eventsPageSql } from '../src/history/events';
import { principalPageSql } from '../src/history/graph/principals';
import { resourcePageSql } from '../src/history/graph/resources';
import { parseRef } from '../src/history/graph/session-ref';
import { sessionPageSql } from '../src/history/graph/sessions';
import { TimeWindow } from '../src/history/window';
import { Sample, SampleInputs, allSamples } from './athena-emulator/builder-samples';
import { corpusRecords, storeWith } from './support/fixture-store';
import { AthenaOver, athenaOver } from './support/engines';

/**
 * Every statement the builder can emit, run on both engines over the corpus:
 * the Athena engine (through the emulator and the real SDK, with small
 * result pages) answers exactly what the embedded engine answers.
 */
let duck: DuckDbEngine;
let athena: AthenaOver;
let samples: Sample[];

async function rows(statement: Sample['statement']): Promise<Row[]> {
  return (await duck.query(statement)).rows;
}

beforeAll(async () => {
  const records = corpusRecords();
  duck = await storeWith(records);
  athena = await athenaOver(duck, { knobs: { pageSize: 50, accountBytes: false } });
  const times = records.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t));
  const window: TimeWindow = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + 1000) };
  const first = { size: 4, after: null };
  const events = await rows(eventsPageSql({ criteria: {}, window, scope: UNRESTRICTED, order: 'DESC', page: { size: 6, direction: 'forward', after: null, before: null } }));
  const accounts = (await rows(eventsPageSql({ criteria: {}, window, scope: UNRESTRICTED, order: 'ASC', page: { size: 200, direction: 'forward', after: null, before: null } })))
    .map((r) => String(r.account));
  const inputs: SampleInputs = {
    window,
    accounts: [...new Set(accounts)].slice(0, 2),
    principalArns: (await rows(principalPageSql({}, window, UNRESTRICTED, first))).map((r) => String(r.arn)),
    sessionRefs: (await rows(sessionPageSql({}, window, UNRESTRICTED, first))).map((r) => parseRef(String(r.sref))),
    resourceArns: (await rows(resourcePageSql({}, window, UNRESTRICTED, first))).map((r) => String(r.rarn)),
    eventKeys: events.map((r) => ({ day: String(r.day), account: String(r.account), region: String(r.region), eventId: String(r.eventid) })),
    eventAt: [String(events[2].eventtime), String(events[2].eventid)],
  };
  // One caller scope: scopes change the WHERE (checked by the dialect test), not how the engines answer.
  samples = allSamples(inputs).filter((s) => s.scope.accounts === null);
});

afterAll(async () => {
  await athena.close();
  await duck.close();
});

/** Rows as a sorted list of JSON texts: statements without ORDER BY may return rows in any order. */
function canonical(rs: Row[]): string[] {
  return rs.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();
}

test('every builder statement answers the same on Athena (emulated) as on the embedded engine', async () => {
  const mismatches: string[] = [];
  let nonEmpty = 0;
  const queue = [...samples];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const [a, b] = await Promise.all([duck.query(s.statement), athena.engine.query(s.statement)]);
      if (a.rows.length) nonEmpty++;
      if (JSON.stringify(canonical(a.rows)) !== JSON.stringify(canonical(b.rows))) mismatches.push(`${s.builder} / ${s.label}`);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  expect(mismatches).toEqual([]);
  expect(samples.length).toBeGreaterThan(40);
  // Most statements find something in the corpus, so the comparison is not of empty answers.
  expect(nonEmpty).toBeGreaterThan(samples.length / 2);
  expect(athena.emulator.stats.executed).toBe(samples.length);
});
