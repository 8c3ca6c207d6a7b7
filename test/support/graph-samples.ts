import { CloudTrailRecord } from '../../src/cloudtrail/record';

/**
 * Records for the derivation rules the public corpus has few or no examples
 * of (Identity Center users, portal and console sessions, federation
 * tokens, requestParameters-only resources), shaped as CloudTrail writes
 * them. All in account 111122223333, on 2024-05-10/11.
 */
const ACCT = '111122223333';
const STORE = 'arn:aws:identitystore::111122223333:identitystore/d-1234567890';
let n = 0;

function rec(time: string, identity: Record<string, unknown>, call: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  n += 1;
  return {
    eventVersion: '1.10', userIdentity: identity, eventTime: time, eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity',
    awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', requestParameters: null, responseElements: null,
    requestID: `req-${n}`, eventID: `synthetic-${String(n).padStart(3, '0')}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: ACCT, eventCategory: 'Management', ...call,
  } as CloudTrailRecord;
}

const role = (name: string, session: string, created: string, extra: Record<string, unknown> = {}) => ({
  type: 'AssumedRole', principalId: `AROAEXAMPLEROLEID:${session}`, arn: `arn:aws:sts::${ACCT}:assumed-role/${name}/${session}`, accountId: ACCT,
  accessKeyId: 'ASIAEXAMPLEKEY00001',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLEID', arn: `arn:aws:iam::${ACCT}:role/ops/${name}`, accountId: ACCT, userName: name },
    attributes: { creationDate: created, mfaAuthenticated: 'true' }, ...extra,
  },
});

export function syntheticRecords(): CloudTrailRecord[] {
  n = 0;
  const icUser = { type: 'IdentityCenterUser', accountId: ACCT, onBehalfOf: { userId: 'u-1111', identityStoreArn: STORE }, credentialId: 'cred-portal-1' };
  const icUserOld = { type: 'Unknown', principalId: 'AIDAOLD', accountId: ACCT, userName: 'dana', onBehalfOf: { userId: 'u-2222', identityStoreArn: STORE }, credentialId: 'cred-portal-2' };
  const console = { type: 'IAMUser', principalId: 'AIDACONSOLEUSER', arn: `arn:aws:iam::${ACCT}:user/erin`, accountId: ACCT, userName: 'erin' };
  const consoleCalls = { ...console, accessKeyId: 'ASIACONSOLE000001', sessionContext: { sessionIssuer: {}, attributes: { creationDate: '2024-05-10T08:00:00Z', mfaAuthenticated: 'false' } } };
  const fed = {
    type: 'FederatedUser', principalId: `${ACCT}:build-bot`, arn: `arn:aws:sts::${ACCT}:federated-user/build-bot`, accountId: ACCT, accessKeyId: 'ASIAFED0000000001',
    sessionContext: { sessionIssuer: { type: 'IAMUser', principalId: 'AIDAISSUER', arn: `arn:aws:iam::${ACCT}:user/ci`, accountId: ACCT, userName: 'ci' }, attributes: { creationDate: '2024-05-10T09:00:00Z', mfaAuthenticated: 'false' } },
  };
  const ops = role('Operator', 'alice', '2024-05-10T10:00:00Z', { sourceIdentity: 'alice@example.com' });
  const opsLater = role('Operator', 'alice', '2024-05-10T14:00:00Z');
  const s3 = (name: string, params: unknown, extra: Partial<CloudTrailRecord> = {}) => ({ eventSource: 's3.amazonaws.com', eventName: name, requestParameters: params, ...extra });
  return [
    // Identity Center portal sessions: since 2025 typed, before as Unknown with onBehalfOf.
    rec('2024-05-10T07:00:00Z', icUser, { eventSource: 'sso.amazonaws.com', eventName: 'ListAccounts', awsRegion: 'eu-west-1' }),
    rec('2024-05-10T07:05:00Z', icUser, { eventSource: 'sso.amazonaws.com', eventName: 'GetRoleCredentials', awsRegion: 'eu-west-1', requestParameters: { accountId: ACCT, roleName: 'Operator' } }),
    rec('2024-05-10T07:06:00Z', icUserOld, { eventSource: 'sso.amazonaws.com', eventName: 'ListAccountRoles', awsRegion: 'eu-west-1' }),
    // A console sign-in, calls with its credentials, a failed sign-in.
    rec('2024-05-10T08:00:00Z', console, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', readOnly: false, eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No' } }),
    rec('2024-05-10T08:01:00Z', consoleCalls, { eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', readOnly: false, sessionCredentialFromConsole: 'true', requestParameters: { instancesSet: { items: [{ instanceId: 'i-0aaa' }] } } }),
    rec('2024-05-10T08:02:00Z', consoleCalls, { eventSource: 'ec2.amazonaws.com', eventName: 'GetConsoleOutput', sessionCredentialFromConsole: 'true', requestParameters: { instanceId: 'i-0bbb' }, errorCode: 'Client.UnauthorizedOperation', errorMessage: 'not authorized' }),
    rec('2024-05-10T08:30:00Z', { type: 'IAMUser', accountId: ACCT, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' } }),
    rec('2024-05-10T08:31:00Z', { type: 'IAMUser', principalId: 'AIDANOARN', accountId: ACCT, accessKeyId: '', userName: 'frank' }, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'Yes' } }),
    // A federation token session.
    rec('2024-05-10T09:01:00Z', fed, { eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction20150331v2', requestParameters: { functionName: 'orders-api' } }),
    rec('2024-05-10T09:02:00Z', fed, { eventSource: 'lambda.amazonaws.com', eventName: 'Invoke', requestParameters: { functionName: `arn:aws:lambda:us-east-1:${ACCT}:function:invoice-renderer` }, errorCode: 'AccessDeniedException' }),
    // Two sessions of one role session name: keyed by creation date, not by key alone.
    rec('2024-05-10T10:01:00Z', ops, { eventSource: 'iam.amazonaws.com', eventName: 'AttachRolePolicy', readOnly: false, requestParameters: { roleName: 'Deploy', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }),
    rec('2024-05-10T10:02:00Z', ops, { eventSource: 'iam.amazonaws.com', eventName: 'CreateRole', readOnly: false, requestParameters: { roleName: 'pathed' }, responseElements: { role: { arn: `arn:aws:iam::${ACCT}:role/team/pathed` } } }),
    rec('2024-05-10T10:03:00Z', ops, { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false, requestParameters: { userName: 'erin' } }),
    rec('2024-05-10T10:04:00Z', ops, s3('PutObject', { bucketName: 'orders-data', key: 'a/b/c.json' }, { eventCategory: 'Data', readOnly: false, resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::orders-data/a/b/c.json' }, { accountId: ACCT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::orders-data' }] })),
    rec('2024-05-10T14:01:00Z', opsLater, s3('GetBucketPolicy', { bucketName: 'orders-data' }, { errorCode: 'AccessDenied' })),
    rec('2024-05-10T14:02:00Z', opsLater, { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } }),
    rec('2024-05-10T14:03:00Z', opsLater, { eventSource: 'kms.amazonaws.com', eventName: 'Encrypt', requestParameters: { keyId: 'alias/orders' } }),
    rec('2024-05-10T14:04:00Z', opsLater, { eventSource: 'kms.amazonaws.com', eventName: 'DescribeKey', requestParameters: { keyId: `arn:aws:kms:us-east-1:${ACCT}:alias/orders` } }),
    rec('2024-05-10T14:05:00Z', opsLater, { eventSource: 'kms.amazonaws.com', eventName: 'GenerateDataKey', requestParameters: { keyId: `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` } }),
    rec('2024-05-10T14:06:00Z', opsLater, { eventSource: 'verifiedpermissions.amazonaws.com', eventName: 'IsAuthorized', eventCategory: 'Data', requestParameters: { policyStoreId: 'PSEXAMPLE1', principal: { entityType: 'App::User', entityId: 'eve' }, action: { actionType: 'App::Action', actionId: 'View' }, resource: { entityType: 'App::Doc', entityId: 'd1' } }, additionalEventData: { decision: 'DENY' } }),
    // A role session with no issuer ARN: the role from the sts ARN; a first call before... any other of its calls.
    rec('2024-05-11T01:00:00Z', { type: 'AssumedRole', principalId: 'AROANOISSUER:bot', arn: `arn:aws:sts::${ACCT}:assumed-role/Builder/bot`, accountId: ACCT, accessKeyId: 'ASIAEXAMPLEKEY00001', sessionContext: { attributes: { creationDate: '2024-05-11T00:59:00Z', mfaAuthenticated: 'false' } } }),
    // Services, root, other identities.
    rec('2024-05-11T02:00:00Z', { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, { eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false, requestParameters: { bucketName: 'org-trail', key: 'AWSLogs/x.json.gz' } }),
    rec('2024-05-11T02:01:00Z', { accountId: ACCT, invokedBy: 'kms.amazonaws.com' }, { eventSource: 'kms.amazonaws.com', eventName: 'RotateKey', eventType: 'AwsServiceEvent', requestParameters: null }),
    rec('2024-05-11T02:02:00Z', { type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, accessKeyId: 'ASIAROOT000000001', sessionContext: { attributes: { creationDate: '2024-05-11T02:00:00Z', mfaAuthenticated: 'true' } } }, { sessionCredentialFromConsole: 'true', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' }),
    rec('2024-05-11T02:03:00Z', { type: 'AWSAccount', principalId: 'AIDAOTHER', accountId: '444455556666' }, { eventName: 'AssumeRole', resources: [{ accountId: ACCT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCT}:role/ops/Operator` }] }),
    rec('2024-05-11T02:04:00Z', { type: 'SAMLUser', principalId: 'PROVIDERHASH:dana@example.com', userName: 'dana@example.com', identityProvider: `arn:aws:iam::${ACCT}:saml-provider/SSO` }, { eventName: 'AssumeRoleWithSAML' }),
    rec('2024-05-11T02:05:00Z', { type: 'AssumedRole', userName: 'Nameless' }, { eventName: 'GetCallerIdentity' }),
    rec('2024-05-11T02:06:00Z', { type: 'AssumedRole', accountId: ACCT, sessionContext: { sessionIssuer: { accountId: ACCT, type: 'Role', userName: 'OnlyName' }, attributes: { creationDate: '2024-05-11T02:00:00Z', mfaAuthenticated: 'false' } } }),
  ];
}
