import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStore } from '../src/sources/local-store';
import { ObjectStore } from '../src/sources/object-store';
import { parseS3Uri, S3ObjectStore } from '../src/sources/s3-store';
import { startS3, TestS3 } from './support/s3-server';

const KEYS = [
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz',
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/b.json.gz',
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/c.json.gz',
  'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01/d.json.gz',
  'AWSLogs/444455556666/CloudTrail/us-east-1/2024/03/01/e.json.gz',
];

async function keys(store: ObjectStore, prefix: string, startAfter?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix, { startAfter })) out.push(o.key);
  return out;
}

/** The same questions of a local folder and of a bucket holding the same keys give the same answers. */
describe.each(['local', 's3'])('%s object store', (kind) => {
  let dir: string;
  let s3: TestS3 | undefined;
  let store: ObjectStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trailgraph-objects-'));
    if (kind === 'local') {
      for (const k of KEYS) {
        mkdirSync(join(dir, k, '..'), { recursive: true });
        writeFileSync(join(dir, k), k);
      }
      store = new LocalObjectStore(dir);
    } else {
      s3 = await startS3();
      await s3.createBucket('trail');
      for (const k of KEYS) await s3.put('trail', k, k, { signature: `sig-of-${k.length}` });
      store = new S3ObjectStore('trail', { client: s3.client });
    }
  });
  afterAll(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('lists a day prefix in key order, after a key', async () => {
    const day = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/';
    expect(await keys(store, day)).toEqual([KEYS[0], KEYS[1]]);
    expect(await keys(store, day, KEYS[0])).toEqual([KEYS[1]]);
    expect(await keys(store, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/0')).toEqual([KEYS[0], KEYS[1], KEYS[2]]);
  });

  test('lists the next level of prefixes', async () => {
    expect(await store.listPrefixes('AWSLogs/')).toEqual(['AWSLogs/111122223333/', 'AWSLogs/444455556666/']);
    expect(await store.listPrefixes('AWSLogs/111122223333/CloudTrail/')).toEqual([
      'AWSLogs/111122223333/CloudTrail/eu-west-1/',
      'AWSLogs/111122223333/CloudTrail/us-east-1/',
    ]);
    expect(await store.listPrefixes('nothing/')).toEqual([]);
  });

  test('reads an object with its metadata', async () => {
    const got = await store.get(KEYS[2]);
    expect(got.body.toString()).toBe(KEYS[2]);
    expect(got.metadata).toEqual(kind === 's3' ? { signature: `sig-of-${KEYS[2].length}` } : {});
  });
});

test('s3 URIs', () => {
  expect(parseS3Uri('s3://bucket/AWSLogs/')).toEqual({ bucket: 'bucket', prefix: 'AWSLogs/' });
  expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
  expect(parseS3Uri('/tmp/x')).toBeUndefined();
});
