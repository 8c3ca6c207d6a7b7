import { Field, InputType } from 'type-graphql';
import { ResourceCriteria } from '../../src/history/graph/resources';
import { TimeRange } from '../common/page-info.type';

@InputType()
export class ResourceFilter {
  @Field(() => TimeRange, { nullable: true }) time?: TimeRange | null;
  @Field(() => [String], { nullable: true, description: 'Accounts whose trails recorded the events.' }) accountIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Resource types, e.g. AWS::S3::Bucket.' }) types?: string[] | null;
  @Field(() => String, { nullable: true }) arnPrefix?: string | null;
}

export function toResourceCriteria(f: ResourceFilter | null | undefined): ResourceCriteria {
  return { accountIds: f?.accountIds ?? undefined, types: f?.types ?? undefined, arnPrefix: f?.arnPrefix || undefined };
}
