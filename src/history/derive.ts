import { Sql, trusted } from './sql/sql';

/**
 * The derivations, written once as SQL over the CloudTrail-shaped table so
 * that every engine computes the same thing. Only functions common to Trino
 * and DuckDB (with the compatibility macros) are used: no regexp_replace,
 * whose replacement syntax differs.
 */

const UI = 'useridentity';

/** arn:PARTITION:sts::ACCT:assumed-role/ROLE/SESSION → arn:PARTITION:iam::ACCT:role/ROLE */
const ROLE_FROM_STS_ARN = `concat('arn:', split_part(${UI}.arn, ':', 2), ':iam::', split_part(${UI}.arn, ':', 5), ':role/', split_part(split_part(${UI}.arn, ':', 6), '/', 2))`;

/**
 * The principal's canonical ARN (see docs/derivations.md):
 * - AssumedRole: the role's IAM ARN from sessionContext.sessionIssuer, else derived from the sts ARN;
 * - AWSService: the service principal (invokedBy);
 * - Root: arn:aws:iam::ACCOUNT:root;
 * - Identity Center users (IdentityCenterUser, or before 2025 Unknown with onBehalfOf):
 *   IDENTITY_STORE_ARN/user/USER_ID;
 * - everyone else: userIdentity.arn; else null (nothing identifies one).
 */
export const PRINCIPAL_ARN: Sql = trusted(`(CASE
  WHEN ${UI}.onbehalfof.userid IS NOT NULL THEN concat(coalesce(${UI}.onbehalfof.identitystorearn, 'identitystore'), '/user/', ${UI}.onbehalfof.userid)
  WHEN ${UI}.type = 'AssumedRole' THEN coalesce(${UI}.sessioncontext.sessionissuer.arn, CASE WHEN ${UI}.arn LIKE 'arn:%:sts::%:assumed-role/%' THEN ${ROLE_FROM_STS_ARN} END)
  WHEN ${UI}.type = 'AWSService' THEN coalesce(${UI}.invokedby, ${UI}.principalid)
  WHEN ${UI}.type = 'Root' THEN coalesce(${UI}.arn, concat('arn:aws:iam::', ${UI}.accountid, ':root'))
  ELSE ${UI}.arn
END)`);

/** The caller's identity type as CloudTrail writes it, with pre-2025 Identity Center users recognised. */
export const IDENTITY_TYPE: Sql = trusted(`(CASE
  WHEN ${UI}.type IS NULL OR ${UI}.type = 'Unknown' THEN CASE WHEN ${UI}.onbehalfof.userid IS NOT NULL THEN 'IdentityCenterUser' ELSE 'Unknown' END
  ELSE ${UI}.type
END)`);

/** The ARNs of the resources named in `resources[]`. */
export const RESOURCE_ARNS: Sql = trusted(`transform(resources, r -> r.arn)`);
export const RESOURCE_TYPES: Sql = trusted(`transform(resources, r -> r.type)`);
