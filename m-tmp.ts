import 'reflect-metadata';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { EventDimension, TimeBucket, eventStatsSql } from './src/history/stats';
import { UNRESTRICTED } from './src/history/event-filter';
(async () => {
  const engine = await DuckDbEngine.open('/tmp/sb/bench.duckdb');
  const now = new Date('2026-11-22T16:24:58Z');
  const window = { from: new Date(now.getTime() - 30 * 86400000), to: new Date(now.getTime() + 1000) };
  const week = { from: new Date(now.getTime() - 7 * 86400000), to: new Date(now.getTime() + 1000) };
  const cases: Array<[string, EventDimension[], TimeBucket | null, typeof window]> = [
    ['name/day/30d', [EventDimension.EVENT_NAME], TimeBucket.DAY, window],
    ['principal/7d', [EventDimension.PRINCIPAL_ARN], null, week],
    ['client/hour/7d', [EventDimension.CLIENT_TOOL], TimeBucket.HOUR, week],
  ];
  for (const [n, g, b, w] of cases) {
    const s = eventStatsSql({ criteria: {}, window: w, scope: UNRESTRICTED, groupBy: g, bucket: b, limit: 10000 });
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < 10; i++) { const t = performance.now(); rows = (await engine.query(s)).rows.length; ms.push(performance.now() - t); }
    ms.sort((a, b) => a - b);
    console.log(n, rows, ms.map((x) => x.toFixed(0)).join(' '));
  }
  await engine.close();
})();
