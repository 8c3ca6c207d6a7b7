import { ClientTool } from '../cloudtrail/client-tool';
import { CLIENT_TOOL } from './client-tool-sql';
import { Sql, arrayOf, sql, trusted } from './sql/sql';

/**
 * The derivations of docs/derivations.md, written once as SQL over the
 * CloudTrail-shaped table so that every engine computes the same thing.
 * Only what Trino and DuckDB (with the compatibility macros) agree on is
 * used: `||` rather than concat (DuckDB's concat skips NULLs, Trino's does
 * not), split_part only where the field exists (past the end DuckDB gives ''
 * and Trino NULL), no regexp_replace (its replacement syntax differs).
 */

/**
 * `expr` is one of `values`: IN for a few or very many, else
 * contains(ARRAY[...], expr), which engines evaluate as a plain function.
 * DuckDB turns an IN list of more than a few values into a join, which has a
 * fixed cost and cannot be tested inside the scan; the function compares
 * each row with every value, so past ~128 values the join is cheaper (measured
 * on a day of the 1M-event demo: 113 session keys, 3x faster as the function;
 * 480 resource ARNs over 50k rows, 2x slower).
 */
export function isAnyOf(expr: Sql, values: readonly string[]): Sql {
  return values.length <= 4 || values.length > 128 ? sql`${expr} IN ${values}` : sql`contains(${arrayOf(values)}, ${expr})`;
}

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
 * "unknown" principal). See the table in docs/derivations.md. A rule: the
 * statements read its value from the column principal_arn (DERIVED_COLUMNS).
 */
export const PRINCIPAL_ARN_RULE: Sql = trusted(`(CASE
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
export const PRINCIPAL_KEY: Sql = trusted(`coalesce(principal_arn, '${UNKNOWN_PRINCIPAL}')`);

/** The caller's identity type as CloudTrail writes it, with pre-2025 Identity Center users recognised. */
export const IDENTITY_TYPE: Sql = trusted(`(CASE
  WHEN ${UI}.type IS NULL OR ${UI}.type = 'Unknown' THEN CASE WHEN ${UI}.onbehalfof.userid IS NOT NULL THEN 'IdentityCenterUser' ELSE 'Unknown' END
  ELSE ${UI}.type
END)`);

/** The principal's type (CloudTrail's spelling): IDENTITY_TYPE, plus untyped service events as AWSService. */
export const PRINCIPAL_TYPE_RULE: Sql = trusted(`(CASE
  WHEN ${IDENTITY_CENTER_USER} THEN 'IdentityCenterUser'
  WHEN ${UNTYPED_SERVICE} THEN 'AWSService'
  ELSE coalesce(${NN(`${UI}.type`)}, 'Unknown')
END)`);

// ---- Sessions -------------------------------------------------------------

/** A failed call: errorCode set and not empty (AWS writes successful calls with an empty errorCode too). */
export const ERROR_CODE: Sql = trusted(`NULLIF(errorcode, '')`);
export const HAS_ERROR: Sql = trusted(`(NULLIF(errorcode, '') IS NOT NULL)`);

const CREATION = NN(`${SC}.attributes.creationdate`);
const FROM_CONSOLE = `lower(sessioncredentialfromconsole) = 'true'`;
/**
 * Console credentials in records written before sessionCredentialFromConsole
 * existed (it is absent, not false): an IAM user's or root's temporary
 * credentials (a creationDate) used from the console, as the user agent says
 * (the console's own agents and browsers: the CONSOLE rules of
 * cloudtrail/client-tool.ts). GetSessionToken credentials, the other
 * temporary credentials of a user, are used from the CLI and SDKs.
 */
const FROM_CONSOLE_BEFORE_FLAG = `(sessioncredentialfromconsole IS NULL AND ${CLIENT_TOOL.text} = '${ClientTool.CONSOLE}')`;
/** A successful console sign-in starts a console session (a failed one carries an errorMessage). */
const CONSOLE_SIGN_IN = `(eventname = 'ConsoleLogin' AND eventsource = 'signin.amazonaws.com' AND NULLIF(errorcode, '') IS NULL AND NULLIF(errormessage, '') IS NULL)`;
const ROLE_SESSION = `coalesce(${NN(`${UI}.principalid`)}, ${NN(`${UI}.arn`)})`;
/**
 * A console session's key: the identity's canonical ARN (root's or the
 * user's, by its type), else principalId. AWS's own examples give root and
 * an IAM user the same principalId: the identity type and ARN tell them apart.
 */
const CONSOLE_KEY = `coalesce(${PRINCIPAL_ARN_RULE.text}, ${NN(`${UI}.principalid`)})`;

/**
 * The session a row belongs to, as one text `KIND|START|KEY` (NULL when the
 * call used no session: long-term keys, services, ...). START is the
 * credentials' creation instant (sessionContext.attributes.creationDate; a
 * console sign-in's own eventTime); Identity Center portal sessions have none
 * and use ''. KEY: for assumed roles and federation tokens
 * userIdentity.principalId (else its arn), the role session (it carries the
 * session name; the kind already says the identity type); for console
 * sessions the principal's ARN (CONSOLE_KEY); for portal sessions the
 * credentialId.
 */
export const SESSION_REF_RULE: Sql = trusted(`(CASE
  WHEN ${IDENTITY_CENTER_USER} AND ${NN(`${UI}.credentialid`)} IS NOT NULL THEN 'IDENTITY_CENTER||' || ${UI}.credentialid
  WHEN ${UI}.type = 'AssumedRole' AND ${CREATION} IS NOT NULL AND ${ROLE_SESSION} IS NOT NULL THEN 'ASSUMED_ROLE|' || ${CREATION} || '|' || ${ROLE_SESSION}
  WHEN ${UI}.type = 'FederatedUser' AND ${CREATION} IS NOT NULL AND ${ROLE_SESSION} IS NOT NULL THEN 'FEDERATED|' || ${CREATION} || '|' || ${ROLE_SESSION}
  WHEN ${UI}.type IN ('IAMUser', 'Root') AND ${CONSOLE_SIGN_IN} AND ${CONSOLE_KEY} IS NOT NULL THEN 'CONSOLE|' || coalesce(${CREATION}, eventtime) || '|' || ${CONSOLE_KEY}
  WHEN ${UI}.type IN ('IAMUser', 'Root') AND ${CREATION} IS NOT NULL AND (${FROM_CONSOLE} OR ${FROM_CONSOLE_BEFORE_FLAG}) AND ${CONSOLE_KEY} IS NOT NULL THEN 'CONSOLE|' || ${CREATION} || '|' || ${CONSOLE_KEY}
END)`);

/**
 * The partition day as a number (2026/11/21 → 20261121). DuckDB keeps only
 * the first 8 characters of a text column in its row-group statistics
 * ('2026/11/'), so a bound on `day` skips no row group of the month; on a
 * number it skips every row group outside the days asked. The embedded
 * store, whose rows come in day order, bounds its statements by this
 * (event-filter.ts boundPredicate).
 */
export const DAY_NUMBER_RULE: Sql = trusted(`CAST(replace(day, '/', '') AS INTEGER)`);

/**
 * The derivations every statement reads, as columns of the relation it names:
 * the embedded store computes them once, when a row is stored (from these
 * very rules); Athena's view computes them from the same rules as it reads
 * (src/history/athena/ddl.ts). One definition, and a statement about a
 * principal or a session compares a column instead of evaluating a CASE of
 * twenty branches on every row of its window.
 */
export const DERIVED_COLUMNS: ReadonlyArray<readonly [name: string, rule: Sql, type: string]> = [
  ['principal_arn', PRINCIPAL_ARN_RULE, 'VARCHAR'],
  ['principal_type', PRINCIPAL_TYPE_RULE, 'VARCHAR'],
  ['session_ref', SESSION_REF_RULE, 'VARCHAR'],
  ['day_number', DAY_NUMBER_RULE, 'INTEGER'],
];

/** The principal's canonical ARN (PRINCIPAL_ARN_RULE), NULL for the unknown principal. */
export const PRINCIPAL_ARN: Sql = trusted('principal_arn');
/** The principal's type (PRINCIPAL_TYPE_RULE). */
export const PRINCIPAL_TYPE: Sql = trusted('principal_type');
/** The session of the row, KIND|START|KEY (SESSION_REF_RULE), NULL outside sessions. */
export const SESSION_REF: Sql = trusted('session_ref');

/** Calls refused for want of permission (what accessDeniedCount counts). */
export const ACCESS_DENIED_CODES: readonly string[] = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation'];
export const IS_ACCESS_DENIED: Sql = trusted(`coalesce(errorcode IN (${ACCESS_DENIED_CODES.map((c) => `'${c}'`).join(', ')}), false)`);
/** Reads: readOnly true (a JSON boolean, or the text "true" in any case). */
export const IS_READ_ONLY: Sql = trusted(`(lower(readonly) = 'true')`);
/** Writes: readOnly not true, so a record without readOnly counts as a write (as EventFilter.readOnly: false reads it). */
export const IS_WRITE: Sql = trusted(`(lower(coalesce(readonly, 'false')) <> 'true')`);
/**
 * MFA as the session states it: 2 = yes, 1 = no, 0 = not said (a console
 * sign-in says it in MFAUsed). `payloads` (authz): the rows whose payloads
 * the caller may read; MFAUsed is read from additionalEventData, a payload,
 * only in those (null: every row).
 */
export function mfaRank(payloads: Sql | null): Sql {
  const signIn = payloads ? sql`eventname = 'ConsoleLogin' AND ${payloads}` : trusted(`eventname = 'ConsoleLogin'`);
  return sql`(CASE
  WHEN lower(${trusted(SC)}.attributes.mfaauthenticated) = 'true' THEN 2
  WHEN ${signIn} AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'Yes' THEN 2
  WHEN lower(${trusted(SC)}.attributes.mfaauthenticated) = 'false' THEN 1
  WHEN ${signIn} AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No' THEN 1
  ELSE 0
END)`;
}
export const MFA_RANK: Sql = mfaRank(null);

/**
 * The name the caller signed in with, else the userName CloudTrail gave:
 * Identity Center users' records since 2025 carry no userName, but their
 * sign-in events (CredentialChallenge, UserAuthentication) carry the name in
 * additionalEventData.UserName, except the fixed text of a failed sign-in.
 */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
export const USER_NAME: Sql = trusted(`coalesce(
  CASE WHEN eventsource = 'signin.amazonaws.com' AND eventname IN ('CredentialChallenge', 'UserAuthentication')
    THEN NULLIF(NULLIF(json_extract_scalar(additionaleventdata, '$.UserName'), ''), '${HIDDEN}') END,
  NULLIF(NULLIF(${UI}.username, ''), '${HIDDEN}'))`);

/**
 * The version of the rules the embedded store computed its derived columns
 * and side tables with. A store written with other rules computes them again
 * when it opens (duckdb/engine.ts), so its answers follow these rules.
 */
export const DERIVATIONS_VERSION = 2;
