/**
 * Which parts of a summary a statement computes. A GraphQL selection asks a
 * few fields of a principal or a session; each part below is what one or
 * more fields need beyond what every summary statement computes anyway (the
 * key, the count, first and last seen: free, or needed for cursors). A part
 * costs the columns its rows read (on a 30-day principal, ~10 ms a column)
 * and its aggregate (distinct lists cost most).
 *
 * Parts are kept as a list in declaration order without repeats, so that
 * equal sets make equal loader keys. A summary's field whose part was not
 * computed is absent (undefined), never empty: `computed` turns reading it
 * into an error.
 */
export const PRINCIPAL_PARTS = ['type', 'name', 'account', 'errors', 'accessKeys', 'sourceIps', 'eventNames'] as const;
export type PrincipalPart = (typeof PRINCIPAL_PARTS)[number];
export type PrincipalParts = readonly PrincipalPart[];

export const SESSION_PARTS = [
  'principal', 'writes', 'errors', 'denied', 'sourceIdentity', 'accessKey', 'mfa', 'sources', 'regions', 'sourceIps', 'userAgents',
] as const;
export type SessionPart = (typeof SESSION_PARTS)[number];
export type SessionParts = readonly SessionPart[];

/** Every part: what a statement computes when the selection is not known. */
export const ALL_PRINCIPAL_PARTS: PrincipalParts = PRINCIPAL_PARTS;
export const ALL_SESSION_PARTS: SessionParts = SESSION_PARTS;

/** Parts whose derivation needs another part: a principal's name and account depend on its type. */
const PRINCIPAL_REQUISITES: Readonly<Partial<Record<PrincipalPart, readonly PrincipalPart[]>>> = { name: ['type'], account: ['type'] };

/** The parts of `lists`, in the order of `all`, each once. */
function normalised<P extends string>(all: readonly P[], lists: ReadonlyArray<Iterable<P>>): readonly P[] {
  const wanted = new Set<P>();
  for (const list of lists) for (const p of list) wanted.add(p);
  return all.filter((p) => wanted.has(p));
}

/** The union of principal parts, with the parts they need. */
export function principalParts(...lists: ReadonlyArray<Iterable<PrincipalPart>>): PrincipalParts {
  const direct = normalised(PRINCIPAL_PARTS, lists);
  return normalised(PRINCIPAL_PARTS, [direct, direct.flatMap((p) => PRINCIPAL_REQUISITES[p] ?? [])]);
}

export function sessionParts(...lists: ReadonlyArray<Iterable<SessionPart>>): SessionParts {
  return normalised(SESSION_PARTS, lists);
}

/**
 * A summary field whose part the statement computed. Absent means the parts
 * asked for missed what a resolver reads: a bug, which must fail the field
 * (masked as an internal error) rather than show an empty or zero value.
 */
export function computed<S extends object, K extends keyof S>(summary: S, field: K): Exclude<S[K], undefined> {
  const value = summary[field];
  if (value === undefined) throw new Error(`summary field not computed for this selection: ${String(field)}`);
  return value as Exclude<S[K], undefined>;
}
