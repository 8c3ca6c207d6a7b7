import DataLoader from 'dataloader';
import { GraphEvent } from '../history/graph/graph-events';
import { Cursored, parentEvents, principalsOfResources, resourcePage, resourceSummaries } from '../history/graph/graph-store';
import { GroupPage } from '../history/graph/keyset';
import { ResourceCriteria } from '../history/graph/resources';
import { ResourceSummary } from '../history/graph/summaries';
import { Page } from '../history/page';
import { HistoryStore, QueryContext } from '../history/store';
import { TimeWindow } from '../history/window';
import { groupedLoader, keyText, without } from './graph-batch';
import { NotFoundError } from './not-found';
import { ParentEventsKey } from './principal.loaders';

export interface ResourceKey {
  arn: string;
  window: TimeWindow;
}

export interface ResourceLoaders {
  /** NotFoundError where no event in the window touched it. */
  resourceSummary: DataLoader<ResourceKey, ResourceSummary, string>;
  resourceEvents: DataLoader<ParentEventsKey, Page<GraphEvent>, string>;
  /** Principal ARNs of who touched it. */
  resourcePrincipals: DataLoader<ResourceKey & { page: GroupPage }, Page<Cursored<string>>, string>;
  resourcePage: DataLoader<{ criteria: ResourceCriteria; window: TimeWindow; page: GroupPage }, Page<Cursored<ResourceSummary>>, string>;
}

export function resourceLoaders(store: HistoryStore, ctx: QueryContext): ResourceLoaders {
  return {
    resourceSummary: groupedLoader<ResourceKey, ResourceSummary>({
      group: (k) => without(k, 'arn'),
      cacheKey: keyText,
      run: async (keys) => {
        const found = await resourceSummaries(store, [...new Set(keys.map((k) => k.arn))], keys[0].window, ctx);
        return keys.map((k) => found.get(k.arn) ?? new NotFoundError(k.arn));
      },
    }),
    resourceEvents: groupedLoader<ParentEventsKey, Page<GraphEvent>>({
      group: (k) => without(k, 'parent'),
      cacheKey: keyText,
      run: (keys) => parentEvents(store, { ...keys[0], kind: 'resource', parents: keys.map((k) => k.parent), scope: ctx.scope }, ctx),
    }),
    resourcePrincipals: groupedLoader<ResourceKey & { page: GroupPage }, Page<Cursored<string>>>({
      group: (k) => without(k, 'arn'),
      cacheKey: keyText,
      run: (keys) => principalsOfResources(store, keys.map((k) => k.arn), keys[0].window, keys[0].page, ctx),
    }),
    resourcePage: new DataLoader<{ criteria: ResourceCriteria; window: TimeWindow; page: GroupPage }, Page<Cursored<ResourceSummary>>, string>(
      (keys) => Promise.all(keys.map((k) => resourcePage(store, k.criteria, k.window, k.page, ctx).catch((e: Error) => e))),
      { cacheKeyFn: keyText },
    ),
  };
}
