import { Sql, sql, trusted } from '../history/sql/sql';
import { FieldGuard, unsupported } from './rule';

/**
 * Sigma field names (CloudTrail's record spelling) mapped to the table:
 * top-level fields and userIdentity.* to their columns; requestParameters.*,
 * responseElements.*, additionalEventData.* into their JSON text. A field
 * not listed makes the rule unsupported.
 */
export interface FieldRef {
  name: string;
  /** The field's value as text (NULL when absent). */
  value: Sql;
  /** Whether the field is there at all (Sigma's `exists`). */
  present: Sql;
  guard: FieldGuard | null;
}

const TOP: Readonly<Record<string, string>> = {
  eventVersion: 'eventversion', eventTime: 'eventtime', eventSource: 'eventsource', eventName: 'eventname',
  awsRegion: 'awsregion', sourceIPAddress: 'sourceipaddress', userAgent: 'useragent', errorCode: 'errorcode',
  errorMessage: 'errormessage', requestID: 'requestid', eventID: 'eventid', readOnly: 'readonly', eventType: 'eventtype',
  apiVersion: 'apiversion', recipientAccountId: 'recipientaccountid', sharedEventID: 'sharedeventid',
  vpcEndpointId: 'vpcendpointid', vpcEndpointAccountId: 'vpcendpointaccountid', eventCategory: 'eventcategory',
  managementEvent: 'managementevent', sessionCredentialFromConsole: 'sessioncredentialfromconsole',
  requestParameters: 'requestparameters', responseElements: 'responseelements', additionalEventData: 'additionaleventdata',
  serviceEventDetails: 'serviceeventdetails',
  'tlsDetails.tlsVersion': 'tlsdetails.tlsversion', 'tlsDetails.cipherSuite': 'tlsdetails.ciphersuite',
  'tlsDetails.clientProvidedHostHeader': 'tlsdetails.clientprovidedhostheader',
};

const IDENTITY: Readonly<Record<string, string>> = {
  type: 'type', principalId: 'principalid', arn: 'arn', accountId: 'accountid', invokedBy: 'invokedby',
  accessKeyId: 'accesskeyid', userName: 'username', credentialId: 'credentialid', identityProvider: 'identityprovider',
  'onBehalfOf.userId': 'onbehalfof.userid', 'onBehalfOf.identityStoreArn': 'onbehalfof.identitystorearn',
  'sessionContext.attributes.mfaAuthenticated': 'sessioncontext.attributes.mfaauthenticated',
  'sessionContext.attributes.creationDate': 'sessioncontext.attributes.creationdate',
  'sessionContext.sessionIssuer.type': 'sessioncontext.sessionissuer.type',
  'sessionContext.sessionIssuer.principalId': 'sessioncontext.sessionissuer.principalid',
  'sessionContext.sessionIssuer.arn': 'sessioncontext.sessionissuer.arn',
  'sessionContext.sessionIssuer.accountId': 'sessioncontext.sessionissuer.accountid',
  'sessionContext.sessionIssuer.userName': 'sessioncontext.sessionissuer.username',
  'sessionContext.ec2RoleDelivery': 'sessioncontext.ec2roledelivery',
  'sessionContext.sourceIdentity': 'sessioncontext.sourceidentity',
};

/** The JSON-text columns a dotted path goes into, and the permission they need. */
const JSON_COLUMNS: Readonly<Record<string, readonly [string, FieldGuard]>> = {
  requestParameters: ['requestparameters', 'payloads'],
  responseElements: ['responseelements', 'payloads'],
  additionalEventData: ['additionaleventdata', 'payloads'],
  serviceEventDetails: ['serviceeventdetails', 'payloads'],
};

const GUARDED: Readonly<Record<string, FieldGuard>> = {
  sourceipaddress: 'network', useragent: 'network', requestparameters: 'payloads', responseelements: 'payloads',
  additionaleventdata: 'payloads', serviceeventdetails: 'payloads',
};

const PATH_PART = /^[A-Za-z0-9_-]+$/;

export function fieldRef(name: string): FieldRef {
  const column = TOP[name];
  if (column) {
    const guard = column.startsWith('tlsdetails.') ? 'network' : (GUARDED[column] ?? null);
    const c = trusted(column);
    return { name, value: c, present: sql`${c} IS NOT NULL`, guard };
  }
  if (name.startsWith('userIdentity.')) {
    const path = IDENTITY[name.slice('userIdentity.'.length)];
    if (!path) unsupported(`unknown field ${name}`);
    const c = trusted(`useridentity.${path}`);
    return { name, value: c, present: sql`${c} IS NOT NULL`, guard: null };
  }
  const dot = name.indexOf('.');
  const json = dot > 0 ? JSON_COLUMNS[name.slice(0, dot)] : undefined;
  if (!json) unsupported(`unknown field ${name}`);
  const parts = name.slice(dot + 1).split('.');
  if (!parts.every((p) => PATH_PART.test(p))) unsupported(`field ${name}: a path of names is supported, not ${name.slice(dot + 1)}`);
  const [jsonColumn, guard] = json;
  const c = trusted(jsonColumn);
  // The path is bound like any value. A scalar reads as its text; an object or array as its JSON text.
  const path = `$.${parts.map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : `["${p}"]`)).join('.').replace(/\.\[/g, '[')}`;
  const value = sql`(CASE WHEN is_json_scalar(json_extract(${c}, ${path})) THEN json_extract_scalar(${c}, ${path}) ELSE json_format(json_extract(${c}, ${path})) END)`;
  return { name, value, present: sql`json_extract(${c}, ${path}) IS NOT NULL`, guard };
}
