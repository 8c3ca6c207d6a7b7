import { COLUMNS } from '../history/table';
import { MAX_LINE_BYTES } from './rows';

/**
 * The SQL of the fast path: DuckDB reads CloudTrail log files itself
 * ({"Records":[...]}, gzip or not) and computes every column of a record as
 * recordToRow (src/history/table.ts) does, parsing each record once with
 * json_transform (each `r->>'x'` would parse the whole record again).
 *
 * Fields that recordToRow passes through str() are read as VARCHAR: a
 * string stays itself, any other value becomes its JSON text, as str() does.
 * Fields it passes through jsonText(), and the few whose JSON type must be
 * checked (eventID, eventTime, sessionIssuer, webIdFederationData), are read
 * as JSON text.
 *
 * json_transform turns a value that is not an object into a struct of
 * NULLs, where recordToRow gives NULL; an object with none of the fields
 * also gives a struct of NULLs there. A record with such an all-NULL struct
 * is therefore not "regular" and its file goes the Node path, except for
 * sessionIssuer and webIdFederationData: `{}` is common there, so they are
 * read as JSON text and told apart by their first character.
 */
const V = 'VARCHAR';
const J = 'JSON';

const SESSION_CONTEXT = { attributes: { mfaAuthenticated: V, creationDate: V }, sessionIssuer: J, ec2RoleDelivery: V, sourceIdentity: V, webIdFederationData: J };
const USER_IDENTITY = {
  type: V, principalId: V, arn: V, accountId: V, invokedBy: V, accessKeyId: V, userName: V, credentialId: V, identityProvider: V,
  onBehalfOf: { userId: V, identityStoreArn: V },
  sessionContext: SESSION_CONTEXT,
};
const TLS = { tlsVersion: V, cipherSuite: V, clientProvidedHostHeader: V };

const RECORD = {
  eventVersion: V, userIdentity: USER_IDENTITY, eventTime: J, eventSource: V, eventName: V, awsRegion: V, sourceIPAddress: V,
  userAgent: V, errorCode: V, errorMessage: V, requestParameters: J, responseElements: J, additionalEventData: J, requestID: V,
  eventID: J, readOnly: V, resources: [J], eventType: V, apiVersion: V,
  recipientAccountId: V, serviceEventDetails: J, sharedEventID: V, vpcEndpointId: V, vpcEndpointAccountId: V, eventCategory: V,
  managementEvent: V, sessionCredentialFromConsole: V, edgeDeviceDetails: J, tlsDetails: TLS,
};
/** A resource: `ARN` (or `arn`, read only when ARN is missing: struct field names ignore case, so both cannot be in one structure). */
const RESOURCE = { ARN: V, accountId: V, type: V };
const ISSUER = { type: V, principalId: V, arn: V, accountId: V, userName: V };
const WEB_ID = { federatedProvider: V, attributes: J };

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const structure = (s: object): string => literal(JSON.stringify(s));

const UI = 'j.userIdentity';
const SC = `${UI}.sessionContext`;

/** A struct that json_transform made from a non-object, or from an object with none of the fields. */
function allNull(struct: string, fields: readonly string[]): string {
  return `(${struct} IS NOT NULL AND ${fields.map((f) => `${struct}.${f} IS NULL`).join(' AND ')})`;
}

/** A JSON value whose text starts with `{` is an object. */
const ISSUER_EXPR = `CASE WHEN starts_with(${SC}.sessionIssuer, '{') THEN json_transform(${SC}.sessionIssuer, ${structure(ISSUER)}) END`;
const WEB_ID_EXPR = `CASE WHEN ${SC}.webIdFederationData = '{}' THEN {'federatedProvider': NULL::VARCHAR, 'attributes': NULL::JSON}
  WHEN starts_with(${SC}.webIdFederationData, '{') THEN json_transform(${SC}.webIdFederationData, ${structure(WEB_ID)}) END`;

/**
 * Regular: the record is an object; eventID a non-empty string without
 * escapes (so its JSON text minus the quotes is the string); eventTime in
 * CloudTrail's strict form (normalizeEventTime keeps it as it is); and no
 * struct that json_transform may have made from a non-object.
 */
const REGULAR = [
  `starts_with(raw, '{')`,
  `starts_with(j.eventID, '"')`,
  `length(j.eventID) > 2`,
  `NOT contains(j.eventID, '\\')`,
  `regexp_full_match(j.eventTime, '"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"')`,
  `NOT ${allNull(UI, Object.keys(USER_IDENTITY))}`,
  `NOT ${allNull(SC, Object.keys(SESSION_CONTEXT))}`,
  `NOT ${allNull(`${SC}.attributes`, Object.keys(SESSION_CONTEXT.attributes))}`,
  `NOT ${allNull(`${UI}.onBehalfOf`, Object.keys(USER_IDENTITY.onBehalfOf))}`,
  `NOT ${allNull('j.tlsDetails', Object.keys(TLS))}`,
].join('\n    AND ');

const USER_IDENTITY_EXPR = `CASE WHEN ${UI} IS NOT NULL THEN {
  'type': ${UI}.type, 'principalid': ${UI}.principalId, 'arn': ${UI}.arn, 'accountid': ${UI}.accountId, 'invokedby': ${UI}.invokedBy,
  'accesskeyid': ${UI}.accessKeyId, 'username': ${UI}.userName, 'credentialid': ${UI}.credentialId, 'identityprovider': ${UI}.identityProvider,
  'onbehalfof': CASE WHEN ${UI}.onBehalfOf IS NOT NULL THEN {'userid': ${UI}.onBehalfOf.userId, 'identitystorearn': ${UI}.onBehalfOf.identityStoreArn} END,
  'sessioncontext': CASE WHEN ${SC} IS NOT NULL THEN {
    'attributes': CASE WHEN ${SC}.attributes IS NOT NULL THEN {'mfaauthenticated': ${SC}.attributes.mfaAuthenticated, 'creationdate': ${SC}.attributes.creationDate} END,
    'sessionissuer': CASE WHEN iss IS NOT NULL THEN {'type': iss.type, 'principalid': iss.principalId, 'arn': iss.arn, 'accountid': iss.accountId, 'username': iss.userName} END,
    'ec2roledelivery': ${SC}.ec2RoleDelivery,
    'sourceidentity': ${SC}.sourceIdentity,
    'webidfederationdata': CASE WHEN web IS NOT NULL THEN {'federatedprovider': web.federatedProvider, 'attributes': web.attributes} END
  } END
} END`;

/** Each table column as an expression over j (the transformed record), raw, iss and web. */
const COLUMN_EXPRS: Record<string, string> = {
  eventversion: 'j.eventVersion',
  useridentity: USER_IDENTITY_EXPR,
  eventtime: 'j.eventTime[2:21]',
  eventsource: 'j.eventSource',
  eventname: 'j.eventName',
  awsregion: 'j.awsRegion',
  sourceipaddress: 'j.sourceIPAddress',
  useragent: 'j.userAgent',
  errorcode: 'j.errorCode',
  errormessage: 'j.errorMessage',
  requestparameters: 'j.requestParameters',
  responseelements: 'j.responseElements',
  additionaleventdata: 'j.additionalEventData',
  requestid: 'j.requestID',
  eventid: 'j.eventID[2:-2]',
  readonly: 'j.readOnly',
  // `ARN ?? arn`; a null or non-object entry is an entry of NULLs (recordToRow's `obj(x) ?? {}`).
  resources: `list_transform(list_transform(j.resources, x -> {'s': json_transform(x, ${structure(RESOURCE)}), 'x': x}),
    e -> {'arn': coalesce(e.s.ARN, json_extract_string(e.x, '$.arn')), 'accountid': e.s.accountId, 'type': e.s.type})`,
  eventtype: 'j.eventType',
  apiversion: 'j.apiVersion',
  recipientaccountid: 'j.recipientAccountId',
  serviceeventdetails: 'j.serviceEventDetails',
  sharedeventid: 'j.sharedEventID',
  vpcendpointid: 'j.vpcEndpointId',
  vpcendpointaccountid: 'j.vpcEndpointAccountId',
  eventcategory: 'j.eventCategory',
  managementevent: 'j.managementEvent',
  sessioncredentialfromconsole: 'j.sessionCredentialFromConsole',
  edgedevicedetails: 'j.edgeDeviceDetails',
  tlsdetails: `CASE WHEN j.tlsDetails IS NOT NULL THEN {'tlsversion': j.tlsDetails.tlsVersion, 'ciphersuite': j.tlsDetails.cipherSuite, 'clientprovidedhostheader': j.tlsDetails.clientProvidedHostHeader} END`,
  raw: 'raw',
  account: `coalesce(j.recipientAccountId, ${UI}.accountId, 'unknown')`,
  region: `coalesce(j.awsRegion, 'unknown')`,
  day: `j.eventTime[2:5] || '/' || j.eventTime[7:8] || '/' || j.eventTime[10:11]`,
};

for (const [name] of COLUMNS) if (!(name in COLUMN_EXPRS)) throw new Error(`fast path: no expression for column ${name}`);

/** The staging table: the ingest's file number and the record's position, whether it is regular, then the table's columns. */
export const FAST_STAGE = 'ingest_fast';

export const CREATE_FAST_STAGE = `CREATE OR REPLACE TEMP TABLE ${FAST_STAGE} (
  f INTEGER, p BIGINT, regular BOOLEAN,
  ${COLUMNS.map(([n, t]) => `${n} ${t}`).join(',\n  ')}
)`;

/**
 * Stages the records of the files in $1 (paths); $2 is the ingest's number
 * of each, in the same order. Each document also yields one header row
 * (p = -1, no record), so that a file that holds more than one JSON value,
 * or no records, is still seen.
 */
export const STAGE_FILES_SQL = `INSERT INTO ${FAST_STAGE} (f, p, regular, ${COLUMNS.map(([n]) => n).join(', ')})
SELECT f, p, coalesce(${REGULAR}, false) AS regular,
  ${COLUMNS.map(([n]) => `${COLUMN_EXPRS[n]} AS ${n}`).join(',\n  ')}
FROM (
  SELECT f, p, raw, j, ${ISSUER_EXPR} AS iss, ${WEB_ID_EXPR} AS web
  FROM (
    SELECT f, p, r::VARCHAR AS raw, json_transform(r, ${structure(RECORD)}) AS j
    FROM (
      SELECT list_extract($2::INTEGER[], list_position($1::VARCHAR[], filename)) AS f,
        unnest(list_concat([NULL::JSON], Records)) AS r,
        generate_subscripts(list_concat([NULL::JSON], Records), 1) - 2 AS p
      FROM read_json($1::VARCHAR[], columns = {Records: 'JSON[]'}, format = 'unstructured', filename = true,
        maximum_object_size = ${MAX_LINE_BYTES})
    )
  )
)`;

/**
 * Per staged file: its records, and whether the fast path may keep it (one
 * JSON value, every record regular).
 */
export const FAST_FILES_SQL = `SELECT f, count(*) FILTER (p >= 0) AS records,
  count(*) FILTER (p < 0) = 1 AND coalesce(bool_and(regular) FILTER (p >= 0), true) AS ok
FROM ${FAST_STAGE} GROUP BY f`;
