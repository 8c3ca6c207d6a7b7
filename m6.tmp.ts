import 'reflect-metadata';
import { DuckDbEngine } from './src/history/duckdb/engine';
import { loadConfig } from './src/config';
import { buildApp } from './src/server';
import { RecordingEngine } from './bench/harness';
import { cpuTime } from './cpu.tmp';
async function main() {
  const eng = await DuckDbEngine.open('/tmp/graph-work/sorted-1m.duckdb');
  const rec = new RecordingEngine(eng);
  const { config } = loadConfig([], {}, { maxSpanDays: 90 });
  const app = await buildApp(config, { engine: rec, logger: false });
  const day = { from: '2025-05-30T00:00:00Z', to: '2025-05-31T00:00:00Z' };
  const month = { from: '2025-05-02T00:00:00Z', to: '2025-06-01T00:00:00Z' };
  const only = process.argv[2];
  const run = async (name: string, query: string, variables: Record<string, unknown> = {}) => {
    rec.recorded = [];
    const r = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
    const body = JSON.parse(r.body);
    if (body.errors) console.log(JSON.stringify(body.errors).slice(0, 500));
    const stmts = rec.recorded.slice();
    if (!only || name.startsWith(only)) {
      const c0 = process.cpuUsage(); const t0 = performance.now();
      for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
      const c = process.cpuUsage(c0);
      console.log(name.padEnd(28), `http cpu ${((c.user + c.system) / 3000).toFixed(0)}ms wall ${((performance.now() - t0) / 3).toFixed(0)}ms`, 'stmts', stmts.length);
      for (const s of stmts) console.log('   ', (await cpuTime(eng, s, 3)).padEnd(32), s.text.length, s.text.slice(0, 70).replace(/\s+/g, ' '));
    }
    return body.data;
  };
  await run('depth4 day', `query($t: TimeRange) { principals(first: 50, filter: {time: $t}) { nodes { arn sessions(first: 5) { nodes { id events(first: 10) { nodes { eventName eventTime } } resources { nodes { arn type eventCount } } } } } } }`, { t: day });
  const s = await run('sessions one account day', `query($t: TimeRange) { sessions(first: 50, filter: {time: $t, accountIds: ["602519374862"]}) { nodes { id kind eventCount } } }`, { t: day });
  const id = s.sessions.nodes[0].id;
  await run('session summary + 50 events', `query($id: ID!) { session(id: $id) { id kind eventCount writeCount errorCount accessDeniedCount eventSources regions sourceIpAddresses userAgents mfaAuthenticated sourceIdentity principal { arn } events(first: 50) { nodes { eventName eventTime } } } }`, { id });
  await run('principal top names 30d', `query($t: TimeRange) { principal(arn: "arn:aws:iam::418273645091:user/alice", time: $t) { arn eventCount topEventNames { name count } } }`, { t: month });
  await run('resource principals 30d', `query($t: TimeRange) { resource(arn: "arn:aws:s3:::orders-data-prod", time: $t) { arn eventCount principals(first: 20) { nodes { arn } } } }`, { t: month });
  await run('resource principals 1d', `query($t: TimeRange) { resource(arn: "arn:aws:s3:::orders-data-prod", time: $t) { arn eventCount principals(first: 20) { nodes { arn } } } }`, { t: day });
  await app.close();
}
main();
