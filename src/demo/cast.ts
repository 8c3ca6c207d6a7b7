import { Random } from './random';

/**
 * The demo organisation: three accounts, three regions, the people and the
 * workloads that act in them. It is the same for every seed (drawn from a
 * fixed seed), so names and keys are stable across demo runs; the seed only
 * changes the activity.
 */
export type AccountName = 'management' | 'production' | 'sandbox';
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export type Region = (typeof REGIONS)[number];
/** Identity Center and the console sign-in live in these regions. */
export const HOME_REGION: Region = 'us-east-1';
export const IDENTITY_CENTER_REGION: Region = 'eu-west-1';

export interface Account {
  name: AccountName;
  id: string;
}

export interface IamUser {
  name: string;
  account: Account;
  principalId: string;
  /** Long-term access key (AKIA...). */
  accessKeyId: string;
  /** Whether the user has an MFA device (console sign-ins then use it, mostly). */
  mfa: boolean;
  ip: string;
}

export interface Role {
  name: string;
  account: Account;
  roleId: string;
  arn: string;
}

export interface IdentityCenterUser {
  email: string;
  userId: string;
  ip: string;
}

export interface Cast {
  accounts: Record<AccountName, Account>;
  users: IamUser[];
  /** Roles by account name, then role name. */
  roles: Record<AccountName, Record<string, Role>>;
  identityCenterUsers: IdentityCenterUser[];
  identityStoreArn: string;
  /** The SAML provider Identity Center creates in each account. */
  samlProviderName: string;
  buckets: Record<AccountName, string[]>;
  functions: string[];
  kmsKeyIds: string[];
  policyStoreId: string;
}

const ACCOUNT_IDS: Record<AccountName, string> = { management: '418273645091', production: '602519374862', sandbox: '739104582736' };

/** Roles every account has; the SSO ones carry Identity Center's suffix. */
const ROLE_NAMES = [
  'Admin', 'ReadOnly', 'DeployRole', 'app-server-role', 'orders-api-lambda-role', 'cfn-exec-role',
  'AWSReservedSSO_AdministratorAccess_5d3c1a2b9e8f7a60', 'AWSReservedSSO_ReadOnlyAccess_0b1c2d3e4f5a6b7c',
];

function ip(rng: Random): string {
  return `${rng.pick([203, 198, 81, 92, 54])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function buildCast(): Cast {
  const rng = new Random(20240611);
  const accounts = Object.fromEntries(
    (Object.keys(ACCOUNT_IDS) as AccountName[]).map((name) => [name, { name, id: ACCOUNT_IDS[name] }]),
  ) as Record<AccountName, Account>;
  const user = (name: string, account: Account, mfa: boolean): IamUser => ({
    name, account, mfa, principalId: `AIDA${rng.upper(17)}`, accessKeyId: `AKIA${rng.upper(16)}`, ip: ip(rng),
  });
  const users = [
    user('alice', accounts.management, true),
    user('bob', accounts.sandbox, false),
    user('carol', accounts.management, true),
    user('ci-deploy', accounts.management, false),
    user('legacy-backup', accounts.production, false),
    user('dev-erin', accounts.sandbox, true),
  ];
  const roles = {} as Record<AccountName, Record<string, Role>>;
  for (const account of Object.values(accounts)) {
    roles[account.name] = {};
    for (const name of ROLE_NAMES) {
      const path = name.startsWith('AWSReservedSSO_') ? `aws-reserved/sso.amazonaws.com/${name}` : name;
      roles[account.name][name] = { name, account, roleId: `AROA${rng.upper(17)}`, arn: `arn:aws:iam::${account.id}:role/${path}` };
    }
  }
  const store = `d-${rng.hex(10)}`;
  const identityCenterUsers = ['dana@example.com', 'frank@example.com', 'grace@example.com'].map((email) => ({
    email, userId: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`, ip: ip(rng),
  }));
  return {
    accounts,
    users,
    roles,
    identityCenterUsers,
    identityStoreArn: `arn:aws:identitystore::${accounts.management.id}:identitystore/${store}`,
    samlProviderName: `AWSSSO_${rng.hex(16)}_DO_NOT_DELETE`,
    buckets: {
      management: ['org-cloudtrail-logs-418273645091', 'org-terraform-state'],
      production: ['orders-data-prod', 'invoices-archive-prod', 'static-site-prod'],
      sandbox: ['sandbox-scratch', 'ml-experiments-sandbox'],
    },
    functions: ['orders-api', 'invoice-renderer', 'nightly-report', 'authz-gateway'],
    kmsKeyIds: [rng.uuid(), rng.uuid(), rng.uuid()],
    policyStoreId: `PSEXAMPLE${rng.alnum(13)}`,
  };
}

export const CAST: Cast = buildCast();

export function usersOf(account: Account): IamUser[] {
  return CAST.users.filter((u) => u.account === account);
}
