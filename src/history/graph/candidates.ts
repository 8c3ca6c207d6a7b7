import { PRINCIPAL_KEY, SESSION_REF, isAnyOf } from '../derive';
import { Sql, or, sql, trusted } from '../sql/sql';

/*
 * Cheap necessary conditions: a statement about a few principals or sessions
 * first keeps only the rows that could belong to them, by plain comparisons
 * the engine tests in the scan.
 */
const UI = 'useridentity';
const field = (path: string) => trusted(`${UI}.${path}`);

/** An sts assumed-role ARN: a session's own ARN, which names its role's principal. */
export function isSessionArn(arn: string): boolean {
  return /^arn:[^:]*:sts::[^:]*:assumed-role\//.test(arn);
}

/**
 * True for every row whose principal is one of `arns` (PRINCIPAL_KEY, a
 * stored column), or whose own userIdentity.arn is one of the sts session
 * ARNs among them (a session's ARN names its role's principal): plain
 * column comparisons, which the engine tests in the scan.
 */
export function principalCandidates(arns: readonly string[]): Sql {
  const sessionArns = arns.filter(isSessionArn);
  return or([isAnyOf(PRINCIPAL_KEY, arns), ...(sessionArns.length ? [isAnyOf(field('arn'), sessionArns)] : [])]);
}

/** The rows of these sessions (`refs`: SESSION_REF values), by the stored column. */
export function inSessions(refs: readonly string[]): Sql {
  return isAnyOf(SESSION_REF, refs);
}

/** The rows that belong to a session. */
export const SESSION_ROWS: Sql = sql`${SESSION_REF} IS NOT NULL`;
