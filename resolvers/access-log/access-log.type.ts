import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../common/page-info.type';
import { DateTimeScalar } from '../common/scalars';

@ObjectType({ simpleResolvers: true, description: 'One GraphQL request to this server, from its access audit (--access-log).' })
export class AccessLogEntry {
  @Field(() => DateTimeScalar, { description: 'When the request arrived.' }) time!: Date;
  @Field({ description: 'The caller id ("apiKey:NAME", "jwt:ISSUER|SUBJECT", "anonymous", "unauthenticated").' }) caller!: string;
  @Field(() => String, { nullable: true }) operation!: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the document text.' }) document!: string | null;
  @Field(() => [String], { nullable: true, description: 'The accounts its statements were bounded to; null: every account (authorization off).' })
  accounts!: string[] | null;
  @Field(() => [String], { description: 'Permissions the caller was refused during the request.' }) denied!: string[];
  @Field(() => Int) statements!: number;
  @Field(() => Float) bytesScanned!: number;
  @Field(() => Float) durationMs!: number;
  @Field({ description: '"OK" or the first error\'s code.' }) outcome!: string;
}

@ObjectType({ simpleResolvers: true })
export class AccessLogEdge {
  @Field() cursor!: string;
  @Field(() => AccessLogEntry) node!: AccessLogEntry;
}

@ObjectType({ simpleResolvers: true })
export class AccessLogConnection {
  @Field(() => [AccessLogEdge]) edges!: AccessLogEdge[];
  @Field(() => [AccessLogEntry]) nodes!: AccessLogEntry[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
