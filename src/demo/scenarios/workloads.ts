import { awsService, assumedRole, iamUser } from '../actors';
import { CAST } from '../cast';
import { describeInstances, instanceId, lambdaCall, lambdaInvoke, runInstances, stopInstances } from '../calls/compute';
import { assumeRole, attachRolePolicy, iamCall, putRolePolicy } from '../calls/identity';
import { batchIsAuthorized, isAuthorized } from '../calls/authz';
import { bucketCall, kmsDecrypt, s3Object } from '../calls/storage';
import { Call } from '../records';
import { Scene } from '../scene';
import { Client } from '../user-agents';

/** Machines at work: EC2 and Lambda workloads, CI with Terraform, CloudFormation stacks. */

/** An AWS service assumes a role for a workload: the AWSService caller with invokedBy. */
function serviceAssumes(s: Scene, service: string, roleName: string, sessionName: string, ec2RoleDelivery?: string) {
  const role = CAST.roles[s.place.account.name][roleName];
  const key = `ASIA${s.rng.upper(16)}`;
  const ok = s.emit(awsService(service, s.place.account), assumeRole(s.place, role, sessionName, s.now(), key));
  return { ok, session: { role, sessionName, accessKeyId: key, createdAt: s.now(), mfa: false, ec2RoleDelivery } };
}

/** An EC2 instance profile session reading and writing objects, decrypting with KMS. */
export function ec2Workload(s: Scene): void {
  const id = instanceId(s.place);
  const { ok, session } = serviceAssumes(s, 'ec2.amazonaws.com', 'app-server-role', id, '2.0');
  if (!ok) return;
  const actor = assumedRole(session, s.rng.pick<Client>(['boto3', 'java', 'go']), `10.0.${s.rng.int(0, 255)}.${s.rng.int(1, 254)}`);
  const bucket = s.rng.pick(CAST.buckets[s.place.account.name]);
  const key = s.rng.pick(CAST.kmsKeyIds);
  s.repeat(s.rng.int(4, 25), actor, (): Call => {
    const x = s.rng.float();
    if (x < 0.55) return s3Object(s.place, bucket, 'GetObject');
    if (x < 0.8) return s3Object(s.place, bucket, 'PutObject');
    if (x < 0.95) return kmsDecrypt(s.place, key);
    return describeInstances(s.place, id);
  }, 0.01);
}

/**
 * A Lambda function's session: it asks Verified Permissions whether its
 * users may act, then reads data and invokes other functions.
 */
export function lambdaWorkload(s: Scene): void {
  const fn = s.rng.pick(CAST.functions);
  const { ok, session } = serviceAssumes(s, 'lambda.amazonaws.com', 'orders-api-lambda-role', fn);
  if (!ok) return;
  const actor = assumedRole(session, 'js', `3.${s.rng.int(0, 255)}.${s.rng.int(0, 255)}.${s.rng.int(1, 254)}`);
  if (!s.emit(actor, batchIsAuthorized(s.place))) return;
  s.repeat(s.rng.int(3, 20), actor, (): Call => {
    const x = s.rng.float();
    if (x < 0.35) return isAuthorized(s.place);
    if (x < 0.5) return batchIsAuthorized(s.place);
    if (x < 0.7) return s3Object(s.place, s.rng.pick(CAST.buckets[s.place.account.name]), 'GetObject');
    if (x < 0.85) return lambdaInvoke(s.place, s.rng.pick(CAST.functions));
    return kmsDecrypt(s.place, s.rng.pick(CAST.kmsKeyIds));
  }, 0.01);
}

/** A batch job with long-term keys moving many objects (most of the volume, as in real trails). */
export function s3Burst(s: Scene): void {
  const user = CAST.users.find((u) => u.name === 'legacy-backup') ?? CAST.users[0];
  const actor = iamUser(user, s.rng.pick<Client>(['java', 'go']));
  const bucket = s.rng.pick(CAST.buckets[s.place.account.name]);
  const put = s.rng.chance(0.4);
  s.repeat(s.rng.int(20, 60), actor, () => s3Object(s.place, bucket, put ? 'PutObject' : 'GetObject'), 0.005);
}

/** CI assumes DeployRole and Terraform applies changes: IAM roles and policies, instances, buckets, functions. */
export function terraformApply(s: Scene): void {
  const ci = CAST.users.find((u) => u.name === 'ci-deploy') ?? CAST.users[0];
  const role = CAST.roles[s.place.account.name].DeployRole;
  const key = `ASIA${s.rng.upper(16)}`;
  const sessionName = `terraform-${s.rng.hex(8)}`;
  if (!s.emit(iamUser(ci, 'terraform'), assumeRole(s.place, role, sessionName, s.now(), key, 'ci-deploy'))) return;
  const actor = assumedRole({ role, sessionName, accessKeyId: key, createdAt: s.now(), mfa: false, sourceIdentity: 'ci-deploy' }, 'terraform', ci.ip);
  const roleName = `svc-${s.rng.pick(['orders', 'billing', 'reports'])}-${s.rng.hex(4)}`;
  const plan: Array<() => Call> = [
    () => iamCall(s.place, 'GetRole', 'orders-api-lambda-role'),
    () => iamCall(s.place, 'CreateRole', roleName),
    () => attachRolePolicy(s.place, roleName),
    () => putRolePolicy(s.place, roleName),
    () => runInstances(s.place),
    () => bucketCall(s.place, `tf-${s.rng.hex(6)}`, 'CreateBucket'),
    () => lambdaCall(s.place, s.rng.pick(CAST.functions), 'UpdateFunctionCode20150331v2'),
    () => stopInstances(s.place, instanceId(s.place)),
    () => bucketCall(s.place, `tf-${s.rng.hex(6)}`, 'DeleteBucket'),
  ];
  for (const step of plan) if (!s.emit(actor, step(), 0.03)) return;
}

/** A CloudFormation stack: the service assumes its execution role and creates resources for the stack. */
export function cloudFormationStack(s: Scene): void {
  const stack = `stack-${s.rng.hex(6)}`;
  const { ok, session } = serviceAssumes(s, 'cloudformation.amazonaws.com', 'cfn-exec-role', `AWSCloudFormation-${stack}`);
  if (!ok) return;
  const actor = assumedRole(session, 'cloudformation', 'cloudformation.amazonaws.com', { invokedBy: 'cloudformation.amazonaws.com' });
  const roleName = `${stack}-FunctionRole-${s.rng.upper(12)}`;
  const steps: Call[] = [
    iamCall(s.place, 'CreateRole', roleName),
    attachRolePolicy(s.place, roleName),
    lambdaCall(s.place, `${stack}-handler`, 'CreateFunction20150331'),
    bucketCall(s.place, `${stack}-artifacts-${s.rng.hex(6)}`, 'CreateBucket'),
  ];
  for (const c of steps) if (!s.emit(actor, c)) return;
}
