import { Ctx, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { StoreStatus } from './store.type';
import { storeStatus } from './store.service';

@Resolver()
export class StoreResolver {
  @Query(() => StoreStatus, { description: 'What the store holds (events, time range, accounts, regions) within the\naccounts the caller may read, and the sources it reads and how they keep up.' })
  store(@Ctx() ctx: Context): Promise<StoreStatus> {
    return storeStatus(ctx);
  }
}
