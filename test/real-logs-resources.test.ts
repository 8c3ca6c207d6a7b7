import { FastifyInstance } from 'fastify';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { TOUCHES } from '../src/history/graph/touches';
import { sql, trusted } from '../src/history/sql/sql';
import { buildApp } from '../src/server';
import { gql } from './support/api';
import { ENGINE_NAMES, EngineHandle, openEngine } from './support/engines';
import { corpusRecords, storeWith } from './support/fixture-store';
import { RESOURCE_EXAMPLES } from './fixtures/aws-doc-records';

/**
 * The resources an event touches, on real records: one definition for the
 * resourceArns and resourceTypes filters, Event.resources and the resource
 * summaries, on both engines; and the ARN of each resource the payload
 * names, built here from the raw record as AWS writes it.
 */
const corpus = corpusRecords();
const records = [...corpus, ...RESOURCE_EXAMPLES];
const times = records.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
const TIME = { from: new Date(times[0]).toISOString(), to: new Date(times[times.length - 1] + 1000).toISOString() };
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 7 });

/** The store keeps the first record of each eventID: the cases read those only. */
const firstOfId = new Map<string, CloudTrailRecord>();
for (const r of records) if (!firstOfId.has(r.eventID)) firstOfId.set(r.eventID, r);
const stored = [...firstOfId.values()];

type Json = Record<string, unknown>;
const field = (root: unknown, ...path: string[]): string | null => {
  let v: unknown = root;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Json)[p] : undefined;
  return typeof v === 'string' ? v : null;
};
const rp = (r: CloudTrailRecord, ...path: string[]) => field(r.requestParameters, ...path);
const re = (r: CloudTrailRecord, ...path: string[]) => field(r.responseElements, ...path);
const acct = (r: CloudTrailRecord) => String(r.recipientAccountId ?? field(r.userIdentity, 'accountId'));
const namedInResources = (r: CloudTrailRecord, arn: string) =>
  Array.isArray(r.resources) && r.resources.some((x) => field(x, 'ARN') === arn || field(x, 'arn') === arn);

interface Case {
  label: string;
  pick: (r: CloudTrailRecord) => boolean;
  /** The ARN as AWS writes it, from the raw record. */
  arn: (r: CloudTrailRecord) => string;
  type: string;
}

const is = (source: string, name: string, extra: (r: CloudTrailRecord) => boolean = () => true) => (r: CloudTrailRecord) =>
  r.eventSource === `${source}.amazonaws.com` && r.eventName === name && extra(r);

const CASES: Case[] = [
  { label: 'Secrets Manager secretId as an ARN (stratus)', pick: is('secretsmanager', 'GetSecretValue', (r) => rp(r, 'secretId')?.startsWith('arn:') === true), arn: (r) => rp(r, 'secretId')!, type: 'AWS::SecretsManager::Secret' },
  { label: 'Secrets Manager secret named in the response (panther)', pick: is('secretsmanager', 'PutResourcePolicy', (r) => re(r, 'arn') !== null), arn: (r) => re(r, 'arn')!, type: 'AWS::SecretsManager::Secret' },
  { label: 'Secrets Manager secretId as a name (AWS doc)', pick: (r) => r.eventID === 'doc-sm-get-by-name', arn: (r) => `arn:aws:secretsmanager:${r.awsRegion}:${acct(r)}:secret:${rp(r, 'secretId')}`, type: 'AWS::SecretsManager::Secret' },
  { label: 'StopLogging by trail name (stratus: who stopped my logging)', pick: is('cloudtrail', 'StopLogging', (r) => rp(r, 'name')?.startsWith('arn:') === false), arn: (r) => `arn:aws:cloudtrail:${r.awsRegion}:${acct(r)}:trail/${rp(r, 'name')}`, type: 'AWS::CloudTrail::Trail' },
  { label: 'DeleteTrail (stratus)', pick: is('cloudtrail', 'DeleteTrail', (r) => r.recipientAccountId === '847129010505'), arn: (r) => `arn:aws:cloudtrail:${r.awsRegion}:${acct(r)}:trail/${rp(r, 'name')}`, type: 'AWS::CloudTrail::Trail' },
  { label: 'UpdateTrail (AWS doc)', pick: is('cloudtrail', 'UpdateTrail', (r) => rp(r, 'name') === 'myTrail2'), arn: (r) => `arn:aws:cloudtrail:${r.awsRegion}:${acct(r)}:trail/myTrail2`, type: 'AWS::CloudTrail::Trail' },
  { label: 'PutEventSelectors by trailName (stratus)', pick: is('cloudtrail', 'PutEventSelectors', (r) => r.recipientAccountId === '958312252124'), arn: (r) => `arn:aws:cloudtrail:${r.awsRegion}:${acct(r)}:trail/${rp(r, 'trailName')}`, type: 'AWS::CloudTrail::Trail' },
  { label: 'EC2 snapshot (no account in its ARN)', pick: is('ec2', 'ModifySnapshotAttribute', (r) => rp(r, 'snapshotId') !== null), arn: (r) => `arn:aws:ec2:${r.awsRegion}::snapshot/${rp(r, 'snapshotId')}`, type: 'AWS::EC2::Snapshot' },
  { label: 'EC2 volume from the CreateVolume response', pick: is('ec2', 'CreateVolume'), arn: (r) => `arn:aws:ec2:${r.awsRegion}:${acct(r)}:volume/${re(r, 'volumeId')}`, type: 'AWS::EC2::Volume' },
  { label: 'EC2 security group by groupId', pick: is('ec2', 'AuthorizeSecurityGroupIngress', (r) => rp(r, 'groupId') !== null), arn: (r) => `arn:aws:ec2:${r.awsRegion}:${acct(r)}:security-group/${rp(r, 'groupId')}`, type: 'AWS::EC2::SecurityGroup' },
  { label: 'EC2 security group from the CreateSecurityGroup response', pick: is('ec2', 'CreateSecurityGroup', (r) => re(r, 'groupId') !== null), arn: (r) => `arn:aws:ec2:${r.awsRegion}:${acct(r)}:security-group/${re(r, 'groupId')}`, type: 'AWS::EC2::SecurityGroup' },
  { label: 'EC2 image by imageId (no account in its ARN)', pick: is('ec2', 'ModifyImageAttribute'), arn: (r) => `arn:aws:ec2:${r.awsRegion}::image/${rp(r, 'imageId')}`, type: 'AWS::EC2::Image' },
  { label: 'EC2 image from the CreateImage response', pick: is('ec2', 'CreateImage', (r) => re(r, 'imageId') !== null), arn: (r) => `arn:aws:ec2:${r.awsRegion}::image/${re(r, 'imageId')}`, type: 'AWS::EC2::Image' },
  { label: 'EC2 key pair by name', pick: (r) => r.eventID === 'doc-ec2-create-key-pair', arn: (r) => `arn:aws:ec2:${r.awsRegion}:${acct(r)}:key-pair/${rp(r, 'keyName')}`, type: 'AWS::EC2::KeyPair' },
  { label: 'SNS topic from the CreateTopic response', pick: is('sns', 'CreateTopic', (r) => rp(r, 'name') === 'hello'), arn: (r) => re(r, 'topicArn')!, type: 'AWS::SNS::Topic' },
  { label: 'SNS topicArn', pick: is('sns', 'DeleteTopic'), arn: (r) => rp(r, 'topicArn')!, type: 'AWS::SNS::Topic' },
  { label: 'SQS queue from queueUrl', pick: is('sqs', 'DeleteQueue', (r) => r.recipientAccountId === '123456789012'), arn: (r) => `arn:aws:sqs:${r.awsRegion}:123456789012:ReportGeneration`, type: 'AWS::SQS::Queue' },
  { label: 'DynamoDB table by name', pick: is('dynamodb', 'DeleteTable'), arn: (r) => `arn:aws:dynamodb:${r.awsRegion}:${acct(r)}:table/${rp(r, 'tableName')}`, type: 'AWS::DynamoDB::Table' },
  { label: 'RDS instance from the response', pick: is('rds', 'CreateDBInstance', (r) => re(r, 'dBInstanceArn') !== null), arn: (r) => re(r, 'dBInstanceArn')!, type: 'AWS::RDS::DBInstance' },
  { label: 'RDS instance by identifier', pick: is('rds', 'ModifyDBInstance', (r) => rp(r, 'dBInstanceIdentifier') === 'production-db'), arn: (r) => `arn:aws:rds:${r.awsRegion}:${acct(r)}:db:production-db`, type: 'AWS::RDS::DBInstance' },
  // RDS keeps identifiers in lower case, and so do the ARNs it writes.
  { label: 'RDS cluster by identifier', pick: (r) => r.eventID === 'doc-rds-modify-cluster', arn: (r) => `arn:aws:rds:${r.awsRegion}:${acct(r)}:cluster:my-aurora-cluster`, type: 'AWS::RDS::DBCluster' },
  { label: 'ECR repository (resources[] gives no type; the rule does)', pick: is('ecr', 'CreateRepository'), arn: (r) => re(r, 'repository', 'repositoryArn')!, type: 'AWS::ECR::Repository' },
  { label: 'ECS cluster from the CreateCluster response', pick: (r) => r.eventID === 'doc-ecs-create-cluster', arn: (r) => re(r, 'cluster', 'clusterArn')!, type: 'AWS::ECS::Cluster' },
  { label: 'ECS task definition from the response', pick: (r) => r.eventID === 'doc-ecs-register', arn: (r) => re(r, 'taskDefinition', 'taskDefinitionArn')!, type: 'AWS::ECS::TaskDefinition' },
  { label: 'ECS task definition as family:revision', pick: (r) => r.eventID === 'doc-ecs-deregister', arn: (r) => `arn:aws:ecs:${r.awsRegion}:${acct(r)}:task-definition/${rp(r, 'taskDefinition')}`, type: 'AWS::ECS::TaskDefinition' },
  { label: 'CloudFormation stack from the CreateStack response', pick: (r) => r.eventID === 'doc-cfn-create', arn: (r) => re(r, 'stackId')!, type: 'AWS::CloudFormation::Stack' },
  { label: 'SSM parameter named with a leading slash', pick: (r) => r.eventID === 'doc-ssm-put', arn: (r) => `arn:aws:ssm:${r.awsRegion}:${acct(r)}:parameter/prod/db/password`, type: 'AWS::SSM::Parameter' },
  { label: 'SSM parameter also in resources[] (one touch)', pick: is('ssm', 'GetParameter'), arn: (r) => `arn:aws:ssm:${r.awsRegion}:${acct(r)}:parameter${rp(r, 'name')}`, type: 'AWS::SSM::Parameter' },
  { label: 'GuardDuty detector by detectorId', pick: is('guardduty', 'CreateThreatIntelSet'), arn: (r) => `arn:aws:guardduty:${r.awsRegion}:${acct(r)}:detector/${rp(r, 'detectorId')}`, type: 'AWS::GuardDuty::Detector' },
  { label: 'GuardDuty detector from the CreateDetector response', pick: (r) => r.eventID === 'doc-gd-create', arn: (r) => `arn:aws:guardduty:${r.awsRegion}:${acct(r)}:detector/${re(r, 'detectorId')}`, type: 'AWS::GuardDuty::Detector' },
  { label: 'Organizations policy from the CreatePolicy response', pick: (r) => r.eventID === 'doc-org-create-policy', arn: (r) => re(r, 'policy', 'policySummary', 'arn')!, type: 'AWS::Organizations::Policy' },
  { label: 'Organizations: the AWS managed FullAWSAccess policy', pick: (r) => r.eventID === 'doc-org-attach-managed', arn: () => 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess', type: 'AWS::Organizations::Policy' },
];

const missing = CASES.filter((c) => !stored.some(c.pick)).map((c) => c.label);
if (missing.length) throw new Error(`no record for cases: ${missing.join('; ')}`);
const picked = CASES.map((c) => {
  const r = stored.find(c.pick)!;
  return { ...c, record: r, expectedArn: c.arn(r) };
});

/** The stratus role created and changed by user/christophe. */
const STRATUS_ROLE = 'arn:aws:iam::609418236337:role/stratus-red-team-malicious-iam-role';

let duck: DuckDbEngine;
beforeAll(async () => {
  duck = await storeWith(records);
});
afterAll(() => duck.close());

interface EventNode { eventId: string; eventName: string; resources: Array<{ arn: string; type: string | null }> }
type Events = { events: { nodes: EventNode[] } };

describe.each(ENGINE_NAMES)('on %s', (name) => {
  let handle: EngineHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await openEngine(name, duck);
    app = await buildApp(config, { engine: handle.engine, logger: false });
  });
  afterAll(async () => {
    await app.close();
    await handle.close();
  });

  const eventsWhere = async (filter: Record<string, unknown>): Promise<EventNode[]> => {
    const r = await gql<Events>(app, `query($f: EventFilter) { events(filter: $f, first: 100) { nodes { eventId eventName resources { arn type } } } }`, { f: { time: TIME, ...filter } });
    expect(r.errors).toBeUndefined();
    return r.data!.events.nodes;
  };

  test('"who deleted or changed this resource": the filter finds what resource(arn:) shows (stratus, user/christophe)', async () => {
    // The records, read here: the IAM calls naming the role (roleName in the role's account, or its ARN in the response).
    const expected = stored
      .filter((r) => r.eventSource === 'iam.amazonaws.com' && r.recipientAccountId === '609418236337' && rp(r, 'roleName') === 'stratus-red-team-malicious-iam-role')
      .map((r) => r.eventName).sort();
    expect(expected).toEqual(['AttachRolePolicy', 'CreateRole']);
    const byArn = await eventsWhere({ resourceArns: [STRATUS_ROLE], readOnly: false });
    expect(byArn.map((e) => e.eventName).sort()).toEqual(expected);
    const byType = await eventsWhere({ resourceTypes: ['AWS::IAM::Role'], accountIds: ['609418236337'] });
    expect(byType.map((e) => e.eventName).sort()).toEqual(expected);
    for (const e of byArn) expect(e.resources.map((x) => x.arn)).toContain(STRATUS_ROLE);
    const r = await gql<{ resource: { type: string; eventCount: number; events: { nodes: Array<{ eventName: string }> } } }>(app,
      `query($arn: String!, $t: TimeRange!) { resource(arn: $arn, time: $t) { type eventCount events(filter: { readOnly: false }, first: 10) { nodes { eventName } } } }`, { arn: STRATUS_ROLE, t: TIME });
    expect(r.errors).toBeUndefined();
    expect(r.data!.resource.type).toBe('AWS::IAM::Role');
    expect(r.data!.resource.eventCount).toBe(2);
    expect(r.data!.resource.events.nodes.map((e) => e.eventName).sort()).toEqual(expected);
  });

  test.each(picked.map((p) => [p.label, p] as const))('%s', async (_label, c) => {
    const [event] = await eventsWhere({ eventIds: [c.record.eventID] });
    expect(event).toBeDefined();
    expect(event.resources).toContainEqual({ arn: c.expectedArn, type: c.type });
    expect((await eventsWhere({ resourceArns: [c.expectedArn] })).map((e) => e.eventId)).toContain(c.record.eventID);
    expect((await eventsWhere({ resourceTypes: [c.type], eventIds: [c.record.eventID] })).map((e) => e.eventId)).toEqual([c.record.eventID]);
    const r = await gql<{ resource: { type: string; events: { nodes: Array<{ eventId: string }> } } | null }>(app,
      `query($arn: String!, $t: TimeRange!) { resource(arn: $arn, time: $t) { type events(first: 100) { nodes { eventId } } } }`, { arn: c.expectedArn, t: TIME });
    expect(r.errors).toBeUndefined();
    expect(r.data!.resource?.type).toBe(c.type);
    expect(r.data!.resource?.events.nodes.map((e) => e.eventId)).toContain(c.record.eventID);
    // The touch says where it came from: resources[] when the record names it there, else the payload.
    const touch = await handle.engine.query(sql`SELECT resource_origin FROM ${trusted(TOUCHES)} WHERE eventid = ${c.record.eventID} AND resource_arn = ${c.expectedArn}`);
    expect(touch.rows.map((x) => x.resource_origin)).toEqual([namedInResources(c.record, c.expectedArn) ? 'resources' : 'derived']);
  });

  test('calls that name a resource only by an id whose ARN needs more than the record holds touch none of that type', async () => {
    // Organizations: an account's ARN carries the organization id, which CloseAccount and DescribeAccount do not record.
    const byAccountId = stored.filter((r) => r.eventSource === 'organizations.amazonaws.com' && rp(r, 'accountId') !== null);
    expect(byAccountId.length).toBeGreaterThan(0);
    const events = await eventsWhere({ eventIds: byAccountId.map((r) => r.eventID) });
    expect(events.map((e) => e.eventId).sort()).toEqual(byAccountId.map((r) => r.eventID).sort());
    for (const e of events) expect(e.resources).toEqual([]);
  });
});
