/**
 * Verdicts in the words of `aws cloudtrail validate-logs`, plus the checks
 * it does not make (marked). A verdict is valid, or says why not; the few
 * that are not failures say so in `isFailure`.
 */
export type DigestVerdict =
  | 'valid'
  | 'invalid format'
  | 'has been moved from its original location'
  | 'public key not found'
  | 'signature verification failed'
  | 'not found'
  /** Not in validate-logs: the next digest's previousDigestHashValue is not this digest's SHA-256. */
  | "previous digest hash value doesn't match"
  /** Not in validate-logs: the next digest's previousDigestSignature is not this digest's own signature. */
  | "previous digest signature doesn't match"
  /** A local copy has no S3 metadata: the newest digest's signature was not supplied (--newest-signature). */
  | 'signature not supplied';

export type LogFileVerdict =
  | 'valid'
  | "hash value doesn't match"
  | 'not found'
  /** Not in validate-logs: in an hour a digest covers, but no digest lists it (added after delivery). */
  | 'not listed in the digest of its hour'
  /** Delivered after the newest digest: its digest is still to come. Not a failure. */
  | 'not yet covered'
  /** Before the oldest digest or between chains (validation was off). Not a failure. */
  | 'not covered by any digest';

export function digestFails(v: DigestVerdict): boolean {
  return v !== 'valid';
}

export function logFileFails(v: LogFileVerdict): boolean {
  switch (v) {
    case 'valid':
    case 'not yet covered':
    case 'not covered by any digest':
      return false;
    case "hash value doesn't match":
    case 'not found':
    case 'not listed in the digest of its hour':
      return true;
  }
}

/** What the API shows for a log file (Event.logFile.integrity). */
export enum LogFileIntegrity {
  VALID = 'VALID',
  MODIFIED = 'MODIFIED',
  NOT_COVERED = 'NOT_COVERED',
  UNVERIFIED = 'UNVERIFIED',
}
