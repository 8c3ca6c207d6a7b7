import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars';

export enum Decision {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
}
registerEnumType(Decision, { name: 'Decision' });

@ObjectType({ simpleResolvers: true })
export class AuthorizationDecision {
  @Field(() => Decision) decision!: Decision;
  @Field(() => String, { nullable: true, description: 'Cedar-style entity references, e.g. HeroApp::User::"alice".' })
  principal!: string | null;
  @Field(() => String, { nullable: true }) action!: string | null;
  @Field(() => String, { nullable: true }) resource!: string | null;
  @Field(() => String, { nullable: true }) policyStoreId!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) decidedAt!: Date | null;
}
