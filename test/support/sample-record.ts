/** A CloudTrail record as a plain JSON value, for writing log files in tests (valid or, with `extra`, deliberately not). */
export type SampleRecord = Record<string, unknown>;

/**
 * The i-th call of one IAM user listing S3 buckets, in account
 * 111122223333 on 2025-02-03 (second i % 60 of 10:11), with eventID
 * 00000000-0000-4000-8000-<i>; `extra` replaces or adds fields.
 */
export function sampleRecord(i: number, extra: SampleRecord = {}): SampleRecord {
  const second = String(i % 60).padStart(2, '0');
  return {
    eventVersion: '1.10',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE', userName: 'alice' },
    eventTime: `2025-02-03T10:11:${second}Z`,
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: { Host: 's3.eu-west-1.amazonaws.com' },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...extra,
  };
}
