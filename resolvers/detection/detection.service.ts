import { Action } from '../../src/authz/actions';
import { networkScope, touchesNetworkDetails } from '../../src/authz/query-scope';
import { Context } from '../../src/context';
import { CompiledRule, FieldGuard } from '../../src/detections/rule';
import { badInput } from '../../src/errors';
import { DetectionParent, DetectionQuery, RuleTest, detectionSummaries } from '../../src/history/detections';
import { EventCriteria, accountsPredicate } from '../../src/history/event-filter';
import { and } from '../../src/history/sql/sql';
import { TimeWindow, resolveWindow } from '../../src/history/window';
import { EventFilter, toCriteria } from '../event/event-filter.input';
import { DetectionRuleType } from './detection-rule.type';
import { Detection } from './detection.type';

/** A rule as it runs for this caller: its index in the catalog, and its predicate within the accounts it may run on. */
interface Runnable {
  rule: CompiledRule;
  test: RuleTest;
}

const GUARD_ACTION: Record<FieldGuard, Action> = { payloads: Action.ReadPayloads, network: Action.ReadNetworkDetails };

const RUNNABLE = new WeakMap<Context, Promise<Runnable[]>>();

/**
 * authz: each rule runs only over the accounts where the caller may read
 * every field it reads (payload fields need ReadPayloads, network fields
 * ReadNetworkDetails), within the request's scope; a rule with no such
 * account does not run. Worked out once per request.
 */
export function runnableRules(ctx: Context): Promise<Runnable[]> {
  let p = RUNNABLE.get(ctx);
  if (!p) {
    p = (async () => {
      const allowed = new Map<FieldGuard, readonly string[] | null>();
      for (const g of ['payloads', 'network'] as FieldGuard[]) allowed.set(g, await ctx.authz.accountsFor(GUARD_ACTION[g]));
      const out: Runnable[] = [];
      ctx.detections.compiled.forEach((rule, index) => {
        let accounts = ctx.query.scope.accounts;
        for (const g of rule.guards) {
          const a = allowed.get(g) ?? null;
          if (a !== null) accounts = accounts === null ? a : accounts.filter((x) => a.includes(x));
        }
        if (accounts !== null && accounts.length === 0) return;
        const narrowing = accounts === ctx.query.scope.accounts ? null : accountsPredicate({ accounts });
        out.push({ rule, test: { index, predicate: narrowing ? and([narrowing, rule.predicate]) : rule.predicate, eventNames: rule.eventNames } });
      });
      return out;
    })();
    RUNNABLE.set(ctx, p);
  }
  return p;
}

/** The rules asked by id (each must exist and be supported), as the caller may run them. */
export async function rulesByIds(ctx: Context, ids: readonly string[] | null | undefined, argument: string): Promise<Runnable[]> {
  const all = await runnableRules(ctx);
  if (!ids) return all;
  for (const id of ids) {
    if (!ctx.detections.get(id)) throw badInput(`${argument}: no supported detection rule has id ${id}`, { argument });
  }
  const wanted = new Set(ids);
  return all.filter((r) => wanted.has(r.rule.meta.id));
}

export function rulesKeyOf(rules: readonly Runnable[]): string {
  return rules.map((r) => r.test.index).join(',');
}

/** Criteria whose detectionRuleIds are resolved to the caller's rule predicates (events and eventStats take them). */
export async function withDetectionRules(ctx: Context, criteria: EventCriteria): Promise<EventCriteria> {
  if (!criteria.detectionRuleIds?.length || criteria.detectionRules) return criteria;
  const rules = await rulesByIds(ctx, criteria.detectionRuleIds, 'filter.detectionRuleIds');
  return { ...criteria, detectionRules: rules.map((r) => r.test.predicate) };
}

function ruleOfIndex(ctx: Context, index: number): CompiledRule {
  return ctx.detections.compiled[index];
}

function detectionsOf(ctx: Context, rows: ReturnType<typeof detectionSummaries> extends Promise<infer R> ? R : never, base: Omit<Parameters<typeof Detection.of>[2], 'ruleIndex'>): Detection[] {
  return rows
    .map((row) => Detection.of(DetectionRuleType.of(ruleOfIndex(ctx, row.rule)), row, { ...base, ruleIndex: row.rule }))
    .sort((a, b) => b.count - a.count || a.rule.id.localeCompare(b.rule.id));
}

export interface DetectionsInput {
  filter?: EventFilter | null;
  ruleIds?: string[] | null;
  levels?: string[] | null;
}

/** Query.detections: every rule (or those asked) over the window, one statement per RULES_PER_STATEMENT rules. */
export async function detectionsIn(ctx: Context, input: DetectionsInput): Promise<Detection[]> {
  const window = resolveWindow(input.filter?.time, ctx.config, ctx.now);
  const criteria = toCriteria(input.filter);
  let rules = await rulesByIds(ctx, input.ruleIds, 'ruleIds');
  if (criteria.detectionRuleIds?.length) {
    // filter.detectionRuleIds narrows the rules, as ruleIds does.
    const keep = new Set((await rulesByIds(ctx, criteria.detectionRuleIds, 'filter.detectionRuleIds')).map((r) => r.test.index));
    rules = rules.filter((r) => keep.has(r.test.index));
  }
  if (input.levels?.length) {
    const levels = new Set(input.levels.map((l) => l.toLowerCase()));
    rules = rules.filter((r) => levels.has((r.rule.meta.level ?? '').toLowerCase()));
  }
  const plain: EventCriteria = { ...criteria, detectionRuleIds: undefined };
  // authz: filtering on source IP / user agent covers only accounts whose network details the caller may read.
  const scope = { ...(await networkScope(ctx.authz, ctx.query.scope, touchesNetworkDetails(plain))), days: ctx.query.scope.days };
  const query: DetectionQuery = { rules: rules.map((r) => r.test), criteria: plain, window, scope };
  const rows = await detectionSummaries(ctx.store, query, ctx.query);
  return detectionsOf(ctx, rows, { query, rulesKey: rulesKeyOf(rules), criteria: plain, window });
}

/** Principal.detections and Session.detections: the rules that matched the parent's events in its window, batched over parents. */
export async function detectionsOfParent(ctx: Context, kind: DetectionParent, parent: string, window: TimeWindow): Promise<Detection[]> {
  const rules = await runnableRules(ctx);
  if (rules.length === 0) return [];
  const query: DetectionQuery = { rules: rules.map((r) => r.test), criteria: {}, window, scope: ctx.query.scope };
  const rulesKey = rulesKeyOf(rules);
  const rows = await ctx.loaders.detectionsOfParent.load({ kind, parent, query, rulesKey });
  return detectionsOf(ctx, rows, { query: { ...query, criteria: {} }, rulesKey, criteria: {}, window });
}

/** Event.detections: the rules the event matches (for this caller), batched over the events of the request. */
export async function detectionsOfEvent(ctx: Context, event: { key: { day: string; account: string; region: string; eventId: string }; eventTime: string }): Promise<DetectionRuleType[]> {
  const rules = await runnableRules(ctx);
  if (rules.length === 0) return [];
  const indexes = await ctx.loaders.detectionsOfEvent.load({ event: event.key, eventTime: event.eventTime, query: { rules: rules.map((r) => r.test), scope: ctx.query.scope }, rulesKey: rulesKeyOf(rules) });
  return indexes.map((i) => DetectionRuleType.of(ruleOfIndex(ctx, i)));
}
