import { Call, Place } from '../records';

/** EC2 and Lambda. Lambda Invoke is a data event. */
const INSTANCE_TYPES = ['t3.micro', 't3.large', 'm7g.xlarge', 'c7i.2xlarge'];

export function instanceId(place: Place): string {
  return `i-0${place.rng.hex(16)}`;
}

function instanceArn(place: Place, id: string): string {
  return `arn:aws:ec2:${place.region}:${place.account.id}:instance/${id}`;
}

export function describeInstances(place: Place, id?: string): Call {
  return {
    source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true,
    params: { instancesSet: id ? { items: [{ instanceId: id }] } : {}, filterSet: {} },
    target: id ? instanceArn(place, id) : '*',
  };
}

export function runInstances(place: Place): Call {
  const { rng } = place;
  const id = instanceId(place);
  return {
    source: 'ec2.amazonaws.com', name: 'RunInstances', readOnly: false,
    params: {
      instancesSet: { items: [{ imageId: `ami-0${rng.hex(16)}`, minCount: 1, maxCount: 1 }] },
      instanceType: rng.pick(INSTANCE_TYPES), monitoring: { enabled: false }, disableApiTermination: false,
    },
    response: {
      requestId: rng.uuid(), reservationId: `r-0${rng.hex(16)}`, ownerId: place.account.id,
      instancesSet: { items: [{ instanceId: id, instanceState: { code: 0, name: 'pending' } }] },
    },
    target: instanceArn(place, id),
  };
}

export function stopInstances(place: Place, id: string): Call {
  return {
    source: 'ec2.amazonaws.com', name: 'StopInstances', readOnly: false,
    params: { instancesSet: { items: [{ instanceId: id }] }, force: false },
    response: { instancesSet: { items: [{ instanceId: id, currentState: { code: 64, name: 'stopping' } }] } },
    target: instanceArn(place, id),
  };
}

function functionArn(place: Place, fn: string): string {
  return `arn:aws:lambda:${place.region}:${place.account.id}:function:${fn}`;
}

export function lambdaInvoke(place: Place, fn: string): Call {
  const arn = functionArn(place, fn);
  return {
    source: 'lambda.amazonaws.com', name: 'Invoke', readOnly: false, data: true,
    params: { functionName: arn, invocationType: place.rng.pick(['RequestResponse', 'Event']) },
    additional: { functionVersion: `${arn}:$LATEST` },
    resources: [{ accountId: place.account.id, type: 'AWS::Lambda::Function', ARN: arn }],
    target: arn,
  };
}

export function lambdaCall(place: Place, fn: string, name: 'GetFunction20150331v2' | 'UpdateFunctionCode20150331v2' | 'CreateFunction20150331'): Call {
  const arn = functionArn(place, fn);
  return {
    source: 'lambda.amazonaws.com', name, readOnly: name === 'GetFunction20150331v2',
    params: name === 'CreateFunction20150331'
      ? { functionName: fn, runtime: 'nodejs20.x', role: `arn:aws:iam::${place.account.id}:role/orders-api-lambda-role`, handler: 'index.handler' }
      : { functionName: fn },
    response: name === 'GetFunction20150331v2' ? null : { functionName: fn, functionArn: arn, runtime: 'nodejs20.x', lastUpdateStatus: 'InProgress' },
    target: arn,
  };
}
