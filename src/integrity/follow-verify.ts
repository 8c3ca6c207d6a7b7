import { DuckDbEngine } from '../history/duckdb/engine';
import { S3StoreOptions } from '../sources/s3-store';
import { KeySource, cloudTrailClients, keysFromCloudTrail, keysFromFile } from './public-keys';
import { openVerifySource } from './source';
import { verifyAndRecord } from './verify-and-record';

const HOUR_MS = 3_600_000;

export interface FollowVerifyOptions {
  /** Between runs: CloudTrail writes one digest an hour per account and region. */
  readonly intervalMs?: number;
  readonly s3?: S3StoreOptions;
  readonly now?: () => Date;
  /** Signatures of chains' newest digests, where the source keeps no S3 metadata (a local copy). */
  readonly newestSignatures?: readonly string[];
  readonly log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/**
 * `--follow-verify`: the followed sources' digests verified as they arrive,
 * each hour, and the verdicts recorded beside the events (docs/integrity.md).
 * Each run checks the two hours before it (a digest covers the hour before
 * its delivery, and may arrive late), so a log file is hashed about twice.
 * A local copy has no S3 metadata: its newest digest waits for the next one
 * to vouch for it.
 */
export class FollowVerifier {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly engine: DuckDbEngine,
    private readonly uris: readonly string[],
    private readonly keys: KeySource,
    private readonly opts: FollowVerifyOptions = {},
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.intervalMs ?? HOUR_MS);
      });
    };
    tick();
  }

  /** One run over every source (tests call it directly). */
  async runOnce(): Promise<void> {
    const until = (this.opts.now ?? (() => new Date()))();
    const since = new Date(until.getTime() - 2 * HOUR_MS);
    for (const uri of this.uris) {
      if (this.stopped) return;
      try {
        const report = await verifyAndRecord(this.engine, openVerifySource(uri, this.opts.s3 ?? {}), { since, until, keys: this.keys, newestSignatures: this.opts.newestSignatures ?? [] });
        this.opts.log?.info({ source: uri, digests: report.digests.length, logFiles: report.logFiles.length, failed: report.failed }, 'follow: integrity verified');
      } catch (err) {
        this.opts.log?.warn({ source: uri, err: String(err) }, 'follow: integrity could not be verified; tried again next hour');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/** The public keys `--follow-verify` names: `cloudtrail` (ListPublicKeys) or a file shaped like its output. */
export async function followVerifyKeys(spec: string): Promise<KeySource> {
  return spec === 'cloudtrail' ? keysFromCloudTrail(cloudTrailClients()) : keysFromFile(spec);
}
