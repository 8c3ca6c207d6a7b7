import { profile } from './prof.tmp';
import { UNRESTRICTED } from './src/history/event-filter';
import { sessionPageSql } from './src/history/graph/sessions';
const W = { from: new Date('2025-05-30T00:00:00Z'), to: new Date('2025-05-31T00:00:00Z') };
profile('/tmp/graph-work/sorted-1m.duckdb', sessionPageSql({ accountIds: ['602519374862'] }, W, UNRESTRICTED, { size: 50, after: null }));
