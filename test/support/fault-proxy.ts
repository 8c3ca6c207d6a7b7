import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A small HTTP proxy in front of the test S3 server: it records every
 * request (method, path, query) and can answer a request with a fault
 * instead: 503 SlowDown, a dropped connection, or a body cut short.
 */
export type Fault = 'slowdown' | 'drop' | 'truncate';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly seen: SeenRequest[];
  /** The fault for a request, if any (called once per request). */
  fault: (r: SeenRequest) => Fault | undefined;
  close(): Promise<void>;
}

const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const proxy: FaultProxy = {
    endpoint: '',
    seen: [],
    fault: () => undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const forward = (req: IncomingMessage, res: ServerResponse, fault: Fault | undefined): void => {
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (upRes) => {
        if (fault !== 'truncate') {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          // The connection ends before Content-Length bytes: what a dropped download looks like.
          res.socket?.destroy();
        });
      },
    );
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const seen: SeenRequest = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams };
    proxy.seen.push(seen);
    const fault = proxy.fault(seen);
    switch (fault) {
      case 'slowdown':
        req.resume();
        res.writeHead(503, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(SLOW_DOWN) });
        res.end(SLOW_DOWN);
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'truncate':
      case undefined:
        forward(req, res, fault);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { endpoint: string }).endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
