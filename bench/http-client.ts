import { Agent, request } from 'node:http';

/**
 * The bench's HTTP client: node:http with one kept-alive connection, as a
 * load tool (autocannon) would use. Measured on this machine, global fetch
 * (undici) spent about 0.8 ms of the shared main thread per request on
 * itself (an empty `{ __typename }`: 1.4 ms with fetch, 0.6 ms with
 * node:http), which the bench then counted as the API's.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface HttpResponse {
  status: number;
  body: string;
}

/** POSTs a JSON body and reads the whole response as text. */
export function postJson(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
