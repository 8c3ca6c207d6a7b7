import { Sql, arrayOf, sql, trusted } from '../sql/sql';

/**
 * The resource derivation of docs/derivations.md (the principal and session
 * ones are in ../derive.ts): what a row touches, as SQL over the table.
 *
 * Each entry is the text `OTYPE|ACCOUNT|ARN`: O is the origin, one
 * character, `R` for an ARN of `resources[]` and `D` for one derived from
 * the payload (requestParameters, responseElements, serviceEventDetails).
 * The touches keep the origin (resource_origin), so that what a caller may
 * not read of payloads it may not reach through derived resources either.
 */
const UI = 'useridentity';
const NN = (expr: string) => `NULLIF(${expr}, '')`;

const RP = (path: string) => `json_extract_scalar(requestparameters, '${path}')`;
const RE = (path: string) => `json_extract_scalar(responseelements, '${path}')`;
const ACCOUNT = `coalesce(recipientaccountid, ${UI}.accountid)`;
const REGION = 'awsregion';
const entry = (type: string, account: string, arn: string) => `'D${type}|' || ${account} || '|' || ${arn}`;
/** `value` when it is an ARN, else `built` (an expression over the same value). */
const arnOr = (value: string, built: string) => `(CASE WHEN ${value} LIKE 'arn:%' THEN ${value} ELSE ${built} END)`;
/** An ARN written in the payload (only when it is one: an object or a name is not). */
const arnAt = (expr: string, like = 'arn:%') => `(CASE WHEN ${expr} LIKE '${like}' THEN ${expr} END)`;
/** arn:aws:SERVICE:REGION:ACCOUNT:<rest> (a NULL part gives NULL). */
const regional = (service: string, rest: string, account = ACCOUNT) => `'arn:aws:${service}:' || ${REGION} || ':' || ${account} || ':${rest}`;

/** Trails: `name` in the calls on one trail, `trailName` in its selector calls; trailARN in some responses. */
const TRAIL_CALLS = ['CreateTrail', 'DeleteTrail', 'UpdateTrail', 'StartLogging', 'StopLogging', 'GetTrail', 'GetTrailStatus'];
const TRAIL_NAME = `(CASE WHEN eventname IN (${TRAIL_CALLS.map((n) => `'${n}'`).join(', ')}) THEN ${NN(RP('$.name'))} ELSE ${NN(RP('$.trailName'))} END)`;
/** SSM parameters: `name` in the calls on one parameter (documents use `name` too). */
const PARAMETER_CALLS = ['GetParameter', 'PutParameter', 'DeleteParameter', 'GetParameterHistory', 'LabelParameterVersion', 'UnlabelParameterVersion'];
const PARAMETER = NN(RP('$.name'));
/** SQS: https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (the queue's owner and name are the path). */
const QUEUE_URL = `coalesce(${NN(RP('$.queueUrl'))}, ${NN(RE('$.queueUrl'))})`;
const TASK_DEFINITION = NN(RP('$.taskDefinition'));

/**
 * The resources a call names only in its payload, by event source: an array
 * of entries (NULL elements where a rule finds nothing; one NULL element for
 * other sources). See docs/derivations.md.
 */
const S3_BUCKET = NN(RP('$.bucketName'));
export const DERIVED_RESOURCES: Sql = trusted(`(CASE eventsource
  WHEN 's3.amazonaws.com' THEN ARRAY[
    ${entry('AWS::S3::Bucket', "''", `'arn:aws:s3:::' || ${S3_BUCKET}`)},
    ${entry('AWS::S3::Object', "''", `'arn:aws:s3:::' || ${S3_BUCKET} || '/' || ${NN(RP('$.key'))}`)}]
  WHEN 'iam.amazonaws.com' THEN ARRAY[
    ${entry('AWS::IAM::Role', ACCOUNT, `coalesce(${NN(RE('$.role.arn'))}, 'arn:aws:iam::' || ${ACCOUNT} || ':role/' || ${NN(RP('$.roleName'))})`)},
    ${entry('AWS::IAM::User', ACCOUNT, `'arn:aws:iam::' || ${ACCOUNT} || ':user/' || ${NN(RP('$.userName'))}`)},
    ${entry('AWS::IAM::Policy', "''", NN(RP('$.policyArn')))}]
  WHEN 'lambda.amazonaws.com' THEN ARRAY[${entry('AWS::Lambda::Function', ACCOUNT,
    `(CASE WHEN ${RP('$.functionName')} LIKE 'arn:%' THEN ${RP('$.functionName')} ELSE 'arn:aws:lambda:' || awsregion || ':' || ${ACCOUNT} || ':function:' || ${NN(RP('$.functionName'))} END)`)}]
  WHEN 'ec2.amazonaws.com' THEN ARRAY[
    ${entry('AWS::EC2::Instance', ACCOUNT, regional('ec2', "instance/' || " + `coalesce(${NN(RP('$.instanceId'))}, ${NN(RP('$.instancesSet.items[0].instanceId'))}, ${NN(RE('$.instancesSet.items[0].instanceId'))})`))},
    ${entry('AWS::EC2::Snapshot', ACCOUNT, `'arn:aws:ec2:' || ${REGION} || '::snapshot/' || coalesce(${NN(RP('$.snapshotId'))}, ${NN(RE('$.snapshotId'))}, ${NN(`json_extract_scalar(serviceeventdetails, '$.snapshotId')`)})`)},
    ${entry('AWS::EC2::Volume', ACCOUNT, regional('ec2', "volume/' || " + `coalesce(${NN(RP('$.volumeId'))}, ${NN(RE('$.volumeId'))})`))},
    ${entry('AWS::EC2::SecurityGroup', ACCOUNT, regional('ec2', "security-group/' || " + `coalesce(${arnAt(RP('$.groupId'), 'sg-%')}, CASE WHEN eventname = 'CreateSecurityGroup' THEN ${NN(RE('$.groupId'))} END)`))},
    ${entry('AWS::EC2::Image', ACCOUNT, `'arn:aws:ec2:' || ${REGION} || '::image/' || coalesce(${NN(RP('$.imageId'))}, ${NN(RE('$.imageId'))}, ${NN(RP('$.instancesSet.items[0].imageId'))})`)},
    ${entry('AWS::EC2::KeyPair', ACCOUNT, regional('ec2', "key-pair/' || " + NN(RP('$.keyName'))))}]
  WHEN 'kms.amazonaws.com' THEN ARRAY[(CASE
    WHEN ${RP('$.keyId')} LIKE 'arn:%:alias/%' THEN ${entry('AWS::KMS::Alias', ACCOUNT, RP('$.keyId'))}
    WHEN ${RP('$.keyId')} LIKE 'arn:%' THEN ${entry('AWS::KMS::Key', ACCOUNT, RP('$.keyId'))}
    WHEN ${RP('$.keyId')} LIKE 'alias/%' THEN ${entry('AWS::KMS::Alias', ACCOUNT, `'arn:aws:kms:' || awsregion || ':' || ${ACCOUNT} || ':' || ${RP('$.keyId')}`)}
    ELSE ${entry('AWS::KMS::Key', ACCOUNT, `'arn:aws:kms:' || awsregion || ':' || ${ACCOUNT} || ':key/' || ${NN(RP('$.keyId'))}`)}
  END)]
  WHEN 'verifiedpermissions.amazonaws.com' THEN ARRAY[${entry('AWS::VerifiedPermissions::PolicyStore', ACCOUNT,
    `'arn:aws:verifiedpermissions::' || ${ACCOUNT} || ':policy-store/' || ${NN(RP('$.policyStoreId'))}`)}]
  WHEN 'secretsmanager.amazonaws.com' THEN ARRAY[${entry('AWS::SecretsManager::Secret', ACCOUNT,
    `coalesce(${arnAt(RE('$.arn'))}, ${arnOr(NN(RP('$.secretId')), regional('secretsmanager', "secret:' || " + NN(RP('$.secretId'))))})`)}]
  WHEN 'cloudtrail.amazonaws.com' THEN ARRAY[${entry('AWS::CloudTrail::Trail', ACCOUNT,
    `coalesce(${arnAt(RE('$.trailARN'))}, ${arnOr(TRAIL_NAME, regional('cloudtrail', "trail/' || " + TRAIL_NAME))})`)}]
  WHEN 'sns.amazonaws.com' THEN ARRAY[${entry('AWS::SNS::Topic', ACCOUNT, `coalesce(${arnAt(RP('$.topicArn'))}, ${arnAt(RE('$.topicArn'))})`)}]
  WHEN 'sqs.amazonaws.com' THEN ARRAY[${entry('AWS::SQS::Queue', ACCOUNT,
    `'arn:aws:sqs:' || ${REGION} || ':' || ${NN(`split_part(${QUEUE_URL}, '/', 4)`)} || ':' || ${NN(`split_part(${QUEUE_URL}, '/', 5)`)}`)}]
  WHEN 'dynamodb.amazonaws.com' THEN ARRAY[${entry('AWS::DynamoDB::Table', ACCOUNT, arnOr(NN(RP('$.tableName')), regional('dynamodb', "table/' || " + NN(RP('$.tableName')))))}]
  WHEN 'rds.amazonaws.com' THEN ARRAY[
    ${entry('AWS::RDS::DBInstance', ACCOUNT, `coalesce(${arnAt(RE('$.dBInstanceArn'))}, ${arnOr(NN(RP('$.dBInstanceIdentifier')), regional('rds', "db:' || " + `lower(${NN(RP('$.dBInstanceIdentifier'))})`))})`)},
    ${entry('AWS::RDS::DBCluster', ACCOUNT, `coalesce(${arnAt(RE('$.dBClusterArn'))}, ${arnOr(NN(RP('$.dBClusterIdentifier')), regional('rds', "cluster:' || " + `lower(${NN(RP('$.dBClusterIdentifier'))})`))})`)}]
  WHEN 'ecr.amazonaws.com' THEN ARRAY[${entry('AWS::ECR::Repository', ACCOUNT,
    `coalesce(${arnAt(RE('$.repository.repositoryArn'))}, ${regional('ecr', "repository/' || " + NN(RP('$.repositoryName')), `coalesce(${NN(RP('$.registryId'))}, ${ACCOUNT})`)})`)}]
  WHEN 'ecs.amazonaws.com' THEN ARRAY[
    ${entry('AWS::ECS::Cluster', ACCOUNT, `coalesce(${arnAt(RE('$.cluster.clusterArn'))}, ${arnOr(`coalesce(${NN(RP('$.cluster'))}, ${NN(RP('$.clusterName'))})`, regional('ecs', "cluster/' || " + `coalesce(${NN(RP('$.cluster'))}, ${NN(RP('$.clusterName'))})`))})`)},
    ${entry('AWS::ECS::TaskDefinition', ACCOUNT, `coalesce(${arnAt(RE('$.taskDefinition.taskDefinitionArn'))}, CASE WHEN ${TASK_DEFINITION} LIKE 'arn:%' THEN ${TASK_DEFINITION} WHEN ${TASK_DEFINITION} LIKE '%:%' THEN ${regional('ecs', "task-definition/' || " + TASK_DEFINITION)} END)`)}]
  WHEN 'cloudformation.amazonaws.com' THEN ARRAY[${entry('AWS::CloudFormation::Stack', ACCOUNT,
    `coalesce(${arnAt(RE('$.stackId'))}, ${arnOr(NN(RP('$.stackName')), regional('cloudformation', "stack/' || " + NN(RP('$.stackName'))))})`)}]
  WHEN 'ssm.amazonaws.com' THEN ARRAY[(CASE WHEN eventname IN (${PARAMETER_CALLS.map((n) => `'${n}'`).join(', ')}) THEN ${entry('AWS::SSM::Parameter', ACCOUNT,
    arnOr(PARAMETER, regional('ssm', "parameter/' || " + `(CASE WHEN ${PARAMETER} LIKE '/%' THEN substr(${PARAMETER}, 2) ELSE ${PARAMETER} END)`)))} END)]
  WHEN 'guardduty.amazonaws.com' THEN ARRAY[${entry('AWS::GuardDuty::Detector', ACCOUNT,
    regional('guardduty', "detector/' || " + `coalesce(${NN(RP('$.detectorId'))}, ${NN(RE('$.detectorId'))})`))}]
  WHEN 'organizations.amazonaws.com' THEN ARRAY[
    ${entry('AWS::Organizations::Account', ACCOUNT, arnAt(RE('$.account.arn')))},
    ${entry('AWS::Organizations::Policy', ACCOUNT, `coalesce(${arnAt(RE('$.policy.policySummary.arn'))},
      CASE WHEN ${RP('$.policyId')} IN ('p-FullAWSAccess', 'p-RCPFullAWSAccess') THEN 'arn:aws:organizations::aws:policy/' || (CASE ${RP('$.policyId')} WHEN 'p-FullAWSAccess' THEN 'service_control_policy/' ELSE 'resource_control_policy/' END) || ${RP('$.policyId')} END)`)},
    ${entry('AWS::Organizations::OrganizationalUnit', ACCOUNT, arnAt(RE('$.organizationalUnit.arn')))}]
  ELSE ARRAY[CAST(NULL AS VARCHAR)]
END)`);

const NAMED = `transform(resources, r -> 'R' || coalesce(r.type, '') || '|' || coalesce(r.accountid, '') || '|' || NULLIF(r.arn, ''))`;

/**
 * Every resource a row touches, as an array of entries (resources[] first,
 * then the derived ones), given DERIVED_RESOURCES as `derived` (a column of
 * an inner select, so that the large expression is planned once). It may
 * hold NULLs and the same ARN twice: unnest it, drop NULLs, and group per
 * event.
 */
export function resourceEntries(derived: Sql): Sql {
  return sql`(CASE WHEN resources IS NULL THEN ${derived} ELSE ${trusted(NAMED)} || ${derived} END)`;
}

/**
 * resourceEntries without its NULLs, for `CROSS JOIN UNNEST(e.entries)`.
 * Unnest a column of the inner select, and put no filter on the unnested
 * rows but isAnyOfSet: DuckDB runs such an unnest as a plain projection, and
 * any other filter on the unnested rows (entry IS NOT NULL, rarn IN (...),
 * a function inside UNNEST) makes it a lateral join (a delim join that
 * hashes every row back to its event: 2-3x the time of the whole statement).
 */
export function presentEntries(derived: Sql, arnPrefix?: string): Sql {
  // A prefix is tested here, on each element, for the same reason.
  const prefix = arnPrefix ? sql` AND substr(${trusted(entryArnOf('x'))}, 1, ${arnPrefix.length}) = ${arnPrefix}` : trusted('');
  return sql`filter(${resourceEntries(derived)}, x -> x IS NOT NULL${prefix})`;
}

/** The parts of one entry (a column or lambda variable named `name`), found with strpos (no splitting into arrays). */
const firstBar = (name: string) => `strpos(${name}, '|')`;
const secondBar = (name: string) => `(${firstBar(name)} + strpos(substr(${name}, ${firstBar(name)} + 1), '|'))`;
const entryArnOf = (name: string) => `substr(${name}, ${secondBar(name)} + 1)`;
/** The origin letter: R (resources[]) or D (derived from the payload). */
export const ENTRY_ORIGIN: Sql = trusted(`substr(entry, 1, 1)`);
export const ENTRY_TYPE: Sql = trusted(`substr(entry, 2, ${firstBar('entry')} - 2)`);
export const ENTRY_ACCOUNT: Sql = trusted(`substr(entry, ${firstBar('entry')} + 1, ${secondBar('entry')} - ${firstBar('entry')} - 1)`);
/** Of the unnested column `entry`. */
export const ENTRY_ARN: Sql = trusted(entryArnOf('entry'));

/** What resource_origin says of a touch: named in resources[] (by any entry), else derived from the payload. */
export const RESOURCE_ORIGINS = { resources: 'resources', derived: 'derived' } as const;
export type ResourceOrigin = (typeof RESOURCE_ORIGINS)[keyof typeof RESOURCE_ORIGINS];

/**
 * `expr` is one of `values`, as a semi join on the values unnested: the one
 * form of the test that DuckDB keeps above an unnest (see presentEntries);
 * an IN list of many values also becomes a mark join there, ten times
 * slower than this for 480 ARNs.
 */
export function isAnyOfSet(expr: Sql, values: readonly string[]): Sql {
  return sql`${expr} IN (SELECT v FROM UNNEST(${arrayOf(values)}) AS wanted(v))`;
}
