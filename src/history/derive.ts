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
 * The resources a call names only in requestParameters, one expression per
 * rule, each `TYPE|ACCOUNT|ARN` or NULL (see docs/derivations.md).
 */
const DERIVED_RESOURCES: readonly string[] = [
  `CASE WHEN eventsource = 's3.amazonaws.com' THEN ${entry('AWS::S3::Bucket', "''", `'arn:aws:s3:::' || ${NN(RP('$.bucketName'))}`)} END`,
  `CASE WHEN eventsource = 's3.amazonaws.com' THEN ${entry('AWS::S3::Object', "''", `'arn:aws:s3:::' || ${NN(RP('$.bucketName'))} || '/' || ${NN(RP('$.key'))}`)} END`,
  `CASE WHEN eventsource = 'iam.amazonaws.com' THEN ${entry('AWS::IAM::Role', ACCOUNT, `coalesce(json_extract_scalar(responseelements, '$.role.arn'), 'arn:aws:iam::' || ${ACCOUNT} || ':role/' || ${NN(RP('$.roleName'))})`)} END`,
  `CASE WHEN eventsource = 'iam.amazonaws.com' THEN ${entry('AWS::IAM::User', ACCOUNT, `'arn:aws:iam::' || ${ACCOUNT} || ':user/' || ${NN(RP('$.userName'))}`)} END`,
  `CASE WHEN eventsource = 'iam.amazonaws.com' THEN ${entry('AWS::IAM::Policy', "''", NN(RP('$.policyArn')))} END`,
  `CASE WHEN eventsource = 'lambda.amazonaws.com' THEN ${entry('AWS::Lambda::Function', ACCOUNT,
    `(CASE WHEN ${RP('$.functionName')} LIKE 'arn:%' THEN ${RP('$.functionName')} ELSE 'arn:aws:lambda:' || awsregion || ':' || ${ACCOUNT} || ':function:' || ${NN(RP('$.functionName'))} END)`)} END`,
  `CASE WHEN eventsource = 'ec2.amazonaws.com' THEN ${entry('AWS::EC2::Instance', ACCOUNT,
    `'arn:aws:ec2:' || awsregion || ':' || ${ACCOUNT} || ':instance/' || coalesce(${NN(RP('$.instanceId'))}, ${NN(RP('$.instancesSet.items[0].instanceId'))})`)} END`,
  `CASE WHEN eventsource = 'kms.amazonaws.com' THEN (CASE
    WHEN ${RP('$.keyId')} LIKE 'arn:%:alias/%' THEN ${entry('AWS::KMS::Alias', ACCOUNT, RP('$.keyId'))}
    WHEN ${RP('$.keyId')} LIKE 'arn:%' THEN ${entry('AWS::KMS::Key', ACCOUNT, RP('$.keyId'))}
    WHEN ${RP('$.keyId')} LIKE 'alias/%' THEN ${entry('AWS::KMS::Alias', ACCOUNT, `'arn:aws:kms:' || awsregion || ':' || ${ACCOUNT} || ':' || ${RP('$.keyId')}`)}
    ELSE ${entry('AWS::KMS::Key', ACCOUNT, `'arn:aws:kms:' || awsregion || ':' || ${ACCOUNT} || ':key/' || ${NN(RP('$.keyId'))}`)}
  END) END`,
  `CASE WHEN eventsource = 'verifiedpermissions.amazonaws.com' THEN ${entry('AWS::VerifiedPermissions::PolicyStore', ACCOUNT,
    `'arn:aws:verifiedpermissions::' || ${ACCOUNT} || ':policy-store/' || ${NN(RP('$.policyStoreId'))}`)} END`,
];

/** The event sources whose requestParameters name resources (rows of other sources need no JSON parsing). */
export const DERIVED_RESOURCE_SOURCES: readonly string[] = [
  's3.amazonaws.com', 'iam.amazonaws.com', 'lambda.amazonaws.com', 'ec2.amazonaws.com', 'kms.amazonaws.com', 'verifiedpermissions.amazonaws.com',
];

const NAMED = `transform(resources, r -> coalesce(r.type, '') || '|' || coalesce(r.accountid, '') || '|' || NULLIF(r.arn, ''))`;
const DERIVED = `ARRAY[${DERIVED_RESOURCES.join(',\n  ')}]`;

/**
 * Every resource a row touches, as an array of `TYPE|ACCOUNT|ARN` texts
 * (resources[] first, then the derived ones). It may hold NULLs and the same
 * ARN twice: unnest it, drop NULLs, and group per event.
 */
export const RESOURCE_ENTRIES: Sql = trusted(`(CASE WHEN resources IS NULL THEN ${DERIVED} ELSE ${NAMED} || ${DERIVED} END)`);

/** The parts of one unnested entry (the column named `entry`). */
export const ENTRY_TYPE: Sql = trusted(`split_part(entry, '|', 1)`);
export const ENTRY_ACCOUNT: Sql = trusted(`split_part(entry, '|', 2)`);
export const ENTRY_ARN: Sql = trusted(`substr(entry, length(split_part(entry, '|', 1)) + length(split_part(entry, '|', 2)) + 3)`);

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

/** True for every row whose PRINCIPAL_ARN is one of `arns` (and for some others); see PRINCIPAL_ARN's branches. */
export function principalCandidates(arns: readonly string[]): Sql {
  if (arns.includes(UNKNOWN_PRINCIPAL)) return trusted('TRUE');
  const names = [...new Set(arns.map(lastSegment).filter((s) => s !== ''))];
  const roots = [...new Set(arns.flatMap((a) => {
    const m = /^arn:[^:]*:iam::([^:]+):root$/.exec(a);
    return m ? [m[1]] : [];
  }))];
  const parts: Sql[] = [
    sql`${trusted(`${UI}.arn`)} IN ${arns}`,
    sql`${trusted(`${SC}.sessionissuer.arn`)} IN ${arns}`,
    sql`${trusted(`${UI}.invokedby`)} IN ${arns}`,
    sql`${trusted(`${UI}.principalid`)} IN ${arns}`,
    // Derived forms: a user from its name, an Identity Center user from its id, a role from its sts ARN.
    trusted(`(${UI}.type = 'AssumedRole' AND coalesce(${SC}.sessionissuer.arn, '') = '')`),
    trusted(`${UI}.type IN ('SAMLUser', 'WebIdentityUser')`),
  ];
  if (names.length) parts.push(sql`${trusted(`${UI}.username`)} IN ${names}`, sql`${trusted(`${UI}.onbehalfof.userid`)} IN ${names}`);
  if (roots.length) parts.push(sql`${trusted(`${UI}.type`)} IN ('Root', 'AWSAccount') AND ${trusted(`${UI}.accountid`)} IN ${roots}`);
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
