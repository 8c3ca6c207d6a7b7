import { Context } from '../../src/context';
import { RESOURCE_ORDER } from '../../src/history/graph/resources';
import { decodeSessionId, sessionIdOf } from '../../src/history/graph/session-ref';
import { SESSION_ORDER } from '../../src/history/graph/sessions';
import { SessionSummary } from '../../src/history/graph/summaries';
import { ALL_SESSION_PARTS, SessionParts } from '../../src/history/graph/summary-parts';
import { ConnectionParts } from '../common/connection';
import { connectionOf, groupPage, orNull, windowOf } from '../common/graph';
import { Resource } from '../resource/resource.type';
import { SessionFilter, toSessionCriteria } from './session-filter.input';
import { Session } from './session.type';

/** Sessions for resolvers: look-ups by id, pages, and the summary of a session as reached. */
/** The session's summary with the parts of its selection (s.parts): the one it was found with, else loaded. */
export async function sessionSummaryOf(ctx: Context, s: Session): Promise<SessionSummary | null> {
  return s.summary ?? orNull(ctx.loaders.sessionSummary.load({ ref: s.ref, window: s.window, own: s.ownWindow, parts: s.parts }));
}

/** The id: from the reference alone, except for portal sessions, whose start day is their first event's. */
export async function sessionIdFor(ctx: Context, s: Session): Promise<string> {
  if (s.ref.kind !== 'IDENTITY_CENTER' || s.ref.start !== '') return sessionIdOf(s.ref, s.ref.start);
  const summary = await sessionSummaryOf(ctx, s);
  return sessionIdOf(s.ref, summary?.firstEventTime ?? s.window.from.toISOString());
}

/**
 * By id, within the session's own window (a partition-pruned look-up); null
 * when nothing is there. `parts`: what the selection needs (node(id:) does
 * not say: every part).
 */
export async function sessionById(ctx: Context, id: string, parts: SessionParts = ALL_SESSION_PARTS): Promise<Session | null> {
  const { ref, window } = decodeSessionId(id);
  const session = Session.of(ref, window, true, null, parts);
  const summary = await sessionSummaryOf(ctx, session);
  return summary ? Session.of(ref, window, true, summary, parts) : null;
}

export async function sessionConnection(
  ctx: Context, filter: SessionFilter | null | undefined, args: { first?: number | null; after?: string | null }, parts: SessionParts,
): Promise<ConnectionParts<Session>> {
  const window = windowOf(ctx, filter?.time);
  const page = await ctx.loaders.sessionPage.load({ criteria: toSessionCriteria(filter), window, page: groupPage(ctx, args, SESSION_ORDER), parts });
  return connectionOf(page, (s) => Session.of(s.ref, window, false, s, parts));
}

export async function resourcesOfSession(ctx: Context, s: Session, args: { first?: number | null; after?: string | null }): Promise<ConnectionParts<Resource>> {
  const page = await ctx.loaders.sessionResources.load({ ref: s.ref, window: s.window, page: groupPage(ctx, args, RESOURCE_ORDER) });
  return connectionOf(page, (seed) => Resource.of(seed.arn, s.window, null, seed));
}
