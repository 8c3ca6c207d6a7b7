import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars';

@ObjectType({ simpleResolvers: true, description: 'A source the store reads log files from (ingest, or the server following it), and how it keeps up.' })
export class SourceStatus {
  @Field({ description: 's3://BUCKET/PREFIX/, or the local path.' })
  uri!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was last listed.' })
  lastPoll!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When objects of it were last committed to the store.' })
  lastIngest!: Date | null;

  @Field(() => Int, { description: 'Objects (log files) read from it.' })
  objectsRead!: number;

  @Field(() => String, { nullable: true, description: 'Key of the newest object read (by delivery time).' })
  newestObject!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Delivery time (S3 LastModified, or mtime) of the newest object read.' })
  newestObjectTime!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Seconds from the delivery of the newest object of the last batch to its events being queryable.' })
  lagSeconds!: number | null;

  @Field(() => String, { nullable: true, description: 'The last poll\'s error (the source could not be listed, or objects failed and will be tried again); null when it went well.' })
  lastError!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'What the store holds, within the accounts the caller may read.' })
export class StoreStatus {
  @Field(() => Float, { nullable: true, description: 'Events held (null on Athena, where counting would scan the whole trail).' })
  events!: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  firstEventTime!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastEventTime!: Date | null;

  @Field(() => [String])
  accounts!: string[];

  @Field(() => [String])
  regions!: string[];

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last ingest from any source committed events.' })
  lastIngest!: Date | null;

  @Field(() => [SourceStatus], { description: 'The sources read; listed only for callers who may read every account (a source spans accounts).' })
  sources!: SourceStatus[];
}
