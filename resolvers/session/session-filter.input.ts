import { Field, InputType } from 'type-graphql';
import { SessionCriteria } from '../../src/history/graph/sessions';
import { TimeRange } from '../common/page-info.type';
import { SessionKind } from './session-kind.enum';

@InputType()
export class SessionFilter {
  @Field(() => TimeRange, { nullable: true }) time?: TimeRange | null;
  @Field(() => [String], { nullable: true, description: 'Accounts whose trails recorded the events.' }) accountIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Canonical principal ARNs; an sts assumed-role ARN matches that role session.' })
  principalArns?: string[] | null;
  @Field(() => [SessionKind], { nullable: true }) kinds?: SessionKind[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Only sessions with at least one failed call.' }) hasError?: boolean | null;
  @Field(() => Boolean, { nullable: true }) mfaAuthenticated?: boolean | null;
}

export function toSessionCriteria(f: SessionFilter | null | undefined): SessionCriteria {
  const nn = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
  return {
    accountIds: nn(f?.accountIds),
    principalArns: nn(f?.principalArns),
    kinds: nn(f?.kinds),
    hasError: nn(f?.hasError),
    mfaAuthenticated: nn(f?.mfaAuthenticated),
  };
}
