import { DERIVED_COLUMNS } from '../derive';
import { COLUMNS, TABLE } from '../table';
import { touchesSelect } from '../graph/touches';
import { renameIdentifier } from './sql-text';
import { ColumnType, hiveType, parseColumnType } from './column-types';

/**
 * The Athena objects trailgraph reads, generated from the table declaration
 * (src/history/table.ts): an external table over the CloudTrail log files
 * where CloudTrail writes them (JsonSerDe, partition projection over
 * account, region and day, no crawler, no ingest), and the view the
 * builder's statements name, which adds `raw`.
 */
export interface AthenaDdlOptions {
  bucket: string;
  /** The trail's S3 key prefix, if it has one (no leading or trailing slash). */
  prefix?: string;
  /** An organization trail writes under AWSLogs/<org id>/<account>/. */
  orgId?: string;
  accounts: readonly string[];
  regions: readonly string[];
  /** First projected day: yyyy/MM/dd, or relative (NOW-2YEARS). */
  since: string;
  database: string;
  /** The view the statements read (--athena-table). */
  view: string;
}

/** Columns that are not fields of the log files: the partitions, and raw (rebuilt by the view). */
const DERIVED = new Set(['raw', 'account', 'region', 'day']);
export const PARTITIONS = ['account', 'region', 'day'] as const;

/** CloudTrail's own spelling of each field, for the rebuilt record (JSON keys are case-sensitive). */
const CLOUDTRAIL_NAMES: Record<string, string> = {
  eventversion: 'eventVersion', useridentity: 'userIdentity', eventtime: 'eventTime', eventsource: 'eventSource',
  eventname: 'eventName', awsregion: 'awsRegion', sourceipaddress: 'sourceIPAddress', useragent: 'userAgent',
  errorcode: 'errorCode', errormessage: 'errorMessage', requestparameters: 'requestParameters',
  responseelements: 'responseElements', additionaleventdata: 'additionalEventData', requestid: 'requestID',
  eventid: 'eventID', readonly: 'readOnly', resources: 'resources', eventtype: 'eventType', apiversion: 'apiVersion',
  recipientaccountid: 'recipientAccountId', serviceeventdetails: 'serviceEventDetails', sharedeventid: 'sharedEventID',
  vpcendpointid: 'vpcEndpointId', vpcendpointaccountid: 'vpcEndpointAccountId', eventcategory: 'eventCategory',
  managementevent: 'managementEvent', sessioncredentialfromconsole: 'sessionCredentialFromConsole',
  edgedevicedetails: 'edgeDeviceDetails', tlsdetails: 'tlsDetails',
  type: 'type', principalid: 'principalId', arn: 'arn', accountid: 'accountId', invokedby: 'invokedBy',
  accesskeyid: 'accessKeyId', username: 'userName', credentialid: 'credentialId', identityprovider: 'identityProvider',
  onbehalfof: 'onBehalfOf', userid: 'userId', identitystorearn: 'identityStoreArn', sessioncontext: 'sessionContext',
  attributes: 'attributes', mfaauthenticated: 'mfaAuthenticated', creationdate: 'creationDate',
  sessionissuer: 'sessionIssuer', ec2roledelivery: 'ec2RoleDelivery', sourceidentity: 'sourceIdentity',
  webidfederationdata: 'webIdFederationData', federatedprovider: 'federatedProvider', tlsversion: 'tlsVersion',
  ciphersuite: 'cipherSuite', clientprovidedhostheader: 'clientProvidedHostHeader',
};
const PATH_NAMES: Record<string, string> = { 'resources.arn': 'ARN' };

/** Fields the table holds as JSON text (the JsonSerDe gives objects declared STRING as their text). */
const JSON_TEXT = new Set([
  'requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails', 'edgedevicedetails',
  'useridentity.sessioncontext.webidfederationdata.attributes',
]);
/** Fields CloudTrail writes as JSON booleans (the table holds 'true'/'false'). */
const BOOLEANS = new Set(['readonly', 'managementevent']);

export function cloudTrailName(path: string): string {
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  const name = PATH_NAMES[path] ?? CLOUDTRAIL_NAMES[leaf];
  if (!name) throw new Error(`no CloudTrail name for ${path}`);
  return name;
}

export function logColumns(): Array<{ name: string; type: ColumnType }> {
  return COLUMNS.filter(([n]) => !DERIVED.has(n)).map(([name, t]) => ({ name, type: parseColumnType(t) }));
}

function object(entries: Array<[string, string]>): string {
  const keys = entries.map(([k]) => `'${k}'`).join(', ');
  const values = entries.map(([, v]) => v).join(',\n    ');
  return `map_filter(MAP(ARRAY[${keys}], ARRAY[\n    ${values}]), (k, v) -> v IS NOT NULL)`;
}

/** A Trino expression giving the field as JSON (NULL when absent), with CloudTrail's key names. */
function asJson(expr: string, type: ColumnType, path: string, depth: number): string {
  switch (type.kind) {
    case 'scalar':
      if (JSON_TEXT.has(path)) return `try(json_parse(${expr}))`;
      if (BOOLEANS.has(path)) return `CAST(try_cast(${expr} AS BOOLEAN) AS JSON)`;
      return `CAST(${expr} AS JSON)`;
    case 'struct': {
      const entries = type.fields.map((f): [string, string] => [cloudTrailName(`${path}.${f.name}`), asJson(`${expr}.${f.name}`, f.type, `${path}.${f.name}`, depth)]);
      return `IF(${expr} IS NULL, NULL, CAST(${object(entries)} AS JSON))`;
    }
    case 'array': {
      const e = `e${depth}`;
      return `CAST(transform(${expr}, ${e} -> ${asJson(e, type.element, path, depth + 1)}) AS JSON)`;
    }
  }
}

/** The key paths the rebuilt record can have, in CloudTrail's spelling (array elements as `[]`). */
export function rebuiltKeyPaths(): string[] {
  const out: string[] = [];
  const walk = (type: ColumnType, path: string, keyPath: string) => {
    out.push(keyPath);
    if (type.kind === 'struct') for (const f of type.fields) walk(f.type, `${path}.${f.name}`, `${keyPath}.${cloudTrailName(`${path}.${f.name}`)}`);
    if (type.kind === 'array') walk(type.element, path, `${keyPath}[]`);
  };
  for (const c of logColumns()) walk(c.type, c.name, cloudTrailName(c.name));
  return out;
}

/** The record rebuilt from the columns, as JSON text (see docs/athena.md for what may differ from the file). */
export function rawExpression(): string {
  const entries = logColumns().map((c): [string, string] => [cloudTrailName(c.name), asJson(c.name, c.type, c.name, 0)]);
  return `json_format(CAST(${object(entries)} AS JSON))`;
}

const quoteString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function logsLocation(o: Pick<AthenaDdlOptions, 'bucket' | 'prefix' | 'orgId'>): string {
  const parts = [o.bucket, o.prefix, 'AWSLogs', o.orgId].filter((p): p is string => Boolean(p));
  return `s3://${parts.join('/')}/`;
}

export function baseTableName(view: string): string {
  return `${view}_logs`;
}

/** The view of the resource touches (graph/touches.ts) beside the view `view`. */
export function touchesViewName(view: string): string {
  return `${view}_touches`;
}

export function athenaDdl(o: AthenaDdlOptions): string {
  const location = logsLocation(o);
  const db = o.database;
  const table = `\`${db}\`.\`${baseTableName(o.view)}\``;
  const columns = logColumns().map((c) => `  \`${c.name}\` ${hiveType(c.type)}`);
  const props: Array<[string, string]> = [
    ['classification', 'cloudtrail'],
    ['projection.enabled', 'true'],
    ['projection.account.type', 'enum'],
    ['projection.account.values', o.accounts.join(',')],
    ['projection.region.type', 'enum'],
    ['projection.region.values', o.regions.join(',')],
    ['projection.day.type', 'date'],
    ['projection.day.format', 'yyyy/MM/dd'],
    ['projection.day.range', `${o.since},NOW`],
    ['projection.day.interval', '1'],
    ['projection.day.interval.unit', 'DAYS'],
    ['storage.location.template', `${location}\${account}/CloudTrail/\${region}/\${day}`],
  ];
  const passThrough = [
    ...logColumns().map((c) => `  ${c.name}`),
    `  ${rawExpression().replace(/\n/g, '\n  ')} AS raw`,
    ...PARTITIONS.map((p) => `  ${p}`),
    // The derivations, by the rules the embedded store computes them with when it stores a row.
    ...DERIVED_COLUMNS.map(([name, rule]) => `  ${rule.text.replace(/\n/g, '\n  ')} AS ${name}`),
  ];
  return [
    `-- Generated by \`trailgraph athena-ddl\`. Run each statement in Athena (engine version 3), in order.`,
    ``,
    ...(db === 'default' ? [] : [`CREATE DATABASE IF NOT EXISTS \`${db}\`;`, ``]),
    `-- The CloudTrail log files where CloudTrail writes them: nothing is copied.`,
    `-- Partition projection computes the partitions from the WHERE (no crawler, no MSCK REPAIR).`,
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (`,
    columns.join(',\n'),
    `)`,
    `PARTITIONED BY (${PARTITIONS.map((p) => `\`${p}\` STRING`).join(', ')})`,
    `ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'`,
    `STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'`,
    `OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'`,
    `LOCATION ${quoteString(location)}`,
    `TBLPROPERTIES (`,
    props.map(([k, v]) => `  ${quoteString(k)} = ${quoteString(v)}`).join(',\n'),
    `);`,
    ``,
    `-- What trailgraph reads (--athena-table ${o.view}): the table's columns, the partitions, raw (the`,
    `-- record rebuilt as JSON from the columns), and the derived principal and session of each event.`,
    `CREATE OR REPLACE VIEW "${db}"."${o.view}" AS`,
    `SELECT`,
    passThrough.join(',\n'),
    `FROM ${table.replace(/`/g, '"')};`,
    ``,
    `-- The resources each event touches (resources[] and the ARNs its requestParameters name), one row`,
    `-- per event and resource, derived from the view above by the rules the embedded store stores them with.`,
    `CREATE OR REPLACE VIEW "${db}"."${touchesViewName(o.view)}" AS`,
    `${renameIdentifier(touchesSelect('TRUE'), TABLE, `"${db}"."${o.view}"`)};`,
    ``,
  ].join('\n');
}
