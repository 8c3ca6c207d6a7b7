import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { COLUMNS } from '../src/history/table';

/**
 * The ingest bench's baseline (bench/ingest.ts): DuckDB's own
 * `CREATE TABLE AS SELECT` of the table's columns and `raw`, from the same log
 * files, each record parsed once by one json_transform. No deduplication, no
 * side tables, no derived columns, no checks. Run in its own process
 * (`node ingest-baseline.js STORE FILE...`) into a fresh file-backed store;
 * prints one JSON line: records, ms, cpuMs, maxRssMiB.
 */
const V = 'VARCHAR';
const J = 'JSON';

/** Each table column (but raw and the partition columns) and the CloudTrail field it holds, with the type json_transform reads it as. */
const RECORD: Record<string, unknown> = {
  eventVersion: V,
  userIdentity: {
    type: V, principalId: V, arn: V, accountId: V, invokedBy: V, accessKeyId: V, userName: V, credentialId: V, identityProvider: V,
    onBehalfOf: { userId: V, identityStoreArn: V },
    sessionContext: {
      attributes: { mfaAuthenticated: V, creationDate: V },
      sessionIssuer: { type: V, principalId: V, arn: V, accountId: V, userName: V },
      ec2RoleDelivery: V, sourceIdentity: V,
      webIdFederationData: { federatedProvider: V, attributes: J },
    },
  },
  eventTime: V, eventSource: V, eventName: V, awsRegion: V, sourceIPAddress: V, userAgent: V, errorCode: V, errorMessage: V,
  requestParameters: J, responseElements: J, additionalEventData: J, requestID: V, eventID: V, readOnly: V,
  resources: [{ ARN: V, accountId: V, type: V }],
  eventType: V, apiVersion: V, recipientAccountId: V, serviceEventDetails: J, sharedEventID: V, vpcEndpointId: V,
  vpcEndpointAccountId: V, eventCategory: V, managementEvent: V, sessionCredentialFromConsole: V, edgeDeviceDetails: J,
  tlsDetails: { tlsVersion: V, cipherSuite: V, clientProvidedHostHeader: V },
};

const PARTITIONS: Record<string, string> = {
  raw: 'r::VARCHAR',
  account: `coalesce(j.recipientAccountId, j.userIdentity.accountId, 'unknown')`,
  region: `coalesce(j.awsRegion, 'unknown')`,
  day: `replace(left(j.eventTime, 10), '-', '/')`,
};

const FIELD_OF = new Map(Object.keys(RECORD).map((f) => [f.toLowerCase(), f]));

/** The statement, for the files in $1. */
export function baselineSql(): string {
  const select = COLUMNS.map(([name]) => {
    const field = FIELD_OF.get(name);
    if (field) return `j.${field} AS ${name}`;
    if (name in PARTITIONS) return `${PARTITIONS[name]} AS ${name}`;
    throw new Error(`baseline: no field for column ${name}`);
  });
  return `CREATE TABLE cloudtrail AS SELECT ${select.join(', ')}
FROM (SELECT r, json_transform(r, '${JSON.stringify(RECORD)}') AS j
  FROM (SELECT unnest(Records) AS r FROM read_json($1::VARCHAR[], columns = {Records: 'JSON[]'}, format = 'unstructured', maximum_object_size = 16777216)))`;
}

async function main(): Promise<void> {
  const [db, list] = process.argv.slice(2);
  const files = (await import('node:fs')).readFileSync(list, 'utf8').split('\n').filter((f) => f !== '');
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  const { listValue } = await import('@duckdb/node-api');
  await conn.run(baselineSql(), [listValue(files)]);
  await conn.run('CHECKPOINT');
  const records = Number((await conn.runAndReadAll('SELECT count(*) FROM cloudtrail')).getRows()[0][0]);
  const ms = performance.now() - t0;
  conn.closeSync();
  instance.closeSync();
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ records, ms, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMiB: usage.maxRSS / 1024 }));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
