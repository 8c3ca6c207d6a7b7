import { Sql, arrayOf, or, sql, trusted } from './sql/sql';

/**
 * The derivations of docs/derivations.md, written once as SQL over the
 * CloudTrail-shaped table so that every engine computes the same thing.
 * Only what Trino and DuckDB (with the compatibility macros) agree on is
 * used: `||` rather than concat (DuckDB's concat skips NULLs, Trino's does
 * not), split_part only where the field exists (past the end DuckDB gives ''
 * and Trino NULL), no regexp_replace (its replacement syntax differs).
 */

const UI = 'useridentity';
const SC = `${UI}.sessioncontext`;
const NN = (expr: string) => `NULLIF(${expr}, '')`;

/** arn:PARTITION:sts::ACCT:assumed-role/ROLE/SESSION → arn:PARTITION:iam::ACCT:role/ROLE */
const ROLE_FROM_SESSION_ARN = `('arn:' || split_part(${UI}.arn, ':', 2) || ':iam::' || split_part(${UI}.arn, ':', 5) || ':role/' || split_part(split_part(${UI}.arn, ':', 6), '/', 2))`;

/** An Identity Center user: IdentityCenterUser since 2025; before, Unknown (or no type) with onBehalfOf. */
const IDENTITY_CENTER_USER = `(${UI}.onbehalfof.userid IS NOT NULL AND (${UI}.type IS NULL OR ${UI}.type IN ('IdentityCenterUser', 'Unknown')))`;
/** A service event with no identity type but the service that acted (invokedBy). */
const UNTYPED_SERVICE = `(${UI}.type IS NULL AND ${UI}.invokedby IS NOT NULL)`;

/**
 * The principal's canonical ARN, or NULL where nothing identifies one (the
 * "unknown" principal). See the table in docs/derivations.md.
 */
export const PRINCIPAL_ARN: Sql = trusted(`(CASE
  WHEN ${IDENTITY_CENTER_USER} THEN coalesce(${NN(`${UI}.onbehalfof.identitystorearn`)}, 'identitystore') || '/user/' || ${UI}.onbehalfof.userid
  WHEN ${UI}.type = 'AssumedRole' THEN coalesce(
    ${NN(`${SC}.sessionissuer.arn`)},
    CASE WHEN ${UI}.arn LIKE 'arn:%:%:%:%:assumed-role/%/%' THEN ${ROLE_FROM_SESSION_ARN} END,
    'arn:aws:iam::' || ${NN(`${SC}.sessionissuer.accountid`)} || ':role/' || ${NN(`${SC}.sessionissuer.username`)})
  WHEN ${UI}.type = 'AWSService' OR ${UNTYPED_SERVICE} THEN coalesce(${NN(`${UI}.invokedby`)}, ${NN(`${UI}.principalid`)})
  WHEN ${UI}.type IN ('Root', 'AWSAccount') THEN CASE WHEN ${UI}.arn LIKE 'arn:%:root' THEN ${UI}.arn ELSE 'arn:aws:iam::' || ${NN(`${UI}.accountid`)} || ':root' END
  WHEN ${UI}.type = 'IAMUser' THEN coalesce(${NN(`${UI}.arn`)},
    CASE WHEN ${UI}.username <> 'HIDDEN_DUE_TO_SECURITY_REASONS' THEN 'arn:aws:iam::' || ${NN(`${UI}.accountid`)} || ':user/' || ${NN(`${UI}.username`)} END)
  WHEN ${UI}.type IN ('SAMLUser', 'WebIdentityUser') THEN coalesce(${NN(`${UI}.arn`)}, ${NN(`${UI}.principalid`)}, ${NN(`${UI}.identityprovider`)} || ':' || ${NN(`${UI}.username`)})
  ELSE ${NN(`${UI}.arn`)}
END)`);

/** The key of the principal a row belongs to: its canonical ARN, or 'unknown'. */
export const UNKNOWN_PRINCIPAL = 'unknown';
export const PRINCIPAL_KEY: Sql = trusted(`coalesce(${PRINCIPAL_ARN.text}, '${UNKNOWN_PRINCIPAL}')`);

/** The caller's identity type as CloudTrail writes it, with pre-2025 Identity Center users recognised. */
export const IDENTITY_TYPE: Sql = trusted(`(CASE
  WHEN ${UI}.type IS NULL OR ${UI}.type = 'Unknown' THEN CASE WHEN ${UI}.onbehalfof.userid IS NOT NULL THEN 'IdentityCenterUser' ELSE 'Unknown' END
  ELSE ${UI}.type
END)`);

/** The principal's type (CloudTrail's spelling): IDENTITY_TYPE, plus untyped service events as AWSService. */
export const PRINCIPAL_TYPE: Sql = trusted(`(CASE
  WHEN ${IDENTITY_CENTER_USER} THEN 'IdentityCenterUser'
  WHEN ${UNTYPED_SERVICE} THEN 'AWSService'
  ELSE coalesce(${NN(`${UI}.type`)}, 'Unknown')
END)`);

// ---- Sessions -------------------------------------------------------------

const CREATION = NN(`${SC}.attributes.creationdate`);
const FROM_CONSOLE = `lower(sessioncredentialfromconsole) = 'true'`;
/** A successful console sign-in starts a console session (a failed one carries an errorMessage). */
const CONSOLE_SIGN_IN = `(eventname = 'ConsoleLogin' AND eventsource = 'signin.amazonaws.com' AND errorcode IS NULL AND errormessage IS NULL)`;
const ROLE_SESSION = `coalesce(${NN(`${UI}.principalid`)}, ${NN(`${UI}.arn`)})`;

/**
 * The session a row belongs to, as one text `KIND|START|KEY` (NULL when the
 * call used no session: long-term keys, services, ...). START is the
 * credentials' creation instant (sessionContext.attributes.creationDate; a
 * console sign-in's own eventTime); Identity Center portal sessions have none
 * and use ''. KEY is userIdentity.principalId (else its arn): for assumed
 * roles and federation tokens the role session (it carries the session name),
 * for console sessions the user (AIDA...) or the account (root); for portal
 * sessions the credentialId.
 */
export const SESSION_REF: Sql = trusted(`(CASE
  WHEN ${IDENTITY_CENTER_USER} AND ${NN(`${UI}.credentialid`)} IS NOT NULL THEN 'IDENTITY_CENTER||' || ${UI}.credentialid
  WHEN ${UI}.type = 'AssumedRole' AND ${CREATION} IS NOT NULL AND ${ROLE_SESSION} IS NOT NULL THEN 'ASSUMED_ROLE|' || ${CREATION} || '|' || ${ROLE_SESSION}
  WHEN ${UI}.type = 'FederatedUser' AND ${CREATION} IS NOT NULL AND ${ROLE_SESSION} IS NOT NULL THEN 'FEDERATED|' || ${CREATION} || '|' || ${ROLE_SESSION}
  WHEN ${UI}.type IN ('IAMUser', 'Root') AND ${CONSOLE_SIGN_IN} AND ${ROLE_SESSION} IS NOT NULL THEN 'CONSOLE|' || coalesce(${CREATION}, eventtime) || '|' || ${ROLE_SESSION}
  WHEN ${UI}.type IN ('IAMUser', 'Root') AND ${FROM_CONSOLE} AND ${CREATION} IS NOT NULL AND ${ROLE_SESSION} IS NOT NULL THEN 'CONSOLE|' || ${CREATION} || '|' || ${ROLE_SESSION}
END)`);

/** Calls refused for want of permission (what accessDeniedCount counts). */
export const ACCESS_DENIED_CODES: readonly string[] = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation'];
export const IS_ACCESS_DENIED: Sql = trusted(`coalesce(errorcode IN (${ACCESS_DENIED_CODES.map((c) => `'${c}'`).join(', ')}), false)`);
/** Writes: readOnly not true (as EventFilter.readOnly: false reads it). */
export const IS_WRITE: Sql = trusted(`lower(coalesce(readonly, 'false')) <> 'true'`);
/** MFA as the session states it: 2 = yes, 1 = no, 0 = not said (a console sign-in says it in MFAUsed). */
export const MFA_RANK: Sql = trusted(`(CASE
  WHEN lower(${SC}.attributes.mfaauthenticated) = 'true' THEN 2
  WHEN eventname = 'ConsoleLogin' AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'Yes' THEN 2
  WHEN lower(${SC}.attributes.mfaauthenticated) = 'false' THEN 1
  WHEN eventname = 'ConsoleLogin' AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No' THEN 1
  ELSE 0
END)`);

// ---- Resources ------------------------------------------------------------

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

/** The event sources whose requestParameters name resources (rows of other sources need no JSON parsing). */
export const DERIVED_RESOURCE_SOURCES: readonly string[] = [
  's3.amazonaws.com', 'iam.amazonaws.com', 'lambda.amazonaws.com', 'ec2.amazonaws.com', 'kms.amazonaws.com', 'verifiedpermissions.amazonaws.com',
];

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
export const RESOURCE_ENTRIES: Sql = resourceEntries(DERIVED_RESOURCES);

/** The parts of one unnested entry (the column named `entry`), found with strpos (no splitting into arrays). */
const FIRST_BAR = `strpos(entry, '|')`;
const SECOND_BAR = `(${FIRST_BAR} + strpos(substr(entry, ${FIRST_BAR} + 1), '|'))`;
export const ENTRY_TYPE: Sql = trusted(`substr(entry, 1, ${FIRST_BAR} - 1)`);
export const ENTRY_ACCOUNT: Sql = trusted(`substr(entry, ${FIRST_BAR} + 1, ${SECOND_BAR} - ${FIRST_BAR} - 1)`);
export const ENTRY_ARN: Sql = trusted(`substr(entry, ${SECOND_BAR} + 1)`);

/** The ARNs and types of the resources named in `resources[]` only. */
export const RESOURCE_ARNS: Sql = trusted(`transform(resources, r -> r.arn)`);
export const RESOURCE_TYPES: Sql = trusted(`transform(resources, r -> r.type)`);

/**
 * A cheap test that can only be true for rows that may touch one of `arns`:
 * named in resources[], or (for the derived rules) the ARN's last part in the
 * requestParameters text. The exact test on RESOURCE_ENTRIES follows it.
 */
export function mayTouch(arns: readonly string[]): Sql {
  const named = sql`arrays_overlap(${RESOURCE_ARNS}, ${arrayOf(arns)})`;
  const needles = [...new Set(arns.map(needleOf))];
  if (needles.some((n) => n === null) || needles.length > 40) {
    return or([named, sql`eventsource IN ${DERIVED_RESOURCE_SOURCES}`]);
  }
  const text = or((needles as string[]).map((n) => sql`strpos(requestparameters, ${n}) > 0`));
  return or([named, sql`eventsource IN ${DERIVED_RESOURCE_SOURCES} AND (${text})`]);
}

/**
 * The part of an ARN that a derived rule copies from requestParameters
 * verbatim (after the last '/' or ':'), when JSON text shows it unescaped;
 * null when no such part can be relied on.
 */
export function needleOf(arn: string): string | null {
  const cut = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
  const tail = arn.slice(cut + 1);
  return tail.length >= 3 && /^[A-Za-z0-9._+=@,-]+$/.test(tail) ? tail : null;
}

// ---- Cheap necessary conditions ---------------------------------------------
// A statement about a few principals or sessions first keeps only the rows
// whose raw identity fields could derive them (plain comparisons of struct
// fields), and evaluates the derivation on those alone.

function lastSegment(s: string): string {
  return s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':')) + 1);
}

const field = (path: string) => trusted(`${UI}.${path}`);

/**
 * True for every row whose PRINCIPAL_ARN is one of `arns` (and for some
 * others), from the shape of each ARN: which branches of PRINCIPAL_ARN can
 * produce it, and the raw fields those branches read.
 */
export function principalCandidates(arns: readonly string[]): Sql {
  if (arns.includes(UNKNOWN_PRINCIPAL)) return trusted('TRUE');
  const users: string[] = [];
  const roles: string[] = [];
  const roots: string[] = [];
  const identityCenter: string[] = [];
  const services: string[] = [];
  const others: string[] = [];
  for (const a of arns) {
    if (/^arn:[^:]*:iam::[^:]*:user\//.test(a)) users.push(a);
    else if (/^arn:[^:]*:iam::[^:]*:role\//.test(a)) roles.push(a);
    else if (/^arn:[^:]*:iam::[^:]*:root$/.test(a)) roots.push(a);
    else if (/(^|:)identitystore(\/.*)?\/user\/[^/]+$/.test(a)) identityCenter.push(a);
    else if (!a.startsWith('arn:') && !a.includes(':')) services.push(a);
    else others.push(a);
  }
  // Per shape, the raw fields the branches that can produce it read (userIdentity.arn: the ELSE branch, for all).
  const parts: Sql[] = [sql`${field('arn')} IN ${arns}`];
  if (users.length) parts.push(sql`${field('username')} IN ${users.map(lastSegment)}`);
  if (roles.length) {
    parts.push(sql`${field('sessioncontext.sessionissuer.arn')} IN ${roles}`);
    parts.push(trusted(`(${UI}.type = 'AssumedRole' AND coalesce(${SC}.sessionissuer.arn, '') = '')`));
  }
  if (roots.length) parts.push(sql`${field('type')} IN ('Root', 'AWSAccount') AND ${field('accountid')} IN ${roots.map((a) => a.split(':')[4])}`);
  if (identityCenter.length) parts.push(sql`${field('onbehalfof.userid')} IN ${identityCenter.map(lastSegment)}`);
  if (services.length) parts.push(sql`${field('invokedby')} IN ${services}`, sql`${field('principalid')} IN ${services}`);
  if (others.length) {
    // SAML and web identity users (principalId, or provider:name), and anything unusual.
    parts.push(sql`${field('principalid')} IN ${others}`, trusted(`${UI}.type IN ('SAMLUser', 'WebIdentityUser')`));
    parts.push(sql`${field('sessioncontext.sessionissuer.arn')} IN ${others}`, sql`${field('invokedby')} IN ${others}`);
  }
  return or(parts);
}

/** True for every row whose SESSION_REF has one of these keys (the KEY part of KIND|START|KEY). */
export function sessionCandidates(keys: readonly string[]): Sql {
  return or([
    sql`${trusted(`${UI}.principalid`)} IN ${keys}`,
    sql`${trusted(`${UI}.arn`)} IN ${keys}`,
    sql`${trusted(`${UI}.credentialid`)} IN ${keys}`,
  ]);
}

/**
 * PRINCIPAL_KEY where the row is a candidate for one of `arns`, else NULL.
 * Filtering on it (`... IN arns`) evaluates the large derivation only on the
 * candidates: engines push such a filter into the scan, and may evaluate it
 * before a separate cheap one.
 */
export function principalKeyAmong(arns: readonly string[]): Sql {
  const candidates = principalCandidates(arns);
  return candidates.text === 'TRUE' ? PRINCIPAL_KEY : sql`(CASE WHEN ${candidates} THEN ${PRINCIPAL_KEY} END)`;
}

/** SESSION_REF where the row is a candidate for one of these session keys, else NULL (as principalKeyAmong). */
export function sessionRefAmong(keys: readonly string[]): Sql {
  return sql`(CASE WHEN ${sessionCandidates(keys)} THEN ${SESSION_REF} END)`;
}
