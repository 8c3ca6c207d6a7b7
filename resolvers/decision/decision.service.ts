import { Action } from '../../src/authz/actions';
import { narrowScope } from '../../src/authz/query-scope';
import { Context } from '../../src/context';
import { decodeCursor, encodeCursor } from '../../src/history/cursor';
import { LocatedDecision, decisionsOfRows } from '../../src/history/graph/decisions';
import { SortOrder, pageRequest } from '../../src/history/page';
import { ConnectionParts, toConnection } from '../common/connection';
import { windowOf } from '../common/graph';
import { AuthorizationDecision, Decision } from '../event/authorization-decision.type';
import { AuthorizationDecisionFilter, toDecisionCriteria } from './decision-filter.input';

/** Statements one page may take at most (each reads the next batch of decision events). */
const MAX_ROUNDS = 8;

function toNode(d: LocatedDecision): AuthorizationDecision {
  return {
    decision: d.decision === 'ALLOW' ? Decision.ALLOW : Decision.DENY,
    principal: d.principal, action: d.action, resource: d.resource, policyStoreId: d.policyStoreId,
    decidedAt: new Date(d.decidedAt),
  };
}

/**
 * Decisions in event order (then their order within the event). Events are
 * read in batches until the page is full: a decision event holds any number
 * of decisions, so how many events a page needs is known only by reading.
 */
export async function decisionConnection(
  ctx: Context,
  filter: AuthorizationDecisionFilter | null | undefined,
  args: { first?: number | null; after?: string | null; order?: SortOrder | null },
): Promise<ConnectionParts<AuthorizationDecision>> {
  const window = windowOf(ctx, filter?.time);
  const request = pageRequest({ first: args.first, after: args.after }, ctx.config);
  const order = args.order ?? 'DESC';
  const criteria = toDecisionCriteria(filter);
  const cursor = request.after ? (decodeCursor(request.after, ['string', 'string', 'number'], 'after') as [string, string, number]) : null;
  const limit = Math.min(1000, Math.max(100, (request.size + 1) * 2));
  const found: LocatedDecision[] = [];
  const seen = new Set<string>();
  let from: [string, string] | null = cursor ? [cursor[0], cursor[1]] : null;
  // authz: decisions are read from payloads (requestParameters, additionalEventData): ReadEvents and ReadPayloads.
  const scope = await narrowScope(ctx.authz, ctx.query.scope, Action.ReadPayloads);
  let exhausted = false;
  for (let round = 0; round < MAX_ROUNDS && found.length <= request.size; round++) {
    const rows = await ctx.loaders.decisionEvents.load({ criteria, window, scope, order, from, limit });
    const fresh = rows.filter((r) => !seen.has(String(r.eventid)));
    for (const r of fresh) seen.add(String(r.eventid));
    for (const d of decisionsOfRows(fresh, criteria)) {
      if (cursor && d.eventId === cursor[1] && d.index <= cursor[2]) continue;
      found.push(d);
    }
    if (rows.length < limit) {
      exhausted = true;
      break;
    }
    const last = rows[rows.length - 1];
    from = [String(last.eventtime), String(last.eventid)];
  }
  const items = found.slice(0, request.size);
  const cursors = new Map(items.map((d) => [d, encodeCursor([d.decidedAt, d.eventId, d.index])]));
  const nodes = items.map(toNode);
  const byNode = new Map(nodes.map((n, i) => [n, cursors.get(items[i]) ?? '']));
  return toConnection(
    { items: nodes, hasNextPage: found.length > request.size || !exhausted, hasPreviousPage: cursor !== null },
    (n) => byNode.get(n) ?? '',
  );
}
