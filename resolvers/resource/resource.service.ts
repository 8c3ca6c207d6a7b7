import { Context } from '../../src/context';
import { badInput } from '../../src/errors';
import { PRINCIPAL_OF_RESOURCE_ORDER, RESOURCE_ORDER } from '../../src/history/graph/resources';
import { ResourceSummary } from '../../src/history/graph/summaries';
import { ALL_PRINCIPAL_PARTS, PrincipalParts } from '../../src/history/graph/summary-parts';
import { decodeId } from '../../src/history/ids';
import { ConnectionParts } from '../common/connection';
import { connectionOf, groupPage, orNull, windowOf } from '../common/graph';
import { Principal } from '../principal/principal.type';
import { ResourceFilter, toResourceCriteria } from './resource-filter.input';
import { Resource } from './resource.type';

/** Resources for resolvers: look-ups, pages, and who touched one. */
export async function resourceSummaryOf(ctx: Context, r: Resource): Promise<ResourceSummary | null> {
  return r.summary ?? orNull(ctx.loaders.resourceSummary.load({ arn: r.arn, window: r.window }));
}

/** By ARN; null when no event in the window touched it. */
export async function resourceByArn(ctx: Context, arn: string, time: { from: Date; to: Date } | null | undefined): Promise<Resource | null> {
  if (arn === '') throw badInput('arn must not be empty', { argument: 'arn' });
  const window = windowOf(ctx, time);
  const s = await orNull(ctx.loaders.resourceSummary.load({ arn, window }));
  return s ? Resource.of(arn, window, s) : null;
}

/** node(id:): the resource in the default window. */
export async function resourceById(ctx: Context, id: string): Promise<Resource | null> {
  const { type, parts } = decodeId(id);
  if (type !== 'Resource' || parts.length !== 1) throw badInput('id: not a Resource id', { argument: 'id' });
  return resourceByArn(ctx, parts[0], undefined);
}

export async function resourceConnection(
  ctx: Context, filter: ResourceFilter | null | undefined, args: { first?: number | null; after?: string | null },
): Promise<ConnectionParts<Resource>> {
  const window = windowOf(ctx, filter?.time);
  const page = await ctx.loaders.resourcePage.load({ criteria: toResourceCriteria(filter), window, page: groupPage(ctx, args, RESOURCE_ORDER) });
  return connectionOf(page, (s) => Resource.of(s.arn, window, s));
}

export async function principalsOfResource(
  ctx: Context, r: Resource, args: { first?: number | null; after?: string | null }, parts: PrincipalParts = ALL_PRINCIPAL_PARTS,
): Promise<ConnectionParts<Principal>> {
  const page = await ctx.loaders.resourcePrincipals.load({ arn: r.arn, window: r.window, page: groupPage(ctx, args, PRINCIPAL_OF_RESOURCE_ORDER) });
  return connectionOf(page, (arn) => Principal.of(arn, r.window, null, null, parts));
}
