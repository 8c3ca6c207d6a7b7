import { EventEmitter, on } from 'node:events';

/**
 * What one subscriber has been sent and not yet taken, as an async iterator
 * (what graphql-js's subscribe expects of a source stream). Node's
 * events.on does the buffering; return() (the client unsubscribed, or the
 * connection closed) ends a pending next() at once and calls `onClose`.
 */
export class Inbox<T> implements AsyncIterableIterator<T> {
  private readonly emitter = new EventEmitter();
  private readonly source: AsyncIterableIterator<[T]>;
  private closed = false;
  /** Items pushed and not yet taken. */
  private backlog = 0;
  private roomWaiters: { below: number; resolve: () => void }[] = [];

  constructor(private readonly onClose: () => void) {
    this.source = on(this.emitter, 'item') as AsyncIterableIterator<[T]>;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(item: T): void {
    if (this.closed) return;
    this.backlog += 1;
    this.emitter.emit('item', item);
  }

  /** Resolves once fewer than `below` items wait to be taken (or the inbox is closed): a producer's back-pressure. */
  room(below: number): Promise<void> {
    if (this.closed || this.backlog < below) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ below, resolve }));
  }

  async next(): Promise<IteratorResult<T>> {
    const r = await this.source.next();
    if (r.done) return { done: true, value: undefined };
    this.backlog -= 1;
    this.wake();
    return { done: false, value: r.value[0] };
  }

  private wake(): void {
    const ready = this.roomWaiters.filter((w) => this.closed || this.backlog < w.below);
    this.roomWaiters = this.roomWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.wake();
      this.onClose();
      await this.source.return?.();
    }
    return { done: true, value: undefined };
  }

  async throw(err?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
