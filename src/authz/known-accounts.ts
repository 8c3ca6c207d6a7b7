import { AuthLogger } from './log';

/**
 * The AWS accounts history knows of, asked at most once per ttl and shared by
 * all requests. A caller may read a subset of them; an account that appears
 * after the last refresh stays invisible until the next one (fail closed).
 */
export class KnownAccounts {
  private value: { accounts: readonly string[]; at: number } | null = null;
  private pending: Promise<readonly string[]> | null = null;

  constructor(
    private readonly source: () => Promise<readonly string[]>,
    private readonly ttlMs: number,
    private readonly log: AuthLogger,
  ) {}

  async get(): Promise<readonly string[]> {
    const v = this.value;
    if (v && Date.now() - v.at < this.ttlMs) return v.accounts;
    this.pending ??= this.refresh().finally(() => (this.pending = null));
    try {
      return await this.pending;
    } catch (err) {
      if (!v) throw err;
      this.log.warn({ err: String(err) }, 'known accounts: refresh failed; using the last list');
      return v.accounts;
    }
  }

  /** Forget the list (after an ingest, say), so the next request asks again. */
  invalidate(): void {
    this.value = null;
  }

  private async refresh(): Promise<readonly string[]> {
    const accounts = Object.freeze([...new Set(await this.source())].sort());
    this.value = { accounts, at: Date.now() };
    return accounts;
  }
}
