import { narrowWindow, pageSlices } from '../src/history/page-slices';
import { boundPredicate } from '../src/history/event-filter';
import { TimeWindow } from '../src/history/window';

const DAY = 86_400_000;
const w = (from: string, to: string): TimeWindow => ({ from: new Date(from), to: new Date(to) });
const iso = (s: TimeWindow) => [s.from.toISOString(), s.to.toISOString()];

describe('page slices', () => {
  test.each([
    ['DESC', w('2026-10-01T07:00:00Z', '2026-11-22T13:30:00Z')],
    ['ASC', w('2026-10-01T07:00:00Z', '2026-11-22T13:30:00Z')],
    ['DESC', w('2026-11-22T00:00:00Z', '2026-11-23T00:00:00Z')],
    ['ASC', w('2026-11-21T23:59:59Z', '2026-11-22T00:00:01Z')],
  ] as const)('%s slices of %o are contiguous, cover the window exactly, at most four', (travel, window) => {
    const slices = pageSlices(window, travel);
    const ordered = travel === 'DESC' ? [...slices].reverse() : slices;
    expect(ordered[0].from).toEqual(window.from);
    expect(ordered[ordered.length - 1].to).toEqual(window.to);
    for (let i = 1; i < ordered.length; i++) expect(ordered[i].from).toEqual(ordered[i - 1].to);
    for (const s of slices) expect(s.to.getTime()).toBeGreaterThan(s.from.getTime());
    // The first slice is the (partial) day where travel starts; then one day, six days, the rest.
    const first = slices[0];
    expect(first.to.getTime() - first.from.getTime()).toBeLessThanOrEqual(DAY);
    slices.slice(1, -1).forEach((s, i) => expect(s.to.getTime() - s.from.getTime()).toBe([1, 6][i] * DAY));
    expect(slices.length).toBeLessThanOrEqual(4);
  });

  test('a long window: a partial day, a day, six days, the rest', () => {
    const days = pageSlices(w('2026-09-01T00:00:00Z', '2026-11-22T13:30:00Z'), 'DESC').map((s) => (s.to.getTime() - s.from.getTime()) / DAY);
    expect(days.slice(0, 3)).toEqual([13.5 / 24, 1, 6]);
    expect(days).toHaveLength(4);
  });

  test('DESC starts at the newest day', () => {
    expect(iso(pageSlices(w('2026-11-01T00:00:00Z', '2026-11-22T13:30:00Z'), 'DESC')[0])).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-22T13:30:00.000Z']);
    expect(iso(pageSlices(w('2026-11-01T05:00:00Z', '2026-11-22T13:30:00Z'), 'ASC')[0])).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-02T00:00:00.000Z']);
  });
});

describe('narrowing a window by the page cursors', () => {
  const window = w('2026-11-01T00:00:00Z', '2026-11-22T00:00:00Z');
  const t = new Date('2026-11-10T12:00:00.000Z');

  test('travelling DESC from a cursor keeps the cursor second and everything older', () => {
    expect(iso(narrowWindow(window, 'DESC', t, null))).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-10T12:00:01.000Z']);
  });

  test('travelling ASC from a cursor keeps the cursor second and everything newer', () => {
    expect(iso(narrowWindow(window, 'ASC', t, null))).toEqual(['2026-11-10T12:00:00.000Z', '2026-11-22T00:00:00.000Z']);
  });

  test('a stop cursor bounds the other end; crossed cursors leave an empty window', () => {
    const stop = new Date('2026-11-05T00:00:00Z');
    expect(iso(narrowWindow(window, 'DESC', t, stop))).toEqual(['2026-11-05T00:00:00.000Z', '2026-11-10T12:00:01.000Z']);
    const crossed = narrowWindow(window, 'ASC', t, stop);
    expect(crossed.to.getTime()).toBe(crossed.from.getTime());
  });

  test('a cursor outside the window leaves the window as it is', () => {
    expect(iso(narrowWindow(window, 'DESC', new Date('2027-01-01T00:00:00Z'), null))).toEqual(iso(window));
    expect(iso(narrowWindow(window, 'ASC', new Date('2020-01-01T00:00:00Z'), null))).toEqual(iso(window));
  });
});

describe('the bound where the partition day is the event day', () => {
  const scope = { accounts: null };
  const bound = (from: string, to: string) => boundPredicate(w(from, to), scope, 'event');

  test('whole days: the days alone, no eventtime comparison, no day after the window', () => {
    const b = bound('2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z');
    expect(b.text).not.toMatch(/eventtime/);
    expect(b.text).toMatch(/day_number >= \? AND day_number <= \?/);
    expect(b.params).toEqual([20261120, 20261121]);
  });

  test('an end off midnight is compared on eventtime, at that end only', () => {
    const b = bound('2026-11-20T06:30:00Z', '2026-11-22T00:00:00Z');
    expect(b.text).toMatch(/eventtime >= \?/);
    expect(b.text).not.toMatch(/eventtime < \?/);
    expect(b.params).toEqual([20261120, 20261121, '2026-11-20T06:30:00Z']);
    const c = bound('2026-11-20T00:00:00Z', '2026-11-21T12:00:00Z');
    expect(c.params).toEqual([20261120, 20261121, '2026-11-21T12:00:00Z']);
  });

  test('one day is an equality, on the day as a number', () => {
    const b = bound('2026-11-21T00:00:00Z', '2026-11-21T20:57:53Z');
    expect(b.text).toMatch(/day_number = \?/);
    expect(b.params).toEqual([20261121, '2026-11-21T20:57:53Z']);
  });

  test('the delivery-day bound (Athena) reaches a day past the window and always compares eventtime', () => {
    const b = boundPredicate(w('2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z'), scope);
    expect(b.params).toEqual(['2026/11/20', '2026/11/22', '2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z']);
  });
});
