import { LAYOUT_VERSION } from './layout';

/**
 * What compact has written, kept at the destination (MANIFEST_KEY): per
 * partition of the events, the fingerprint of its events when they were
 * written (how many, and an XOR of the MD5 of their eventIDs: any event
 * added changes it), and per table and partition the files written. A
 * partition whose fingerprint is unchanged is not written again.
 */
export interface Manifest {
  version: string;
  /** Events partition id (account|region|day) → fingerprint. */
  partitions: Record<string, string>;
  /** Table folder → its partition id → the keys of its files. */
  files: Record<string, Record<string, string[]>>;
}

export function emptyManifest(): Manifest {
  return { version: LAYOUT_VERSION, partitions: {}, files: {} };
}

/** The manifest's text as stored, or an empty one when it is missing or was written by another layout version (all is written again). */
export function parseManifest(text: string | null): Manifest {
  if (text === null) return emptyManifest();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return emptyManifest();
  }
  const m = parsed as Partial<Manifest>;
  if (m.version !== LAYOUT_VERSION || typeof m.partitions !== 'object' || typeof m.files !== 'object' || !m.partitions || !m.files) return emptyManifest();
  return { version: LAYOUT_VERSION, partitions: { ...m.partitions }, files: Object.fromEntries(Object.entries(m.files).map(([k, v]) => [k, { ...v }])) };
}

export function manifestText(m: Manifest): string {
  const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return `${JSON.stringify({ version: m.version, partitions: sorted(m.partitions), files: Object.fromEntries(Object.keys(m.files).sort().map((t) => [t, sorted(m.files[t])])) }, null, 1)}\n`;
}
