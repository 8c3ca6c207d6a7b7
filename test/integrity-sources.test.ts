import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { keysFromCloudTrail } from '../src/integrity/public-keys';
import { publicKeyFromDer, sha256Hex, signatureMatches, signingString } from '../src/integrity/signature';
import { openVerifySource } from '../src/integrity/source';
import { verifySource } from '../src/integrity/verify';
import { startCloudTrail, CloudTrailEndpoint } from './support/cloudtrail-endpoint';
import { startS3, TestS3 } from './support/s3-server';
import { BUCKET, signedTrail, SignedTrail } from './support/signed-trail';

const START = new Date('2024-05-01T10:00:00Z');

test("the AWS CLI's signing-string test vector", () => {
  // aws-cli tests/unit/customizations/cloudtrail/test_validation.py: end time "a", bucket "b", object "c", content "abc", no previous signature.
  expect(signingString('a', 'b', 'c', sha256Hex('abc'), null)).toBe('a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nnull');
});

test('SHA256withRSA signatures verify with a PKCS#1 or SubjectPublicKeyInfo key, and not with another text', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const text = signingString('2024-05-01T11:00:00Z', 'b', 'k', sha256Hex('x'), null);
  const sig = sign('sha256', Buffer.from(text), privateKey).toString('hex');
  for (const type of ['pkcs1', 'spki'] as const) {
    const key = publicKeyFromDer(publicKey.export({ format: 'der', type }));
    expect(signatureMatches(key, text, sig)).toBe(true);
    expect(signatureMatches(key, `${text}\n`, sig)).toBe(false);
    expect(signatureMatches(key, text, 'zz')).toBe(false);
  }
});

describe('digests delivered to S3, keys from a CloudTrail endpoint', () => {
  let s3: TestS3;
  let ct: CloudTrailEndpoint;
  let trail: SignedTrail;

  beforeAll(async () => {
    trail = signedTrail(START, 3, 2);
    s3 = await startS3();
    await s3.createBucket(BUCKET);
    for (const [key, o] of trail.objects) await s3.put(BUCKET, key, o.body, o.metadata);
    const decoy = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'pkcs1' });
    const der = Buffer.from(trail.publicKeys.PublicKeyList[0].Value, 'base64');
    ct = await startCloudTrail([
      { der: decoy, fingerprint: createHash('md5').update(decoy).digest('hex'), from: new Date('2024-01-01Z'), to: new Date('2025-01-01Z') },
      { der, fingerprint: trail.fingerprint, from: new Date('2024-04-01Z'), to: new Date('2024-06-01Z') },
    ]);
  }, 60_000);
  afterAll(async () => {
    await s3?.close();
    await ct?.close();
  });

  const options = () => {
    const client = new CloudTrailClient({ region: 'us-east-1', endpoint: ct.endpoint, credentials: { accessKeyId: 'TEST', secretAccessKey: 'TEST' } });
    return { keys: keysFromCloudTrail(() => client) };
  };
  const source = () => openVerifySource(`s3://${BUCKET}`, { endpoint: s3.endpoint, client: s3.client });

  test('the chain verifies with each digest\'s signature from its metadata; keys are listed over every page', async () => {
    ct.calls.length = 0;
    const r = await verifySource(source(), options());
    expect(r.digests.map((d) => d.verdict)).toEqual(['valid', 'valid', 'valid']);
    expect(r.logFiles.map((l) => l.verdict)).toEqual(new Array(6).fill('valid'));
    expect(r.failed).toBe(false);
    expect(ct.calls.map((c) => c.NextToken)).toEqual([undefined, '1']);
  });

  test("a previousDigestSignature that is not the previous digest's own signature", async () => {
    const middle = trail.digests[1];
    const o = trail.objects.get(middle);
    if (!o) throw new Error('no middle digest');
    // The middle digest's metadata now carries another (well-formed) signature: the newer one's previousDigestSignature no longer names it.
    await s3.put(BUCKET, middle, o.body, { ...o.metadata, signature: trail.signatures.get(trail.digests[0]) ?? '' });
    try {
      const r = await verifySource(source(), options());
      const byKey = Object.fromEntries(r.digests.map((d) => [d.key, d.verdict]));
      expect(byKey[trail.digests[2]]).toBe("previous digest signature doesn't match");
      expect(byKey[middle]).toBe('signature verification failed');
      expect(r.failed).toBe(true);
    } finally {
      await s3.put(BUCKET, middle, o.body, o.metadata);
    }
  });
});
