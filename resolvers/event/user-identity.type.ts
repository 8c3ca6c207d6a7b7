import { Field, ObjectType } from 'type-graphql';
import { IdentityType } from '../common/enums';
import { DateTimeScalar } from '../common/scalars';

@ObjectType({ simpleResolvers: true })
export class TlsDetails {
  @Field(() => String, { nullable: true }) tlsVersion!: string | null;
  @Field(() => String, { nullable: true }) cipherSuite!: string | null;
  @Field(() => String, { nullable: true }) clientProvidedHostHeader!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class SessionIssuer {
  @Field(() => String, { nullable: true }) type!: string | null;
  @Field(() => String, { nullable: true }) principalId!: string | null;
  @Field(() => String, { nullable: true }) arn!: string | null;
  @Field(() => String, { nullable: true }) accountId!: string | null;
  @Field(() => String, { nullable: true }) userName!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class OnBehalfOf {
  @Field(() => String, { nullable: true }) userId!: string | null;
  @Field(() => String, { nullable: true }) identityStoreArn!: string | null;
}

@ObjectType({ description: "CloudTrail's userIdentity, as recorded.", simpleResolvers: true })
export class UserIdentity {
  @Field(() => IdentityType) type!: IdentityType;
  @Field(() => String, { nullable: true }) principalId!: string | null;
  @Field(() => String, { nullable: true }) arn!: string | null;
  @Field(() => String, { nullable: true }) accountId!: string | null;
  @Field(() => String, { nullable: true }) accessKeyId!: string | null;
  @Field(() => String, { nullable: true }) userName!: string | null;
  @Field(() => String, { nullable: true }) invokedBy!: string | null;
  @Field(() => SessionIssuer, { nullable: true }) sessionIssuer!: SessionIssuer | null;
  @Field(() => Boolean, { nullable: true }) mfaAuthenticated!: boolean | null;
  @Field(() => DateTimeScalar, { nullable: true }) sessionCreatedAt!: Date | null;
  @Field(() => String, { nullable: true }) sourceIdentity!: string | null;
  @Field(() => OnBehalfOf, { nullable: true }) onBehalfOf!: OnBehalfOf | null;
  @Field(() => String, { nullable: true }) credentialId!: string | null;
}
