import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Context } from '../../src/context';
import { Event } from '../event/event.type';
import { LogFileIntegrityFilter } from './log-file-integrity-filter.input';
import { LogFile, LogFileIntegrityReport } from './log-file.type';
import { integrityState, logFileIntegrity } from './integrity.service';

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
    const f = await ctx.loaders.logFileOfEvent.load(e.stored.key.eventId);
    return f ? { key: f.key, sha256: f.sha256, integrity: integrityState(f.integrity) } : null;
  }
}
