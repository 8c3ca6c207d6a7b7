import { profile } from './prof.tmp';
import { UNRESTRICTED } from './src/history/event-filter';
import { resourceSummariesSql } from './src/history/graph/resources';
const W = { from: new Date('2025-05-02T00:00:00Z'), to: new Date('2025-06-01T00:00:00Z') };
profile('/tmp/graph-work/sorted-1m.duckdb', resourceSummariesSql(['arn:aws:s3:::orders-data-prod'], W, UNRESTRICTED));
