/**
 * One signal that aborts when any of `signals` does, with the first one's
 * reason. Listeners are removed by dispose(), so a long-lived signal (the
 * engine's own) does not collect one listener per statement.
 */
export function anySignal(signals: readonly AbortSignal[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const links: Array<[AbortSignal, () => void]> = [];
  const dispose = () => {
    for (const [s, fn] of links) s.removeEventListener('abort', fn);
    links.length = 0;
  };
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    const fn = () => {
      controller.abort(s.reason);
      dispose();
    };
    s.addEventListener('abort', fn, { once: true });
    links.push([s, fn]);
  }
  if (controller.signal.aborted) dispose();
  return { signal: controller.signal, dispose };
}
