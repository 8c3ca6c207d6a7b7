/// <reference path="../../src/authz/dynalite.d.ts" />
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

/**
 * A real dynalite behind a small counting front on loopback. Tests assert the
 * DynamoDB calls a request made from the server's side (by X-Amz-Target), not
 * from the client's; the front can also answer the next batch calls with part
 * of their keys "unprocessed", as DynamoDB does under throttling.
 */
export interface CountingDynalite {
  endpoint: string;
  /** Operations received since the last reset, e.g. { BatchGetItem: 1 }. */
  counts(): Record<string, number>;
  /** Keys asked in each BatchGetItem / items in each BatchWriteItem since the last reset. */
  batchGetSizes(): number[];
  batchWriteSizes(): number[];
  /** The next `calls` BatchGetItem / BatchWriteItem calls process only half their keys and return the rest as unprocessed. */
  throttleNext(calls: number): void;
  reset(): void;
  close(): Promise<void>;
}

type Batch = { RequestItems: Record<string, { Keys?: unknown[] } | unknown[]> };

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startCountingDynalite(): Promise<CountingDynalite> {
  const db: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const backend = await listen(db);
  let counts: Record<string, number> = {};
  let gets: number[] = [];
  let writes: number[] = [];
  let throttle = 0;

  const forward = async (req: IncomingMessage, body: string): Promise<{ status: number; text: string }> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'content-length' && k !== 'host') headers[k] = v;
    const r = await fetch(backend, { method: 'POST', headers, body });
    return { status: r.status, text: await r.text() };
  };

  const front = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const op = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        counts[op] = (counts[op] ?? 0) + 1;
        let body = Buffer.concat(chunks).toString('utf8');
        let held: Batch['RequestItems'] | null = null;
        if (op === 'BatchGetItem' || op === 'BatchWriteItem') {
          const parsed = JSON.parse(body) as Batch;
          const size = (v: Batch['RequestItems'][string]): number => (Array.isArray(v) ? v.length : (v.Keys?.length ?? 0));
          (op === 'BatchGetItem' ? gets : writes).push(Object.values(parsed.RequestItems).reduce((n, v) => n + size(v), 0));
          if (throttle > 0) {
            throttle--;
            held = {};
            for (const [table, v] of Object.entries(parsed.RequestItems)) {
              if (Array.isArray(v)) {
                held[table] = v.slice(Math.ceil(v.length / 2));
                parsed.RequestItems[table] = v.slice(0, Math.ceil(v.length / 2));
              } else {
                const keys = v.Keys ?? [];
                held[table] = { ...v, Keys: keys.slice(Math.ceil(keys.length / 2)) };
                parsed.RequestItems[table] = { ...v, Keys: keys.slice(0, Math.ceil(keys.length / 2)) };
              }
            }
            body = JSON.stringify(parsed);
          }
        }
        const out = await forward(req, body);
        let text = out.text;
        if (held && out.status === 200) {
          const answer = JSON.parse(text) as Record<string, unknown>;
          answer[op === 'BatchGetItem' ? 'UnprocessedKeys' : 'UnprocessedItems'] = held;
          text = JSON.stringify(answer);
        }
        res.statusCode = out.status;
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        res.end(text);
      })().catch((err: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ __type: 'InternalFailure', message: String(err) }));
      });
    });
  });
  const endpoint = await listen(front);
  return {
    endpoint,
    counts: () => ({ ...counts }),
    batchGetSizes: () => [...gets],
    batchWriteSizes: () => [...writes],
    throttleNext: (calls) => (throttle = calls),
    reset: () => {
      counts = {};
      gets = [];
      writes = [];
      throttle = 0;
    },
    close: async () => {
      await close(front);
      await close(db);
    },
  };
}
