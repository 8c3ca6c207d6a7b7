import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { SessionFilter } from './session-filter.input';
import { sessionNodePartsOf, sessionPartsOf } from './session-selection';
import { sessionById, sessionConnection } from './session.service';
import { Session, SessionConnection } from './session.type';

@ArgsType()
export class SessionsArgs {
  @Field(() => SessionFilter, { nullable: true }) filter?: SessionFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver(() => Session)
export class SessionResolver {
  @Query(() => Session, { nullable: true, description: "A session by id: its whole life (the id carries its start)." })
  session(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Session | null> {
    return sessionById(ctx, id, sessionPartsOf(info));
  }

  @Query(() => SessionConnection, { description: 'Sessions active in the window, newest first.' })
  sessions(@Args() args: SessionsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<SessionConnection> {
    return sessionConnection(ctx, args.filter, args, sessionNodePartsOf(info));
  }
}
