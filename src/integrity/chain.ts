import { ObjectContent, ObjectStore } from '../sources/object-store';

const READ_AHEAD = 16;
import { DigestContent, DigestKey, logKeyTail, parseDigest, parseDigestKey, uncompressed } from './digest-file';
import { KeySource } from './public-keys';
import { sha256Hex, signatureMatches, signingString } from './signature';
import { DigestVerdict } from './verdicts';

/** One digest's verdict, with what it says about its hour. */
export interface DigestResult {
  key: string;
  account: string;
  region: string;
  trail: string;
  backfill: boolean;
  /** From the digest when it could be read, else from its name. */
  start: string | null;
  end: string;
  verdict: DigestVerdict;
  /** Parsed content, when the digest could be read (its log files are checked only when the verdict is valid). */
  content?: DigestContent;
}

/** Where a chain restarts: CloudTrail delivered nothing between these times (logging or validation was off). */
export interface ChainGap {
  account: string;
  region: string;
  trail: string;
  from: string;
  to: string;
}

export interface ChainContext {
  store: ObjectStore;
  /** The bucket when the store is S3 (the digest's own bucket is then checked too). */
  bucket: string | null;
  keys: KeySource;
  /** Signatures given for the newest digests of a local copy (hex). */
  newestSignatures: readonly string[];
  since: Date;
}

interface Expectation {
  /** The key tail the newer digest names as its previous one. */
  tail: string;
  key: string;
  hash: string | null;
  signature: string | null;
  newer: DigestResult;
}

function problem(r: DigestResult, v: DigestVerdict): void {
  if (r.verdict === 'valid') r.verdict = v;
}

/**
 * Walks one trail's chain for one region from the newest digest back, as
 * validate-logs does: each digest is read, checked for its place, its key
 * and its signature; then the one it names as previous is expected next.
 * A digest that is missing is "not found"; a digest whose previous fields
 * are null starts a chain, and an older digest before it marks a gap.
 * Beyond validate-logs: the newer digest's previousDigestHashValue must be
 * the SHA-256 of this one, and its previousDigestSignature this one's own
 * signature (on S3, from metadata). On a local copy, where there is no
 * metadata, the newer digest's previousDigestSignature is the signature
 * checked; the newest one's comes from ctx.newestSignatures.
 */
export async function walkChain(ctx: ChainContext, listed: readonly DigestKey[]): Promise<{ digests: DigestResult[]; gaps: ChainGap[] }> {
  const newestFirst = [...listed].sort((a, b) => b.end.getTime() - a.end.getTime() || (a.key < b.key ? 1 : -1));
  const digests: DigestResult[] = [];
  const gaps: ChainGap[] = [];
  let expected: Expectation | null = null;
  const notFound = (e: Expectation): void => {
    const k = parseDigestKey(e.key);
    if (!k || k.end < ctx.since) return;
    digests.push({ key: e.key, account: k.account, region: k.region, trail: k.trail, backfill: k.backfill, start: null, end: k.end.toISOString(), verdict: 'not found' });
  };
  // Digests are read ahead, a few at a time, while earlier ones are checked: most are small, and reading one by one waits on each.
  const reads: Array<Promise<ObjectContent>> = [];
  const read = (i: number): Promise<ObjectContent> => {
    for (let j = reads.length; j < Math.min(newestFirst.length, i + READ_AHEAD); j++) {
      const p = ctx.store.get(newestFirst[j].key);
      p.catch(() => undefined);
      reads.push(p);
    }
    const got = reads[i];
    delete reads[i];
    return got;
  };
  for (const [i, dk] of newestFirst.entries()) {
    if (expected && expected.tail !== logKeyTail(dk.key)) {
      notFound(expected);
      expected = null;
    }
    const result: DigestResult = { key: dk.key, account: dk.account, region: dk.region, trail: dk.trail, backfill: dk.backfill, start: null, end: dk.end.toISOString(), verdict: 'valid' };
    digests.push(result);
    const { body, metadata } = await read(i);
    let plain: Buffer;
    let content: DigestContent | undefined;
    try {
      plain = uncompressed(body);
      content = parseDigest(plain);
    } catch {
      plain = body;
    }
    const ownHash = sha256Hex(plain);
    const ownSignature = metadata.signature ?? null;
    if (expected) {
      if (expected.hash !== null && expected.hash.toLowerCase() !== ownHash) problem(expected.newer, "previous digest hash value doesn't match");
      if (ownSignature !== null && expected.signature !== null && ownSignature.toLowerCase() !== expected.signature.toLowerCase()) problem(expected.newer, "previous digest signature doesn't match");
    }
    if (!content) {
      result.verdict = 'invalid format';
      expected = null;
      continue;
    }
    result.content = content;
    result.start = content.digestStartTime;
    result.end = content.digestEndTime;
    const moved = logKeyTail(content.digestS3Object) !== logKeyTail(dk.key) || (ctx.bucket !== null && (content.digestS3Bucket !== ctx.bucket || content.digestS3Object !== dk.key));
    if (moved) problem(result, 'has been moved from its original location');
    const ring = await ctx.keys(dk.region, new Date(content.digestStartTime), new Date(content.digestEndTime));
    const publicKey = ring.get(content.digestPublicKeyFingerprint.toLowerCase());
    const text = signingString(content.digestEndTime, content.digestS3Bucket, content.digestS3Object, ownHash, content.previousDigestSignature);
    // Offline, a digest after a break in the chain (not the newest) has only the supplied signatures to try: none matching means none was supplied for it.
    const vouched = ownSignature !== null ? ownSignature : expected?.signature ?? null;
    const candidates = vouched !== null ? [vouched] : [...ctx.newestSignatures];
    if (!publicKey) problem(result, 'public key not found');
    else if (!candidates.some((s) => signatureMatches(publicKey.key, text, s))) {
      problem(result, vouched === null && (i > 0 || candidates.length === 0) ? 'signature not supplied' : 'signature verification failed');
    }
    if (content.previousDigestS3Object) {
      expected = { tail: logKeyTail(content.previousDigestS3Object), key: content.previousDigestS3Object, hash: content.previousDigestHashValue, signature: content.previousDigestSignature, newer: result };
    } else {
      expected = null;
      const older = newestFirst[i + 1];
      if (older) gaps.push({ account: dk.account, region: dk.region, trail: dk.trail, from: older.end.toISOString(), to: content.digestStartTime });
    }
  }
  if (expected) notFound(expected);
  return { digests, gaps };
}
