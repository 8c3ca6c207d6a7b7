import { PRINCIPAL_KEY, SESSION_REF, isAnyOf } from '../derive';
import { Sql, or, sql, trusted } from '../sql/sql';

/*
 * Cheap necessary conditions: a statement about a few principals or sessions
 * first keeps only the rows that could belong to them, by plain comparisons
 * the engine tests in the scan.
 */
const UI = 'useridentity';
const field = (path: string) => trusted(`${UI}.${path}`);

/**
 * True for every row whose principal is one of `arns` (PRINCIPAL_KEY, a
 * stored column), or whose own userIdentity.arn is (an assumed-role
 * session's ARN names its role's principal): plain column comparisons, which
 * the engine tests in the scan.
 */
export function principalCandidates(arns: readonly string[]): Sql {
  return or([isAnyOf(PRINCIPAL_KEY, arns), isAnyOf(field('arn'), arns)]);
}

/** True for every row whose SESSION_REF has one of these keys (the KEY part of KIND|START|KEY). */
export function sessionCandidates(keys: readonly string[]): Sql {
  return or([
    isAnyOf(field('principalid'), keys),
    isAnyOf(field('arn'), keys),
    isAnyOf(field('credentialid'), keys),
  ]);
}

/** The rows that belong to a session. */
export const SESSION_ROWS: Sql = sql`${SESSION_REF} IS NOT NULL`;
