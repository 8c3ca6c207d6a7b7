import 'reflect-metadata';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { EventDimension, TimeBucket, eventStatsSql } from './src/history/stats';
import { UNRESTRICTED } from './src/history/event-filter';
(async () => {
  const engine = await DuckDbEngine.open('/tmp/sb/bench.duckdb');
  const now = new Date('2026-11-22T16:24:58Z');
  const window = { from: new Date(now.getTime() - 30 * 86400000), to: new Date(now.getTime() + 1000) };
  const cases: Array<[string, EventDimension[], TimeBucket | null]> = [
    ['name/day', [EventDimension.EVENT_NAME], TimeBucket.DAY],
    ['name', [EventDimension.EVENT_NAME], null],
    ['principal', [EventDimension.PRINCIPAL_ARN], null],
    ['client', [EventDimension.CLIENT_TOOL], null],
    ['none/hour', [], TimeBucket.HOUR],
  ];
  for (const [n, g, b] of cases) {
    const s = eventStatsSql({ criteria: {}, window, scope: UNRESTRICTED, groupBy: g, bucket: b, limit: 100 });
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < 8; i++) { const t = performance.now(); rows = (await engine.query(s)).rows.length; ms.push(performance.now() - t); }
    ms.sort((a, b) => a - b);
    console.log(n, rows, ms.map((x) => x.toFixed(0)).join(' '));
  }
  await engine.close();
})();
