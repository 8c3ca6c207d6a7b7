import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local CloudTrail endpoint for ListPublicKeys: AWS JSON 1.1
 * (X-Amz-Target CloudTrail_20131101.ListPublicKeys), keys as base64 blobs
 * and times as epoch seconds, one key per page so paging is exercised.
 */
export interface CloudTrailEndpoint {
  endpoint: string;
  /** The StartTime/EndTime of every call. */
  calls: Array<{ StartTime?: number; EndTime?: number; NextToken?: string }>;
  close(): Promise<void>;
}

export async function startCloudTrail(keys: Array<{ der: Buffer; fingerprint: string; from: Date; to: Date }>): Promise<CloudTrailEndpoint> {
  const calls: CloudTrailEndpoint['calls'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (!target.endsWith('.ListPublicKeys')) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as CloudTrailEndpoint['calls'][number];
      calls.push(body);
      const at = body.NextToken ? Number(body.NextToken) : 0;
      const k = keys[at];
      res.end(JSON.stringify({
        PublicKeyList: k ? [{ Value: k.der.toString('base64'), ValidityStartTime: k.from.getTime() / 1000, ValidityEndTime: k.to.getTime() / 1000, Fingerprint: k.fingerprint }] : [],
        ...(at + 1 < keys.length ? { NextToken: String(at + 1) } : {}),
      }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, calls, close: () => new Promise((ok) => server.close(() => ok())) };
}
