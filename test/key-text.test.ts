import { keyText, without, windowText } from '../src/loaders/graph-batch';
import { jsonText, windowJson } from '../src/loaders/key-text';
import { resolveWindow, windowKey } from '../src/history/window';

/** What keyText and without() were before: JSON.stringify, and a spread copy without the field. */
const oldKeyText = (value: unknown): string => JSON.stringify(value);
function oldWithout<K extends object>(key: K, field: keyof K): string {
  const { [field]: _omit, ...rest } = key;
  return JSON.stringify(rest);
}

const window = { from: new Date('2026-11-21T00:00:00.000Z'), to: new Date('2026-11-22T00:00:00.000Z') };

/** Keys of the shapes the loaders make (principal.loaders.ts, session.loaders.ts, resource.loaders.ts). */
const loaderKeys: object[] = [
  { arn: 'arn:aws:s3:::bucket/a "quoted" key/ü/\u2028', window },
  { arn: 'arn:aws:iam::123456789012:role/x', window, limit: 5 },
  {
    parent: 'ASSUMED_ROLE|2026-11-21T23:09:13Z|AROAN2OYUTJURQZEUWE3A:alice',
    criteria: { eventNames: ['GetObject'], readOnly: undefined, hasError: false, clientTools: [] },
    window,
    order: 'DESC',
    size: 10,
    after: null,
    projection: ['eventname', 'useridentity.arn'],
  },
  { ref: { kind: 'ASSUMED_ROLE', start: '2026-11-21T23:09:13Z', id: 'AROA:alice' }, window, own: true },
  { criteria: { arns: ['a', 'b'], types: undefined }, window: resolveWindow(undefined, { defaultWindowDays: 7, maxSpanDays: 90 }, new Date(1_790_000_000_123)), page: { size: 50, after: ['x', 3] } },
];

describe('loader key text', () => {
  it('equals JSON.stringify for every shape of loader key', () => {
    for (const key of loaderKeys) expect(keyText(key)).toBe(oldKeyText(key));
  });

  it('equals JSON.stringify for awkward values', () => {
    class Plain {
      a = 1;
      b: string | undefined = undefined;
    }
    const values: unknown[] = [
      null, true, false, 0, -0, 1.5, -2e-7, 1e21, NaN, Infinity, -Infinity, '', 'a"b\\c\n\u0000\ud800', 'ü€😀',
      [], [undefined, () => 1, Symbol('s'), null], [1, [2, [3, { x: [] }]]], {}, { 'needs "escape"': 1, '': 2, '0': 3, b: 4, a: 5 },
      { u: undefined, f: () => 1, n: null }, new Date('invalid'), new Date(0), { d: new Date(86_400_123) },
      { from: new Date(0), to: 'not a date' }, { to: new Date(0), from: new Date(1) }, { from: new Date(0), to: new Date(1), extra: 1 },
      { toJSON: () => ({ replaced: true }) }, new Plain(), new String('boxed'), new Number(4), new Boolean(false),
      // toJSON is called with the field's name; boxed values and Dates inside fields.
      { a: { toJSON: (name: string) => `named ${name}` }, b: 1 }, { s: new String('x'), d: new Date(5), w: { from: new Date(0), to: new Date(1) } },
      [1, , 3], // a hole: null, as JSON.stringify writes it
    ];
    for (const v of values) expect(jsonText(v)).toBe(JSON.stringify(v));
    expect(keyText(undefined)).toBe(oldKeyText(undefined));
  });

  it('leaves out one field exactly as the spread copy did', () => {
    const parentKey = loaderKeys[2] as { parent: string };
    expect(without(parentKey, 'parent')).toBe(oldWithout(parentKey, 'parent'));
    const arnKey = loaderKeys[0] as { arn: string };
    expect(without(arnKey, 'arn')).toBe(oldWithout(arnKey, 'arn'));
    const refKey = loaderKeys[3] as { ref: unknown };
    expect(without(refKey, 'ref')).toBe(oldWithout(refKey, 'ref'));
    const withOwnJson = { arn: 'x', w: { toJSON: (name: string) => name }, n: undefined };
    expect(without(withOwnJson, 'arn')).toBe(oldWithout(withOwnJson, 'arn'));
    // Keys differing only in the left-out field share a group; any other difference splits them.
    expect(without({ arn: 'a', window }, 'arn')).toBe(without({ arn: 'b', window }, 'arn'));
    expect(without({ arn: 'a', window }, 'arn')).not.toBe(without({ arn: 'a', window: { ...window, to: new Date(0) } }, 'arn'));
  });

  it('makes a window text once and never serves a stale one', () => {
    const w = { from: new Date('2026-01-01T00:00:00.000Z'), to: new Date('2026-01-02T00:00:00.500Z') };
    expect(windowJson(w)).toBe(JSON.stringify(w));
    expect(windowJson(w)).toBe(windowJson(w));
    // A changed Date changes the text, even through the cache.
    w.to.setTime(w.to.getTime() + 1000);
    expect(windowJson(w)).toBe(JSON.stringify(w));
    expect(keyText({ arn: 'x', window: w })).toBe(JSON.stringify({ arn: 'x', window: w }));
    // windowText (the grouping text) is unchanged.
    expect(windowText(w)).toBe(windowKey(w));
  });
});
