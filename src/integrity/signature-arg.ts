import { readFileSync } from 'node:fs';

/**
 * `--newest-signature HEX|@FILE`: hex signatures of chains' newest digests,
 * given inline or in a file (whitespace-separated). Throws an Error whose
 * message names the flag.
 */
export function newestSignaturesOf(raw: string): string[] {
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch {
      throw new Error(`--newest-signature: cannot read ${raw.slice(1)}`);
    }
  }
  const sigs = text.split(/\s+/).filter((s) => s !== '');
  if (sigs.length === 0 || sigs.some((s) => !/^([0-9a-fA-F]{2})+$/.test(s))) throw new Error('--newest-signature: not hex signatures');
  return sigs;
}
