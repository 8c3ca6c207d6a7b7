import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { SortOrder } from '../common/enums';
import { EventFilter, toCriteria } from './event-filter.input';
import { eventById, eventConnection } from './event.service';
import { eventsProjection } from './event-selection';
import { EventConnection, Event } from './event.type';

@ArgsType()
export class EventsArgs {
  @Field(() => EventFilter, { nullable: true }) filter?: EventFilter;
  @Field(() => Int, { nullable: true }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => Int, { nullable: true }) last?: number;
  @Field(() => String, { nullable: true }) before?: string;
  @Field(() => SortOrder, { nullable: true, defaultValue: SortOrder.DESC }) order?: SortOrder | null;
}

@Resolver(() => Event)
export class EventResolver {
  @Query(() => EventConnection)
  events(@Args() args: EventsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    return eventConnection(ctx, toCriteria(args.filter), args.filter?.time, args, args.order ?? SortOrder.DESC, eventsProjection(info));
  }

  @Query(() => Event, { nullable: true })
  event(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Event | null> {
    return eventById(ctx, id);
  }
}
