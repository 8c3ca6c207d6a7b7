import { DuckDbEngine } from '../history/duckdb/engine';
import { CommittedBatch, SourceIngestOptions, ingestSource } from './ingest-source';
import { ReadLog } from './read-log';
import { failureText } from './retry';
import { Source } from './source';

/**
 * The follow loop of a serving process (`serve --follow`): every interval,
 * each source is polled and what is new is ingested, in this process, the
 * store's one writer. Polls never overlap: the next one is scheduled when
 * one ends. Queries keep answering meanwhile (the load has its own
 * connection; DuckDB readers see the store as of their statement). Each
 * batch is committed whole and then recorded as read; stop() lets the batch
 * being loaded finish and starts no other, and a process killed mid-batch
 * reads that batch again on restart, where every event already stored is a
 * duplicate by its eventID: each event is stored once.
 */
export interface FollowOptions {
  readonly intervalMs: number;
  /** The first poll of a source lists this many days back; later polls list since the day before the last. */
  readonly firstWindowDays: number;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  /** Called after each committed batch (its events queryable): subscriptions are told here. */
  readonly onCommitted?: (batch: CommittedBatch) => void | Promise<void>;
  /** Called after each poll of a source: objects that failed (0 when it went well), or the poll's own failure. */
  readonly onPolled?: (poll: { source: string; failedObjects: number; error: string | null }) => void;
  readonly log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Passed to each source's ingest (batch sizes, retries, threads). */
  readonly ingest?: Omit<SourceIngestOptions, 'filter' | 'signal' | 'onCommitted'>;
  readonly now?: () => Date;
}

const DAY_MS = 86_400_000;

export class Follower {
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly lastPoll = new Map<string, Date>();
  private log: ReadLog | undefined;
  /** Polls run one after another, whoever asks (the timer, or a test). */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly engine: DuckDbEngine, readonly sources: readonly Source[], private readonly opts: FollowOptions) {}

  /** Polls now, then every interval after each poll ends. */
  start(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.pollAll().finally(() => {
        this.running = undefined;
        this.schedule(this.opts.intervalMs);
      });
    }, delayMs);
  }

  /** One poll of every source (tests call it directly; start() calls it on the interval). */
  pollAll(): Promise<void> {
    const run = this.chain.then(() => this.pollOnce());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async pollOnce(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.log ??= await ReadLog.open(this.engine);
    for (const source of this.sources) {
      if (this.abort.signal.aborted) return;
      await this.poll(source, this.log);
    }
  }

  private async poll(source: Source, log: ReadLog): Promise<void> {
    const now = (this.opts.now ?? (() => new Date()))();
    const last = this.lastPoll.get(source.uri);
    const since = last ? new Date(last.getTime() - DAY_MS) : new Date(now.getTime() - this.opts.firstWindowDays * DAY_MS);
    try {
      const s = await ingestSource(this.engine, source, log, {
        // The store answers queries meanwhile: the load keeps the store's settings.
        shareStore: true,
        ...this.opts.ingest,
        filter: { since, until: now, accounts: this.opts.accounts, regions: this.opts.regions },
        signal: this.abort.signal,
        onCommitted: this.opts.onCommitted,
      });
      this.lastPoll.set(source.uri, now);
      const error = s.failures.length > 0 ? `${s.failures.length} objects failed; first: ${s.failures[0].key}: ${s.failures[0].reason}` : null;
      await log.recordPoll(source.uri, { at: now, error, lagMs: s.lagMs, newest: s.newest, ingested: s.read > 0 });
      if (s.read > 0 || s.failed > 0) {
        this.opts.log?.info({ source: source.uri, listed: s.listed, skipped: s.skipped, read: s.read, failed: s.failed, stored: s.ingest.stored, lagMs: s.lagMs }, 'follow: ingested');
      }
      if (error) this.opts.log?.warn({ source: source.uri, failures: s.failures.slice(0, 10) }, 'follow: objects failed');
      this.opts.onPolled?.({ source: source.uri, failedObjects: s.failures.length, error });
    } catch (err) {
      // A poll that fails (the bucket unreachable, access denied) is recorded and tried again next interval.
      this.opts.log?.warn({ source: source.uri, err: failureText(err) }, 'follow: poll failed');
      await log.recordPoll(source.uri, { at: now, error: failureText(err), ingested: false }).catch(() => undefined);
      this.opts.onPolled?.({ source: source.uri, failedObjects: 0, error: failureText(err) });
    }
  }

  /** Stops polling: no new batch starts; the batch loading finishes (it is all-or-nothing either way). */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.chain;
    this.log?.close();
    this.log = undefined;
  }
}

/** The sources a config names (`--follow`, comma-separated or repeated). */
export function followList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
