import { createHash } from 'node:crypto';

/** A value a caller attribute may hold; it becomes a Cedar String, Long, Boolean or Set<String>. */
export type AttributeValue = string | number | boolean | readonly string[];

export type CallerKind = 'apiKey' | 'jwt' | 'anonymous';

/** Who is calling, as established by authentication. */
export interface Caller {
  /** Stable id: "apiKey:NAME", "jwt:ISSUER|SUBJECT" or "anonymous". The Cedar principal's entity id. */
  readonly id: string;
  readonly name: string;
  readonly groups: readonly string[];
  readonly kind: CallerKind;
  /** Extra Cedar attributes of the principal (from the API key file), e.g. accounts. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** When the credential stops being valid (a JWT's exp, epoch ms); absent for credentials without an end. Long-lived connections are closed then. */
  readonly expiresAt?: number;
}

/** The caller of a server that runs without credentials (loopback only). */
export const ANONYMOUS: Caller = Object.freeze({ id: 'anonymous', name: 'anonymous', groups: [], kind: 'anonymous', attributes: {} });

/**
 * The caller part of a decision's cache key: the id plus a digest of the
 * groups and attributes, so that a caller whose groups change (a new token,
 * an edited key file) never gets a decision made for its old groups.
 */
export function callerCacheKey(c: Caller): string {
  const attrs = Object.keys(c.attributes)
    .sort()
    .map((k) => [k, c.attributes[k]]);
  const digest = createHash('sha256')
    .update(JSON.stringify([c.kind, [...c.groups].sort(), attrs]))
    .digest('base64url')
    .slice(0, 16);
  return `${c.id}#${digest}`;
}
