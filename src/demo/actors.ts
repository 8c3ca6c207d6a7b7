import { Account, CAST, IamUser, IdentityCenterUser, Role } from './cast';
import { Random } from './random';
import { Client } from './user-agents';

/**
 * Who makes a call: the userIdentity CloudTrail writes for them, and how they
 * reach AWS (client, address). Field order follows CloudTrail's.
 */
export interface Actor {
  userIdentity: Record<string, unknown>;
  /** The ARN an AccessDenied message names. */
  arn: string;
  account: Account;
  client: Client;
  sourceIp: string;
  /** Calls made through the console carry sessionCredentialFromConsole "true". */
  fromConsole: boolean;
  /** An AWS service acting (AWSService) or calling for a session (invokedBy): it is then address and agent. */
  service?: string;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
let cachedDay = NaN;
let cachedDayPrefix = '';

/** 2024-03-20T11:07:02Z. The date part is kept from the last call: the generator moves through time in order. */
export function iso(epochSeconds: number): string {
  const day = Math.floor(epochSeconds / 86400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * 86400_000).toISOString().slice(0, 11);
  }
  const s = epochSeconds - day * 86400;
  return `${cachedDayPrefix}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}Z`;
}

export function iamUser(user: IamUser, client: Client): Actor {
  return {
    userIdentity: {
      type: 'IAMUser', principalId: user.principalId, arn: `arn:aws:iam::${user.account.id}:user/${user.name}`,
      accountId: user.account.id, accessKeyId: user.accessKeyId, userName: user.name,
    },
    arn: `arn:aws:iam::${user.account.id}:user/${user.name}`,
    account: user.account, client, sourceIp: user.ip, fromConsole: false,
  };
}

/** An IAM user signed in to the console: temporary console credentials. */
export function consoleUser(user: IamUser, rng: Random, createdAt: number, mfa: boolean): Actor {
  const actor = iamUser(user, 'console');
  actor.userIdentity = {
    ...actor.userIdentity,
    accessKeyId: `ASIA${rng.upper(16)}`,
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: iso(createdAt), mfaAuthenticated: String(mfa) } },
  };
  actor.fromConsole = true;
  return actor;
}

export function root(account: Account, rng: Random, createdAt: number, mfa: boolean, ip: string): Actor {
  const arn = `arn:aws:iam::${account.id}:root`;
  return {
    userIdentity: {
      type: 'Root', principalId: account.id, arn, accountId: account.id, accessKeyId: `ASIA${rng.upper(16)}`,
      sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: iso(createdAt), mfaAuthenticated: String(mfa) } },
    },
    arn, account, client: 'console', sourceIp: ip, fromConsole: true,
  };
}

export interface RoleSession {
  role: Role;
  sessionName: string;
  accessKeyId: string;
  createdAt: number;
  mfa: boolean;
  sourceIdentity?: string;
  ec2RoleDelivery?: string;
}

export function roleSessionArn(s: Pick<RoleSession, 'role' | 'sessionName'>): string {
  return `arn:aws:sts::${s.role.account.id}:assumed-role/${s.role.name}/${s.sessionName}`;
}

export function assumedRole(s: RoleSession, client: Client, sourceIp: string, extra: { fromConsole?: boolean; invokedBy?: string } = {}): Actor {
  const sessionContext: Record<string, unknown> = {
    sessionIssuer: { type: 'Role', principalId: s.role.roleId, arn: s.role.arn, accountId: s.role.account.id, userName: s.role.name },
    webIdFederationData: {},
    attributes: { creationDate: iso(s.createdAt), mfaAuthenticated: String(s.mfa) },
  };
  if (s.sourceIdentity) sessionContext.sourceIdentity = s.sourceIdentity;
  if (s.ec2RoleDelivery) sessionContext.ec2RoleDelivery = s.ec2RoleDelivery;
  const userIdentity: Record<string, unknown> = {
    type: 'AssumedRole', principalId: `${s.role.roleId}:${s.sessionName}`, arn: roleSessionArn(s),
    accountId: s.role.account.id, accessKeyId: s.accessKeyId, sessionContext,
  };
  if (extra.invokedBy) userIdentity.invokedBy = extra.invokedBy;
  return {
    userIdentity, arn: roleSessionArn(s), account: s.role.account, client,
    sourceIp: extra.invokedBy ?? sourceIp, fromConsole: extra.fromConsole ?? false, service: extra.invokedBy,
  };
}

export function awsService(service: string, account: Account): Actor {
  return { userIdentity: { type: 'AWSService', invokedBy: service }, arn: service, account, client: 'console', sourceIp: service, fromConsole: false, service };
}

/** A user of the Identity Center access portal (type IdentityCenterUser since 2025). */
export function identityCenterUser(user: IdentityCenterUser, account: Account, credentialId: string): Actor {
  return {
    userIdentity: {
      type: 'IdentityCenterUser', accountId: account.id,
      onBehalfOf: { userId: user.userId, identityStoreArn: CAST.identityStoreArn }, credentialId,
    },
    arn: `${CAST.identityStoreArn}/user/${user.userId}`,
    account, client: 'console', sourceIp: user.ip, fromConsole: false,
  };
}

/** The caller of AssumeRoleWithSAML: the federated user as the IdP names them. */
export function samlUser(user: IdentityCenterUser, account: Account): Actor {
  const provider = `arn:aws:iam::${account.id}:saml-provider/${CAST.samlProviderName}`;
  return {
    userIdentity: { type: 'SAMLUser', principalId: `${CAST.samlProviderName}:${user.email}`, userName: user.email, identityProvider: provider },
    arn: user.email, account, client: 'console', sourceIp: user.ip, fromConsole: false,
  };
}
