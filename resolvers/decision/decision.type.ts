import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../common/page-info.type';
import { AuthorizationDecision } from '../event/authorization-decision.type';

@ObjectType({ simpleResolvers: true })
export class AuthorizationDecisionEdge {
  @Field() cursor!: string;
  @Field(() => AuthorizationDecision) node!: AuthorizationDecision;
}

@ObjectType({ simpleResolvers: true })
export class AuthorizationDecisionConnection {
  @Field(() => [AuthorizationDecisionEdge]) edges!: AuthorizationDecisionEdge[];
  @Field(() => [AuthorizationDecision]) nodes!: AuthorizationDecision[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
