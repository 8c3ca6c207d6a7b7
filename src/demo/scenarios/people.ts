import { assumedRole, consoleUser, iamUser, identityCenterUser, root, samlUser } from '../actors';
import { CAST, HOME_REGION, IDENTITY_CENTER_REGION, IamUser, usersOf } from '../cast';
import { describeInstances, lambdaCall, runInstances } from '../calls/compute';
import { assumeRole, assumeRoleWithSaml, consoleLogin, getCallerIdentity, iamCall, listRoles, portalCall, userCall } from '../calls/identity';
import { bucketCall, kmsDecrypt, listBuckets, s3Object } from '../calls/storage';
import { Call } from '../records';
import { Scene } from '../scene';
import { Client } from '../user-agents';

/** People at work: CLI and SDK users, console sessions, role switching, Identity Center, root. */

/** The everyday calls of a person exploring an account. */
export function everydayCall(s: Scene): Call {
  const p = s.place;
  const account = p.account.name;
  switch (s.rng.int(0, 8)) {
    case 0: return describeInstances(p);
    case 1: return listBuckets(p);
    case 2: return s3Object(p, s.rng.pick(CAST.buckets[account]), 'GetObject');
    case 3: return listRoles(p);
    case 4: return lambdaCall(p, s.rng.pick(CAST.functions), 'GetFunction20150331v2');
    case 5: return kmsDecrypt(p, s.rng.pick(CAST.kmsKeyIds));
    case 6: return getCallerIdentity();
    case 7: return bucketCall(p, s.rng.pick(CAST.buckets[account]), 'GetBucketPolicy');
    default: return runInstances(p);
  }
}

const CLI_CLIENTS: readonly Client[] = ['cli', 'boto3', 'go', 'js', 'java', 'amazonq-cli', 'amazonq-ide'];
const CLI_WEIGHTS = [30, 15, 8, 8, 6, 6, 4];

export function cliUser(s: Scene): void {
  const users = usersOf(s.place.account);
  const user = s.rng.pick(users.length ? users : CAST.users);
  const client = s.showcase ? 'amazonq-cli' : s.rng.weighted(CLI_CLIENTS, CLI_WEIGHTS);
  s.repeat(s.rng.int(3, 12), iamUser(user, client), () => everydayCall(s), 0.06);
}

/** A person assumes a role (often cross-account, with MFA and their name as source identity), then works as it. */
export function roleSwitch(s: Scene): void {
  const user = s.rng.pick(CAST.users.filter((u) => u.name !== 'legacy-backup' && u.name !== 'ci-deploy'));
  const role = CAST.roles[s.place.account.name][s.rng.chance(0.6) ? 'Admin' : 'ReadOnly'];
  const key = `ASIA${s.rng.upper(16)}`;
  const sourceIdentity = s.rng.chance(0.7) ? user.name : undefined;
  const client = s.rng.weighted<Client>(['cli', 'boto3', 'amazonq-cli'], [6, 3, 1]);
  if (!s.emit(iamUser(user, client), assumeRole(s.place, role, user.name, s.now(), key, sourceIdentity))) return;
  const session = { role, sessionName: user.name, accessKeyId: key, createdAt: s.now(), mfa: user.mfa, sourceIdentity };
  s.repeat(s.rng.int(3, 20), assumedRole(session, client, user.ip), () => everydayCall(s), role.name === 'ReadOnly' ? 0.15 : 0.03);
}

function consoleUserOf(s: Scene): IamUser | undefined {
  const users = usersOf(s.place.account).filter((u) => u.name !== 'ci-deploy' && u.name !== 'legacy-backup');
  if (s.showcase) return users.find((u) => !u.mfa) ?? users[0];
  return users.length ? s.rng.pick(users) : undefined;
}

/** Console sign-in (us-east-1), sometimes failed first, then calls made through the console. */
export function consoleSession(s: Scene): void {
  const user = consoleUserOf(s);
  if (!user) return roleSwitch(s);
  const mfa = !s.showcase && user.mfa && s.rng.chance(0.9);
  const mfaArn = mfa ? `arn:aws:iam::${user.account.id}:mfa/${user.name}` : undefined;
  const signIn = iamUser(user, 'console');
  if (s.place.region === HOME_REGION) {
    if (s.rng.chance(0.08) && !s.emit(signIn, consoleLogin(false, mfaArn))) return;
    if (!s.emit(signIn, consoleLogin(true, mfaArn))) return;
  }
  s.repeat(s.rng.int(3, 15), consoleUser(user, s.rng, s.now(), mfa), () => everydayCall(s), 0.05);
}

/**
 * Identity Center: in the management account's Identity Center region, the
 * access-portal calls of the user (IdentityCenterUser with onBehalfOf); in
 * the member accounts, AssumeRoleWithSAML into a permission-set role and the
 * calls of that session.
 */
export function identityCenterSession(s: Scene): void {
  const user = s.rng.pick(CAST.identityCenterUsers);
  const account = s.place.account;
  if (account.name === 'management' && s.place.region === IDENTITY_CENTER_REGION) {
    const portal = identityCenterUser(user, account, `${s.rng.alnum(40)}`);
    const target = s.rng.pick(Object.values(CAST.accounts)).id;
    const calls = [portalCall('ListAccounts'), portalCall('ListAccountRoles', target), portalCall('GetRoleCredentials', target, 'AdministratorAccess')];
    for (const c of calls) if (!s.emit(portal, c)) return;
    return;
  }
  const role = CAST.roles[account.name][s.rng.chance(0.5) ? 'AWSReservedSSO_AdministratorAccess_5d3c1a2b9e8f7a60' : 'AWSReservedSSO_ReadOnlyAccess_0b1c2d3e4f5a6b7c'];
  const key = `ASIA${s.rng.upper(16)}`;
  if (!s.emit(samlUser(user, account), assumeRoleWithSaml(role, user, s.now(), key))) return;
  const session = { role, sessionName: user.email, accessKeyId: key, createdAt: s.now(), mfa: false, sourceIdentity: user.email };
  const viaConsole = s.rng.chance(0.5);
  const actor = assumedRole(session, viaConsole ? 'console' : 'cli', user.ip, { fromConsole: viaConsole });
  s.repeat(s.rng.int(3, 15), actor, () => everydayCall(s), role.name.includes('ReadOnly') ? 0.1 : 0.02);
}

/** The root user: a console sign-in (MFA or not) and a few worrying calls. */
export function rootActivity(s: Scene): void {
  const account = s.place.account;
  const mfa = s.rng.chance(0.5);
  const ip = `${s.rng.int(80, 95)}.${s.rng.int(0, 255)}.${s.rng.int(0, 255)}.${s.rng.int(1, 254)}`;
  if (s.place.region === HOME_REGION) {
    const signIn = { ...root(account, s.rng, s.now(), mfa, ip), userIdentity: { type: 'Root', principalId: account.id, arn: `arn:aws:iam::${account.id}:root`, accountId: account.id } };
    if (!s.emit(signIn, consoleLogin(true, mfa ? `arn:aws:iam::${account.id}:mfa/root-account-mfa-device` : undefined))) return;
  }
  const actor = root(account, s.rng, s.now(), mfa, ip);
  const calls = [listRoles(s.place), userCall(s.place, 'ListAccessKeys', 'alice'), listBuckets(s.place), userCall(s.place, 'CreateAccessKey', 'ci-deploy'), iamCall(s.place, 'GetRole', 'Admin')];
  for (const c of calls) if (!s.emit(actor, c)) return;
}

/** A ReadOnly session trying to change things: a run of AccessDenied failures. */
export function deniedProbe(s: Scene): void {
  const user = s.rng.pick(CAST.users);
  const role = CAST.roles[s.place.account.name].ReadOnly;
  const session = { role, sessionName: `${user.name}-${s.rng.hex(6)}`, accessKeyId: `ASIA${s.rng.upper(16)}`, createdAt: s.now() - s.rng.int(60, 1800), mfa: false };
  const actor = assumedRole(session, s.rng.pick<Client>(['cli', 'boto3', 'amazonq-cli']), user.ip);
  const attempts: Array<() => Call> = [
    () => iamCall(s.place, 'CreateRole', `probe-${s.rng.hex(4)}`),
    () => runInstances(s.place),
    () => bucketCall(s.place, s.rng.pick(CAST.buckets[s.place.account.name]), 'DeleteBucket'),
    () => userCall(s.place, 'CreateAccessKey', s.rng.pick(CAST.users).name),
    () => s3Object(s.place, s.rng.pick(CAST.buckets[s.place.account.name]), 'PutObject'),
  ];
  s.repeat(s.rng.int(3, 10), actor, () => s.rng.pick(attempts)(), 1);
}
