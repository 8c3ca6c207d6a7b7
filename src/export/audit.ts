import { Config } from '../config';
import { accessLogOptions } from '../operations';
import { AccessLine, openAccessLog } from '../operations/access-log';
import { ExportFormat } from './columns';

/** The access line could not be written and the log fails closed: nothing may be exported. */
export class AccessLogUnwritable extends Error {}

/**
 * An export's line in the access audit log (the server's, --access-log): who
 * exported which accounts, in which format, with what outcome. As for a
 * request, never credentials and never the filter's values. A file is named
 * only once its line is written (runExport's beforeCommit): where the log
 * fails closed, an export that cannot be recorded is not delivered. Standard
 * output is already delivered when the line is written; its failure is then
 * the exit status.
 */
export class ExportAudit {
  private readonly arrived = new Date();
  private readonly started = performance.now();

  constructor(
    private readonly config: Config,
    private readonly format: ExportFormat,
    private readonly caller: string,
    private readonly accounts: readonly string[] | null,
  ) {}

  /** Writes the line; false when it could not be written (a warning goes to standard error unless the log fails closed). */
  async record(outcome: string): Promise<boolean> {
    const line: AccessLine = {
      time: this.arrived.toISOString(),
      caller: this.caller,
      operation: `export ${this.format}`,
      document: null,
      accounts: this.accounts,
      denied: [],
      statements: 0,
      bytesScanned: 0,
      durationMs: Math.round((performance.now() - this.started) * 100) / 100,
      outcome,
    };
    const sink = openAccessLog(accessLogOptions(this.config));
    try {
      await sink.write(line);
      return true;
    } catch (err) {
      if (this.config.accessLogOnFailure === 'warn') console.error(`trailgraph export: warning: the access log cannot be written (${(err as Error).message})`);
      return false;
    } finally {
      await sink.close();
    }
  }

  /** record, raising AccessLogUnwritable where the log fails closed. */
  async recordOrRefuse(outcome: string): Promise<void> {
    if (!(await this.record(outcome)) && this.config.accessLogOnFailure === 'fail-closed') throw new AccessLogUnwritable();
  }
}
