import { CloudTrailRecord } from '../../src/cloudtrail/record';

/**
 * The history table row a record must become, written here from AWS's
 * documented Athena table for CloudTrail (lower-case column names, the
 * `useridentity` and `tlsdetails` structs, the free-form fields as their
 * JSON text) and the partition columns of docs (account, region, day),
 * without src/history/table.ts: the expectation of the corpus round trip,
 * and the rows the fixture store loads.
 */
type Json = Record<string, unknown>;
type Kind = 'text' | 'json';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);

/** A string field as a string column; anything else CloudTrail puts there as its JSON text. */
function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The documented free-form fields: always their JSON text (a string value becomes a quoted string). */
function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** A struct column: each field read from the record's camelCase key; null when the record has no such object. */
function struct(v: unknown, fields: Record<string, [string, Kind | ((x: unknown) => unknown)]>): Json | null {
  if (!isObject(v)) return null;
  const out: Json = {};
  for (const [column, [key, kind]] of Object.entries(fields)) {
    const x = v[key];
    out[column] = kind === 'text' ? text(x) : kind === 'json' ? json(x) : kind(x);
  }
  return out;
}

/** Whole seconds in UTC with a Z, as CloudTrail writes eventTime; a time that does not parse stays as written. */
function secondsUtc(t: string): string {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString().slice(0, 19) + 'Z';
}

const SESSION_CONTEXT = (sc: unknown) =>
  struct(sc, {
    attributes: ['attributes', (a) => struct(a, { mfaauthenticated: ['mfaAuthenticated', 'text'], creationdate: ['creationDate', 'text'] })],
    sessionissuer: ['sessionIssuer', (i) => struct(i, { type: ['type', 'text'], principalid: ['principalId', 'text'], arn: ['arn', 'text'], accountid: ['accountId', 'text'], username: ['userName', 'text'] })],
    ec2roledelivery: ['ec2RoleDelivery', 'text'],
    sourceidentity: ['sourceIdentity', 'text'],
    webidfederationdata: ['webIdFederationData', (w) => struct(w, { federatedprovider: ['federatedProvider', 'text'], attributes: ['attributes', 'json'] })],
  });

/** The row for `record`; `raw` is the record's text as delivered. */
export function expectedTableRow(record: CloudTrailRecord, raw: string = JSON.stringify(record)): Json {
  const r = record as unknown as Json;
  const eventtime = secondsUtc(String(r.eventTime));
  const [y, m, d] = eventtime.slice(0, 10).split('-');
  const row: Json = {
    eventversion: text(r.eventVersion),
    useridentity: struct(r.userIdentity, {
      type: ['type', 'text'], principalid: ['principalId', 'text'], arn: ['arn', 'text'], accountid: ['accountId', 'text'], invokedby: ['invokedBy', 'text'],
      accesskeyid: ['accessKeyId', 'text'], username: ['userName', 'text'], credentialid: ['credentialId', 'text'], identityprovider: ['identityProvider', 'text'],
      onbehalfof: ['onBehalfOf', (o) => struct(o, { userid: ['userId', 'text'], identitystorearn: ['identityStoreArn', 'text'] })],
      sessioncontext: ['sessionContext', SESSION_CONTEXT],
    }),
    eventtime,
    resources: Array.isArray(r.resources) ? r.resources.map((x) => ({ arn: text(get(x, 'ARN') ?? get(x, 'arn')), accountid: text(get(x, 'accountId')), type: text(get(x, 'type')) })) : null,
    tlsdetails: struct(r.tlsDetails, { tlsversion: ['tlsVersion', 'text'], ciphersuite: ['cipherSuite', 'text'], clientprovidedhostheader: ['clientProvidedHostHeader', 'text'] }),
    raw,
    account: text(r.recipientAccountId) ?? text(get(r.userIdentity, 'accountId')) ?? 'unknown',
    region: text(r.awsRegion) ?? 'unknown',
    day: `${y}/${m}/${d}`,
  };
  const plain: Array<[string, string, Kind]> = [
    ['eventsource', 'eventSource', 'text'], ['eventname', 'eventName', 'text'], ['awsregion', 'awsRegion', 'text'], ['sourceipaddress', 'sourceIPAddress', 'text'],
    ['useragent', 'userAgent', 'text'], ['errorcode', 'errorCode', 'text'], ['errormessage', 'errorMessage', 'text'], ['requestparameters', 'requestParameters', 'json'],
    ['responseelements', 'responseElements', 'json'], ['additionaleventdata', 'additionalEventData', 'json'], ['requestid', 'requestID', 'text'], ['eventid', 'eventID', 'text'],
    ['readonly', 'readOnly', 'text'], ['eventtype', 'eventType', 'text'], ['apiversion', 'apiVersion', 'text'], ['recipientaccountid', 'recipientAccountId', 'text'],
    ['serviceeventdetails', 'serviceEventDetails', 'json'], ['sharedeventid', 'sharedEventID', 'text'], ['vpcendpointid', 'vpcEndpointId', 'text'],
    ['vpcendpointaccountid', 'vpcEndpointAccountId', 'text'], ['eventcategory', 'eventCategory', 'text'], ['managementevent', 'managementEvent', 'text'],
    ['sessioncredentialfromconsole', 'sessionCredentialFromConsole', 'text'], ['edgedevicedetails', 'edgeDeviceDetails', 'json'],
  ];
  for (const [column, key, kind] of plain) row[column] = kind === 'text' ? text(r[key]) : json(r[key]);
  return row;
}

/** The table's own columns (not the derived ones), in no particular order: what expectedTableRow answers. */
export const TABLE_ROW_COLUMNS: readonly string[] = Object.keys(expectedTableRow({ eventID: 'x', eventTime: '2024-01-01T00:00:00Z' } as CloudTrailRecord));
