import { Actor, iso } from './actors';
import { Account, Region } from './cast';
import { Random } from './random';
import { userAgent } from './user-agents';

/** One API call, before it is attributed to an actor and a time. */
export interface Call {
  source: string;
  name: string;
  readOnly: boolean;
  /** Data events (S3 objects, Lambda Invoke, Verified Permissions) are not management events. */
  data?: boolean;
  params: unknown;
  response?: unknown;
  resources?: Array<{ accountId?: string; type: string; ARN: string }>;
  additional?: Record<string, unknown>;
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  /** Global services (IAM, sign-in) record in us-east-1 whatever the caller's region. */
  region?: Region;
  /** The resource an AccessDenied message names. */
  target?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Responses of other accounts' calls share an id across both accounts' trails. */
  sharedEventID?: string;
}

export interface Place {
  rng: Random;
  account: Account;
  region: Region;
}

const TLS = [
  { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' },
  { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256' },
];

function host(call: Call, region: string): string {
  const service = call.source.slice(0, call.source.indexOf('.'));
  if (service === 'iam' || service === 'signin') return call.source;
  if (service === 's3' && call.params && typeof call.params === 'object' && 'bucketName' in call.params) {
    return `${String((call.params as { bucketName: unknown }).bucketName)}.s3.${region}.amazonaws.com`;
  }
  return `${service}.${region}.amazonaws.com`;
}

/** Marks a call as refused: AccessDenied, or EC2's own code. */
export function denied(call: Call, actor: Actor, rng: Random): Call {
  const service = call.source.slice(0, call.source.indexOf('.'));
  const action = `${service}:${call.name}`;
  const target = call.target ?? call.resources?.[0]?.ARN ?? '*';
  if (service === 'ec2') {
    return {
      ...call, response: null, errorCode: 'Client.UnauthorizedOperation',
      errorMessage: `You are not authorized to perform this operation. User: ${actor.arn} is not authorized to perform: ${action} on resource: ${target} because no identity-based policy allows the ${action} action. Encoded authorization failure message: ${rng.alnum(48)}`,
    };
  }
  const message = call.data && service === 's3'
    ? 'Access Denied'
    : `User: ${actor.arn} is not authorized to perform: ${action} on resource: ${target} because no identity-based policy allows the ${action} action`;
  return { ...call, response: null, errorCode: 'AccessDenied', errorMessage: message };
}

/** The record CloudTrail writes for `call` by `actor` at `time` (epoch seconds), fields in CloudTrail's order. */
export function toRecord(place: Place, actor: Actor, call: Call, time: number): Record<string, unknown> {
  const { rng } = place;
  const region = call.region ?? place.region;
  const r: Record<string, unknown> = {
    eventVersion: call.data ? '1.10' : call.eventType === 'AwsConsoleSignIn' ? '1.09' : '1.10',
    userIdentity: actor.userIdentity,
    eventTime: iso(time),
    eventSource: call.source,
    eventName: call.name,
    awsRegion: region,
    sourceIPAddress: actor.service ?? actor.sourceIp,
    userAgent: actor.service ?? userAgent(actor.client, rng),
  };
  if (call.errorCode) r.errorCode = call.errorCode;
  if (call.errorMessage) r.errorMessage = call.errorMessage;
  r.requestParameters = call.params;
  r.responseElements = call.response ?? null;
  if (call.additional) r.additionalEventData = call.additional;
  r.requestID = call.source === 's3.amazonaws.com' ? rng.upper(16) : rng.uuid();
  r.eventID = rng.uuid();
  r.readOnly = call.readOnly;
  if (call.resources) r.resources = call.resources;
  r.eventType = call.eventType ?? 'AwsApiCall';
  r.managementEvent = !call.data;
  r.recipientAccountId = place.account.id;
  if (call.sharedEventID) r.sharedEventID = call.sharedEventID;
  r.eventCategory = call.data ? 'Data' : 'Management';
  if (actor.fromConsole) r.sessionCredentialFromConsole = 'true';
  if (!actor.service) r.tlsDetails = { ...rng.pick(TLS), clientProvidedHostHeader: host(call, region) };
  return r;
}
