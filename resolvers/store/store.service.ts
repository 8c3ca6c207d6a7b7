import { Context } from '../../src/context';
import { storeFacts } from '../../src/history/store-facts';
import { sourceStatuses } from '../../src/history/source-status';
import { historyAccounts } from '../../src/history/accounts';
import { SourceStatus, StoreStatus } from './store.type';

function instant(text: string | null): Date | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** May the caller read every account the store holds? */
async function readsEveryAccount(ctx: Context): Promise<boolean> {
  const mine = ctx.query.scope.accounts;
  if (mine === null) return true;
  const all = await historyAccounts(ctx.store);
  return all.every((a) => mine.includes(a));
}

/** `store` for resolvers: facts within the request's scope; sources only for a caller who may read every account. */
export async function storeStatus(ctx: Context): Promise<StoreStatus> {
  const [facts, sources, everyAccount] = await Promise.all([
    storeFacts(ctx.store, ctx.query),
    sourceStatuses(ctx.store, ctx.query),
    readsEveryAccount(ctx),
  ]);
  const status = new StoreStatus();
  status.events = facts?.events ?? null;
  status.firstEventTime = instant(facts?.firstEventTime ?? null);
  status.lastEventTime = instant(facts?.lastEventTime ?? null);
  status.accounts = facts?.accounts ?? [];
  status.regions = facts?.regions ?? [];
  // A source's objects span accounts: its details are for a caller who may read every account.
  status.sources = !everyAccount ? [] : sources.map((s) => Object.assign(new SourceStatus(), {
    uri: s.source, lastPoll: s.lastPoll, lastIngest: s.lastIngest, objectsRead: s.objectsRead, newestObject: s.newestKey,
    newestObjectTime: s.newestModified, lagSeconds: s.lagMs === null ? null : s.lagMs / 1000, lastError: s.lastError,
  }));
  const ingests = sources.map((s) => s.lastIngest).filter((d): d is Date => d !== null);
  status.lastIngest = ingests.length ? new Date(Math.max(...ingests.map((d) => d.getTime()))) : null;
  return status;
}
