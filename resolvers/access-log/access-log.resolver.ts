import { Args, ArgsType, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import { Context } from '../../src/context';
import { AccessLogFilter } from './access-log-filter.input';
import { accessLogConnection } from './access-log.service';
import { AccessLogConnection } from './access-log.type';

@ArgsType()
export class AccessLogArgs {
  @Field(() => AccessLogFilter, { nullable: true }) filter?: AccessLogFilter | null;
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@Resolver()
export class AccessLogResolver {
  @Query(() => AccessLogConnection, {
    description: 'trailgraph\'s own access audit: one entry per GraphQL request (who, when, which\ndocument, which accounts, outcome), newest first. Needs ReadAccessLog: the\nentries whose accounts the caller holds it for.',
  })
  accessLog(@Args() args: AccessLogArgs, @Ctx() ctx: Context): Promise<AccessLogConnection> {
    return accessLogConnection(ctx, args.filter, args.first, args.after);
  }
}
