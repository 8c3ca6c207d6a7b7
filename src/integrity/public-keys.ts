import { readFile } from 'node:fs/promises';
import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { KeyObject } from 'node:crypto';
import { fingerprintOf, publicKeyFromDer } from './signature';

/** One of CloudTrail's signing keys (ListPublicKeys): keys differ by region and their validity may overlap. */
export interface TrailPublicKey {
  fingerprint: string;
  key: KeyObject;
  validFrom: Date | null;
  validTo: Date | null;
}

/** Keys by fingerprint; the fingerprint is recomputed from the DER bytes (MD5), not trusted from the listing. */
export type KeyRing = ReadonlyMap<string, TrailPublicKey>;

/** Where keys come from for a region: CloudTrail's API, or a file. */
export type KeySource = (region: string, start: Date, end: Date) => Promise<KeyRing>;

export class PublicKeyFileError extends Error {
  readonly code = 'BAD_PUBLIC_KEY_FILE';
}

interface ListedKey {
  Value?: Uint8Array | string;
  ValidityStartTime?: Date | string | number;
  ValidityEndTime?: Date | string | number;
  Fingerprint?: string;
}

function when(v: Date | string | number | undefined): Date | null {
  if (v === undefined) return null;
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function ringOf(listed: readonly ListedKey[]): Map<string, TrailPublicKey> {
  const ring = new Map<string, TrailPublicKey>();
  for (const k of listed) {
    if (k.Value === undefined) continue;
    const der = typeof k.Value === 'string' ? Buffer.from(k.Value, 'base64') : Buffer.from(k.Value);
    let key: KeyObject;
    try {
      key = publicKeyFromDer(der);
    } catch {
      continue; // not a public key: digests naming it will say "public key not found"
    }
    const fingerprint = fingerprintOf(der);
    ring.set(fingerprint, { fingerprint, key, validFrom: when(k.ValidityStartTime), validTo: when(k.ValidityEndTime) });
  }
  return ring;
}

/**
 * Keys from a file shaped like `aws cloudtrail list-public-keys` output
 * ({"PublicKeyList": [{"Value": base64, "ValidityStartTime", "ValidityEndTime", "Fingerprint"}]}),
 * the same for every region (list each region's keys into one file).
 */
export async function keysFromFile(path: string): Promise<KeySource> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new PublicKeyFileError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const list = typeof parsed === 'object' && parsed !== null ? (parsed as { PublicKeyList?: unknown }).PublicKeyList : undefined;
  if (!Array.isArray(list)) throw new PublicKeyFileError(`${path} has no PublicKeyList (the shape of aws cloudtrail list-public-keys)`);
  const ring = ringOf(list as ListedKey[]);
  return async () => ring;
}

/** Keys from CloudTrail's ListPublicKeys in each region asked, for the time range, every page; cached per region. */
export function keysFromCloudTrail(clientFor: (region: string) => CloudTrailClient): KeySource {
  const cache = new Map<string, Promise<KeyRing>>();
  return (region, start, end) => {
    const cached = cache.get(region);
    if (cached) return cached;
    const loading = (async () => {
      const client = clientFor(region);
      const listed: ListedKey[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListPublicKeysCommand({ StartTime: start, EndTime: end, NextToken: token }));
        listed.push(...(page.PublicKeyList ?? []));
        token = page.NextToken;
      } while (token);
      return ringOf(listed);
    })();
    cache.set(region, loading);
    return loading;
  };
}

export function cloudTrailClients(endpoint?: string): (region: string) => CloudTrailClient {
  const clients = new Map<string, CloudTrailClient>();
  return (region) => {
    let c = clients.get(region);
    if (!c) {
      c = new CloudTrailClient({ region, ...(endpoint ? { endpoint } : {}) });
      clients.set(region, c);
    }
    return c;
  };
}
