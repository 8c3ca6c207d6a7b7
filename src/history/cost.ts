import { StatementStats } from './engine';

/** What one GraphQL request cost; reported in `extensions.cost`. */
export class CostMeter {
  historyQueries = 0;
  bytesScanned = 0;
  engineMs = 0;
  decisionLookups = 0;
  cacheHits = 0;
  cacheMisses = 0;

  addStatement(stats: StatementStats): void {
    this.historyQueries += 1;
    this.bytesScanned += stats.bytesScanned;
    this.engineMs += stats.engineMs;
  }

  toJSON(): Record<string, number> {
    return {
      historyQueries: this.historyQueries,
      bytesScanned: this.bytesScanned,
      engineMs: Math.round(this.engineMs * 100) / 100,
      decisionLookups: this.decisionLookups,
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
    };
  }
}
