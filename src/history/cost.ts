import { StatementStats } from './engine';

/** A caller's hourly budget (src/operations/budgets.ts), as the store sees it. */
export interface StatementBudget {
  /** Throws a coded error when the budget is spent. */
  check(): void;
  charge(stats: StatementStats): void;
  toJSON(): object;
}

/** What one GraphQL request cost; reported in `extensions.cost`. */
export class CostMeter {
  historyQueries = 0;
  bytesScanned = 0;
  engineMs = 0;
  decisionLookups = 0;
  cacheHits = 0;
  cacheMisses = 0;
  /** The caller's budget, when --budgets gives it one: checked before each statement, charged after. */
  budget: StatementBudget | null = null;

  addStatement(stats: StatementStats): void {
    this.budget?.charge(stats);
    this.historyQueries += 1;
    this.bytesScanned += stats.bytesScanned;
    this.engineMs += stats.engineMs;
  }

  toJSON(): Record<string, number | object> {
    return {
      ...(this.budget ? { budget: this.budget.toJSON() } : {}),
      historyQueries: this.historyQueries,
      bytesScanned: this.bytesScanned,
      engineMs: Math.round(this.engineMs * 100) / 100,
      decisionLookups: this.decisionLookups,
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
    };
  }
}
