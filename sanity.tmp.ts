import { corpusRecords } from './test/support/fixture-store';
import { storeWith } from './test/support/fixture-store';
import { UNRESTRICTED } from './src/history/event-filter';
import * as P from './src/history/graph/principals';
import * as S from './src/history/graph/sessions';
import * as R from './src/history/graph/resources';
import * as G from './src/history/graph/graph-events';
import { parseRef, ownWindow } from './src/history/graph/session-ref';
import { Sql } from './src/history/sql/sql';
async function main() {
  const eng = await storeWith(corpusRecords());
  const W = { from: new Date('2000-01-01'), to: new Date('2030-01-01') };
  const run = async (name: string, s: Sql) => { const t = performance.now(); try { const { rows } = await eng.query(s); console.log(name, rows.length, (performance.now()-t).toFixed(1)+'ms', JSON.stringify(rows.slice(0, 3)).slice(0, 700)); return rows; } catch (e) { console.log(name, 'ERR', String(e).slice(0, 800)); return []; } };
  const pr = await run('principals page', P.principalPageSql({}, W, UNRESTRICTED, { size: 5, after: null }));
  await run('principals page after', P.principalPageSql({ identityTypes: ['AssumedRole'] }, W, UNRESTRICTED, { size: 5, after: ['arn:aws:iam::1'] }));
  const arns = pr.map(r => String(r.arn));
  await run('summaries', P.principalSummariesSql([...arns, 'arn:aws:sts::123456789012:assumed-role/Admin/alias'], W, UNRESTRICTED));
  await run('top', P.topEventNamesSql(arns, 3, W, UNRESTRICTED));
  const ss = await run('sessions page', S.sessionPageSql({}, W, UNRESTRICTED, { size: 5, after: null }));
  await run('sessions of principals', S.sessionsOfPrincipalsSql(arns, {}, W, UNRESTRICTED, { size: 2, after: null }));
  const refs = ss.map(r => parseRef(String(r.sref)));
  await run('session summaries', S.sessionSummariesSql(refs, W, UNRESTRICTED));
  await run('session lookups', S.sessionLookupsSql(refs.map(ref => ({ ref, window: ownWindow(ref, Date.parse(ref.start)) })), UNRESTRICTED));
  const rr = await run('resources page', R.resourcePageSql({}, W, UNRESTRICTED, { size: 5, after: null }));
  const rarns = rr.map(r => String(r.rarn));
  await run('resource summaries', R.resourceSummariesSql(rarns, W, UNRESTRICTED));
  await run('resources of sessions', R.resourcesOfSessionsSql(refs, W, UNRESTRICTED, { size: 3, after: null }));
  await run('resources of principals', R.resourcesOfPrincipalsSql(arns, W, UNRESTRICTED, { size: 3, after: null }));
  await run('principals of resources', R.principalsOfResourcesSql(rarns, W, UNRESTRICTED, { size: 3, after: null }));
  for (const kind of ['principal', 'session', 'resource'] as const) {
    const parents = kind === 'principal' ? arns : kind === 'session' ? ss.map(r => String(r.sref)) : rarns;
    const rows = await run('events of ' + kind, G.parentEventsSql({ kind, parents, criteria: {}, window: W, scope: UNRESTRICTED, order: 'ASC', size: 2, after: null }));
    console.log(G.parentEventPages({ kind, parents, criteria: {}, window: W, scope: UNRESTRICTED, order: 'ASC', size: 2, after: null }, rows).map(p => [p.items.length, p.hasNextPage, p.items[0]?.graph]).slice(0,2));
  }
  await eng.close();
}
main();
