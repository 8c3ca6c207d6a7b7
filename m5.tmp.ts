import { profile } from './prof.tmp';
import { UNRESTRICTED } from './src/history/event-filter';
import { principalSummariesSql, topEventNamesSql } from './src/history/graph/principals';
const W = { from: new Date('2025-05-02T00:00:00Z'), to: new Date('2025-06-01T00:00:00Z') };
(async () => {
  await profile('/tmp/graph-work/sorted-1m.duckdb', principalSummariesSql(['arn:aws:iam::418273645091:user/alice'], W, UNRESTRICTED));
  await profile('/tmp/graph-work/sorted-1m.duckdb', topEventNamesSql(['arn:aws:iam::418273645091:user/alice'], 10, W, UNRESTRICTED));
})();
