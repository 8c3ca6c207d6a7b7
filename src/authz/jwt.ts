import { readFileSync } from 'node:fs';
import { JSONWebKeySet, JWTPayload, createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { Caller } from './caller';

export interface JwtSettings {
  issuer: string;
  audience: string;
  /** A JWKS document on disk, or ... */
  jwksFile?: string;
  /** ... a JWKS URL fetched (and cached) by jose. */
  jwksUrl?: string;
  /** The claim holding the caller's groups (a list of strings, or one string). */
  groupsClaim: string;
}

/** Why a token was refused; no detail of the keys or the claims is told to the caller. */
export type JwtFailure = 'expired' | 'invalid' | 'keys-unavailable';

export class JwtRejected extends Error {
  constructor(readonly reason: JwtFailure, readonly detail: string) {
    super(`token rejected (${reason}): ${detail}`);
  }
}

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

/** Algorithms a JWKS of public keys can verify; "none" and HMAC are never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export class JwtVerifier {
  private readonly keys: KeySet;

  constructor(private readonly settings: JwtSettings) {
    if (settings.jwksFile) {
      this.keys = createLocalJWKSet(JSON.parse(readFileSync(settings.jwksFile, 'utf8')) as JSONWebKeySet);
    } else if (settings.jwksUrl) {
      this.keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    } else {
      throw new Error('a JWT verifier needs a JWKS file or URL');
    }
  }

  async verify(token: string): Promise<Caller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 5,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new JwtRejected('expired', err.message);
      if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) throw new JwtRejected('keys-unavailable', err.message);
      if (err instanceof errors.JOSEError) throw new JwtRejected('invalid', `${err.code}: ${err.message}`);
      // A JWKS URL that cannot be fetched surfaces as a plain error (fetch failed).
      throw new JwtRejected('keys-unavailable', String(err));
    }
    const subject = payload.sub as string;
    return Object.freeze({
      id: `jwt:${payload.iss ?? this.settings.issuer}|${subject}`,
      name: subject,
      groups: groupsOf(payload[this.settings.groupsClaim]),
      kind: 'jwt',
      attributes: {},
      expiresAt: (payload.exp as number) * 1000,
    });
  }
}

function groupsOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(claim)) return [...new Set(claim.filter((g): g is string => typeof g === 'string' && g.length > 0))];
  return [];
}
