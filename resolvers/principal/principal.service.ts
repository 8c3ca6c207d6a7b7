import { Context } from '../../src/context';
import { badInput } from '../../src/errors';
import { PRINCIPAL_ORDER } from '../../src/history/graph/principals';
import { SESSION_ORDER } from '../../src/history/graph/sessions';
import { RESOURCE_ORDER } from '../../src/history/graph/resources';
import { PrincipalSummary } from '../../src/history/graph/summaries';
import { ALL_PRINCIPAL_PARTS, PrincipalParts, SessionParts } from '../../src/history/graph/summary-parts';
import { decodeId } from '../../src/history/ids';
import { ConnectionParts } from '../common/connection';
import { connectionOf, groupPage, orNull, windowOf } from '../common/graph';
import { Resource } from '../resource/resource.type';
import { SessionFilter, toSessionCriteria } from '../session/session-filter.input';
import { Session } from '../session/session.type';
import { PrincipalFilter, toPrincipalCriteria } from './principal-filter.input';
import { Principal } from './principal.type';

/** Principals for resolvers: look-ups, pages, and the lists hanging off a principal. */
/** The principal's summary with the parts of its selection (p.parts): the one it was found with, else loaded. */
export async function principalSummaryOf(ctx: Context, p: Principal): Promise<PrincipalSummary | null> {
  return p.summary ?? orNull(ctx.loaders.principalSummary.load({ arn: p.arn, window: p.window, parts: p.parts }));
}

/** By canonical or sts assumed-role ARN; null when it has no event in the window. `parts`: what the selection needs. */
export async function principalByArn(
  ctx: Context, arn: string, time: { from: Date; to: Date } | null | undefined, parts: PrincipalParts = ALL_PRINCIPAL_PARTS,
): Promise<Principal | null> {
  if (arn === '') throw badInput('arn must not be empty', { argument: 'arn' });
  const window = windowOf(ctx, time);
  const s = await orNull(ctx.loaders.principalSummary.load({ arn, window, parts }));
  return s ? Principal.of(s.arn, window, s, null, parts) : null;
}

/** node(id:): the principal in the default window (the finder does not see the selection: every part). */
export async function principalById(ctx: Context, id: string): Promise<Principal | null> {
  const { type, parts } = decodeId(id);
  if (type !== 'Principal' || parts.length !== 1) throw badInput('id: not a Principal id', { argument: 'id' });
  return principalByArn(ctx, parts[0], undefined);
}

export async function principalConnection(
  ctx: Context, filter: PrincipalFilter | null | undefined, args: { first?: number | null; after?: string | null }, parts: PrincipalParts,
): Promise<ConnectionParts<Principal>> {
  const window = windowOf(ctx, filter?.time);
  const page = await ctx.loaders.principalPage.load({ criteria: toPrincipalCriteria(filter), window, page: groupPage(ctx, args, PRINCIPAL_ORDER), parts });
  return connectionOf(page, (s) => Principal.of(s.arn, window, s, null, parts));
}

export async function sessionsOfPrincipal(
  ctx: Context, p: Principal, filter: SessionFilter | null | undefined, args: { first?: number | null; after?: string | null }, parts: SessionParts,
): Promise<ConnectionParts<Session>> {
  const window = windowOf(ctx, filter?.time, p.window);
  const page = await ctx.loaders.principalSessions.load({ arn: p.arn, window, criteria: toSessionCriteria(filter), page: groupPage(ctx, args, SESSION_ORDER), parts });
  return connectionOf(page, (s) => Session.of(s.ref, window, false, s, parts));
}

export async function resourcesOfPrincipal(ctx: Context, p: Principal, args: { first?: number | null; after?: string | null }): Promise<ConnectionParts<Resource>> {
  const page = await ctx.loaders.principalResources.load({ arn: p.arn, window: p.window, page: groupPage(ctx, args, RESOURCE_ORDER) });
  return connectionOf(page, (seed) => Resource.of(seed.arn, p.window, null, seed));
}
