import { iso, roleSessionArn } from '../actors';
import { CAST, HOME_REGION, IDENTITY_CENTER_REGION, IdentityCenterUser, Role } from '../cast';
import { Call, Place } from '../records';

/** IAM (a global service: recorded in us-east-1), STS, console sign-in and the Identity Center portal. */
const MANAGED_POLICIES = ['AdministratorAccess', 'ReadOnlyAccess', 'AmazonS3FullAccess', 'AWSLambdaBasicExecutionRole', 'PowerUserAccess'];

export function iamCall(place: Place, name: 'CreateRole' | 'DeleteRole' | 'GetRole', roleName: string): Call {
  const arn = `arn:aws:iam::${place.account.id}:role/${roleName}`;
  const trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
  return {
    source: 'iam.amazonaws.com', name, readOnly: name === 'GetRole', region: HOME_REGION,
    params: name === 'CreateRole' ? { roleName, assumeRolePolicyDocument: trust, maxSessionDuration: 3600 } : { roleName },
    response: name === 'CreateRole' ? { role: { path: '/', roleName, roleId: `AROA${place.rng.upper(17)}`, arn, createDate: 'Jun 11, 2024, 9:12:04 AM' } } : null,
    target: arn,
  };
}

export function attachRolePolicy(place: Place, roleName: string): Call {
  const policyArn = `arn:aws:iam::aws:policy/${place.rng.pick(MANAGED_POLICIES)}`;
  return {
    source: 'iam.amazonaws.com', name: 'AttachRolePolicy', readOnly: false, region: HOME_REGION,
    params: { roleName, policyArn }, target: `arn:aws:iam::${place.account.id}:role/${roleName}`,
  };
}

export function putRolePolicy(place: Place, roleName: string): Call {
  const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}';
  return {
    source: 'iam.amazonaws.com', name: 'PutRolePolicy', readOnly: false, region: HOME_REGION,
    params: { roleName, policyName: `${roleName}-inline`, policyDocument: doc }, target: `arn:aws:iam::${place.account.id}:role/${roleName}`,
  };
}

export function userCall(place: Place, name: 'CreateUser' | 'CreateAccessKey' | 'GetUser' | 'ListAccessKeys', userName: string): Call {
  const response = name === 'CreateAccessKey'
    ? { accessKey: { userName, accessKeyId: `AKIA${place.rng.upper(16)}`, status: 'Active', createDate: 'Jun 11, 2024, 9:12:04 AM' } }
    : null;
  return {
    source: 'iam.amazonaws.com', name, readOnly: name.startsWith('Get') || name.startsWith('List'), region: HOME_REGION,
    params: { userName }, response, target: `arn:aws:iam::${place.account.id}:user/${userName}`,
  };
}

export function listRoles(place: Place): Call {
  return { source: 'iam.amazonaws.com', name: 'ListRoles', readOnly: true, region: HOME_REGION, params: null, target: `arn:aws:iam::${place.account.id}:role/` };
}

export function getCallerIdentity(): Call {
  return { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true, params: null };
}

function expiration(at: number): string {
  return iso(at);
}

/** AssumeRole as CloudTrail records it in the role's account; the new session's key is in the response. */
export function assumeRole(place: Place, role: Role, sessionName: string, at: number, accessKeyId: string, sourceIdentity?: string): Call {
  const params: Record<string, unknown> = { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 };
  if (sourceIdentity) params.sourceIdentity = sourceIdentity;
  const response: Record<string, unknown> = {
    credentials: { accessKeyId, expiration: expiration(at + 3600) },
    assumedRoleUser: { assumedRoleId: `${role.roleId}:${sessionName}`, arn: roleSessionArn({ role, sessionName }) },
  };
  if (sourceIdentity) response.sourceIdentity = sourceIdentity;
  return {
    source: 'sts.amazonaws.com', name: 'AssumeRole', readOnly: true, params, response,
    resources: [{ accountId: role.account.id, type: 'AWS::IAM::Role', ARN: role.arn }], target: role.arn,
  };
}

export function assumeRoleWithSaml(role: Role, user: IdentityCenterUser, at: number, accessKeyId: string): Call {
  const provider = `arn:aws:iam::${role.account.id}:saml-provider/${CAST.samlProviderName}`;
  return {
    source: 'sts.amazonaws.com', name: 'AssumeRoleWithSAML', readOnly: true,
    params: { sAMLAssertionID: `_${accessKeyId.slice(4).toLowerCase()}`, roleSessionName: user.email, roleArn: role.arn, principalArn: provider, durationSeconds: 3600 },
    response: {
      credentials: { accessKeyId, expiration: expiration(at + 3600) },
      assumedRoleUser: { assumedRoleId: `${role.roleId}:${user.email}`, arn: roleSessionArn({ role, sessionName: user.email }) },
      subject: user.userId, subjectType: 'persistent', issuer: `https://portal.sso.${IDENTITY_CENTER_REGION}.amazonaws.com/saml/assertion/${CAST.identityStoreArn.split('/')[1]}`,
      audience: 'https://signin.aws.amazon.com/saml', nameQualifier: 'nZyQ6LXmk7W0p5h1zF0aXUj1Ahg=', sourceIdentity: user.email,
    },
    resources: [
      { accountId: role.account.id, type: 'AWS::IAM::Role', ARN: role.arn },
      { accountId: role.account.id, type: 'AWS::IAM::SAMLProvider', ARN: provider },
    ],
    target: role.arn,
  };
}

/** ConsoleLogin; a failed one carries only an errorMessage, as CloudTrail writes it. `mfaArn` when MFA was used. */
export function consoleLogin(success: boolean, mfaArn: string | undefined): Call {
  const additional: Record<string, unknown> = {
    LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No',
  };
  if (mfaArn) additional.MFAIdentifier = mfaArn;
  additional.MFAUsed = mfaArn ? 'Yes' : 'No';
  return {
    source: 'signin.amazonaws.com', name: 'ConsoleLogin', readOnly: false, region: HOME_REGION, eventType: 'AwsConsoleSignIn',
    params: null, response: { ConsoleLogin: success ? 'Success' : 'Failure' }, additional,
    errorMessage: success ? undefined : 'Failed authentication',
  };
}

/** Identity Center access-portal calls (sso.amazonaws.com), made by the portal user. */
export function portalCall(name: 'ListAccounts' | 'ListAccountRoles' | 'GetRoleCredentials', accountId?: string, roleName?: string): Call {
  return {
    source: 'sso.amazonaws.com', name, readOnly: true, region: IDENTITY_CENTER_REGION,
    params: name === 'ListAccounts' ? null : name === 'ListAccountRoles' ? { accountId } : { accountId, roleName },
  };
}
