import { ObjectStore } from '../sources/object-store';
import { chainId, DigestKey, logKeyTail, parseDigestKey, parseLogKey } from './digest-file';
import { ChainGap, DigestResult, walkChain } from './chain';
import { logFileSha256 } from './log-file-hash';
import { KeySource } from './public-keys';
import { digestFails, LogFileVerdict, logFileFails } from './verdicts';

export interface VerifyOptions {
  since?: Date;
  until?: Date;
  accounts?: readonly string[];
  regions?: readonly string[];
  keys: KeySource;
  newestSignatures?: readonly string[];
  /** Log files hashed at once (gunzip runs on libuv's pool). */
  concurrency?: number;
}

export interface LogFileResult {
  /** The key in the source. */
  key: string;
  account: string;
  region: string;
  /** The digest that lists it, if any. */
  digestKey: string | null;
  /** The hash the (valid) digest records. */
  expectedSha256: string | null;
  /** The hash of the file in the source, when it was read. */
  sha256: string | null;
  verdict: LogFileVerdict;
  bytes: number;
}

export interface VerifyReport {
  source: string;
  since: string | null;
  until: string | null;
  digests: DigestResult[];
  logFiles: LogFileResult[];
  gaps: ChainGap[];
  /** Whether anything failed (the exit status of `trailgraph verify`). */
  failed: boolean;
}

/** A source: a store and the prefix under it that holds (or is inside) AWSLogs/. */
export interface VerifySource {
  store: ObjectStore;
  prefix: string;
  bucket: string | null;
}

async function accountPrefixes(store: ObjectStore, base: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of await store.listPrefixes(`${base}AWSLogs/`)) {
    const name = p.slice(base.length + 'AWSLogs/'.length, -1);
    if (/^o-[a-z0-9]+$/.test(name)) out.push(...(await store.listPrefixes(p)).filter((q) => /\/\d{12}\/$/.test(q)));
    else if (/^\d{12}$/.test(name)) out.push(p);
  }
  return out;
}

function inRange(t: Date, since: Date, until: Date): boolean {
  return t >= since && t <= until;
}

async function mapLimit<T>(items: readonly T[], limit: number, work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/**
 * Verifies a source as `validate-logs` does, per trail and region: the
 * digest chain (chain.ts), then every log file a valid digest lists, by
 * hash. Then the log files present in the source that no digest lists: in
 * an hour some digest covers they are invalid (added after delivery); after
 * the newest digest they are not yet covered (not a failure).
 */
export async function verifySource(src: VerifySource, opts: VerifyOptions): Promise<VerifyReport> {
  const since = opts.since ?? new Date(0);
  const until = opts.until ?? new Date(8.64e15 - 3_600_000);
  const base = src.prefix.includes('AWSLogs/') ? src.prefix.slice(0, src.prefix.indexOf('AWSLogs/')) : src.prefix;
  const digests: DigestResult[] = [];
  const gaps: ChainGap[] = [];
  const logFiles: LogFileResult[] = [];
  const wanted = (account: string, region: string): boolean =>
    (!opts.accounts?.length || opts.accounts.includes(account)) && (!opts.regions?.length || opts.regions.includes(region));
  for (const acct of await accountPrefixes(src.store, base)) {
    const account = acct.slice(-13, -1);
    if (opts.accounts?.length && !opts.accounts.includes(account)) continue;
    const regions = new Set([...(await src.store.listPrefixes(`${acct}CloudTrail-Digest/`)), ...(await src.store.listPrefixes(`${acct}CloudTrail/`))].map((p) => p.slice(0, -1).split('/').pop() ?? ''));
    for (const region of [...regions].sort()) {
      if (!wanted(account, region)) continue;
      // Digests up to an hour past `until` still cover its last hour.
      const chains = new Map<string, DigestKey[]>();
      for await (const o of src.store.list(`${acct}CloudTrail-Digest/${region}/`)) {
        const k = parseDigestKey(o.key);
        if (!k || !inRange(k.end, since, new Date(until.getTime() + 3_600_000))) continue;
        const chain = chains.get(chainId(k));
        if (chain) chain.push(k);
        else chains.set(chainId(k), [k]);
      }
      const regionDigests: DigestResult[] = [];
      for (const listed of chains.values()) {
        const walked = await walkChain({ store: src.store, bucket: src.bucket, keys: opts.keys, newestSignatures: opts.newestSignatures ?? [], since }, listed);
        regionDigests.push(...walked.digests);
        gaps.push(...walked.gaps);
      }
      digests.push(...regionDigests);
      logFiles.push(...(await checkLogFiles(src, `${acct}CloudTrail/${region}/`, base, account, region, regionDigests, since, until, opts.concurrency ?? 4)));
    }
  }
  const failed = digests.some((d) => digestFails(d.verdict)) || logFiles.some((l) => logFileFails(l.verdict));
  return { source: src.store.root + (src.prefix ? `/${src.prefix}` : ''), since: opts.since?.toISOString() ?? null, until: opts.until?.toISOString() ?? null, digests, logFiles, gaps, failed };
}

async function checkLogFiles(
  src: VerifySource, logPrefix: string, base: string, account: string, region: string,
  regionDigests: readonly DigestResult[], since: Date, until: Date, concurrency: number,
): Promise<LogFileResult[]> {
  const present = new Map<string, { key: string; size: number }>();
  for await (const o of src.store.list(logPrefix)) {
    const k = parseLogKey(o.key);
    if (k && inRange(k.delivered, since, until)) present.set(logKeyTail(o.key), { key: o.key, size: o.size });
  }
  const listed = new Map<string, { digest: DigestResult; hash: string }>();
  for (const d of regionDigests) {
    if (d.verdict !== 'valid' || !d.content) continue;
    for (const f of d.content.logFiles) listed.set(logKeyTail(f.s3Object), { digest: d, hash: f.hashValue });
  }
  const out: LogFileResult[] = [];
  const jobs: Array<{ tail: string; digest: DigestResult; hash: string }> = [...listed].map(([tail, v]) => ({ tail, ...v }));
  await mapLimit(jobs, concurrency, async ({ tail, digest, hash }) => {
    const here = present.get(tail);
    const key = here?.key ?? `${base}${tail}`;
    const r: LogFileResult = { key, account, region, digestKey: digest.key, expectedSha256: hash, sha256: null, verdict: 'not found', bytes: 0 };
    out.push(r);
    let body: Buffer;
    try {
      body = (await src.store.get(key)).body;
    } catch {
      return;
    }
    r.bytes = body.length;
    r.sha256 = await logFileSha256(body);
    r.verdict = r.sha256 === hash ? 'valid' : "hash value doesn't match";
  });
  const covered = regionDigests.filter((d) => d.content).map((d) => ({ start: Date.parse(d.start ?? d.end), end: Date.parse(d.end) }));
  const newestEnd = Math.max(-Infinity, ...covered.map((c) => c.end));
  for (const [tail, f] of present) {
    if (listed.has(tail)) continue;
    const delivered = parseLogKey(f.key)?.delivered.getTime() ?? 0;
    // The key names the delivery minute: the file may be delivered up to 59 s after it.
    const within = covered.some((c) => delivered >= c.start && delivered + 59_000 < c.end);
    const verdict: LogFileVerdict = within ? 'not listed in the digest of its hour' : delivered + 59_000 >= newestEnd ? 'not yet covered' : 'not covered by any digest';
    out.push({ key: f.key, account, region, digestKey: null, expectedSha256: null, sha256: null, verdict, bytes: f.size });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
