import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { Event } from '../event/event.type';
import { LogFileIntegrityFilter } from './log-file-integrity-filter.input';
import { IntegrityCounts, LogFile, LogFileIntegrityReport } from './log-file.type';
import { countsOf, integrityState, logFileIntegrity } from './integrity.service';
import { Session } from '../session/session.type';
import { Principal } from '../principal/principal.type';
import { refText } from '../../src/history/graph/session-ref';
import { EventGroupKey } from '../../src/integrity/integrity-sql';

async function eventCounts(ctx: Context, key: EventGroupKey): Promise<IntegrityCounts | null> {
  const byState = await ctx.loaders.eventIntegrity.load(key);
  return byState ? countsOf([...byState].map(([integrity, events]) => ({ integrity, events })), 'events') : null;
}

const COUNTS_DESCRIPTION = 'How many of its events (in the window) come from log files in each integrity state; null where the store keeps no integrity evidence (Athena).';

@Resolver(() => Session)
export class SessionIntegrityResolver {
  @FieldResolver(() => IntegrityCounts, { nullable: true, description: COUNTS_DESCRIPTION })
  integrity(@Root() s: Session, @Ctx() ctx: Context): Promise<IntegrityCounts | null> {
    return eventCounts(ctx, { kind: 'session', ident: refText(s.ref), window: s.window });
  }
}

@Resolver(() => Principal)
export class PrincipalIntegrityResolver {
  @FieldResolver(() => IntegrityCounts, { nullable: true, description: COUNTS_DESCRIPTION })
  integrity(@Root() p: Principal, @Ctx() ctx: Context): Promise<IntegrityCounts | null> {
    return eventCounts(ctx, { kind: 'principal', ident: p.arn, window: p.window });
  }
}

@Resolver()
export class IntegrityResolver {
  @Query(() => LogFileIntegrityReport, {
    description: 'CloudTrail log file integrity (trailgraph verify) for a window of deliveries, within the caller\'s accounts: files by state, digests checked, gaps, and the files that fail, a page at a time.',
  })
  logFileIntegrity(
    @Ctx() ctx: Context,
    @Arg('filter', () => LogFileIntegrityFilter, { nullable: true }) filter?: LogFileIntegrityFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<LogFileIntegrityReport> {
    return logFileIntegrity(ctx, filter, first, after);
  }
}

@Resolver(() => Event)
export class EventLogFileResolver {
  @FieldResolver(() => LogFile, { nullable: true, description: 'The log file this event was read from, and whether it is verified (null: not known, e.g. on Athena or before this store remembered files).' })
  async logFile(@Root() e: Event, @Ctx() ctx: Context): Promise<LogFile | null> {
    const f = await ctx.loaders.logFileOfEvent.load(e.stored.key);
    return f ? { key: f.key, sha256: f.sha256, integrity: integrityState(f.integrity) } : null;
  }
}
