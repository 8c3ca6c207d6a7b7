import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { hashApiKey } from '../src/authz/api-keys';
import { loadConfig } from '../src/config';
import { SqlEngine } from '../src/history/engine';
import { sharedEngine } from './harness';
import { buildApp } from '../src/server';

// bench/ under ts-node, dist/bench/ when compiled: the policies are at the repo root either way.
const POLICIES = [join(__dirname, '..', 'policies'), join(__dirname, '..', '..', 'policies')].find((p) => existsSync(p)) ?? join(__dirname, '..', 'policies');
/** The demo organisation's production account (policies/example.cedar). */
const PRODUCTION = '602519374862';
const KEY = 'tg_bench_hostile_app_key';

export interface HostileTarget {
  url: string;
  app: FastifyInstance;
  /** The headers of the caller: an internal app's API key, limited to the production account by the example policies. */
  headers: Record<string, string>;
}

/**
 * A listening app over the bench's store with authorization on, as the
 * attacker of issue 13 met it: an API key, the example Cedar policies, the
 * embedded DynamoDB decision cache, and the default limits.
 */
export async function hostileApp(engine: SqlEngine): Promise<HostileTarget> {
  const { config } = loadConfig([], {}, {
    logLevel: 'warn',
    maxSpanDays: 90,
    apiKeys: JSON.stringify([{ name: 'bench-app', sha256: hashApiKey(KEY), groups: ['apps'], attributes: { accounts: [PRODUCTION] } }]),
    policyFile: join(POLICIES, 'example.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    decisionTable: 'bench-hostile-decisions',
  });
  const app = await buildApp(config, { engine: sharedEngine(engine), logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, headers: { 'x-api-key': KEY } };
}

/** The largest RSS of this process (the server's: it runs in-process) seen every few milliseconds while it runs. */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | null = null;

  start(everyMs = 5): this {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
    }, everyMs);
    return this;
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Math.max(this.peak, process.memoryUsage.rss());
  }
}

export const MiB = (bytes: number): number => bytes / 1024 / 1024;
