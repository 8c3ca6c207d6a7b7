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

  constructor(private readonly onClose: () => void) {
    this.source = on(this.emitter, 'item') as AsyncIterableIterator<[T]>;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(item: T): void {
    if (!this.closed) this.emitter.emit('item', item);
  }

  async next(): Promise<IteratorResult<T>> {
    const r = await this.source.next();
    return r.done ? { done: true, value: undefined } : { done: false, value: r.value[0] };
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
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
