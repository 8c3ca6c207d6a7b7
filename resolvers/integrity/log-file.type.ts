import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LogFileIntegrity } from '../../src/integrity/verdicts';
import { PageInfo } from '../common/page-info.type';

registerEnumType(LogFileIntegrity, {
  name: 'LogFileIntegrity',
  description: 'Whether the log file an event was read from is the one CloudTrail signed (docs/integrity.md).',
  valuesConfig: {
    VALID: { description: 'A valid digest lists the file with the SHA-256 ingest read from it.' },
    MODIFIED: { description: 'The digest records another hash: the bytes were changed after delivery.' },
    NOT_COVERED: { description: 'No digest lists the file (added after delivery, not yet covered, or validation was off).' },
    UNVERIFIED: { description: 'Not checked yet (run trailgraph verify), or its digest could not be trusted.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'The CloudTrail log file an event was read from.' })
export class LogFile {
  @Field({ description: 'Its S3 key from AWSLogs/ on.' }) key!: string;
  @Field(() => String, { nullable: true, description: 'Hex SHA-256 of its uncompressed content: as read at ingest (embedded store), or as verify read it (Athena; null before it did).' })
  sha256!: string | null;
  @Field(() => LogFileIntegrity) integrity!: LogFileIntegrity;
}

@ObjectType({ simpleResolvers: true, description: 'How many log files (or events) are in each integrity state.' })
export class IntegrityCounts {
  @Field(() => Int) valid!: number;
  @Field(() => Int) modified!: number;
  @Field(() => Int) notCovered!: number;
  @Field(() => Int) unverified!: number;
  @Field(() => Int) total!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A log file that failed verification.' })
export class LogFileFailure {
  @Field() key!: string;
  @Field() accountId!: string;
  @Field() region!: string;
  @Field({ description: "The verdict in validate-logs' words (hash value doesn't match, not found, ...)." }) verdict!: string;
  @Field(() => String, { nullable: true }) digestKey!: string | null;
  @Field(() => LogFileIntegrity, { description: 'The state of the events read from it (VALID when ingest read the signed bytes before they changed).' })
  integrity!: LogFileIntegrity;
}

@ObjectType({ simpleResolvers: true })
export class LogFileFailureConnection {
  @Field(() => [LogFileFailure]) nodes!: LogFileFailure[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ simpleResolvers: true, description: 'Where no log files were delivered: a digest chain restarts.' })
export class IntegrityGap {
  @Field() accountId!: string;
  @Field() region!: string;
  @Field() trail!: string;
  @Field() from!: string;
  @Field() to!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Log file integrity for a window, accounts and regions.' })
export class LogFileIntegrityReport {
  @Field(() => IntegrityCounts, { description: 'Stored log files delivered in the window, by state.' }) files!: IntegrityCounts;
  @Field(() => Int) digestsChecked!: number;
  @Field(() => Int) digestsInvalid!: number;
  @Field(() => [IntegrityGap]) gaps!: IntegrityGap[];
  @Field(() => LogFileFailureConnection) failures!: LogFileFailureConnection;
}
