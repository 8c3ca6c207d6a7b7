import { PRINCIPAL_KEY, SESSION_REF, UNKNOWN_PRINCIPAL, isAnyOf } from '../derive';
import { Sql, or, sql, trusted } from '../sql/sql';

/*
 * Cheap necessary conditions.
 * A statement about a few principals or sessions first keeps only the rows
 * whose raw identity fields could derive them (plain comparisons of struct
 * fields), and evaluates the derivation on those alone.
 */
const UI = 'useridentity';
const SC = `${UI}.sessioncontext`;

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
  const parts: Sql[] = [isAnyOf(field('arn'), arns)];
  if (users.length) parts.push(isAnyOf(field('username'), users.map(lastSegment)));
  if (roles.length) {
    parts.push(isAnyOf(field('sessioncontext.sessionissuer.arn'), roles));
    parts.push(trusted(`(${UI}.type = 'AssumedRole' AND coalesce(${SC}.sessionissuer.arn, '') = '')`));
  }
  if (roots.length) parts.push(sql`${field('type')} IN ('Root', 'AWSAccount') AND ${field('accountid')} IN ${roots.map((a) => a.split(':')[4])}`);
  if (identityCenter.length) parts.push(isAnyOf(field('onbehalfof.userid'), identityCenter.map(lastSegment)));
  if (services.length) parts.push(isAnyOf(field('invokedby'), services), isAnyOf(field('principalid'), services));
  if (others.length) {
    // SAML and web identity users (principalId, or provider:name), and anything unusual.
    parts.push(isAnyOf(field('principalid'), others), trusted(`${UI}.type IN ('SAMLUser', 'WebIdentityUser')`));
    parts.push(isAnyOf(field('sessioncontext.sessionissuer.arn'), others), isAnyOf(field('invokedby'), others));
  }
  return or(parts);
}

/** True for every row whose SESSION_REF has one of these keys (the KEY part of KIND|START|KEY). */
export function sessionCandidates(keys: readonly string[]): Sql {
  return or([
    isAnyOf(field('principalid'), keys),
    isAnyOf(field('arn'), keys),
    isAnyOf(field('credentialid'), keys),
  ]);
}

/**
 * True for every row whose SESSION_REF is not NULL (and for some others), as
 * two necessary conditions: the first reads useridentity alone, so that the
 * engine can test it inside the scan (DuckDB pushes a predicate over one
 * column into the scan; an OR across columns stays a filter above it); the
 * second also needs the sign-in's event name. Rows of services and of
 * long-term keys are dropped before SESSION_REF is evaluated.
 */
export const SESSION_ROWS: Sql = trusted(`(${UI}.onbehalfof.userid IS NOT NULL OR ${UI}.type IN ('AssumedRole', 'FederatedUser', 'IAMUser', 'Root'))
  AND (${UI}.onbehalfof.userid IS NOT NULL OR coalesce(${SC}.attributes.creationdate, '') <> '' OR eventname = 'ConsoleLogin')`);

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
