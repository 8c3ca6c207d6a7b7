import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { badInput } from '../../src/errors';
import { parseRef } from '../../src/history/graph/session-ref';
import { SortOrder } from '../common/enums';
import { EventFilter } from '../event/event-filter.input';
import { eventConnection } from '../event/event.service';
import { eventsProjection } from '../event/event-selection';
import { EventConnection } from '../event/event.type';
import { Principal } from '../principal/principal.type';
import { Session } from '../session/session.type';
import { DetectionRuleType } from './detection-rule.type';
import { detectionsIn } from './detection.service';
import { Detection } from './detection.type';

@ArgsType()
export class DetectionsArgs {
  @Field(() => EventFilter, { nullable: true, description: 'The events the rules run over (time: the window; default the configured window).' })
  filter?: EventFilter | null;
  @Field(() => [ID], { nullable: true, description: 'Only these rules.' }) ruleIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Only rules of these levels (low, medium, high, critical, ...).' }) levels?: string[] | null;
}

@ArgsType()
export class DetectionEventsArgs {
  @Field(() => Int, { nullable: true }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => Int, { nullable: true }) last?: number;
  @Field(() => String, { nullable: true }) before?: string;
  @Field(() => SortOrder, { nullable: true, defaultValue: SortOrder.DESC }) order?: SortOrder | null;
}

/** Most principals or sessions listed per detection. */
export const MAX_DETECTION_GROUPS = 100;

function perRule(first: number | null | undefined): number {
  const n = first ?? 10;
  if (!Number.isInteger(n) || n < 1 || n > MAX_DETECTION_GROUPS) throw badInput(`first must be between 1 and ${MAX_DETECTION_GROUPS}`, { argument: 'first' });
  return n;
}

@Resolver(() => Detection)
export class DetectionResolver {
  @Query(() => [DetectionRuleType], { description: 'Every detection rule the server loaded, supported or not (with the reason).' })
  detectionRules(@Arg('supported', () => Boolean, { nullable: true }) supported: boolean | null, @Ctx() ctx: Context): DetectionRuleType[] {
    return ctx.detections.rules.filter((r) => supported === null || supported === undefined || r.supported === supported).map(DetectionRuleType.of);
  }

  @Query(() => [Detection], {
    description:
      'The rules that matched in the window, most matches first: counts, first and last\ntime, principals, sessions and events. All rules run in one statement; a rule\nruns only over the accounts where the caller may read the fields it reads.',
  })
  detections(@Args() args: DetectionsArgs, @Ctx() ctx: Context): Promise<Detection[]> {
    return detectionsIn(ctx, args);
  }

  @FieldResolver(() => [Principal], { description: 'The principals with the most matched events (one statement for every detection of the query).' })
  async principals(@Root() d: Detection, @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number | null, @Ctx() ctx: Context): Promise<Principal[]> {
    const rows = await ctx.loaders.detectionGroups.load({ kind: 'principal', rule: d.ruleIndex, perRule: perRule(first), query: d.query, rulesKey: d.rulesKey });
    return rows.map((r) => Principal.of(r.key, d.window));
  }

  @FieldResolver(() => [Session], { description: 'The sessions with the most matched events (one statement for every detection of the query).' })
  async sessions(@Root() d: Detection, @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number | null, @Ctx() ctx: Context): Promise<Session[]> {
    const rows = await ctx.loaders.detectionGroups.load({ kind: 'session', rule: d.ruleIndex, perRule: perRule(first), query: d.query, rulesKey: d.rulesKey });
    return rows.map((r) => Session.of(parseRef(r.key), d.window, false));
  }

  @FieldResolver(() => EventConnection, { description: 'The matched events, newest first by default.' })
  async events(@Root() d: Detection, @Args() args: DetectionEventsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<EventConnection> {
    const rule = d.query.rules.find((r) => r.index === d.ruleIndex);
    const criteria = { ...d.criteria, detectionRuleIds: [d.rule.id], detectionRules: rule ? [rule.predicate] : [] };
    return eventConnection(ctx, criteria, d.window, args, args.order ?? SortOrder.DESC, eventsProjection(info));
  }
}
