import { Headers } from '../authz/authenticate';

/** The credential headers authentication reads, whatever case the client gave their names. */
const CREDENTIAL_HEADERS = new Set(['x-api-key', 'authorization']);

/**
 * connection_init's payload as the headers an HTTP request would carry:
 * `{"x-api-key": "..."}` or `{"authorization": "Bearer ..."}` (any case of
 * the names; nothing else of the payload), so a WebSocket caller is
 * authenticated exactly as an HTTP one.
 */
export function credentialHeaders(payload: Readonly<Record<string, unknown>> | undefined): Headers {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(payload ?? {})) {
    const lower = name.toLowerCase();
    if (!CREDENTIAL_HEADERS.has(lower) || typeof value !== 'string') continue;
    // The same credential named twice (two cases) is refused as a repeated header is.
    const seen = headers[lower];
    headers[lower] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return headers;
}
