/**
 * Tells whoever listens that the store holds new events. Whatever writes the
 * store (the follow loop of a serving process, an ingest run in it) calls
 * notify() after each batch commits; subscriptions (src/subscriptions) then
 * read what is new. A notification carries nothing: listeners read the rows
 * past their own high-water mark, so a notification that finds nothing new,
 * or two that arrive together, deliver nothing twice.
 */
export type ChangeListener = () => void;

export class StoreChanges {
  private readonly listeners = new Set<ChangeListener>();

  /** Calls every listener; one that throws does not keep the others from hearing. */
  notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        // A listener's own failure is its own (it logs it); the writer's batch is committed regardless.
        void err;
      }
    }
  }

  /** Adds a listener; returns what removes it. */
  listen(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
