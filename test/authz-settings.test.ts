import { assertSafeListen } from '../src/authz';
import { SILENT } from '../src/authz/log';
import { credentialsConfigured, isLoopbackHost } from '../src/authz/settings';
import { Config, ConfigError, DEFAULTS, loadConfig } from '../src/config';

function settingOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof ConfigError) return err.setting;
    throw err;
  }
}

const load = (o: Partial<Config>) => () => loadConfig([], {}, o);
const KEYS = '[]';
const POLICY = 'policies/example.cedar';

test('auth settings come from flags and environment variables', () => {
  const { config } = loadConfig(
    ['--jwt-issuer', 'https://sso.example.test/', '--jwks-url=https://sso.example.test/jwks.json', '--decision-ttl-seconds', '60'],
    { TRAILGRAPH_JWT_AUDIENCE: 'trailgraph', TRAILGRAPH_POLICY_FILE: POLICY, TRAILGRAPH_API_KEYS: KEYS, TRAILGRAPH_DYNAMODB_ENDPOINT: 'aws', TRAILGRAPH_DECISION_TABLE: 'prod-decisions' },
  );
  expect(config).toMatchObject({ jwtIssuer: 'https://sso.example.test/', jwtAudience: 'trailgraph', jwksUrl: 'https://sso.example.test/jwks.json', decisionTtlSeconds: 60, policyFile: POLICY, apiKeys: KEYS, dynamodbEndpoint: 'aws', decisionTable: 'prod-decisions' });
  expect(DEFAULTS).toMatchObject({ apiKeysFile: '', apiKeys: '', dynamodbEndpoint: '', decisionTable: 'trailgraph-decisions', decisionTtlSeconds: 300, jwtGroupsClaim: 'groups' });
  expect(settingOf(() => loadConfig(['--decision-ttl-seconds', '0']))).toBe('--decision-ttl-seconds');
});

test.each<[string, Partial<Config>, string]>([
  ['both key sources', { apiKeys: KEYS, apiKeysFile: 'keys.json', policyFile: POLICY }, '--api-keys'],
  ['both JWKS sources', { jwksFile: 'a.json', jwksUrl: 'https://x.test/jwks', jwtIssuer: 'i', jwtAudience: 'a', policyFile: POLICY }, '--jwks-url'],
  ['JWKS without issuer', { jwksFile: 'a.json', jwtAudience: 'a', policyFile: POLICY }, '--jwt-issuer'],
  ['JWKS without audience', { jwksFile: 'a.json', jwtIssuer: 'i', policyFile: POLICY }, '--jwt-audience'],
  ['issuer without keys', { jwtIssuer: 'i', jwtAudience: 'a' }, '--jwks-file'],
  ['a plain-http JWKS URL off loopback', { jwksUrl: 'http://sso.example.test/jwks', jwtIssuer: 'i', jwtAudience: 'a', policyFile: POLICY }, '--jwks-url'],
  ['credentials without policies', { apiKeys: KEYS }, '--policy-file'],
  ['two policy sources', { apiKeys: KEYS, policyFile: POLICY, avpPolicyStoreId: 'PS1' }, '--avp-policy-store-id'],
  ['a schema without policies', { policySchemaFile: 'policies/trailgraph.cedarschema' }, '--policy-file'],
  ['an AVP endpoint without a store', { avpEndpoint: 'http://127.0.0.1:1' }, '--avp-policy-store-id'],
  ['a DynamoDB endpoint that is not a URL', { dynamodbEndpoint: 'localhost:8000' }, '--dynamodb-endpoint'],
  ['a table name DynamoDB refuses', { decisionTable: 'ab' }, '--decision-table'],
])('%s is a ConfigError naming the setting', (_name, o, setting) => {
  expect(settingOf(load(o))).toBe(setting);
});

test('valid combinations load', () => {
  expect(settingOf(load({ apiKeys: KEYS, policyFile: POLICY, policySchemaFile: 'policies/trailgraph.cedarschema' }))).toBeNull();
  expect(settingOf(load({ jwksUrl: 'http://127.0.0.1:9000/jwks', jwtIssuer: 'i', jwtAudience: 'a', avpPolicyStoreId: 'PS1', avpEndpoint: 'http://127.0.0.1:1' }))).toBeNull();
  expect(settingOf(load({ dynamodbEndpoint: 'http://dynamodb:8000' }))).toBeNull();
});

test('loopback addresses', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.10', 'example.com', '128.0.0.1', '127.0.0.256']) expect(isLoopbackHost(h)).toBe(false);
});

describe('assertSafeListen', () => {
  test('without credentials a non-loopback host is refused, naming --host', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3']) {
      const { config } = loadConfig([], {}, { host });
      expect(credentialsConfigured(config)).toBe(false);
      expect(settingOf(() => assertSafeListen(config, SILENT))).toBe('--host');
    }
  });

  test('without credentials on loopback: allowed, with a warning', () => {
    const warnings: string[] = [];
    assertSafeListen(loadConfig([], {}, {}).config, { ...SILENT, warn: (_o, m) => warnings.push(m) });
    expect(warnings.length).toBe(1);
  });

  test('with credentials any host is allowed, silently', () => {
    const warnings: string[] = [];
    const { config } = loadConfig([], {}, { host: '0.0.0.0', apiKeys: KEYS, policyFile: POLICY });
    assertSafeListen(config, { ...SILENT, warn: (_o, m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });
});
