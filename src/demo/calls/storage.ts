import { Call, Place } from '../records';

/** S3 object calls are data events; buckets are management events. */
const KEY_PREFIXES = ['orders/2024/', 'invoices/', 'exports/daily/', 'uploads/', 'models/checkpoints/'];
const KEY_SUFFIXES = ['.json', '.csv.gz', '.parquet', '.pdf', '.bin'];

export function objectKey(place: Place): string {
  const { rng } = place;
  return `${rng.pick(KEY_PREFIXES)}${rng.hex(8)}${rng.pick(KEY_SUFFIXES)}`;
}

export function s3Object(place: Place, bucket: string, name: 'GetObject' | 'PutObject' | 'HeadObject', key = objectKey(place)): Call {
  const { rng, region } = place;
  const bytes = rng.int(200, 5_000_000);
  const read = name !== 'PutObject';
  return {
    source: 's3.amazonaws.com', name, readOnly: read, data: true,
    params: { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key },
    response: name === 'PutObject' ? { 'x-amz-server-side-encryption': 'AES256' } : null,
    additional: {
      SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: read ? 0 : bytes,
      AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': rng.alnum(40), bytesTransferredOut: read ? bytes : 0,
    },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: place.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    target: `arn:aws:s3:::${bucket}/${key}`,
  };
}

export function listBuckets(place: Place): Call {
  return { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true, params: { Host: `s3.${place.region}.amazonaws.com` }, target: '*' };
}

export function bucketCall(place: Place, bucket: string, name: 'CreateBucket' | 'DeleteBucket' | 'GetBucketPolicy' | 'PutBucketVersioning'): Call {
  return {
    source: 's3.amazonaws.com', name, readOnly: name === 'GetBucketPolicy',
    params: { bucketName: bucket, Host: `${bucket}.s3.${place.region}.amazonaws.com` },
    resources: [{ accountId: place.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
    target: `arn:aws:s3:::${bucket}`,
  };
}

export function kmsDecrypt(place: Place, keyId: string): Call {
  const arn = `arn:aws:kms:${place.region}:${place.account.id}:key/${keyId}`;
  return {
    source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true,
    params: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', keyId: arn },
    resources: [{ accountId: place.account.id, type: 'AWS::KMS::Key', ARN: arn }],
    target: arn,
  };
}
