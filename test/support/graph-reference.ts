import { ClientTool, classifyUserAgent } from '../../src/cloudtrail/client-tool';
import { CloudTrailRecord, normalizeEventTime } from '../../src/cloudtrail/record';

/**
 * The investigation graph computed in plain TypeScript over raw records,
 * written from docs/derivations.md without the SQL: what the API must
 * answer. Field values are read as the history table stores them (strings;
 * other JSON values as their JSON text).
 */
type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
/** As the table stores a field: strings as they are, other values as JSON text. */
const str = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
/** NULLIF(x, ''). */
const nn = (v: unknown): string | null => {
  const s = str(v);
  return s === '' ? null : s;
};

export const UNKNOWN = 'unknown';
export const DENIED_CODES = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation'];

interface Identity {
  type: string | null;
  principalId: string | null;
  arn: string | null;
  accountId: string | null;
  invokedBy: string | null;
  accessKeyId: string | null;
  userName: string | null;
  credentialId: string | null;
  identityProvider: string | null;
  obUserId: string | null;
  obStore: string | null;
  creationDate: string | null;
  mfa: string | null;
  issuerArn: string | null;
  issuerAccount: string | null;
  issuerUserName: string | null;
  sourceIdentity: string | null;
}

export function identityOf(r: CloudTrailRecord): Identity {
  const u = obj(r.userIdentity) ?? {};
  const sc = obj(u.sessionContext);
  const attrs = obj(sc?.attributes);
  const issuer = obj(sc?.sessionIssuer);
  const ob = obj(u.onBehalfOf);
  return {
    type: str(u.type), principalId: str(u.principalId), arn: str(u.arn), accountId: str(u.accountId), invokedBy: str(u.invokedBy),
    accessKeyId: str(u.accessKeyId), userName: str(u.userName), credentialId: str(u.credentialId), identityProvider: str(u.identityProvider),
    obUserId: str(ob?.userId), obStore: str(ob?.identityStoreArn), creationDate: str(attrs?.creationDate), mfa: str(attrs?.mfaAuthenticated),
    issuerArn: str(issuer?.arn), issuerAccount: str(issuer?.accountId), issuerUserName: str(issuer?.userName), sourceIdentity: str(sc?.sourceIdentity),
  };
}

const isIdentityCenterUser = (u: Identity) => u.obUserId !== null && (u.type === null || u.type === 'IdentityCenterUser' || u.type === 'Unknown');

/** The principal's canonical ARN; null where nothing identifies one. */
export function principalArnOf(r: CloudTrailRecord): string | null {
  const u = identityOf(r);
  const join = (...parts: Array<string | null>) => (parts.some((p) => p === null) ? null : parts.join(''));
  if (isIdentityCenterUser(u)) return `${nn(u.obStore) ?? 'identitystore'}/user/${u.obUserId}`;
  switch (u.type) {
    case 'AssumedRole': {
      if (nn(u.issuerArn)) return u.issuerArn;
      if (u.arn && /^arn:.*:.*:.*:.*:assumed-role\/.*\/.*$/s.test(u.arn)) {
        const f = u.arn.split(':');
        return `arn:${f[1]}:iam::${f[4]}:role/${f[5].split('/')[1] ?? ''}`;
      }
      return join('arn:aws:iam::', nn(u.issuerAccount), ':role/', nn(u.issuerUserName));
    }
    case 'AWSService':
      return nn(u.invokedBy) ?? nn(u.principalId);
    case 'Root':
    case 'AWSAccount':
      return u.arn !== null && /^arn:.*:root$/s.test(u.arn) ? u.arn : join('arn:aws:iam::', nn(u.accountId), ':root');
    case 'IAMUser':
      return nn(u.arn) ?? (u.userName !== null && u.userName !== 'HIDDEN_DUE_TO_SECURITY_REASONS' ? join('arn:aws:iam::', nn(u.accountId), ':user/', nn(u.userName)) : null);
    case 'SAMLUser':
    case 'WebIdentityUser':
      return nn(u.arn) ?? nn(u.principalId) ?? join(nn(u.identityProvider), ':', nn(u.userName));
    case null:
      if (u.invokedBy !== null) return nn(u.invokedBy) ?? nn(u.principalId);
      return nn(u.arn);
    default:
      return nn(u.arn);
  }
}

export function principalKeyOf(r: CloudTrailRecord): string {
  return principalArnOf(r) ?? UNKNOWN;
}

/** The principal's type, CloudTrail's spelling. */
export function principalTypeOf(r: CloudTrailRecord): string {
  const u = identityOf(r);
  if (isIdentityCenterUser(u)) return 'IdentityCenterUser';
  if (u.type === null && u.invokedBy !== null) return 'AWSService';
  return nn(u.type) ?? 'Unknown';
}

/** KIND|START|KEY, or null for calls outside any session. */
export function sessionRefOf(r: CloudTrailRecord): string | null {
  const u = identityOf(r);
  const created = nn(u.creationDate);
  const key = nn(u.principalId) ?? nn(u.arn);
  if (isIdentityCenterUser(u) && nn(u.credentialId) !== null) return `IDENTITY_CENTER||${u.credentialId}`;
  if (u.type === 'AssumedRole' && created && key) return `ASSUMED_ROLE|${created}|${key}`;
  if (u.type === 'FederatedUser' && created && key) return `FEDERATED|${created}|${key}`;
  // Console sessions are keyed by the identity's ARN (root and a user may share a principalId).
  const consoleKey = principalArnOf(r) ?? nn(u.principalId);
  if ((u.type === 'IAMUser' || u.type === 'Root') && consoleKey) {
    const signIn = r.eventName === 'ConsoleLogin' && r.eventSource === 'signin.amazonaws.com' && !nn(r.errorCode) && !nn(r.errorMessage);
    if (signIn) return `CONSOLE|${created ?? timeOf(r)}|${consoleKey}`;
    const flag = str(r.sessionCredentialFromConsole);
    // Before sessionCredentialFromConsole existed: the console's user agents.
    const fromConsole = flag === null ? classifyUserAgent(str(r.userAgent)).tool === ClientTool.CONSOLE : flag.toLowerCase() === 'true';
    if (fromConsole && created) return `CONSOLE|${created}|${consoleKey}`;
  }
  return null;
}

export function timeOf(r: CloudTrailRecord): string {
  return normalizeEventTime(r.eventTime) ?? r.eventTime;
}

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
/** The name signed in with (Identity Center sign-in events' additionalEventData.UserName), else userIdentity.userName; never the hidden text. */
export function userNameOf(r: CloudTrailRecord): string | null {
  const clean = (v: string | null) => (v === null || v === '' || v === HIDDEN ? null : v);
  const signIn = r.eventSource === 'signin.amazonaws.com' && (r.eventName === 'CredentialChallenge' || r.eventName === 'UserAuthentication');
  return (signIn ? clean(str(obj(r.additionalEventData)?.UserName)) : null) ?? clean(identityOf(r).userName);
}

export const isWrite = (r: CloudTrailRecord) => String(str(r.readOnly) ?? 'false').toLowerCase() !== 'true';
export const hasError = (r: CloudTrailRecord) => nn(r.errorCode) !== null;
export const isDenied = (r: CloudTrailRecord) => DENIED_CODES.includes(String(str(r.errorCode)));

export function mfaRankOf(r: CloudTrailRecord): number {
  const m = (identityOf(r).mfa ?? '').toLowerCase();
  const used = r.eventName === 'ConsoleLogin' ? str(obj(r.additionalEventData)?.MFAUsed) : null;
  if (m === 'true' || used === 'Yes') return 2;
  if (m === 'false' || used === 'No') return 1;
  return 0;
}

/** json_extract_scalar as the embedded engine does it: scalars as text, objects and arrays as JSON text. */
function param(r: CloudTrailRecord, ...path: Array<string | number>): string | null {
  return at(r.requestParameters, ...path);
}
function response(r: CloudTrailRecord, ...path: Array<string | number>): string | null {
  return at(r.responseElements, ...path);
}
function at(root: unknown, ...path: Array<string | number>): string | null {
  let v: unknown = root;
  for (const p of path) {
    if (typeof p === 'number') v = Array.isArray(v) ? v[p] : undefined;
    else v = obj(v)?.[p];
  }
  return str(v);
}

const isArn = (v: string | null): boolean => v !== null && v.startsWith('arn:');
const arnOnly = (v: string | null): string | null => (v !== null && isArn(v) ? v : null);

/** The resources of docs/derivations.md's newer rules (services beyond S3, IAM, Lambda, EC2 instances, KMS and Verified Permissions), as [type, ARN]. */
function payloadResources(r: CloudTrailRecord, account: string | null, region: string | null): Array<[string, string | null]> {
  const blank = (v: string | null) => (v === '' ? null : v);
  const cat = (...parts: Array<string | null>) => (parts.some((p) => p === null) ? null : parts.join(''));
  const regional = (service: string, rest: string, id: string | null, owner = account) => cat(`arn:aws:${service}:`, region, ':', owner, `:${rest}`, id);
  const p = (...path: Array<string | number>) => blank(param(r, ...path));
  const named = (v: string | null, build: (id: string) => string | null): string | null => (v === null ? null : isArn(v) ? v : build(v));
  switch (r.eventSource) {
    case 'secretsmanager.amazonaws.com':
      return [['AWS::SecretsManager::Secret', arnOnly(response(r, 'arn')) ?? named(p('secretId'), (id) => regional('secretsmanager', 'secret:', id))]];
    case 'cloudtrail.amazonaws.com': {
      const onTrail = ['CreateTrail', 'DeleteTrail', 'UpdateTrail', 'StartLogging', 'StopLogging', 'GetTrail', 'GetTrailStatus'].includes(String(r.eventName));
      const trail = onTrail ? p('name') : p('trailName');
      return [['AWS::CloudTrail::Trail', arnOnly(response(r, 'trailARN')) ?? named(trail, (id) => regional('cloudtrail', 'trail/', id))]];
    }
    case 'sns.amazonaws.com':
      return [['AWS::SNS::Topic', arnOnly(param(r, 'topicArn')) ?? arnOnly(response(r, 'topicArn'))]];
    case 'sqs.amazonaws.com': {
      // https://sqs.REGION.amazonaws.com/ACCOUNT/NAME
      const url = p('queueUrl') ?? blank(response(r, 'queueUrl'));
      const [, , , owner, name] = url === null ? [] : url.split('/');
      return [['AWS::SQS::Queue', cat('arn:aws:sqs:', region, ':', blank(owner ?? null), ':', blank(name ?? null))]];
    }
    case 'dynamodb.amazonaws.com':
      return [['AWS::DynamoDB::Table', named(p('tableName'), (id) => regional('dynamodb', 'table/', id))]];
    case 'rds.amazonaws.com':
      return [
        ['AWS::RDS::DBInstance', arnOnly(response(r, 'dBInstanceArn')) ?? named(p('dBInstanceIdentifier'), (id) => regional('rds', 'db:', id.toLowerCase()))],
        ['AWS::RDS::DBCluster', arnOnly(response(r, 'dBClusterArn')) ?? named(p('dBClusterIdentifier'), (id) => regional('rds', 'cluster:', id.toLowerCase()))],
      ];
    case 'ecr.amazonaws.com':
      return [['AWS::ECR::Repository', arnOnly(response(r, 'repository', 'repositoryArn')) ?? regional('ecr', 'repository/', p('repositoryName'), p('registryId') ?? account)]];
    case 'ecs.amazonaws.com': {
      const task = p('taskDefinition');
      return [
        ['AWS::ECS::Cluster', arnOnly(response(r, 'cluster', 'clusterArn')) ?? named(p('cluster') ?? p('clusterName'), (id) => regional('ecs', 'cluster/', id))],
        ['AWS::ECS::TaskDefinition', arnOnly(response(r, 'taskDefinition', 'taskDefinitionArn')) ?? (isArn(task) ? task : task?.includes(':') ? regional('ecs', 'task-definition/', task) : null)],
      ];
    }
    case 'cloudformation.amazonaws.com':
      return [['AWS::CloudFormation::Stack', arnOnly(response(r, 'stackId')) ?? named(p('stackName'), (id) => regional('cloudformation', 'stack/', id))]];
    case 'ssm.amazonaws.com': {
      const onParameter = ['GetParameter', 'PutParameter', 'DeleteParameter', 'GetParameterHistory', 'LabelParameterVersion', 'UnlabelParameterVersion'].includes(String(r.eventName));
      return onParameter ? [['AWS::SSM::Parameter', named(p('name'), (id) => regional('ssm', 'parameter/', id.replace(/^\//, '')))]] : [];
    }
    case 'guardduty.amazonaws.com':
      return [['AWS::GuardDuty::Detector', regional('guardduty', 'detector/', p('detectorId') ?? blank(response(r, 'detectorId')))]];
    case 'organizations.amazonaws.com': {
      const policyId = param(r, 'policyId');
      const managed = policyId === 'p-FullAWSAccess' ? 'service_control_policy/' : policyId === 'p-RCPFullAWSAccess' ? 'resource_control_policy/' : null;
      return [
        ['AWS::Organizations::Account', arnOnly(response(r, 'account', 'arn'))],
        ['AWS::Organizations::Policy', arnOnly(response(r, 'policy', 'policySummary', 'arn')) ?? cat('arn:aws:organizations::aws:policy/', managed, policyId)],
        ['AWS::Organizations::OrganizationalUnit', arnOnly(response(r, 'organizationalUnit', 'arn'))],
      ];
    }
    default:
      return [];
  }
}

export interface ResourceRef {
  arn: string;
  type: string | null;
  accountId: string | null;
}

/** Every resource the call touches: resources[] and the requestParameters rules, one per ARN. */
export function resourcesOf(r: CloudTrailRecord): ResourceRef[] {
  const found: Array<[string, string, string]> = [];
  for (const x of Array.isArray(r.resources) ? r.resources : []) {
    const o = obj(x) ?? {};
    const arn = nn(o.ARN ?? o.arn);
    if (arn) found.push([arn, str(o.type) ?? '', str(o.accountId) ?? '']);
  }
  const account = str(r.recipientAccountId) ?? identityOf(r).accountId;
  const region = str(r.awsRegion);
  const add = (type: string, acct: string | null, arn: string | null) => {
    if (arn !== null && acct !== null) found.push([arn, type, acct]);
  };
  const cat = (...parts: Array<string | null>) => (parts.some((p) => p === null) ? null : parts.join(''));
  const blank = (v: string | null) => (v === '' ? null : v);
  switch (r.eventSource) {
    case 's3.amazonaws.com': {
      const bucket = blank(param(r, 'bucketName'));
      add('AWS::S3::Bucket', '', cat('arn:aws:s3:::', bucket));
      add('AWS::S3::Object', '', cat('arn:aws:s3:::', bucket, '/', blank(param(r, 'key'))));
      break;
    }
    case 'iam.amazonaws.com':
      add('AWS::IAM::Role', account, nn(obj(obj(r.responseElements)?.role)?.arn) ?? cat('arn:aws:iam::', account, ':role/', blank(param(r, 'roleName'))));
      add('AWS::IAM::User', account, cat('arn:aws:iam::', account, ':user/', blank(param(r, 'userName'))));
      add('AWS::IAM::Policy', '', blank(param(r, 'policyArn')));
      break;
    case 'lambda.amazonaws.com': {
      const fn = param(r, 'functionName');
      add('AWS::Lambda::Function', account, fn !== null && fn.startsWith('arn:') ? fn : cat('arn:aws:lambda:', region, ':', account, ':function:', blank(fn)));
      break;
    }
    case 'ec2.amazonaws.com': {
      // AWS's ARN formats (Service Authorization Reference, Amazon EC2): images and snapshots carry no account.
      const ec2 = (kind: string, id: string | null) => cat('arn:aws:ec2:', region, ':', account, `:${kind}/`, id);
      add('AWS::EC2::Instance', account, ec2('instance', blank(param(r, 'instanceId')) ?? blank(param(r, 'instancesSet', 'items', 0, 'instanceId')) ?? blank(response(r, 'instancesSet', 'items', 0, 'instanceId'))));
      add('AWS::EC2::Snapshot', account, cat('arn:aws:ec2:', region, '::snapshot/', blank(param(r, 'snapshotId')) ?? blank(response(r, 'snapshotId')) ?? blank(at(r.serviceEventDetails, 'snapshotId'))));
      add('AWS::EC2::Volume', account, ec2('volume', blank(param(r, 'volumeId')) ?? blank(response(r, 'volumeId'))));
      const group = param(r, 'groupId');
      add('AWS::EC2::SecurityGroup', account, ec2('security-group', (group?.startsWith('sg-') ? group : null) ?? (r.eventName === 'CreateSecurityGroup' ? blank(response(r, 'groupId')) : null)));
      add('AWS::EC2::Image', account, cat('arn:aws:ec2:', region, '::image/', blank(param(r, 'imageId')) ?? blank(response(r, 'imageId')) ?? blank(param(r, 'instancesSet', 'items', 0, 'imageId'))));
      add('AWS::EC2::KeyPair', account, ec2('key-pair', blank(param(r, 'keyName'))));
      break;
    }
    case 'kms.amazonaws.com': {
      const key = param(r, 'keyId');
      if (key !== null && /^arn:.*:alias\//s.test(key)) add('AWS::KMS::Alias', account, key);
      else if (key !== null && key.startsWith('arn:')) add('AWS::KMS::Key', account, key);
      else if (key !== null && key.startsWith('alias/')) add('AWS::KMS::Alias', account, cat('arn:aws:kms:', region, ':', account, ':', key));
      else add('AWS::KMS::Key', account, cat('arn:aws:kms:', region, ':', account, ':key/', blank(key)));
      break;
    }
    case 'verifiedpermissions.amazonaws.com':
      add('AWS::VerifiedPermissions::PolicyStore', account, cat('arn:aws:verifiedpermissions::', account, ':policy-store/', blank(param(r, 'policyStoreId'))));
      break;
    default:
      for (const [type, arn] of payloadResources(r, account, region)) add(type, account, arn);
  }
  // One per ARN: the largest non-empty type and account.
  const byArn = new Map<string, ResourceRef>();
  const larger = (a: string | null, b: string) => (b === '' ? a : a === null || b > a ? b : a);
  for (const [arn, type, acct] of found) {
    const seen = byArn.get(arn);
    byArn.set(arn, { arn, type: larger(seen?.type ?? null, type), accountId: larger(seen?.accountId ?? null, acct) });
  }
  return [...byArn.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

// ---- Summaries --------------------------------------------------------------

const API_TYPES: Record<string, string> = {
  Root: 'ROOT', IAMUser: 'IAM_USER', AssumedRole: 'ASSUMED_ROLE', Role: 'ROLE', FederatedUser: 'FEDERATED_USER', Directory: 'DIRECTORY',
  AWSAccount: 'AWS_ACCOUNT', AWSService: 'AWS_SERVICE', IdentityCenterUser: 'IDENTITY_CENTER_USER', SAMLUser: 'SAML_USER',
  WebIdentityUser: 'WEB_IDENTITY_USER', Unknown: 'UNKNOWN',
};
export const apiType = (t: string): string => API_TYPES[t] ?? 'UNKNOWN';

const distinctSorted = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort();
const maxOf = (values: Array<string | null>) => values.reduce<string | null>((m, v) => (v !== null && (m === null || v > m) ? v : m), null);

export interface PrincipalExpect {
  arn: string;
  type: string;
  accountId: string | null;
  name: string | null;
  firstSeen: string;
  lastSeen: string;
  eventCount: number;
  errorCount: number;
  accessKeyIds: string[];
  sourceIpAddresses: string[];
}

function arnAccount(arn: string): string | null {
  const a = arn.startsWith('arn:') ? arn.split(':')[4] : undefined;
  return a !== undefined && /^\d{12}$/.test(a) ? a : null;
}

function lastName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.split('/').pop() ?? '';
}

export function principalSummaries(records: readonly CloudTrailRecord[]): Map<string, PrincipalExpect> {
  const groups = new Map<string, CloudTrailRecord[]>();
  for (const r of records) groups.set(principalKeyOf(r), [...(groups.get(principalKeyOf(r)) ?? []), r]);
  const out = new Map<string, PrincipalExpect>();
  for (const [arn, rs] of groups) {
    const latest = rs.map((r) => `${timeOf(r)}${principalTypeOf(r)}`).sort().pop() ?? '';
    const ctType = arn === UNKNOWN ? 'Unknown' : latest.slice(timeOf(rs[0]).length);
    const userName = maxOf(rs.map(userNameOf)) || null;
    const name = arn === UNKNOWN ? null
      : ['Root', 'AWSAccount'].includes(ctType) ? 'root'
        : ctType === 'AWSService' ? arn
          : ['IAMUser', 'AssumedRole', 'Role'].includes(ctType) ? (arn.startsWith('arn:') ? lastName(arn) : userName)
            : userName ?? (arn.startsWith('arn:') ? lastName(arn) : arn);
    out.set(arn, {
      arn,
      type: apiType(ctType),
      accountId: arn === UNKNOWN || ctType === 'AWSService' ? null : arnAccount(arn) ?? (maxOf(rs.map((r) => identityOf(r).accountId)) || null),
      name,
      firstSeen: rs.map(timeOf).sort()[0],
      lastSeen: rs.map(timeOf).sort().pop() ?? '',
      eventCount: rs.length,
      errorCount: rs.filter(hasError).length,
      accessKeyIds: distinctSorted(rs.map((r) => identityOf(r).accessKeyId)),
      sourceIpAddresses: distinctSorted(rs.map((r) => str(r.sourceIPAddress))),
    });
  }
  return out;
}

export function topEventNames(records: readonly CloudTrailRecord[], arn: string, limit: number): Array<{ name: string; count: number }> {
  const counts = new Map<string, number>();
  for (const r of records) if (principalKeyOf(r) === arn && r.eventName != null) counts.set(String(str(r.eventName)), (counts.get(String(str(r.eventName))) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)).slice(0, limit);
}

export interface SessionExpect {
  ref: string;
  kind: string;
  principal: string;
  sessionName: string | null;
  sourceIdentity: string | null;
  accessKeyId: string | null;
  mfaAuthenticated: boolean | null;
  createdAt: string | null;
  firstEventTime: string;
  lastEventTime: string;
  eventCount: number;
  writeCount: number;
  errorCount: number;
  accessDeniedCount: number;
  eventSources: string[];
  regions: string[];
  sourceIpAddresses: string[];
  userAgents: string[];
}

export function sessionSummaries(records: readonly CloudTrailRecord[]): Map<string, SessionExpect> {
  const groups = new Map<string, CloudTrailRecord[]>();
  for (const r of records) {
    const ref = sessionRefOf(r);
    if (ref !== null) groups.set(ref, [...(groups.get(ref) ?? []), r]);
  }
  const out = new Map<string, SessionExpect>();
  for (const [ref, rs] of groups) {
    const [kind, start] = ref.split('|');
    const key = ref.slice(kind.length + start.length + 2);
    const principal = maxOf(rs.map(principalKeyOf)) ?? UNKNOWN;
    const withKey = rs.filter((r) => nn(identityOf(r).accessKeyId) !== null).map((r) => `${timeOf(r)}${identityOf(r).accessKeyId}`).sort();
    const firstKeyed = rs.find((r) => withKey.length > 0 && `${timeOf(r)}${identityOf(r).accessKeyId}` === withKey[0]);
    const mfa = Math.max(...rs.map(mfaRankOf));
    const sessionName = kind === 'CONSOLE' ? (principal.endsWith(':root') ? null : lastName(principal) || null)
      : kind === 'IDENTITY_CENTER' ? null
        : key.startsWith('arn:') ? key.split('/').pop() || null : key.includes(':') ? key.slice(key.indexOf(':') + 1) || null : null;
    const created = start === '' ? null : new Date(start);
    out.set(ref, {
      ref, kind, principal, sessionName,
      sourceIdentity: maxOf(rs.map((r) => nn(identityOf(r).sourceIdentity))),
      accessKeyId: firstKeyed ? identityOf(firstKeyed).accessKeyId : null,
      mfaAuthenticated: mfa === 2 ? true : mfa === 1 ? false : null,
      createdAt: created && !Number.isNaN(created.getTime()) ? created.toISOString().replace('.000Z', 'Z') : null,
      firstEventTime: rs.map(timeOf).sort()[0],
      lastEventTime: rs.map(timeOf).sort().pop() ?? '',
      eventCount: rs.length,
      writeCount: rs.filter(isWrite).length,
      errorCount: rs.filter(hasError).length,
      accessDeniedCount: rs.filter(isDenied).length,
      eventSources: distinctSorted(rs.map((r) => str(r.eventSource))),
      regions: distinctSorted(rs.map((r) => str(r.awsRegion))),
      sourceIpAddresses: distinctSorted(rs.map((r) => str(r.sourceIPAddress))),
      userAgents: distinctSorted(rs.map((r) => str(r.userAgent))),
    });
  }
  return out;
}

export interface ResourceExpect {
  arn: string;
  type: string | null;
  accountId: string | null;
  firstSeen: string;
  lastSeen: string;
  eventCount: number;
}

export function resourceSummaries(records: readonly CloudTrailRecord[]): Map<string, ResourceExpect> {
  const out = new Map<string, ResourceExpect & { times: string[] }>();
  for (const r of records) {
    for (const x of resourcesOf(r)) {
      const s = out.get(x.arn) ?? { arn: x.arn, type: null, accountId: null, firstSeen: '', lastSeen: '', eventCount: 0, times: [] };
      s.type = maxOf([s.type, x.type]);
      s.accountId = maxOf([s.accountId, x.accountId]);
      s.times.push(timeOf(r));
      s.eventCount += 1;
      out.set(x.arn, s);
    }
  }
  return new Map([...out].map(([arn, { times, ...s }]) => {
    times.sort();
    return [arn, { ...s, accountId: s.accountId ?? arnAccount(arn), firstSeen: times[0], lastSeen: times[times.length - 1] }];
  }));
}

/** The API's event order: time, then eventID; DESC reverses both. */
export function eventOrder(records: readonly CloudTrailRecord[], order: 'ASC' | 'DESC'): CloudTrailRecord[] {
  const asc = [...records].sort((a, b) => (timeOf(a) !== timeOf(b) ? (timeOf(a) < timeOf(b) ? -1 : 1) : a.eventID < b.eventID ? -1 : a.eventID > b.eventID ? 1 : 0));
  return order === 'ASC' ? asc : asc.reverse();
}
