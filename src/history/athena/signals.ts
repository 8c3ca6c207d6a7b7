/**
 * Statements follow long-lived signals: the engine's own (closing) and a
 * request's (the client went away), each shared by many statements at once.
 * A listener per statement on such a signal is what Node warns about
 * (MaxListenersExceededWarning past ten): so each source signal gets ONE
 * listener, which aborts every statement following it at that moment.
 */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/** Makes `controller` abort with `source`'s reason; the returned function stops following. */
function follow(source: AbortSignal, controller: AbortController): () => void {
  let set = followers.get(source);
  if (!set) {
    const created = new Set<AbortController>();
    set = created;
    followers.set(source, created);
    source.addEventListener(
      'abort',
      () => {
        for (const c of created) c.abort(source.reason);
        created.clear();
      },
      { once: true },
    );
  }
  const mine = set;
  mine.add(controller);
  return () => mine.delete(controller);
}

/**
 * One signal that aborts when any of `signals` does, with the first one's
 * reason. dispose() stops following them, so a long-lived signal does not
 * keep a finished statement's controller.
 */
export function anySignal(signals: readonly AbortSignal[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const links: Array<() => void> = [];
  const dispose = () => {
    for (const unfollow of links) unfollow();
    links.length = 0;
  };
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    links.push(follow(s, controller));
  }
  if (controller.signal.aborted) dispose();
  return { signal: controller.signal, dispose };
}
