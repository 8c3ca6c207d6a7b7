import { ErrorCode, TrailgraphError } from '../errors';
import { ApiKeyStore } from './api-keys';
import { ANONYMOUS, Caller } from './caller';
import { JwtRejected, JwtVerifier } from './jwt';
import { AuthLogger } from './log';

/** Headers as Node and Fastify give them: lower-case names. */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Why a request was refused: told to the caller in extensions.reason. */
export type UnauthenticatedReason = 'missing' | 'invalid' | 'expired';

export function unauthenticated(reason: UnauthenticatedReason, message: string): TrailgraphError {
  return new TrailgraphError(ErrorCode.UNAUTHENTICATED, message, { reason });
}

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  if (!Array.isArray(v)) return v;
  if (v.length > 1) throw unauthenticated('invalid', `send the ${name} header once`);
  return v[0];
}

/**
 * Who is calling. An API key comes in the `x-api-key` header; a JWT in
 * `Authorization: Bearer <jwt>`. Exactly one credential per request. Without
 * any credential configured every request is the anonymous caller (the
 * server then listens on loopback only: see assertSafeListen).
 */
export class Authenticator {
  constructor(
    private readonly apiKeys: ApiKeyStore | null,
    private readonly jwt: JwtVerifier | null,
    private readonly log: AuthLogger,
  ) {}

  get enabled(): boolean {
    return this.apiKeys !== null || this.jwt !== null;
  }

  async authenticate(headers: Headers): Promise<Caller> {
    if (!this.enabled) return ANONYMOUS;
    const apiKey = header(headers, 'x-api-key');
    const authorization = header(headers, 'authorization');
    if (apiKey !== undefined && authorization !== undefined) throw unauthenticated('invalid', 'send one credential: x-api-key or Authorization, not both');
    // The key exactly as sent: one padded with spaces is not the key.
    if (apiKey !== undefined) return this.byApiKey(apiKey);
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!m) throw unauthenticated('invalid', 'Authorization must be "Bearer <token>"');
      return this.byJwt(m[1]);
    }
    throw unauthenticated('missing', 'credentials required: an x-api-key header or an Authorization: Bearer token');
  }

  private byApiKey(key: string): Caller {
    const caller = key && this.apiKeys ? this.apiKeys.verify(key) : null;
    if (!caller) throw unauthenticated('invalid', 'unknown API key');
    return caller;
  }

  private async byJwt(token: string): Promise<Caller> {
    if (!this.jwt) throw unauthenticated('invalid', 'bearer tokens are not accepted by this server');
    try {
      return await this.jwt.verify(token);
    } catch (err) {
      if (!(err instanceof JwtRejected)) throw err;
      if (err.reason === 'keys-unavailable') this.log.warn({ detail: err.detail }, 'JWT signing keys unavailable');
      throw unauthenticated(err.reason === 'expired' ? 'expired' : 'invalid', err.reason === 'expired' ? 'token expired' : 'invalid token');
    }
  }
}
