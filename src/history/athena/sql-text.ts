/**
 * A small lexer over Trino SQL text: it tells code apart from string
 * literals, quoted identifiers and comments, so that placeholders can be
 * counted and identifiers renamed without touching what is inside quotes.
 */
export interface Segment {
  kind: 'code' | 'string' | 'identifier' | 'comment';
  text: string;
}

function endOf(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) {
        i += 2; // doubled quote: an escaped one
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let code = '';
  let i = 0;
  const flush = () => {
    if (code) out.push({ kind: 'code', text: code });
    code = '';
  };
  while (i < text.length) {
    const c = text[i];
    let end = -1;
    let kind: Segment['kind'] = 'code';
    if (c === "'") [end, kind] = [endOf(text, i, "'"), 'string'];
    else if (c === '"') [end, kind] = [endOf(text, i, '"'), 'identifier'];
    else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      [end, kind] = [nl < 0 ? text.length : nl, 'comment'];
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      [end, kind] = [close < 0 ? text.length : close + 2, 'comment'];
    }
    if (end < 0) {
      code += c;
      i++;
      continue;
    }
    flush();
    out.push({ kind, text: text.slice(i, end) });
    i = end;
  }
  flush();
  return out;
}

/** Applies `fn` to the code between quotes and comments; the rest is kept as is. */
export function mapCode(text: string, fn: (code: string) => string): string {
  return segments(text)
    .map((s) => (s.kind === 'code' ? fn(s.text) : s.text))
    .join('');
}

/** The number of `?` placeholders. */
export function countPlaceholders(text: string): number {
  return segments(text)
    .filter((s) => s.kind === 'code')
    .reduce((n, s) => n + (s.text.match(/\?/g)?.length ?? 0), 0);
}

/** Replaces each `?` in order by the next of `values` (SQL text). */
export function fillPlaceholders(text: string, values: readonly string[]): string {
  let next = 0;
  const filled = mapCode(text, (code) =>
    code.replace(/\?/g, () => {
      if (next >= values.length) throw new Error('more placeholders than values');
      return values[next++];
    }),
  );
  if (next !== values.length) throw new Error('more values than placeholders');
  return filled;
}

/** Renames a bare identifier (a table name) in code, leaving quoted text alone. */
export function renameIdentifier(text: string, from: string, to: string): string {
  const pattern = new RegExp(`(?<![\\w."])${from.replace(/[^\w]/g, '\\$&')}(?![\\w"])`, 'gi');
  return mapCode(text, (code) => code.replace(pattern, to));
}
