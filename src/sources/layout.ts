import { ObjectStore } from './object-store';

/**
 * Where CloudTrail writes in a bucket, and the day prefixes a window needs:
 *   PREFIX/AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
 *   PREFIX/AWSLogs/o-ORGID/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/   (organization trails)
 * Accounts and regions not given are discovered from common prefixes (a
 * delimited listing per level), so a bucket is never listed whole: only the
 * day prefixes in the window are listed in full.
 */
export interface LayoutFilter {
  /** First and last delivery day (UTC) to list, inclusive. */
  readonly since: Date;
  readonly until: Date;
  /** Only these accounts / regions ('' or empty = discover them). */
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;

function lastPart(prefix: string): string {
  const parts = prefix.split('/');
  return parts[parts.length - 2] ?? '';
}

/** The account folders under AWSLogs/ (looking one level into o-ORGID/ folders). */
async function accountPrefixes(store: ObjectStore, logs: string, wanted: ReadonlySet<string> | null): Promise<string[]> {
  const out: string[] = [];
  for (const p of await store.listPrefixes(logs)) {
    const name = lastPart(p);
    if (ORG.test(name)) {
      out.push(...(await accountPrefixes(store, p, wanted)));
    } else if (ACCOUNT.test(name) && (wanted === null || wanted.has(name))) {
      out.push(p);
    }
  }
  return out;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "YYYY/MM/DD/" of each UTC day from since to until, inclusive. */
export function dayParts(since: Date, until: Date): string[] {
  const out: string[] = [];
  const day = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = day; t <= until.getTime(); t += 86_400_000) {
    const d = new Date(t);
    out.push(`${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/`);
  }
  return out;
}

/** The day prefixes to list for `filter` under `prefix` (the source's prefix: '' or ending in '/'), in key order. */
export async function dayPrefixes(store: ObjectStore, prefix: string, filter: LayoutFilter): Promise<string[]> {
  const logs = /(^|\/)AWSLogs\/$/.test(prefix) ? prefix : `${prefix}AWSLogs/`;
  const wantedAccounts = filter.accounts?.length ? new Set(filter.accounts) : null;
  const wantedRegions = filter.regions?.length ? new Set(filter.regions) : null;
  const days = dayParts(filter.since, filter.until);
  const out: string[] = [];
  for (const account of await accountPrefixes(store, logs, wantedAccounts)) {
    const trail = `${account}CloudTrail/`;
    const regions = wantedRegions ? [...wantedRegions].sort().map((r) => `${trail}${r}/`) : await store.listPrefixes(trail);
    for (const region of regions) for (const day of days) out.push(`${region}${day}`);
  }
  return out.sort();
}
