import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { VerifiedPermissionsClient, VerifiedPermissionsClientConfig } from '@aws-sdk/client-verifiedpermissions';
import { Config, ConfigError } from '../config';
import { ApiKeyListError, ApiKeyStore, parseApiKeyList } from './api-keys';
import { Authenticator, Headers } from './authenticate';
import { Authorizer, DecisionMeter } from './authorizer';
import { VerifiedPermissionsEngine } from './avp-engine';
import { Caller } from './caller';
import { CedarWasmEngine, PolicySetError, readPolicySet } from './cedar-engine';
import { DecisionCache, DecisionStore } from './decision-cache';
import { DecisionMemo } from './decision-memo';
import { EmbeddedDynamo, dynamoClient, ensureDecisionTable, startEmbeddedDynamo } from './dynamo';
import { JwtVerifier } from './jwt';
import { KnownAccounts } from './known-accounts';
import { AuthLogger } from './log';
import { PolicyEngine } from './policy-engine';
import { RequestAuthorizer, requestAuthorizer } from './request-authorizer';
import { credentialsConfigured } from './settings';

export { Action, guardedFields } from './actions';
export { assertSafeListen } from './listen';
export type { Caller } from './caller';
export type { RequestAuthorizer } from './request-authorizer';
export type { DecisionMeter } from './authorizer';

export interface AuthzDeps {
  log: AuthLogger;
  /** The AWS accounts history holds (SELECT DISTINCT account); asked at most once per knownAccountsTtlMs. */
  knownAccounts: () => Promise<readonly string[]>;
  knownAccountsTtlMs?: number;
}

/** Authentication and authorization of one server. */
export interface Authz {
  /** False: no credentials configured; everyone is the anonymous caller and reads everything. */
  readonly enabled: boolean;
  /** Throws TrailgraphError UNAUTHENTICATED (HTTP 401) for a missing or bad credential. */
  authenticate(headers: Headers): Promise<Caller>;
  /** The per-request authorizer; counts its look-ups on the request's meter (CostMeter). */
  forRequest(caller: Caller, meter: DecisionMeter): RequestAuthorizer;
  readonly authorizer: Authorizer | null;
  /** Readiness (/readyz): each throws unless its part answers now. None when authorization is off. */
  readonly checks: { readonly decisionCache?: (signal: AbortSignal) => Promise<void>; readonly policies?: (signal: AbortSignal) => Promise<void> };
  close(): Promise<void>;
}

function region(): string {
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** Plain-http endpoints are local emulators (dynalite, dynamodb-local, test endpoints): any credentials do. */
function isLocalEndpoint(url: string): boolean {
  return url.startsWith('http:');
}

function apiKeyStore(c: Config): ApiKeyStore | null {
  if (!c.apiKeysFile && !c.apiKeys) return null;
  const setting = c.apiKeysFile ? '--api-keys-file' : '--api-keys (TRAILGRAPH_API_KEYS)';
  try {
    return new ApiKeyStore(parseApiKeyList(c.apiKeysFile ? readFileSync(c.apiKeysFile, 'utf8') : c.apiKeys));
  } catch (err) {
    if (err instanceof ApiKeyListError || (err as NodeJS.ErrnoException).code) throw new ConfigError(setting, (err as Error).message);
    throw err;
  }
}

function jwtVerifier(c: Config): JwtVerifier | null {
  if (!c.jwksFile && !c.jwksUrl) return null;
  try {
    return new JwtVerifier({ issuer: c.jwtIssuer, audience: c.jwtAudience, jwksFile: c.jwksFile || undefined, jwksUrl: c.jwksUrl || undefined, groupsClaim: c.jwtGroupsClaim });
  } catch (err) {
    throw new ConfigError(c.jwksFile ? '--jwks-file' : '--jwks-url', (err as Error).message);
  }
}

export function avpClient(endpoint: string): VerifiedPermissionsClient {
  const config: VerifiedPermissionsClientConfig = { region: region(), maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 } };
  if (endpoint) config.endpoint = endpoint;
  if (endpoint && isLocalEndpoint(endpoint)) config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return new VerifiedPermissionsClient(config);
}

function policyEngine(c: Config, log: AuthLogger): PolicyEngine {
  if (c.avpPolicyStoreId) return new VerifiedPermissionsEngine(avpClient(c.avpEndpoint), c.avpPolicyStoreId, log);
  try {
    return new CedarWasmEngine(readPolicySet(c.policyFile, c.policySchemaFile || null), log);
  } catch (err) {
    if (err instanceof PolicySetError) throw new ConfigError(err.file === 'schema' ? '--policy-schema-file' : '--policy-file', err.message);
    if ((err as NodeJS.ErrnoException).code) throw new ConfigError('--policy-file', (err as Error).message);
    throw err;
  }
}

/** The key decision items are signed with: the file's (servers sharing a table share it), else a random one per start. */
function signingKey(c: Config): Buffer {
  if (!c.decisionSigningKeyFile) return randomBytes(32);
  let key: Buffer;
  try {
    key = readFileSync(c.decisionSigningKeyFile);
  } catch (err) {
    throw new ConfigError('--decision-signing-key-file', (err as Error).message);
  }
  if (key.length < 32) throw new ConfigError('--decision-signing-key-file', 'the key must be at least 32 bytes');
  return key;
}

async function decisionCache(
  c: Config,
  log: AuthLogger,
): Promise<{ cache: DecisionStore; embedded: EmbeddedDynamo | null; ping: (signal: AbortSignal) => Promise<void>; close: () => void }> {
  const embedded = c.dynamodbEndpoint === '' ? await startEmbeddedDynamo() : null;
  const endpoint = embedded?.endpoint ?? (c.dynamodbEndpoint === 'aws' ? undefined : c.dynamodbEndpoint);
  const client = dynamoClient({ endpoint, localCredentials: endpoint !== undefined && isLocalEndpoint(endpoint) });
  try {
    await ensureDecisionTable(client, c.decisionTable, log);
  } catch (err) {
    // Not fatal: decisions are made without the cache until it answers.
    log.warn({ table: c.decisionTable, endpoint: endpoint ?? 'aws', err: String(err) }, 'decision table unavailable at boot; deciding without the cache');
  }
  if (embedded) log.info({ endpoint: embedded.endpoint, table: c.decisionTable }, 'decision cache: embedded DynamoDB (dynalite)');
  // In memory in front of the table: a warm decision costs no round trip (decision-memo.ts).
  // Items are signed: the cache trusts only what a server holding this key wrote (decision-cache.ts).
  const cache = new DecisionCache(client, c.decisionTable, c.decisionTtlSeconds, Date.now, signingKey(c));
  return {
    cache: new DecisionMemo(cache),
    embedded,
    // The table answers; a DynamoDB that came back without it (a local one restarted) gets it made again, as at boot.
    ping: async (signal) => {
      try {
        await client.send(new DescribeTableCommand({ TableName: c.decisionTable }), { abortSignal: signal });
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
        await ensureDecisionTable(client, c.decisionTable, log);
      }
    },
    close: () => client.destroy(),
  };
}

/** Builds authentication and authorization from the config (boot). */
export async function createAuthz(config: Config, deps: AuthzDeps): Promise<Authz> {
  const { log } = deps;
  if (!credentialsConfigured(config)) {
    const authenticator = new Authenticator(null, null, log);
    return {
      enabled: false,
      authenticate: (h) => authenticator.authenticate(h),
      forRequest: (caller, meter) => requestAuthorizer(caller, null, meter),
      authorizer: null,
      checks: {},
      close: async () => {},
    };
  }
  const authenticator = new Authenticator(apiKeyStore(config), jwtVerifier(config), log);
  const engine = policyEngine(config, log);
  const { cache, embedded, ping, close } = await decisionCache(config, log);
  const knownAccounts = new KnownAccounts(deps.knownAccounts, deps.knownAccountsTtlMs ?? 60_000, log);
  const authorizer = new Authorizer({ engine, cache, knownAccounts, log });
  try {
    log.info({ engine: engine.kind, version: await engine.version() }, 'authorization on');
  } catch (err) {
    log.warn({ engine: engine.kind, err: String(err) }, 'policy engine unreachable at boot; requests are denied until it answers');
  }
  return {
    enabled: true,
    authenticate: (h) => authenticator.authenticate(h),
    forRequest: (caller, meter) => requestAuthorizer(caller, authorizer, meter),
    authorizer,
    checks: {
      decisionCache: ping,
      policies: async () => {
        await engine.version();
      },
    },
    close: async () => {
      close();
      await embedded?.close();
    },
  };
}
