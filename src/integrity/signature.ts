import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';

/**
 * What CloudTrail signs for a digest (AWS CLI's DigestSignatureVerifier):
 * end time, "bucket/key", the hex SHA-256 of the uncompressed digest, and
 * the previous digest's signature ("null" for the first of a chain), joined
 * by newlines, with no newline at the end.
 */
export function signingString(endTime: string, bucket: string, key: string, digestSha256Hex: string, previousSignature: string | null): string {
  return `${endTime}\n${bucket}/${key}\n${digestSha256Hex}\n${previousSignature ?? 'null'}`;
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** CloudTrail's key fingerprint: MD5 of the DER-encoded public key, hex. */
export function fingerprintOf(der: Buffer): string {
  return createHash('md5').update(der).digest('hex');
}

/** A DER public key as ListPublicKeys gives it: PKCS#1 RSAPublicKey, or SubjectPublicKeyInfo. */
export function publicKeyFromDer(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}

/** RSA PKCS#1 v1.5 with SHA-256 (SHA256withRSA) over the UTF-8 signing string; a malformed hex signature is simply not valid. */
export function signatureMatches(key: KeyObject, signingText: string, signatureHex: string): boolean {
  if (!/^([0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(signingText, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
