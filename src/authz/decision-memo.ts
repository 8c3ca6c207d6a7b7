import { DecisionCache, DecisionKey, DecisionStore, TimedDecision, itemKey } from './decision-cache';
import { Decision } from './policy-engine';

/** Decisions kept in memory at most; the oldest go first. */
const MAX_ENTRIES = 10_000;

/**
 * The decisions this process has read or written, in memory, in front of
 * the DynamoDB table. A decision is fixed for its key (the key holds the
 * caller, the action, the account and the policy version) until its expiry,
 * so a memory hit is exactly what DynamoDB would answer, without the round
 * trip that every request otherwise pays. The table still shares decisions
 * between processes and across restarts.
 */
export class DecisionMemo implements DecisionStore {
  private readonly entries = new Map<string, TimedDecision>();

  constructor(
    private readonly inner: DecisionCache,
    private readonly clock: () => number = Date.now,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  get table(): string {
    return this.inner.table;
  }

  async getMany(keys: readonly DecisionKey[]): Promise<Map<string, Decision>> {
    const now = Math.floor(this.clock() / 1000);
    const found = new Map<string, Decision>();
    const missing: DecisionKey[] = [];
    for (const key of keys) {
      const id = itemKey(key);
      const held = this.entries.get(id);
      if (held && held.expiresAt > now) found.set(id, held.decision);
      else {
        if (held) this.entries.delete(id);
        missing.push(key);
      }
    }
    if (missing.length > 0) {
      for (const [id, timed] of await this.inner.getTimed(missing)) {
        found.set(id, timed.decision);
        this.remember(id, timed);
      }
    }
    return found;
  }

  async putMany(entries: readonly { key: DecisionKey; decision: Decision }[]): Promise<number> {
    const expiresAt = await this.inner.putMany(entries);
    for (const { key, decision } of entries) this.remember(itemKey(key), { decision, expiresAt });
    return expiresAt;
  }

  /** Forgets what it holds: the next look-ups go to the table (the bench's "warm from DynamoDB"). */
  clear(): void {
    this.entries.clear();
  }

  private remember(id: string, timed: TimedDecision): void {
    this.entries.delete(id);
    this.entries.set(id, timed);
    // A Map keeps insertion order: the first keys are the oldest.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
