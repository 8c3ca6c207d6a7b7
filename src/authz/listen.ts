import { ConfigError } from '../config';
import type { Config } from '../config';
import { AuthLogger } from './log';
import { credentialsConfigured, isLoopbackHost } from './settings';

/**
 * Boot check: a server without credentials is open to whoever can connect, so
 * it may only listen on a loopback address (the embedded default), with a
 * warning; anywhere else it refuses to start.
 */
export function assertSafeListen(config: Config, log: AuthLogger): void {
  if (credentialsConfigured(config)) return;
  if (!isLoopbackHost(config.host)) {
    throw new ConfigError(
      '--host',
      `"${config.host}" is not a loopback address and no credentials are configured: set --api-keys-file / TRAILGRAPH_API_KEYS or --jwks-file / --jwks-url (with --jwt-issuer, --jwt-audience) and a --policy-file, or listen on 127.0.0.1`,
    );
  }
  const unused = config.policyFile || config.avpPolicyStoreId ? ' (the configured policies are not used without credentials)' : '';
  log.warn({ host: config.host }, `authorization is off: no credentials configured, every caller reads everything; listening on loopback only${unused}`);
}
