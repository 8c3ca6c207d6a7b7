import { Sql, arrayOf, sql, trusted } from '../sql/sql';

/**
 * The resource derivation of docs/derivations.md (the principal and session
 * ones are in ../derive.ts): what a row touches, as SQL over the table.
 */
const UI = 'useridentity';
const NN = (expr: string) => `NULLIF(${expr}, '')`;

const RP = (path: string) => `json_extract_scalar(requestparameters, '${path}')`;
const ACCOUNT = `coalesce(recipientaccountid, ${UI}.accountid)`;
const entry = (type: string, account: string, arn: string) => `'${type}|' || ${account} || '|' || ${arn}`;

/**
 * The resources a call names only in requestParameters, by event source:
 * an array of `TYPE|ACCOUNT|ARN` texts (NULL elements where a rule finds
 * nothing; one NULL element for other sources). See docs/derivations.md.
 */
const S3_BUCKET = NN(RP('$.bucketName'));
export const DERIVED_RESOURCES: Sql = trusted(`(CASE eventsource
  WHEN 's3.amazonaws.com' THEN ARRAY[
    ${entry('AWS::S3::Bucket', "''", `'arn:aws:s3:::' || ${S3_BUCKET}`)},
    ${entry('AWS::S3::Object', "''", `'arn:aws:s3:::' || ${S3_BUCKET} || '/' || ${NN(RP('$.key'))}`)}]
  WHEN 'iam.amazonaws.com' THEN ARRAY[
    ${entry('AWS::IAM::Role', ACCOUNT, `coalesce(${NN(`json_extract_scalar(responseelements, '$.role.arn')`)}, 'arn:aws:iam::' || ${ACCOUNT} || ':role/' || ${NN(RP('$.roleName'))})`)},
    ${entry('AWS::IAM::User', ACCOUNT, `'arn:aws:iam::' || ${ACCOUNT} || ':user/' || ${NN(RP('$.userName'))}`)},
    ${entry('AWS::IAM::Policy', "''", NN(RP('$.policyArn')))}]
  WHEN 'lambda.amazonaws.com' THEN ARRAY[${entry('AWS::Lambda::Function', ACCOUNT,
    `(CASE WHEN ${RP('$.functionName')} LIKE 'arn:%' THEN ${RP('$.functionName')} ELSE 'arn:aws:lambda:' || awsregion || ':' || ${ACCOUNT} || ':function:' || ${NN(RP('$.functionName'))} END)`)}]
  WHEN 'ec2.amazonaws.com' THEN ARRAY[${entry('AWS::EC2::Instance', ACCOUNT,
    `'arn:aws:ec2:' || awsregion || ':' || ${ACCOUNT} || ':instance/' || coalesce(${NN(RP('$.instanceId'))}, ${NN(RP('$.instancesSet.items[0].instanceId'))})`)}]
  WHEN 'kms.amazonaws.com' THEN ARRAY[(CASE
    WHEN ${RP('$.keyId')} LIKE 'arn:%:alias/%' THEN ${entry('AWS::KMS::Alias', ACCOUNT, RP('$.keyId'))}
    WHEN ${RP('$.keyId')} LIKE 'arn:%' THEN ${entry('AWS::KMS::Key', ACCOUNT, RP('$.keyId'))}
    WHEN ${RP('$.keyId')} LIKE 'alias/%' THEN ${entry('AWS::KMS::Alias', ACCOUNT, `'arn:aws:kms:' || awsregion || ':' || ${ACCOUNT} || ':' || ${RP('$.keyId')}`)}
    ELSE ${entry('AWS::KMS::Key', ACCOUNT, `'arn:aws:kms:' || awsregion || ':' || ${ACCOUNT} || ':key/' || ${NN(RP('$.keyId'))}`)}
  END)]
  WHEN 'verifiedpermissions.amazonaws.com' THEN ARRAY[${entry('AWS::VerifiedPermissions::PolicyStore', ACCOUNT,
    `'arn:aws:verifiedpermissions::' || ${ACCOUNT} || ':policy-store/' || ${NN(RP('$.policyStoreId'))}`)}]
  ELSE ARRAY[CAST(NULL AS VARCHAR)]
END)`);

const NAMED = `transform(resources, r -> coalesce(r.type, '') || '|' || coalesce(r.accountid, '') || '|' || NULLIF(r.arn, ''))`;

/**
 * Every resource a row touches, as an array of `TYPE|ACCOUNT|ARN` texts
 * (resources[] first, then the derived ones), given DERIVED_RESOURCES as
 * `derived` (a column of an inner select, so that the large expression is
 * planned once). It may hold NULLs and the same ARN twice: unnest it, drop
 * NULLs, and group per event.
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
export const ENTRY_TYPE: Sql = trusted(`substr(entry, 1, ${firstBar('entry')} - 1)`);
export const ENTRY_ACCOUNT: Sql = trusted(`substr(entry, ${firstBar('entry')} + 1, ${secondBar('entry')} - ${firstBar('entry')} - 1)`);
/** Of the unnested column `entry`. */
export const ENTRY_ARN: Sql = trusted(entryArnOf('entry'));

/**
 * `expr` is one of `values`, as a semi join on the values unnested: the one
 * form of the test that DuckDB keeps above an unnest (see presentEntries);
 * an IN list of many values also becomes a mark join there, ten times
 * slower than this for 480 ARNs.
 */
export function isAnyOfSet(expr: Sql, values: readonly string[]): Sql {
  return sql`${expr} IN (SELECT v FROM UNNEST(${arrayOf(values)}) AS wanted(v))`;
}
