import type { FastifyRequest } from 'fastify';

/** Query-string parameters whose values are credentials or may be: their values never reach a log. */
const CREDENTIAL_NAME = /key|token|secret|passw|signature|credential|auth|session|jwt|bearer|cookie/i;

/**
 * The URL as it may be logged: every query-string parameter named like a
 * credential (`x-api-key`, `access_token`, `X-Amz-Signature`, ...) has its
 * value replaced. Clients should never send credentials in a URL; when one
 * does, the log must not keep them.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return eq >= 0 && CREDENTIAL_NAME.test(name) ? `${rawName}=REDACTED` : pair;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/** Fastify's request serializer, with the URL redacted. */
function redactedRequest(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket ? req.socket.remotePort : undefined };
}

/** The Fastify logger option: the given one (false stays off) with requests logged by redactedRequest. */
export function loggerOptions(logger: boolean | object | undefined, level: string): boolean | object {
  if (logger === false) return false;
  const base: { serializers?: object } = typeof logger === 'object' && logger !== null ? logger : { level };
  return { ...base, serializers: { ...(base.serializers ?? {}), req: redactedRequest } };
}
