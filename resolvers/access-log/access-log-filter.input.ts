import { Field, InputType } from 'type-graphql';
import { TimeRange } from '../common/page-info.type';

@InputType({ description: 'Which access audit lines to read; every list is OR within, AND across.' })
export class AccessLogFilter {
  @Field(() => [String], { nullable: true, description: 'Caller ids.' }) callers?: string[] | null;
  @Field(() => TimeRange, { nullable: true, description: 'Default: the default window ending now.' }) time?: TimeRange | null;
  @Field(() => [String], { nullable: true, description: 'Outcome codes ("OK", "FORBIDDEN", ...).' }) outcomes?: string[] | null;
}
