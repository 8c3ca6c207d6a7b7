import { EventKey, eventIdOf } from './ids';
import { Row } from './engine';
import { Sql, trusted } from './sql/sql';

/** What the events statements select: scalars, and the structs as JSON text. */
export const EVENT_COLUMNS: Sql = trusted(
  [
    'eventid', 'eventtime', 'eventname', 'eventsource', 'eventtype', 'eventcategory', 'eventversion',
    'awsregion', 'recipientaccountid', 'sourceipaddress', 'useragent', 'readonly', 'managementevent',
    'errorcode', 'errormessage', 'requestid', 'sharedeventid', 'vpcendpointid', 'requestparameters',
    'responseelements', 'additionaleventdata', 'serviceeventdetails', 'sessioncredentialfromconsole',
    'json_format(CAST(tlsdetails AS JSON)) AS tlsdetails',
    'json_format(CAST(useridentity AS JSON)) AS useridentity',
    'json_format(CAST(resources AS JSON)) AS resources',
    'raw', 'account', 'region', 'day',
  ].join(', '),
);

const LIGHT_COLUMNS = [
  'eventid', 'eventtime', 'eventname', 'eventsource', 'eventtype', 'eventcategory', 'eventversion',
  'awsregion', 'recipientaccountid', 'sourceipaddress', 'useragent', 'readonly', 'managementevent',
  'errorcode', 'errormessage', 'requestid', 'sharedeventid', 'vpcendpointid', 'sessioncredentialfromconsole',
];
const PAYLOAD_COLUMNS = ['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails', 'raw'];
const STRUCT_COLUMNS = ['tlsdetails', 'useridentity', 'resources'];
const PARTITION_COLUMNS = ['account', 'region', 'day'];

/**
 * The columns a page statement reads before its LIMIT. The payload columns
 * (the largest, `raw` above all) are read only when the request asks for
 * them: an embedded engine then reads a fraction of the bytes.
 */
export function eventInnerColumns(payloads: boolean): Sql {
  const payload = PAYLOAD_COLUMNS.map((c) => (payloads ? c : `CAST(NULL AS VARCHAR) AS ${c}`));
  return trusted([...LIGHT_COLUMNS, ...payload, ...STRUCT_COLUMNS, ...PARTITION_COLUMNS].join(', '));
}

/** What a page statement returns, computed after its LIMIT: the structs as JSON text for the few rows kept. */
export const EVENT_OUTPUT_COLUMNS: Sql = trusted(
  [...LIGHT_COLUMNS, ...PAYLOAD_COLUMNS, ...STRUCT_COLUMNS.map((c) => `json_format(CAST(${c} AS JSON)) AS ${c}`), ...PARTITION_COLUMNS].join(', '),
);

/** useridentity as the table holds it (lower-case names). */
export interface UserIdentityRow {
  type: string | null;
  principalid: string | null;
  arn: string | null;
  accountid: string | null;
  invokedby: string | null;
  accesskeyid: string | null;
  username: string | null;
  credentialid: string | null;
  identityprovider: string | null;
  onbehalfof: { userid: string | null; identitystorearn: string | null } | null;
  sessioncontext: {
    attributes: { mfaauthenticated: string | null; creationdate: string | null } | null;
    sessionissuer: { type: string | null; principalid: string | null; arn: string | null; accountid: string | null; username: string | null } | null;
    sourceidentity: string | null;
  } | null;
}

/** One stored event, as the store hands it to the API layer. */
export interface StoredEvent {
  id: string;
  key: EventKey;
  eventTime: string;
  columns: Row;
  userIdentity: UserIdentityRow | null;
  resources: Array<{ arn: string | null; accountid: string | null; type: string | null }>;
  tlsDetails: { tlsversion: string | null; ciphersuite: string | null; clientprovidedhostheader: string | null } | null;
  raw: string | null;
}

function parseJson<T>(v: unknown): T | null {
  return typeof v === 'string' && v !== '' ? (JSON.parse(v) as T) : null;
}

export function toStoredEvent(row: Row): StoredEvent {
  const key: EventKey = { day: String(row.day), account: String(row.account), region: String(row.region), eventId: String(row.eventid) };
  return {
    id: eventIdOf(key),
    key,
    eventTime: String(row.eventtime),
    columns: row,
    userIdentity: parseJson<UserIdentityRow>(row.useridentity),
    resources: parseJson<StoredEvent['resources']>(row.resources) ?? [],
    tlsDetails: parseJson<StoredEvent['tlsDetails']>(row.tlsdetails),
    raw: typeof row.raw === 'string' ? row.raw : null,
  };
}
