import { Action } from '../authz';
import { forbidden } from '../authz/guards';
import { networkScope, touchesNetworkDetails } from '../authz/query-scope';
import { Context } from '../context';
import { badInput } from '../errors';
import { StoreChanges } from '../history/changes';
import { CostMeter } from '../history/cost';
import { EventCriteria, Scope, UNRESTRICTED } from '../history/event-filter';
import { StoredEvent, toStoredEvent } from '../history/event-row';
import { NewEventsPart, lastRowSql, newEventsSql } from '../history/new-events';
import { HistoryStore, QueryContext } from '../history/store';
import { TimeWindow, WindowLimits, resolveWindow } from '../history/window';
import { Inbox } from './inbox';

/**
 * Rows read per subscriber per statement: a batch larger than this is read
 * in several statements (each from where the last stopped), so a large
 * ingest does not hold every new row in memory at once.
 */
const ROWS_PER_STATEMENT = 500;

/** One event for one subscriber, with the context its fields resolve in (one per batch: fresh decisions and loaders). */
export type Delivery =
  | { kind: 'event'; event: StoredEvent; window: TimeWindow; context: Context }
  | { kind: 'error'; error: unknown; context: Context };

export interface SubscribeRequest {
  criteria: EventCriteria;
  /** The filter's time; none: the default window, ending at each notification. */
  time: { from: Date; to: Date } | null | undefined;
  /**
   * A fresh context of the subscriber's caller: asked once per notification,
   * so each batch is read and resolved with the caller's decisions of the
   * moment (new accounts, changed policies), and loaders that start empty.
   */
  contextFor: () => Promise<Context>;
}

interface Subscriber {
  readonly tag: number;
  readonly request: SubscribeRequest;
  readonly inbox: Inbox<Delivery>;
  /** The row number up to which this subscriber has been served. */
  after: number;
}

/** What a subscriber's part of a notification is read with. */
interface Reading {
  context: Context;
  window: TimeWindow;
  scope: Scope;
}

interface Prepared extends Reading {
  subscriber: Subscriber;
}

export interface SubscriptionsOptions {
  /** Rows per subscriber per statement (default 500). */
  rowsPerStatement?: number;
}

export interface SubscriptionsLog {
  error: (obj: object, msg: string) => void;
}

/**
 * The live events of every subscriber of one server. On each notification of
 * the store (StoreChanges), the rows stored since each subscriber's mark are
 * read in one statement for all of them (each part bounded by its window,
 * its caller's accounts and its filter) and delivered in the order they
 * landed; the marks then move, so every row reaches a subscriber once.
 * Notifications that arrive while a read runs are folded into one more read.
 */
export class EventSubscriptions {
  private readonly subscribers = new Set<Subscriber>();
  private nextTag = 0;
  private pumping: Promise<void> | null = null;
  private again = false;
  private readonly stopListening: () => void;
  private readonly rowsPerStatement: number;

  constructor(
    private readonly store: HistoryStore,
    changes: StoreChanges,
    private readonly limits: WindowLimits,
    private readonly log: SubscriptionsLog,
    options: SubscriptionsOptions = {},
  ) {
    this.rowsPerStatement = options.rowsPerStatement ?? ROWS_PER_STATEMENT;
    this.stopListening = changes.listen(() => this.changed());
  }

  get count(): number {
    return this.subscribers.size;
  }

  /**
   * Starts a subscription: the events stored from now on that match. Refuses
   * (before anything is delivered) a window that is not one, a filter on
   * network details where the caller may read them in no account, and an
   * engine this process does not write.
   */
  async subscribe(request: SubscribeRequest): Promise<AsyncIterableIterator<Delivery>> {
    if (this.store.engine.name !== 'duckdb') throw badInput('subscriptions need the embedded store (--engine duckdb), which this server writes', { argument: 'engine' });
    const first = await this.readingFor(request, await request.contextFor());
    const after = await this.lastRow(first.context.query);
    const subscriber: Subscriber = { tag: this.nextTag++, request, after, inbox: new Inbox<Delivery>(() => this.subscribers.delete(subscriber)) };
    this.subscribers.add(subscriber);
    return subscriber.inbox;
  }

  /** Stops listening and ends every subscription (the server closes). */
  async close(): Promise<void> {
    this.stopListening();
    await Promise.all([...this.subscribers].map((s) => s.inbox.return()));
    await this.pumping;
  }

  private changed(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pumpUntilQuiet().finally(() => (this.pumping = null));
  }

  private async pumpUntilQuiet(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pump();
      } catch (err) {
        this.log.error({ err }, 'subscriptions: reading new events failed');
      }
    } while (this.again);
  }

  /** One notification: every subscriber's new rows, in as few statements as the batch needs. */
  private async pump(): Promise<void> {
    if (this.subscribers.size === 0) return;
    const meter: QueryContext = { scope: UNRESTRICTED, cost: new CostMeter() };
    const upto = await this.lastRow(meter);
    const due = [...this.subscribers].filter((s) => s.after < upto);
    let parts = (await Promise.all(due.map((s) => this.prepare(s)))).filter((p): p is Prepared => p !== null);
    while (parts.length > 0) {
      let rows;
      try {
        rows = await this.store.run(newEventsSql(parts.map((p) => this.partOf(p, upto)), this.rowsPerStatement, this.store.engine.partitionDays), meter);
      } catch (err) {
        // Marks stay where they are: the next notification reads these rows again.
        for (const p of parts) p.subscriber.inbox.push({ kind: 'error', error: err, context: p.context });
        return;
      }
      const byTag = new Map<number, { seq: number; event: StoredEvent }[]>();
      for (const r of rows) {
        const list = byTag.get(Number(r.sub)) ?? [];
        list.push({ seq: Number(r.seq), event: toStoredEvent(r) });
        byTag.set(Number(r.sub), list);
      }
      const more: Prepared[] = [];
      for (const p of parts) {
        const got = (byTag.get(p.subscriber.tag) ?? []).sort((a, b) => a.seq - b.seq);
        for (const g of got) p.subscriber.inbox.push({ kind: 'event', event: g.event, window: p.window, context: p.context });
        const full = got.length >= this.rowsPerStatement;
        p.subscriber.after = full ? got[got.length - 1].seq : upto;
        if (full && !p.subscriber.inbox.isClosed) more.push(p);
      }
      // Back-pressure: a subscriber with more rows to read is read again once it has taken most of what it was
      // sent, so memory follows the client's pace, not the size of the batch.
      await Promise.all(more.map((p) => p.subscriber.inbox.room(2 * this.rowsPerStatement)));
      parts = more.filter((p) => !p.subscriber.inbox.isClosed);
    }
  }

  /** A subscriber's context, window and scope for this notification; null (and an error delivered) when they cannot be had. */
  private async prepare(subscriber: Subscriber): Promise<Prepared | null> {
    let context: Context | null = null;
    try {
      context = await subscriber.request.contextFor();
      return { subscriber, ...(await this.readingFor(subscriber.request, context)) };
    } catch (err) {
      if (context) subscriber.inbox.push({ kind: 'error', error: err, context });
      else this.log.error({ err }, 'subscriptions: a subscriber context failed');
      return null;
    }
  }

  private async readingFor(request: SubscribeRequest, context: Context): Promise<Reading> {
    const window = resolveWindow(request.time, this.limits, context.now);
    // authz: a filter on source IP / user agent covers only the accounts whose network details the caller may read;
    // where that is none, the subscription is refused rather than left silent.
    const touchesNetwork = touchesNetworkDetails(request.criteria);
    const narrowed = await networkScope(context.authz, context.query.scope, touchesNetwork);
    if (touchesNetwork && narrowed.accounts !== null && narrowed.accounts.length === 0) throw forbidden(Action.ReadNetworkDetails);
    const scope: Scope = { ...context.query.scope, accounts: narrowed.accounts, days: this.store.engine.partitionDays };
    return { context, window, scope };
  }

  private partOf(p: Prepared, upto: number): NewEventsPart {
    return { tag: p.subscriber.tag, after: p.subscriber.after, upto, window: p.window, scope: p.scope, criteria: p.subscriber.request.criteria };
  }

  private async lastRow(ctx: QueryContext): Promise<number> {
    const [row] = await this.store.run(lastRowSql(), ctx);
    return Number(row?.last_row ?? -1);
  }
}
