/**
 * The CloudTrail record as delivered. Only the fields we read are typed; every
 * other field is kept, because the raw record is stored whole.
 */
export interface SessionIssuerJson {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface UserIdentityJson {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  identityProvider?: string;
  credentialId?: string;
  onBehalfOf?: { userId?: string; identityStoreArn?: string };
  sessionContext?: {
    attributes?: { mfaAuthenticated?: string | boolean; creationDate?: string };
    sessionIssuer?: SessionIssuerJson;
    sourceIdentity?: string;
    ec2RoleDelivery?: string;
    webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, unknown> };
  };
  [field: string]: unknown;
}

export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: UserIdentityJson;
  eventTime: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  additionalEventData?: unknown;
  serviceEventDetails?: unknown;
  requestID?: string;
  eventID: string;
  readOnly?: boolean | string;
  resources?: Array<{ ARN?: string; arn?: string; accountId?: string; type?: string }>;
  eventType?: string;
  apiVersion?: string;
  managementEvent?: boolean | string;
  recipientAccountId?: string;
  sharedEventID?: string;
  vpcEndpointId?: string;
  vpcEndpointAccountId?: string;
  eventCategory?: string;
  sessionCredentialFromConsole?: string | boolean;
  edgeDeviceDetails?: unknown;
  tlsDetails?: { tlsVersion?: string; cipherSuite?: string; clientProvidedHostHeader?: string };
  addendum?: unknown;
  [field: string]: unknown;
}

/** Why a record cannot be stored. */
export type RecordProblem =
  | 'not an object'
  | 'missing eventID'
  | 'missing eventTime'
  | 'eventTime is not an ISO 8601 instant';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the few fields a record needs to be stored and found again. */
export function checkRecord(value: unknown): { record: CloudTrailRecord } | { problem: RecordProblem } {
  if (!isObject(value)) return { problem: 'not an object' };
  if (typeof value.eventID !== 'string' || value.eventID === '') return { problem: 'missing eventID' };
  if (typeof value.eventTime !== 'string' || value.eventTime === '') return { problem: 'missing eventTime' };
  if (normalizeEventTime(value.eventTime) === null) return { problem: 'eventTime is not an ISO 8601 instant' };
  return { record: value as CloudTrailRecord };
}

/**
 * CloudTrail writes `2024-03-20T11:07:02Z`; a few producers add fractions or
 * offsets. The stored column is always second-precision UTC with a Z, so that
 * string order is time order in every engine.
 */
export function normalizeEventTime(s: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s)) return s;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return null;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The partition day of an instant, in the S3 layout's form: YYYY/MM/DD. */
export function dayOf(eventTime: string): string {
  return `${eventTime.slice(0, 4)}/${eventTime.slice(5, 7)}/${eventTime.slice(8, 10)}`;
}
