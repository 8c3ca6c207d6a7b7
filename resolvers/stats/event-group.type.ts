import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars';

@ObjectType({ simpleResolvers: true, description: 'How many events share these keys (and time bucket).' })
export class EventGroup {
  @Field(() => [String], {
    nullable: 'items',
    description: 'One value per groupBy dimension, in the order asked; null where the\nfield is absent.',
  })
  keys!: (string | null)[];

  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of the time bucket, when one was asked.' })
  bucketStart!: Date | null;

  @Field(() => Int)
  count!: number;
}
