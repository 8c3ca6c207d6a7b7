import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './scalars';

/** simpleResolvers: read off the object by GraphQL itself (see event.type.ts). */
@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@InputType({ description: 'Half-open interval [from, to).' })
export class TimeRange {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
}
