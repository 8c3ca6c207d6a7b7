import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateKeyPairSync } from 'node:crypto';
import { keysFromFile, KeySource } from '../src/integrity/public-keys';
import { LocalObjectStore } from '../src/sources/local-store';
import { VerifyReport, verifySource } from '../src/integrity/verify';
import { ACCOUNT, digestKey, logKey, resign, SignedTrail, signedTrail } from './support/signed-trail';

const START = new Date('2024-05-01T10:00:00Z');
let root: string;
let n = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'trailgraph-verify-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function verify(trail: SignedTrail, edit?: (dir: string) => void, keyDoc: unknown = trail.publicKeys, more: string[] = []): Promise<VerifyReport> {
  const dir = join(root, `case-${n++}`);
  for (const [key, o] of trail.objects) {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), o.body);
  }
  edit?.(dir);
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(keyDoc));
  const keys: KeySource = await keysFromFile(join(dir, 'keys.json'));
  const newest = trail.signatures.get(trail.digests[trail.digests.length - 1]) ?? '';
  return verifySource({ store: new LocalObjectStore(dir), prefix: '', bucket: null }, { keys, newestSignatures: [newest, ...more] });
}

const digestVerdicts = (r: VerifyReport): Record<string, string> => Object.fromEntries(r.digests.map((d) => [d.key, d.verdict]));
const logVerdicts = (r: VerifyReport): Record<string, string> => Object.fromEntries(r.logFiles.map((l) => [l.key, l.verdict]));
const json = (trail: SignedTrail, key: string): Record<string, unknown> => JSON.parse(gunzipSync(trail.objects.get(key)?.body ?? Buffer.alloc(0)).toString()) as Record<string, unknown>;

describe('verify over a local copy', () => {
  test('an untouched chain verifies: every digest and every log file valid, an empty hour and the chain start too', async () => {
    const trail = signedTrail(START, 4, 2, { emptyHours: [2] });
    const r = await verify(trail);
    expect(r.digests).toHaveLength(4);
    expect(r.logFiles).toHaveLength(6);
    expect(Object.values(digestVerdicts(r))).toEqual(['valid', 'valid', 'valid', 'valid']);
    expect(new Set(Object.values(logVerdicts(r)))).toEqual(new Set(['valid']));
    expect(r.gaps).toEqual([]);
    expect(r.failed).toBe(false);
  });

  test('one byte changed in a log file: hash value doesn\'t match, the rest valid', async () => {
    const trail = signedTrail(START, 2, 2);
    const target = trail.logs[1];
    const r = await verify(trail, (dir) => {
      const plain = gunzipSync(trail.objects.get(target)?.body ?? Buffer.alloc(0));
      plain[plain.indexOf('alice')] = 'A'.charCodeAt(0);
      writeFileSync(join(dir, target), gzipSync(plain));
    });
    expect(logVerdicts(r)[target]).toBe("hash value doesn't match");
    expect(Object.values(logVerdicts(r)).filter((v) => v === 'valid')).toHaveLength(3);
    expect(r.failed).toBe(true);
  });

  test('a log file deleted: not found', async () => {
    const trail = signedTrail(START, 2, 2);
    const r = await verify(trail, (dir) => rmSync(join(dir, trail.logs[0])));
    expect(logVerdicts(r)[trail.logs[0]]).toBe('not found');
    expect(r.failed).toBe(true);
  });

  test('a digest edited: its signature no longer verifies; its files are not vouched for', async () => {
    const trail = signedTrail(START, 3, 1);
    const target = trail.digests[1];
    const edited = json(trail, target);
    (edited.logFiles as Array<Record<string, unknown>>)[0].hashValue = '0'.repeat(64);
    const r = await verify(trail, (dir) => writeFileSync(join(dir, target), gzipSync(JSON.stringify(edited))));
    expect(digestVerdicts(r)[target]).toBe('signature verification failed');
    // The newer digest names the old content's hash.
    expect(digestVerdicts(r)[trail.digests[2]]).toBe("previous digest hash value doesn't match");
    expect(digestVerdicts(r)[trail.digests[0]]).toBe('valid');
    expect(r.logFiles.find((l) => l.key === trail.logs[1])?.verdict).not.toBe('valid');
    expect(r.failed).toBe(true);
  });

  test('a digest in the middle deleted: not found, and the chain before it has no signature offline', async () => {
    const trail = signedTrail(START, 3, 1);
    const r = await verify(trail, (dir) => rmSync(join(dir, trail.digests[1])));
    expect(digestVerdicts(r)[trail.digests[1]]).toBe('not found');
    expect(digestVerdicts(r)[trail.digests[2]]).toBe('valid');
    expect(digestVerdicts(r)[trail.digests[0]]).toBe('signature not supplied');
    // Its log file is now in a covered hour... no: its hour has no digest, so it is not covered.
    expect(logVerdicts(r)[trail.logs[1]]).toBe('not covered by any digest');
    expect(r.failed).toBe(true);
  });

  test('a digest moved to another key: moved from its original location, and the original not found', async () => {
    const trail = signedTrail(START, 3, 1);
    const from = trail.digests[1];
    const to = digestKey(new Date(START.getTime() + 2 * 3_600_000 + 5_000));
    const r = await verify(trail, (dir) => {
      mkdirSync(dirname(join(dir, to)), { recursive: true });
      writeFileSync(join(dir, to), trail.objects.get(from)?.body ?? '');
      rmSync(join(dir, from));
    });
    expect(digestVerdicts(r)[to]).toBe('has been moved from its original location');
    expect(digestVerdicts(r)[from]).toBe('not found');
    expect(r.failed).toBe(true);
  });

  test('an unknown fingerprint: public key not found', async () => {
    const trail = signedTrail(START, 2, 1);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'pkcs1' });
    const r = await verify(trail, undefined, { PublicKeyList: [{ Value: other.toString('base64'), Fingerprint: trail.fingerprint }] });
    // The listed fingerprint is recomputed from the key's bytes: a listing that claims the trail's fingerprint for another key does not match.
    expect(Object.values(digestVerdicts(r))).toEqual(['public key not found', 'public key not found']);
    expect(r.failed).toBe(true);
  });

  test('a signature that does not match: signature verification failed', async () => {
    const trail = signedTrail(START, 2, 1);
    const newest = trail.digests[1];
    const dir = join(root, `case-${n++}`);
    for (const [key, o] of trail.objects) {
      mkdirSync(dirname(join(dir, key)), { recursive: true });
      writeFileSync(join(dir, key), o.body);
    }
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(trail.publicKeys));
    const wrong = trail.signatures.get(trail.digests[0]) ?? '';
    const r = await verifySource({ store: new LocalObjectStore(dir), prefix: '', bucket: null }, { keys: await keysFromFile(join(dir, 'keys.json')), newestSignatures: [wrong] });
    expect(digestVerdicts(r)[newest]).toBe('signature verification failed');
    expect(r.failed).toBe(true);
  });

  test('a previousDigestHashValue that does not match (re-signed, so only that check can fail)', async () => {
    const trail = signedTrail(START, 2, 1);
    const newest = trail.digests[1];
    const edited = json(trail, newest);
    edited.previousDigestHashValue = 'f'.repeat(64);
    resign(trail, newest, edited);
    const r = await verify(trail);
    expect(digestVerdicts(r)[newest]).toBe("previous digest hash value doesn't match");
    expect(digestVerdicts(r)[trail.digests[0]]).toBe('valid');
    expect(r.failed).toBe(true);
  });

  test('a log file added in a covered hour is invalid; one after the newest digest is not yet covered (not a failure)', async () => {
    const trail = signedTrail(START, 2, 1);
    const added = logKey(new Date(START.getTime() + 30 * 60_000), 'addedlater0000001');
    const later = logKey(new Date(START.getTime() + 2 * 3_600_000 + 10 * 60_000), 'newerthandigest01');
    const write = (dir: string, key: string): void => {
      mkdirSync(dirname(join(dir, key)), { recursive: true });
      writeFileSync(join(dir, key), gzipSync('{"Records":[]}'));
    };
    const withBoth = await verify(trail, (dir) => [added, later].forEach((k) => write(dir, k)));
    expect(logVerdicts(withBoth)[added]).toBe('not listed in the digest of its hour');
    expect(logVerdicts(withBoth)[later]).toBe('not yet covered');
    expect(withBoth.failed).toBe(true);
    const onlyLater = await verify(trail, (dir) => write(dir, later));
    expect(logVerdicts(onlyLater)[later]).toBe('not yet covered');
    expect(onlyLater.failed).toBe(false);
  });

  test('a backfill digest in the chain is handled', async () => {
    const trail = signedTrail(START, 3, 1, { backfillHours: [1] });
    expect(trail.digests[1]).toMatch(/_backfill\.json\.gz$/);
    const r = await verify(trail);
    expect(Object.values(digestVerdicts(r))).toEqual(['valid', 'valid', 'valid']);
    expect(r.logFiles.filter((l) => l.verdict === 'valid')).toHaveLength(3);
  });

  test('a chain that restarts: the gap between the chains is reported, both chains valid', async () => {
    const first = signedTrail(START, 2, 1);
    const laterStart = new Date(START.getTime() + 5 * 3_600_000);
    const second = signedTrail(laterStart, 1, 1);
    // The second chain is signed with its own key: both keys are listed.
    const merged: SignedTrail = { ...second, objects: new Map([...first.objects, ...second.objects]) };
    const keys = { PublicKeyList: [...first.publicKeys.PublicKeyList, ...second.publicKeys.PublicKeyList] };
    // Offline, each chain's newest digest needs its signature supplied.
    const r = await verify(merged, undefined, keys, [first.signatures.get(first.digests[1]) ?? '']);
    expect(Object.values(digestVerdicts(r))).toEqual(['valid', 'valid', 'valid']);
    expect(r.gaps).toEqual([{ account: ACCOUNT, region: 'us-east-1', trail: 'org-trail', from: '2024-05-01T12:00:00.000Z', to: '2024-05-01T15:00:00Z' }]);
  });
});
