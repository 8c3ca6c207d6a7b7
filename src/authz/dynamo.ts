/// <reference path="./dynalite.d.ts" />
import { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBClientConfig,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { AuthLogger } from './log';

/** The decision table's attributes. */
export const TABLE_KEY = 'pk';
export const TTL_ATTRIBUTE = 'expiresAt';

/** A DynamoDB API served in-process (dynalite, in memory), for the embedded default and tests. */
export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

export async function startEmbeddedDynamo(host = '127.0.0.1', port = 0): Promise<EmbeddedDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface DynamoClientOptions {
  /** Omitted: AWS's regional endpoint with the default credential chain. */
  endpoint?: string;
  region?: string;
  /** Local endpoints (dynalite, dynamodb-local) accept any credentials. */
  localCredentials?: boolean;
}

/**
 * A client that gives up fast: the decision cache is an optimisation, so an
 * unreachable DynamoDB must cost a request milliseconds, not the SDK's
 * default retries with back-off.
 */
export function dynamoClient(o: DynamoClientOptions): DynamoDBClient {
  const config: DynamoDBClientConfig = {
    region: o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
  };
  if (o.endpoint) config.endpoint = o.endpoint;
  if (o.localCredentials) config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return new DynamoDBClient(config);
}

/**
 * Creates the decision table when it does not exist: one string hash key,
 * on-demand billing, TTL on expiresAt (dynalite has no TTL API; expired items
 * are ignored on read anyway, TTL only cleans them up).
 */
export async function ensureDecisionTable(client: DynamoDBClient, table: string, log: AuthLogger): Promise<'exists' | 'created'> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return 'exists';
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: TABLE_KEY, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: TABLE_KEY, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: table }));
    if (d.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  } catch (err) {
    log.info({ table, err: (err as Error).name }, 'decision table: TTL not enabled by this endpoint; expired decisions are ignored on read');
  }
  log.info({ table }, 'decision table created');
  return 'created';
}
