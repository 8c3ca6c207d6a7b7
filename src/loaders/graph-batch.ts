import DataLoader from 'dataloader';
import { TimeWindow, windowKey } from '../history/window';
import { jsonText, jsonTextWithout } from './key-text';

/**
 * A DataLoader that turns the keys asked in one tick into one statement per
 * kind of question: keys that differ only in their object (ARN, session)
 * share a group (same window, same arguments) and are answered together.
 */
export function groupedLoader<K, V>(opts: {
  /** Keys with equal group strings are answered by one call of `run`. */
  group: (key: K) => string;
  cacheKey: (key: K) => string;
  run: (keys: K[]) => Promise<Array<V | Error>>;
}): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((k, i) => {
        const g = opts.group(k);
        const list = groups.get(g);
        if (list) list.push(i);
        else groups.set(g, [i]);
      });
      const out: Array<V | Error> = new Array<V | Error>(keys.length);
      await Promise.all(
        [...groups.values()].map(async (indices) => {
          try {
            const answers = await opts.run(indices.map((i) => keys[i]));
            indices.forEach((i, j) => (out[i] = answers[j]));
          } catch (err) {
            const error = err instanceof Error ? err : new Error(String(err));
            for (const i of indices) out[i] = error;
          }
        }),
      );
      return out;
    },
    { cacheKeyFn: opts.cacheKey },
  );
}

/**
 * A stable text for any key made of plain values and windows: exactly
 * JSON.stringify(value) (a Date is its ISO text), made without its slow path
 * for Dates and with each window's text made once (key-text.ts): a wide query
 * asks a couple of thousand keys.
 */
export function keyText(value: unknown): string {
  const text = jsonText(value);
  // undefined only where JSON.stringify gives undefined too (no key is such a value).
  return text === undefined ? JSON.stringify(value) : text;
}

export function windowText(w: TimeWindow): string {
  return windowKey(w);
}

/** The key without one field: what the keys of one group share. */
export function without<K extends object>(key: K, field: keyof K & string): string {
  return jsonTextWithout(key, field);
}
