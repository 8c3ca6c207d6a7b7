import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { demo } from '../src/cli/demo';
import { generateDemo } from '../src/demo';
import { filesUnder, logValues } from './support/log-files';

type Rec = Record<string, unknown>;

/** The value at a dotted path ("userIdentity.onBehalfOf.userId", "resources.0.ARN"), or undefined. */
function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function text(value: unknown, path: string): string {
  const v = at(value, path);
  return typeof v === 'string' ? v : '';
}

// One folder walker and one log reader for every test (support/log-files.ts).
// Log files only: the digest files, the public key and the newest signatures are signed with a key made per run (test/integrity-*.test.ts).
const files = (dir: string): string[] => filesUnder(dir).filter((p) => p.split(sep).includes('CloudTrail'));
const recordsOf = (path: string): Rec[] => logValues(path) as Rec[];

const END = new Date('2025-03-14T23:59:59Z');
const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tg-demo-test-'));
  roots.push(d);
  return d;
}
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('demo generator', () => {
  let dir: string;
  let all: Array<{ path: string; records: Rec[] }>;

  beforeAll(async () => {
    dir = tempDir();
    const out = await generateDemo({ events: 4000, out: dir, seed: 42, days: 3, end: END });
    all = files(dir).map((path) => ({ path, records: recordsOf(path) }));
    expect(out.files).toBe(all.length);
    expect(out.events).toBe(4000);
  });

  test('writes exactly the events asked for, and only in the days asked for', () => {
    const records = all.flatMap((f) => f.records);
    expect(records).toHaveLength(4000);
    const times = records.map((r) => text(r, 'eventTime')).sort();
    expect(times[0] >= '2025-03-12T00:00:00Z').toBe(true);
    expect(times[times.length - 1] <= '2025-03-14T23:59:59Z').toBe(true);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(4000);
  });

  test('same seed, same bytes; another seed, other bytes', async () => {
    const again = tempDir();
    await generateDemo({ events: 4000, out: again, seed: 42, days: 3, end: END });
    const digest = (root: string): string[] => files(root).map((p) => `${relative(root, p)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    expect(digest(again)).toEqual(digest(dir));
    const other = tempDir();
    await generateDemo({ events: 4000, out: other, seed: 43, days: 3, end: END });
    expect(digest(other)).not.toEqual(digest(dir));
  });

  test('files follow the S3 layout of CloudTrail and hold their account, region and day', () => {
    const layout = /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8})T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
    const accounts = new Set<string>();
    const regions = new Set<string>();
    for (const f of all) {
      const m = layout.exec(relative(dir, f.path));
      expect(m).not.toBeNull();
      if (!m) continue;
      const [, account, region, y, mo, d, nameAccount, nameRegion, stamp] = m;
      expect(nameAccount).toBe(account);
      expect(nameRegion).toBe(region);
      expect(stamp).toBe(`${y}${mo}${d}`);
      accounts.add(account);
      regions.add(region);
      for (const r of f.records) {
        if (r.recipientAccountId !== account || r.awsRegion !== region || text(r, 'eventTime').slice(0, 10) !== `${y}-${mo}-${d}`) {
          throw new Error(`${relative(dir, f.path)} holds ${String(r.recipientAccountId)} ${String(r.awsRegion)} ${String(r.eventTime)}`);
        }
      }
      const times = f.records.map((r) => text(r, 'eventTime'));
      expect([...times].sort()).toEqual(times);
    }
    expect(accounts.size).toBe(3);
    expect(regions.size).toBe(3);
  });

  test('every record has the fields CloudTrail always writes', () => {
    const fields = ['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'requestID', 'eventID', 'eventType', 'recipientAccountId', 'eventCategory'];
    const faults: string[] = [];
    for (const r of all.flatMap((f) => f.records)) {
      for (const field of fields) if (r[field] === undefined) faults.push(`${String(r.eventID)} lacks ${field}`);
      if (typeof r.readOnly !== 'boolean' || typeof r.managementEvent !== 'boolean') faults.push(`${String(r.eventID)}: readOnly/managementEvent not boolean`);
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(text(r, 'eventID'))) faults.push(`${String(r.eventID)}: not a uuid`);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text(r, 'eventTime'))) faults.push(`${String(r.eventID)}: eventTime ${String(r.eventTime)}`);
    }
    expect(faults).toEqual([]);
  });

  test('contains every kind of activity the demo promises', () => {
    const records = all.flatMap((f) => f.records);
    const some = (name: string, p: (r: Rec) => boolean): void => {
      expect([name, records.some(p)]).toEqual([name, true]);
    };
    const keys = new Set(records.filter((r) => at(r, 'userIdentity.type') === 'AssumedRole').map((r) => text(r, 'userIdentity.accessKeyId')));
    some('AssumeRole by a user, then calls with its ASIA key', (r) =>
      r.eventName === 'AssumeRole' && at(r, 'userIdentity.type') === 'IAMUser' && keys.has(text(r, 'responseElements.credentials.accessKeyId')));
    some('AssumeRoleWithSAML', (r) => r.eventName === 'AssumeRoleWithSAML' && at(r, 'userIdentity.type') === 'SAMLUser');
    some('ConsoleLogin without MFA', (r) => r.eventName === 'ConsoleLogin' && at(r, 'additionalEventData.MFAUsed') === 'No');
    some('ConsoleLogin with MFA', (r) => r.eventName === 'ConsoleLogin' && at(r, 'additionalEventData.MFAUsed') === 'Yes');
    some('console calls', (r) => r.sessionCredentialFromConsole === 'true');
    some('AccessDenied', (r) => r.errorCode === 'AccessDenied' && typeof r.errorMessage === 'string');
    some('EC2 UnauthorizedOperation', (r) => r.errorCode === 'Client.UnauthorizedOperation');
    some('S3 data event', (r) => ['GetObject', 'PutObject'].includes(text(r, 'eventName')) && r.eventCategory === 'Data' && r.managementEvent === false
      && text(r, 'requestParameters.bucketName') !== '' && text(r, 'requestParameters.key') !== '' && text(r, 'resources.0.ARN').startsWith('arn:aws:s3:::'));
    some('Lambda Invoke data event', (r) => r.eventName === 'Invoke' && r.eventCategory === 'Data');
    some('BatchIsAuthorized with a decision per request', (r) => r.eventName === 'BatchIsAuthorized' && r.eventCategory === 'Data'
      && Array.isArray(at(r, 'additionalEventData.results')) && at(r, 'additionalEventData.results.length') === at(r, 'requestParameters.requests.length')
      && text(r, 'requestParameters.requests.0.principal.entityType') !== '' && text(r, 'requestParameters.requests.0.action.actionId') !== '');
    const decisions = new Set(records.filter((r) => r.eventSource === 'verifiedpermissions.amazonaws.com')
      .flatMap((r) => (at(r, 'additionalEventData.results') as unknown[]).map((x) => text(x, 'decision'))));
    expect([...decisions].sort()).toEqual(['ALLOW', 'DENY']);
    some('IsAuthorized', (r) => r.eventName === 'IsAuthorized' && text(r, 'requestParameters.resource.entityId') !== '');
    some('Identity Center user on behalf of', (r) => at(r, 'userIdentity.type') === 'IdentityCenterUser' && text(r, 'userIdentity.onBehalfOf.userId') !== ''
      && text(r, 'userIdentity.onBehalfOf.identityStoreArn').startsWith('arn:aws:identitystore::') && text(r, 'userIdentity.credentialId') !== '');
    some('AWS service with invokedBy', (r) => at(r, 'userIdentity.type') === 'AWSService' && at(r, 'userIdentity.invokedBy') === 'ec2.amazonaws.com');
    some('session with source identity and creation date', (r) => text(r, 'userIdentity.sessionContext.sourceIdentity') !== ''
      && text(r, 'userIdentity.sessionContext.attributes.creationDate') !== '' && /^ASIA/.test(text(r, 'userIdentity.accessKeyId')));
    some('MFA-authenticated session', (r) => at(r, 'userIdentity.sessionContext.attributes.mfaAuthenticated') === 'true');
    some('Amazon Q user agent', (r) => /AmazonQ-For-(CLI|IDE)-/.test(text(r, 'userAgent')));
    some('Terraform user agent', (r) => /Terraform\/\d/.test(text(r, 'userAgent')));
    some('CloudFormation', (r) => r.userAgent === 'cloudformation.amazonaws.com' && at(r, 'userIdentity.invokedBy') === 'cloudformation.amazonaws.com');
    some('aws-cli', (r) => text(r, 'userAgent').startsWith('aws-cli/2.'));
    some('SDKs', (r) => /^(Boto3|aws-sdk-go-v2|aws-sdk-js|aws-sdk-java)\//.test(text(r, 'userAgent')));
    some('console agent', (r) => r.userAgent === 'AWS Internal');
    some('root', (r) => at(r, 'userIdentity.type') === 'Root' && text(r, 'userIdentity.arn').endsWith(':root'));
    some('IAM changes', (r) => ['CreateRole', 'AttachRolePolicy', 'PutRolePolicy'].includes(text(r, 'eventName')) && text(r, 'requestParameters.roleName') !== '');
    some('AttachRolePolicy with policyArn', (r) => r.eventName === 'AttachRolePolicy' && text(r, 'requestParameters.policyArn').startsWith('arn:aws:iam::aws:policy/'));
    some('DeleteBucket', (r) => r.eventName === 'DeleteBucket');
    some('RunInstances with instanceId', (r) => r.eventName === 'RunInstances' && /^i-0/.test(text(r, 'responseElements.instancesSet.items.0.instanceId')));
    some('KMS Decrypt with keyId', (r) => r.eventName === 'Decrypt' && text(r, 'requestParameters.keyId') !== '');
    some('Lambda functionName', (r) => r.eventSource === 'lambda.amazonaws.com' && text(r, 'requestParameters.functionName') !== '');
    some('long-term keys', (r) => at(r, 'userIdentity.type') === 'IAMUser' && /^AKIA/.test(text(r, 'userIdentity.accessKeyId')));
  });
});

describe('trailgraph demo (CLI)', () => {
  test('writes the files and exits 0', async () => {
    const out = tempDir();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await demo(['--events', '300', '--out', out, '--days', '2', '--end', '2025-01-31', '--seed', '5'], {})).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(files(out).flatMap(recordsOf)).toHaveLength(300);
  });

  test.each([
    [['--events', 'many', '--out', '/tmp/x']],
    [['--events', '0', '--out', '/tmp/x']],
    [['--events', '10']],
    [['--events', '10', '--out', '/tmp/x', '--end', '2025-02-30']],
    [['--events', '10', '--out', '/tmp/x', '--days', '-3']],
    [['--events', '10', '--out', '/tmp/x', '--colour']],
    [['--out']],
  ])('bad arguments %j exit 2', async (args) => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await demo(args, {})).toBe(2);
    } finally {
      err.mockRestore();
    }
  });
});
