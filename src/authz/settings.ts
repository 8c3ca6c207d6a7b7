import type { Config } from '../config';

/** Is any credential configured? Without one the server is open (and loopback-only). */
export function credentialsConfigured(c: Config): boolean {
  return c.apiKeysFile !== '' || c.apiKeys !== '' || c.jwksFile !== '' || c.jwksUrl !== '';
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']);

/** 127.0.0.0/8, ::1, localhost, and IPv4-mapped loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  return m !== null && m.slice(1).every((x) => Number(x) <= 255) && Number(m[1]) === 127;
}

function badUrl(value: string, allowHttpOnLoopbackOnly: boolean): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol !== 'http:') return 'must be an http(s) URL';
  if (allowHttpOnLoopbackOnly && !isLoopbackHost(u.hostname)) return 'must use https (http only on a loopback address)';
  return null;
}

type Problem = { setting: string; message: string } | null;

/** The cross-setting rules of authorization; loadConfig throws a ConfigError for the first broken one. */
export function authSettingProblem(c: Config): Problem {
  if (c.apiKeysFile && c.apiKeys) return { setting: '--api-keys', message: 'give --api-keys-file or --api-keys, not both' };
  if (c.jwksFile && c.jwksUrl) return { setting: '--jwks-url', message: 'give --jwks-file or --jwks-url, not both' };
  const jwks = c.jwksFile !== '' || c.jwksUrl !== '';
  if (jwks && !c.jwtIssuer) return { setting: '--jwt-issuer', message: 'required to accept JWTs (the iss every token must carry)' };
  if (jwks && !c.jwtAudience) return { setting: '--jwt-audience', message: 'required to accept JWTs (the aud every token must carry)' };
  if (!jwks && (c.jwtIssuer || c.jwtAudience)) return { setting: '--jwks-file', message: 'JWTs need the signing keys: --jwks-file or --jwks-url' };
  if (c.jwksUrl) {
    const bad = badUrl(c.jwksUrl, true);
    if (bad) return { setting: '--jwks-url', message: bad };
  }
  if (c.policyFile && c.avpPolicyStoreId) return { setting: '--avp-policy-store-id', message: 'decide with --policy-file or --avp-policy-store-id, not both' };
  if (c.policySchemaFile && !c.policyFile) return { setting: '--policy-file', message: 'a schema needs its policy file' };
  if (c.avpEndpoint && !c.avpPolicyStoreId) return { setting: '--avp-policy-store-id', message: 'required with --avp-endpoint' };
  if (c.avpEndpoint) {
    const bad = badUrl(c.avpEndpoint, false);
    if (bad) return { setting: '--avp-endpoint', message: bad };
  }
  if (credentialsConfigured(c) && c.engine === 'athena' && !c.accounts) {
    // Otherwise the list of accounts to decide over would come from a scan of all history.
    return { setting: '--accounts', message: 'required with --engine athena and credentials: the accounts the trail holds' };
  }
  if (credentialsConfigured(c) && !c.policyFile && !c.avpPolicyStoreId) {
    return { setting: '--policy-file', message: 'credentials are configured, so a policy set is required (--policy-file or --avp-policy-store-id)' };
  }
  if (c.dynamodbEndpoint && c.dynamodbEndpoint !== 'aws') {
    const bad = badUrl(c.dynamodbEndpoint, false);
    if (bad) return { setting: '--dynamodb-endpoint', message: `${bad} (or "aws", or unset for the embedded one)` };
  }
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(c.decisionTable)) return { setting: '--decision-table', message: '3-255 letters, digits, _ . or -' };
  return null;
}
