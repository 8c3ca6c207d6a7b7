import { unsupported } from './rule';

/**
 * Sigma string values: `*` is any run of characters, `?` one character, and
 * a backslash escapes `*`, `?` or itself (any other backslash is literal).
 * A value is compared case-insensitively (Sigma's default).
 */
export type Piece = { literal: string } | { any: 'many' | 'one' };

export function pieces(value: string): Piece[] {
  const out: Piece[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ literal: text });
    text = '';
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const next = value[i + 1];
    if (ch === '\\' && (next === '*' || next === '?' || next === '\\')) {
      text += next;
      i++;
    } else if (ch === '*' || ch === '?') {
      flush();
      out.push({ any: ch === '*' ? 'many' : 'one' });
    } else text += ch;
  }
  flush();
  return out;
}

/** The value as one literal, or null when it holds a wildcard. */
export function plainText(p: readonly Piece[]): string | null {
  if (p.length === 0) return '';
  return p.length === 1 && 'literal' in p[0] ? p[0].literal : null;
}

const META = /[\\^$.|?*+()[\]{}]/g;

/** An anchored regular expression (RE2 and Java alike); `fold` is what the compared text went through (lower-casing). */
export function anchoredRegex(p: readonly Piece[], fold: (s: string) => string): string {
  const body = p.map((x) => ('literal' in x ? fold(x.literal).replace(META, (m) => `\\${m}`) : x.any === 'many' ? '.*' : '.')).join('');
  return `(?s)^${body}$`;
}

/**
 * An IPv4 network (a.b.c.d/n) as an anchored regular expression over the
 * address text: the fixed octets as literals, the split octet as the
 * alternation of its values, the rest as any octet. Canonical dotted quads
 * only: an octet with a leading zero (192.0.2.01) matches no network.
 */
export function cidrRegex(cidr: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) unsupported(`cidr ${cidr}: only IPv4 networks (a.b.c.d/n) are supported`);
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) unsupported(`cidr ${cidr}: not an IPv4 network`);
  const parts: string[] = [];
  for (let i = 0; i < 4; i++) {
    const own = Math.max(0, Math.min(8, bits - i * 8));
    const mask = own === 0 ? 0 : (0xff << (8 - own)) & 0xff;
    const lo = octets[i] & mask;
    const hi = lo | (~mask & 0xff);
    parts.push(lo === hi ? String(lo) : lo === 0 && hi === 255 ? '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])' : `(${range(lo, hi).join('|')})`);
  }
  return `^${parts.join('\\.')}$`;
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_v, i) => lo + i);
}

/** Regular expressions both engines read alike: no lookaround, no backreferences, no possessive or atomic groups. */
export function checkRegex(re: string): void {
  if (/\(\?<?[=!]|\(\?>|\\[1-9]|\\k<|[*+?}]\+/.test(re)) unsupported(`re ${re}: lookaround, backreferences and possessive or atomic groups are not supported`);
  try {
    new RegExp(re);
  } catch {
    unsupported(`re ${re}: not a valid regular expression`);
  }
}
