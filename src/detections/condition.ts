import { unsupported } from './rule';

/**
 * Sigma conditions: selection names (with `*` wildcards in `of`), `and`,
 * `or`, `not`, parentheses, `1 of X*`, `all of X*`, `N of X*`, `1 of them`,
 * `all of them`. Aggregations (`| count() ...`) and `near` are not supported.
 * Precedence: not, then and, then or.
 */
export type Condition =
  | { kind: 'ref'; name: string }
  | { kind: 'not'; of: Condition }
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'of'; count: number | 'all'; names: string[] };

const TOKEN = /\s*(\(|\)|\||[^\s()|]+)/y;

function tokens(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) out.push(m[1]);
  if (text.slice(TOKEN.lastIndex).trim()) unsupported(`condition "${text}": cannot be read`);
  return out;
}

/** `them` is every selection but those whose name starts with an underscore. */
function matching(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const found = names.filter((n) => re.test(n));
  if (found.length === 0) unsupported(`condition: "${pattern}" names no selection`);
  return found;
}

export function parseCondition(text: string, selections: readonly string[]): Condition {
  const ts = tokens(text);
  if (ts.includes('|')) unsupported('aggregations (| count() ...) are not supported');
  let at = 0;
  const peek = () => ts[at]?.toLowerCase();
  const expect = (t: string) => {
    if (peek() !== t) unsupported(`condition "${text}": expected ${t}`);
    at++;
  };
  const orExpr = (): Condition => {
    const parts = [andExpr()];
    while (peek() === 'or') {
      at++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0] : { kind: 'or', parts };
  };
  const andExpr = (): Condition => {
    const parts = [notExpr()];
    while (peek() === 'and') {
      at++;
      parts.push(notExpr());
    }
    return parts.length === 1 ? parts[0] : { kind: 'and', parts };
  };
  const notExpr = (): Condition => {
    if (peek() === 'not') {
      at++;
      return { kind: 'not', of: notExpr() };
    }
    return atom();
  };
  const atom = (): Condition => {
    const t = ts[at];
    if (t === undefined) return unsupported(`condition "${text}": ends too early`);
    const lower = t.toLowerCase();
    if (lower === 'near') unsupported('near is not supported');
    if (t === '(') {
      at++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if ((lower === 'all' || /^\d+$/.test(t)) && ts[at + 1]?.toLowerCase() === 'of') {
      const pattern = ts[at + 2];
      if (!pattern || pattern === '(' || pattern === ')') unsupported(`condition "${text}": "of" without selections`);
      at += 3;
      const count = lower === 'all' ? 'all' : Number(t);
      if (count === 0) unsupported(`condition "${text}": 0 of`);
      return { kind: 'of', count, names: matching(pattern, selections) };
    }
    if (['and', 'or', 'of', ')'].includes(lower)) unsupported(`condition "${text}": unexpected ${t}`);
    at++;
    if (!selections.includes(t)) unsupported(`condition: "${t}" names no selection`);
    return { kind: 'ref', name: t };
  };
  const c = orExpr();
  if (at !== ts.length) unsupported(`condition "${text}": unexpected ${ts[at]}`);
  return c;
}
