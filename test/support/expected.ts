import { CloudTrailRecord, normalizeEventTime } from '../../src/cloudtrail/record';
import { resourcesOf } from './graph-reference';

/**
 * Independent answers over raw records, written without the SQL: what the
 * API must return. Kept deliberately plain.
 */
export function firstOfEachId(records: readonly CloudTrailRecord[]): CloudTrailRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => (seen.has(r.eventID) ? false : (seen.add(r.eventID), true)));
}

export function timeOf(r: CloudTrailRecord): string {
  return normalizeEventTime(r.eventTime) ?? r.eventTime;
}

/** Newest first, ties by eventID descending: the API's DESC order. */
export function orderDesc(records: readonly CloudTrailRecord[]): CloudTrailRecord[] {
  return [...records].sort((a, b) => {
    const ta = timeOf(a);
    const tb = timeOf(b);
    if (ta !== tb) return ta < tb ? 1 : -1;
    return a.eventID < b.eventID ? 1 : a.eventID > b.eventID ? -1 : 0;
  });
}

export function accountOf(r: CloudTrailRecord): string {
  return String(r.recipientAccountId ?? r.userIdentity?.accountId ?? 'unknown');
}

/** The ARNs the event touches: resources[] and the payload's (docs/derivations.md, written again in graph-reference.ts). */
export function resourceArnsOf(r: CloudTrailRecord): string[] {
  return resourcesOf(r).map((x) => x.arn);
}

export function resourceTypesOf(r: CloudTrailRecord): string[] {
  return resourcesOf(r).map((x) => x.type ?? '').filter(Boolean);
}

/** The most common non-empty values of a field, for picking filter values from data. */
export function commonValues(records: readonly CloudTrailRecord[], pick: (r: CloudTrailRecord) => unknown, n: number): string[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    const v = pick(r);
    if (typeof v === 'string' && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([v]) => v);
}
