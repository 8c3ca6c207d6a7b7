import { AddressInfo } from 'node:net';
import { FastifyInstance } from 'fastify';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** What a subscription received: each result (data and errors), and how it ended. */
export interface Received<T> {
  results: { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }[];
  /** Set when the server completed it or it failed (an error message, or the socket closed). */
  ended: Promise<{ error?: unknown }>;
  unsubscribe: () => void;
  /** Resolves once `n` results have arrived (or the subscription ended before that). */
  until: (n: number) => Promise<void>;
}

/** The ws:// URL of a listening app's /graphql. */
export function wsUrl(app: FastifyInstance): string {
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/graphql`;
}

/** A real graphql-ws client (ws as its WebSocket); `closed` resolves with the first close code the server sent. */
export function connect(url: string, connectionParams: Record<string, string> = {}): { client: Client; closed: Promise<{ code: number; reason: string }> } {
  let onClosed: (e: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    // The close is what the tests look at (`closed`); graphql-ws would also print it.
    onNonLazyError: () => {},
    on: { closed: (event) => onClosed(event as { code: number; reason: string }) },
  });
  return { client, closed };
}

export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Received<T> {
  const results: Received<T>['results'] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let finished = false;
  const wake = () => {
    for (const w of [...waiters]) {
      if (finished || results.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  let end: (v: { error?: unknown }) => void = () => {};
  const ended = new Promise<{ error?: unknown }>((resolve) => (end = resolve));
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        results.push(r as Received<T>['results'][number]);
        wake();
      },
      error: (error) => {
        finished = true;
        end({ error });
        wake();
      },
      complete: () => {
        finished = true;
        end({});
        wake();
      },
    },
  );
  const until = (n: number) => new Promise<void>((resolve) => {
    waiters.push({ n, resolve });
    wake();
  });
  return { results, ended, unsubscribe, until };
}

/** Waits (on the event loop, no timing asserted) until `condition` holds: for server-side state with no event of its own. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
}
