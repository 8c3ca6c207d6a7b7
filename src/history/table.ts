import { CloudTrailRecord, dayOf, normalizeEventTime } from '../cloudtrail/record';
import { DERIVED_COLUMNS } from './derive';

/**
 * The history table: the columns of the documented Athena CloudTrail table
 * (lower-case names, `useridentity` struct, JSON strings for the free-form
 * fields), the two useridentity fields that table lacks (credentialid,
 * sessioncontext.sourceidentity), managementevent, the partition columns
 * account, region and day (YYYY/MM/DD), and the record as delivered (raw).
 */
export const TABLE = 'cloudtrail';

const USERIDENTITY_TYPE = `STRUCT(
  type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, invokedby VARCHAR,
  accesskeyid VARCHAR, username VARCHAR, credentialid VARCHAR, identityprovider VARCHAR,
  onbehalfof STRUCT(userid VARCHAR, identitystorearn VARCHAR),
  sessioncontext STRUCT(
    attributes STRUCT(mfaauthenticated VARCHAR, creationdate VARCHAR),
    sessionissuer STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, username VARCHAR),
    ec2roledelivery VARCHAR,
    sourceidentity VARCHAR,
    webidfederationdata STRUCT(federatedprovider VARCHAR, attributes VARCHAR)
  )
)`;

/** Column name and DuckDB type, in table order. */
export const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['eventversion', 'VARCHAR'],
  ['useridentity', USERIDENTITY_TYPE],
  ['eventtime', 'VARCHAR'],
  ['eventsource', 'VARCHAR'],
  ['eventname', 'VARCHAR'],
  ['awsregion', 'VARCHAR'],
  ['sourceipaddress', 'VARCHAR'],
  ['useragent', 'VARCHAR'],
  ['errorcode', 'VARCHAR'],
  ['errormessage', 'VARCHAR'],
  ['requestparameters', 'VARCHAR'],
  ['responseelements', 'VARCHAR'],
  ['additionaleventdata', 'VARCHAR'],
  ['requestid', 'VARCHAR'],
  ['eventid', 'VARCHAR'],
  ['readonly', 'VARCHAR'],
  ['resources', 'STRUCT(arn VARCHAR, accountid VARCHAR, type VARCHAR)[]'],
  ['eventtype', 'VARCHAR'],
  ['apiversion', 'VARCHAR'],
  ['recipientaccountid', 'VARCHAR'],
  ['serviceeventdetails', 'VARCHAR'],
  ['sharedeventid', 'VARCHAR'],
  ['vpcendpointid', 'VARCHAR'],
  ['vpcendpointaccountid', 'VARCHAR'],
  ['eventcategory', 'VARCHAR'],
  ['managementevent', 'VARCHAR'],
  ['sessioncredentialfromconsole', 'VARCHAR'],
  ['edgedevicedetails', 'VARCHAR'],
  ['tlsdetails', 'STRUCT(tlsversion VARCHAR, ciphersuite VARCHAR, clientprovidedhostheader VARCHAR)'],
  ['raw', 'VARCHAR'],
  ['account', 'VARCHAR'],
  ['region', 'VARCHAR'],
  ['day', 'VARCHAR'],
];

/**
 * Per-column compression where DuckDB's default is a poor fit: raw (the whole
 * record, the bulk of the table) compresses to about a seventh with ZSTD, and
 * writes faster than with the default string compression. Only store files
 * of storage version 1.2 or later honour it (DuckDbEngine.open creates such files).
 */
const COMPRESSION: Readonly<Record<string, string>> = { raw: 'zstd' };

/** The derived columns the embedded store keeps (derive.ts DERIVED_COLUMNS), after COLUMNS. */
export const DERIVED_COLUMN_NAMES: readonly string[] = DERIVED_COLUMNS.map(([n]) => n);

export function createTableSql(name = TABLE): string {
  const column = ([n, t]: readonly [string, string]): string => `${n} ${t}${n in COMPRESSION ? ` USING COMPRESSION ${COMPRESSION[n]}` : ''}`;
  const all = [...COLUMNS, ...DERIVED_COLUMNS.map(([n, , type]) => [n, type] as const)];
  return `CREATE TABLE IF NOT EXISTS ${name} (\n  ${all.map(column).join(',\n  ')}\n)`;
}

/**
 * What an insert into the table selects from a source that has COLUMNS:
 * those, then each derived column computed by its rule (Trino text: the
 * embedded engine passes it through toDuckDbSql).
 */
export function insertSelectList(): { target: string; select: string } {
  const base = COLUMNS.map(([n]) => n);
  return {
    target: [...base, ...DERIVED_COLUMN_NAMES].join(', '),
    select: [...base, ...DERIVED_COLUMNS.map(([n, rule]) => `${rule.text} AS ${n}`)].join(', '),
  };
}

/** One row of the table, as plain JS values (nested objects for the structs). */
export type TableRow = Record<string, unknown>;

function str(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** JSON-string columns hold the field's JSON text, as Athena's JsonSerDe does. */
function jsonText(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The partition account: the account the event was delivered for. */
export function partitionAccount(r: CloudTrailRecord): string {
  return str(r.recipientAccountId) ?? str(r.userIdentity?.accountId) ?? 'unknown';
}

export function partitionRegion(r: CloudTrailRecord): string {
  return str(r.awsRegion) ?? 'unknown';
}

/** Maps a checked record to a table row. `raw` is the record's JSON text. */
export function recordToRow(r: CloudTrailRecord, raw: string = JSON.stringify(r)): TableRow {
  const eventtime = normalizeEventTime(r.eventTime) ?? r.eventTime;
  const ui = obj(r.userIdentity);
  const sc = obj(ui?.sessionContext);
  const attrs = obj(sc?.attributes);
  const issuer = obj(sc?.sessionIssuer);
  const obo = obj(ui?.onBehalfOf);
  const web = obj(sc?.webIdFederationData);
  const tls = obj(r.tlsDetails);
  const resources = Array.isArray(r.resources)
    ? r.resources.map((x) => {
        const o = obj(x) ?? {};
        return { arn: str(o.ARN ?? o.arn), accountid: str(o.accountId), type: str(o.type) };
      })
    : null;
  return {
    eventversion: str(r.eventVersion),
    useridentity: ui
      ? {
          type: str(ui.type), principalid: str(ui.principalId), arn: str(ui.arn), accountid: str(ui.accountId),
          invokedby: str(ui.invokedBy), accesskeyid: str(ui.accessKeyId), username: str(ui.userName),
          credentialid: str(ui.credentialId), identityprovider: str(ui.identityProvider),
          onbehalfof: obo ? { userid: str(obo.userId), identitystorearn: str(obo.identityStoreArn) } : null,
          sessioncontext: sc
            ? {
                attributes: attrs ? { mfaauthenticated: str(attrs.mfaAuthenticated), creationdate: str(attrs.creationDate) } : null,
                sessionissuer: issuer
                  ? { type: str(issuer.type), principalid: str(issuer.principalId), arn: str(issuer.arn), accountid: str(issuer.accountId), username: str(issuer.userName) }
                  : null,
                ec2roledelivery: str(sc.ec2RoleDelivery),
                sourceidentity: str(sc.sourceIdentity),
                webidfederationdata: web ? { federatedprovider: str(web.federatedProvider), attributes: jsonText(web.attributes) } : null,
              }
            : null,
        }
      : null,
    eventtime,
    eventsource: str(r.eventSource),
    eventname: str(r.eventName),
    awsregion: str(r.awsRegion),
    sourceipaddress: str(r.sourceIPAddress),
    useragent: str(r.userAgent),
    errorcode: str(r.errorCode),
    errormessage: str(r.errorMessage),
    requestparameters: jsonText(r.requestParameters),
    responseelements: jsonText(r.responseElements),
    additionaleventdata: jsonText(r.additionalEventData),
    requestid: str(r.requestID),
    eventid: r.eventID,
    readonly: str(r.readOnly),
    resources,
    eventtype: str(r.eventType),
    apiversion: str(r.apiVersion),
    recipientaccountid: str(r.recipientAccountId),
    serviceeventdetails: jsonText(r.serviceEventDetails),
    sharedeventid: str(r.sharedEventID),
    vpcendpointid: str(r.vpcEndpointId),
    vpcendpointaccountid: str(r.vpcEndpointAccountId),
    eventcategory: str(r.eventCategory),
    managementevent: str(r.managementEvent),
    sessioncredentialfromconsole: str(r.sessionCredentialFromConsole),
    edgedevicedetails: jsonText(r.edgeDeviceDetails),
    tlsdetails: tls ? { tlsversion: str(tls.tlsVersion), ciphersuite: str(tls.cipherSuite), clientprovidedhostheader: str(tls.clientProvidedHostHeader) } : null,
    raw,
    account: partitionAccount(r),
    region: partitionRegion(r),
    day: dayOf(eventtime),
  };
}
