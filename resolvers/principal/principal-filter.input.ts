import { Field, InputType } from 'type-graphql';
import { identityTypeToCloudTrail } from '../../src/cloudtrail/identity-type';
import { PrincipalCriteria } from '../../src/history/graph/principals';
import { IdentityType } from '../common/enums';
import { TimeRange } from '../common/page-info.type';

@InputType()
export class PrincipalFilter {
  @Field(() => TimeRange, { nullable: true }) time?: TimeRange | null;
  @Field(() => [String], { nullable: true, description: 'Accounts whose trails recorded the events.' }) accountIds?: string[] | null;
  @Field(() => [IdentityType], { nullable: true }) identityTypes?: IdentityType[] | null;
  @Field(() => String, { nullable: true }) arnPrefix?: string | null;
}

export function toPrincipalCriteria(f: PrincipalFilter | null | undefined): PrincipalCriteria {
  return {
    accountIds: f?.accountIds ?? undefined,
    identityTypes: f?.identityTypes?.map(identityTypeToCloudTrail),
    arnPrefix: f?.arnPrefix || undefined,
  };
}
