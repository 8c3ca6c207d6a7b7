import { EventKey, eventIdOf } from './ids';
import { Row } from './engine';
import { IDENTITY_PARTS, identityAlias } from './event-projection';
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

function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

const ATTRIBUTES = identityAlias('useridentity.sessioncontext.attributes');
const SESSION_ISSUER = identityAlias('useridentity.sessioncontext.sessionissuer');
const SOURCE_IDENTITY = identityAlias('useridentity.sessioncontext.sourceidentity');
const ON_BEHALF_OF = identityAlias('useridentity.onbehalfof');
/** The result columns of every identity part (the only `ui_` columns a statement returns). */
const IDENTITY_ALIASES: readonly string[] = IDENTITY_PARTS.map(identityAlias);

/** useridentity from the parts a projection read (see IDENTITY_PARTS); null when it read none. */
function identityFromParts(row: Row): UserIdentityRow | null {
  if (!IDENTITY_ALIASES.some((alias) => alias in row)) return null;
  const attributes = parseJson<NonNullable<UserIdentityRow['sessioncontext']>['attributes']>(row[ATTRIBUTES]);
  const sessionissuer = parseJson<NonNullable<UserIdentityRow['sessioncontext']>['sessionissuer']>(row[SESSION_ISSUER]);
  const sourceidentity = text(row[SOURCE_IDENTITY]);
  return {
    type: text(row.ui_type), principalid: text(row.ui_principalid), arn: text(row.ui_arn), accountid: text(row.ui_accountid),
    invokedby: text(row.ui_invokedby), accesskeyid: text(row.ui_accesskeyid), username: text(row.ui_username),
    credentialid: text(row.ui_credentialid), identityprovider: text(row.ui_identityprovider),
    onbehalfof: parseJson<UserIdentityRow['onbehalfof']>(row[ON_BEHALF_OF]),
    sessioncontext: attributes || sessionissuer || sourceidentity !== null ? { attributes, sessionissuer, sourceidentity } : null,
  };
}

export function toStoredEvent(row: Row): StoredEvent {
  const key: EventKey = { day: String(row.day), account: String(row.account), region: String(row.region), eventId: String(row.eventid) };
  return {
    id: eventIdOf(key),
    key,
    eventTime: String(row.eventtime),
    columns: row,
    userIdentity: parseJson<UserIdentityRow>(row.useridentity) ?? identityFromParts(row),
    resources: parseJson<StoredEvent['resources']>(row.resources) ?? [],
    tlsDetails: parseJson<StoredEvent['tlsDetails']>(row.tlsdetails),
    raw: typeof row.raw === 'string' ? row.raw : null,
  };
}
