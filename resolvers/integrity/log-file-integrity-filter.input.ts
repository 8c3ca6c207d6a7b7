import { Field, InputType } from 'type-graphql';
import { TimeRange } from '../common/page-info.type';

@InputType({ description: 'Which log files a logFileIntegrity report covers: delivered in the window (default: the configured default window), in these accounts and regions (always within the caller\'s).' })
export class LogFileIntegrityFilter {
  @Field(() => TimeRange, { nullable: true }) time?: TimeRange;
  @Field(() => [String], { nullable: true }) accountIds?: string[];
  @Field(() => [String], { nullable: true }) regions?: string[];
}
