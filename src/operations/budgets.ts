import { Caller } from '../authz/caller';
import { ErrorCode, TrailgraphError } from '../errors';
import { StatementStats } from '../history/engine';

/** What a caller may spend per hour; an absent limit is no limit. */
export interface BudgetLimits {
  readonly statementsPerHour?: number;
  readonly bytesScannedPerHour?: number;
}

/**
 * `--budgets`: the limits of callers without a group of their own
 * (`default`), and per API-key group or JWT groups-claim value (`groups`).
 * A caller in several groups gets the most generous limit of each kind.
 */
export interface BudgetSettings {
  readonly default?: BudgetLimits;
  readonly groups?: Readonly<Record<string, BudgetLimits>>;
}

const HOUR_MS = 3_600_000;

function limitProblem(where: string, l: unknown): string | null {
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return `${where} must be an object`;
  for (const [k, v] of Object.entries(l)) {
    if (k !== 'statementsPerHour' && k !== 'bytesScannedPerHour') return `${where} has an unknown key "${k}"`;
    if (!Number.isSafeInteger(v) || (v as number) < 0) return `${where}.${k} must be a whole number >= 0`;
  }
  return null;
}

/** Parses and checks `--budgets` (JSON); throws an Error naming what is wrong. '' = no budgets. */
export function parseBudgets(text: string): BudgetSettings | null {
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('must be a JSON object with "default" and/or "groups"');
  const { default: dflt, groups, ...extra } = value as Record<string, unknown>;
  if (Object.keys(extra).length > 0) throw new Error(`has an unknown key "${Object.keys(extra)[0]}"`);
  const problem =
    (dflt !== undefined ? limitProblem('default', dflt) : null) ??
    (groups !== undefined && (typeof groups !== 'object' || groups === null || Array.isArray(groups)) ? 'groups must be an object' : null) ??
    Object.entries((groups ?? {}) as Record<string, unknown>).map(([g, l]) => limitProblem(`groups.${g}`, l)).find((p) => p !== null) ??
    null;
  if (problem) throw new Error(problem);
  return value as BudgetSettings;
}

function mostGenerous(limits: readonly BudgetLimits[], key: keyof BudgetLimits): number | undefined {
  let best: number | undefined = 0;
  for (const l of limits) {
    const v = l[key];
    if (v === undefined) return undefined; // one group without that limit: none
    best = Math.max(best, v);
  }
  return limits.length ? best : undefined;
}

interface Spent {
  windowStart: number;
  statements: number;
  bytes: number;
}

/** What one caller has left this hour; shared by its requests on this server. */
export class CallerBudget {
  constructor(
    private readonly limits: BudgetLimits,
    private readonly spent: Spent,
    private readonly now: () => number,
    private readonly onRejected: () => void,
  ) {}

  private roll(): void {
    const t = this.now();
    if (t - this.spent.windowStart >= HOUR_MS) {
      this.spent.windowStart = t;
      this.spent.statements = 0;
      this.spent.bytes = 0;
    }
  }

  /** Throws RATE_LIMITED when the caller has spent either budget this hour. */
  check(): void {
    this.roll();
    const { statementsPerHour, bytesScannedPerHour } = this.limits;
    const out =
      (statementsPerHour !== undefined && this.spent.statements >= statementsPerHour) ||
      (bytesScannedPerHour !== undefined && this.spent.bytes >= bytesScannedPerHour);
    if (out) {
      this.onRejected();
      throw new TrailgraphError(ErrorCode.RATE_LIMITED, 'this caller has spent its hourly budget of history statements or bytes scanned', { budget: this.toJSON() });
    }
  }

  charge(stats: StatementStats): void {
    this.roll();
    this.spent.statements += 1;
    this.spent.bytes += stats.bytesScanned;
  }

  /** For `extensions.cost.budget`: what is left and when it resets (as GitHub's rateLimit). */
  toJSON(): { statementsRemaining: number | null; bytesScannedRemaining: number | null; resetAt: string } {
    const { statementsPerHour, bytesScannedPerHour } = this.limits;
    return {
      statementsRemaining: statementsPerHour === undefined ? null : Math.max(0, statementsPerHour - this.spent.statements),
      bytesScannedRemaining: bytesScannedPerHour === undefined ? null : Math.max(0, bytesScannedPerHour - this.spent.bytes),
      resetAt: new Date(this.spent.windowStart + HOUR_MS).toISOString(),
    };
  }
}

/**
 * Per-caller hourly budgets of what costs money (history statements, Athena
 * bytes scanned). Kept in this server's memory: behind a load balancer each
 * server counts its own share.
 */
export class Budgets {
  private readonly spent = new Map<string, Spent>();

  constructor(
    private readonly settings: BudgetSettings,
    private readonly now: () => number = Date.now,
    private readonly onRejected: () => void = () => undefined,
  ) {}

  /** The caller's budget, or null when no limit applies to it. */
  forCaller(caller: Caller): CallerBudget | null {
    const grouped = caller.groups.map((g) => this.settings.groups?.[g]).filter((l): l is BudgetLimits => l !== undefined);
    const limits: BudgetLimits = grouped.length
      ? { statementsPerHour: mostGenerous(grouped, 'statementsPerHour'), bytesScannedPerHour: mostGenerous(grouped, 'bytesScannedPerHour') }
      : this.settings.default ?? {};
    if (limits.statementsPerHour === undefined && limits.bytesScannedPerHour === undefined) return null;
    let spent = this.spent.get(caller.id);
    if (!spent) {
      spent = { windowStart: this.now(), statements: 0, bytes: 0 };
      this.spent.set(caller.id, spent);
    }
    return new CallerBudget(limits, spent, this.now, this.onRejected);
  }
}
