import { Row, RunOptions, SqlEngine, StatementStats } from '../../src/history/engine';
import { Sql } from '../../src/history/sql/sql';

/**
 * An engine that remembers the statements it ran: tests count and read
 * them, the bench replays them directly. Shared by test/ and bench/.
 */
export class RecordingEngine implements SqlEngine {
  readonly name: SqlEngine['name'];
  readonly prefersNarrowStatements: boolean;
  readonly partitionDays: SqlEngine['partitionDays'];
  recorded: Sql[] = [];
  constructor(readonly inner: SqlEngine) {
    this.name = inner.name;
    this.prefersNarrowStatements = inner.prefersNarrowStatements;
    this.partitionDays = inner.partitionDays;
  }
  query(statement: Sql, options?: RunOptions): Promise<{ rows: Row[]; stats: StatementStats }> {
    this.recorded.push(statement);
    return this.inner.query(statement, options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
